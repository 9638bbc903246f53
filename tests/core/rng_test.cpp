// Tests for core/rng and core/alias_table: Philox known answers through the counter layout,
// the distributions' moments, independence of streams, reproducibility, and the alias method.
// Statistical checks use fixed seeds and state their tolerance (standard errors or a chi-square
// quantile); they compare with analytic values, never with numbers copied from a run.
#include "sim/core/rng.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <cmath>
#include <cstdint>
#include <set>
#include <vector>

#include "sim/core/alias_table.hpp"

namespace redes {
namespace {

// Chi-square critical value at upper tail probability `alpha` (fixed seeds: a deterministic
// test; alpha only sets how improbable a pass by a broken generator would be).
double chi2_critical(std::size_t dof, double alpha = 1e-5) {
  return boost::math::quantile(boost::math::complement(boost::math::chi_squared(double(dof)), alpha));
}

struct Moments {
  double mean = 0, var = 0;
};
template <class F>
Moments moments(std::size_t n, F draw) {
  // Welford: numerically stable mean and (sample) variance.
  double mean = 0, m2 = 0;
  for (std::size_t k = 1; k <= n; ++k) {
    const double x = draw();
    const double d = x - mean;
    mean += d / double(k);
    m2 += d * (x - mean);
  }
  return {mean, m2 / double(n - 1)};
}

double correlation(const std::vector<double>& x, const std::vector<double>& y) {
  const std::size_t n = x.size();
  double mx = 0, my = 0;
  for (std::size_t k = 0; k < n; ++k) mx += x[k], my += y[k];
  mx /= double(n), my /= double(n);
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t k = 0; k < n; ++k) {
    sxy += (x[k] - mx) * (y[k] - my);
    sxx += (x[k] - mx) * (x[k] - mx);
    syy += (y[k] - my) * (y[k] - my);
  }
  return sxy / std::sqrt(sxx * syy);
}

// --- Philox-4x32-10 known answers (Random123 kat_vectors), through Rng::words's layout -----------
// key = {seed, replicate}; counter = {entity, day, (stream << 16) | sub, index}.

using Words = std::array<std::uint32_t, 4>;

TEST(RngPhilox, KnownAnswerZeroCounterZeroKey) {
  const Rng rng(0, 0);
  EXPECT_EQ(rng.words(0, 0, static_cast<Stream>(0), 0, 0), (Words{0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u}));
}

TEST(RngPhilox, KnownAnswerAllOnes) {
  const Rng rng(0xffffffffu, 0xffffffffu);
  EXPECT_EQ(rng.words(0xffffffffu, 0xffffffffu, static_cast<Stream>(0xffff), 0xffff, 0xffffffffu),
            (Words{0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu}));
}

TEST(RngPhilox, KnownAnswerPiDigits) {
  const Rng rng(0xa4093822u, 0x299f31d0u);
  EXPECT_EQ(rng.words(0x243f6a88u, 0x85a308d3u, static_cast<Stream>(0x1319), 0x8a2e, 0x03707344u),
            (Words{0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u}));
}

TEST(RngPhilox, SeedAndReplicateAreTheKey) {
  const Rng rng(0xa4093822u, 0x299f31d0u);
  EXPECT_EQ(rng.seed(), 0xa4093822u);
  EXPECT_EQ(rng.replicate(), 0x299f31d0u);
}

TEST(RngDraws, ConsumesWordsInCounterOrder) {
  // Draws reads words(entity, day, stream, sub, first_index), then first_index + 1, ...
  const Rng rng(7, 3);
  Draws d(rng, 11, 22, Stream::Test, 5, 40);
  for (std::uint32_t idx = 40; idx < 43; ++idx) {
    const auto w = rng.words(11, 22, Stream::Test, 5, idx);
    for (int k = 0; k < 4; ++k) EXPECT_EQ(d.u32(), w[k]) << "index " << idx << " word " << k;
  }
  // uniform() consumes two words: hi then lo.
  Draws u(rng, 11, 22, Stream::Test, 5, 40);
  const auto w = rng.words(11, 22, Stream::Test, 5, 40);
  EXPECT_EQ(u.uniform(), to_unit(w[0], w[1]));
  EXPECT_EQ(u.uniform(), to_unit(w[2], w[3]));
}

TEST(RngDraws, ToUnitStaysInsideTheOpenInterval) {
  EXPECT_GT(to_unit(0, 0), 0.0);
  // The largest input once rounded up to exactly 1.0 ((2^53 - 0.5) * 2^-53 is not a double).
  EXPECT_LT(to_unit(0xffffffffu, 0xffffffffu), 1.0);
  EXPECT_GT(to_unit(0xffffffffu, 0xffffffffu), 1.0 - 0x1.0p-52);
  EXPECT_LT(to_unit(0xffffffffu, 0xfffff800u), 1.0);
  EXPECT_DOUBLE_EQ(to_unit(0x80000000u, 0), 0.5 + 0.5 * 0x1.0p-53);
}

// --- distributions -----------------------------------------------------------------------------

TEST(RngDraws, UniformMeanAndVariance) {
  const Rng rng(20240801, 0);
  Draws d(rng, 1, 0, Stream::Test);
  const std::size_t n = 1'000'000;
  double lo = 1, hi = 0;
  const auto m = moments(n, [&] {
    const double u = d.uniform();
    lo = std::min(lo, u), hi = std::max(hi, u);
    return u;
  });
  EXPECT_GT(lo, 0.0);
  EXPECT_LT(hi, 1.0);
  const double se_mean = std::sqrt(1.0 / 12 / double(n));
  EXPECT_NEAR(m.mean, 0.5, 5 * se_mean);
  // Var of the sample variance of U(0,1): (mu4 - sigma^4) / n = (1/80 - 1/144) / n.
  EXPECT_NEAR(m.var, 1.0 / 12, 5 * std::sqrt((1.0 / 80 - 1.0 / 144) / double(n)));
}

TEST(RngDraws, UniformHistogramIsFlat) {
  const Rng rng(99, 1);
  Draws d(rng, 0, 0, Stream::Test);
  const int bins = 100;
  const std::size_t n = 1'000'000;
  std::vector<double> count(bins, 0);
  for (std::size_t k = 0; k < n; ++k) ++count[std::size_t(d.uniform() * bins)];
  double chi2 = 0, e = double(n) / bins;
  for (double c : count) chi2 += (c - e) * (c - e) / e;
  EXPECT_LT(chi2, chi2_critical(bins - 1));
}

TEST(RngDraws, BelowCoversTheRangeUniformly) {
  const Rng rng(12345, 0);
  for (std::uint32_t range : {2u, 7u, 10u, 37u, 1000u}) {
    Draws d(rng, range, 0, Stream::Test);
    const std::size_t n = 1'000'000;
    std::vector<double> count(range, 0);
    for (std::size_t k = 0; k < n; ++k) {
      const std::uint32_t v = d.below(range);
      ASSERT_LT(v, range);
      ++count[v];
    }
    double chi2 = 0, e = double(n) / range;
    for (double c : count) {
      EXPECT_GT(c, 0) << "value never drawn, range " << range;
      chi2 += (c - e) * (c - e) / e;
    }
    EXPECT_LT(chi2, chi2_critical(range - 1)) << "range " << range;
  }
  Draws one(rng, 0, 0, Stream::Test, 1);
  for (int k = 0; k < 100; ++k) EXPECT_EQ(one.below(1), 0u);
}

TEST(RngDraws, BernoulliFrequency) {
  const Rng rng(5, 5);
  Draws d(rng, 0, 0, Stream::Test);
  const std::size_t n = 1'000'000;
  for (double p : {0.01, 0.3, 0.9}) {
    std::size_t hits = 0;
    for (std::size_t k = 0; k < n; ++k) hits += d.bernoulli(p);
    EXPECT_NEAR(double(hits) / double(n), p, 5 * std::sqrt(p * (1 - p) / double(n))) << "p " << p;
  }
  EXPECT_FALSE(d.bernoulli(0.0));
  EXPECT_TRUE(d.bernoulli(1.0));
}

TEST(RngDraws, PoissonMeanAndVariance) {
  const Rng rng(777, 0);
  const std::size_t n = 1'000'000;
  for (double mean : {0.5, 5.0, 30.0, 100.0}) {
    Draws d(rng, std::uint32_t(mean * 10), 0, Stream::Test);
    const auto m = moments(n, [&] { return double(d.poisson(mean)); });
    // Poisson: variance = mean; Var(sample variance) ~ (mu4 - sigma^4) / n = (mean + 2 mean^2) / n.
    // Above 60 the code rounds a normal: its variance is mean + 1/12 (rounding), mean unchanged.
    const double var = mean > 60 ? mean + 1.0 / 12 : mean;
    EXPECT_NEAR(m.mean, mean, 5 * std::sqrt(mean / double(n))) << "mean " << mean;
    EXPECT_NEAR(m.var, var, 5 * std::sqrt((mean + 2 * mean * mean) / double(n))) << "mean " << mean;
  }
  Draws z(rng, 0, 0, Stream::Test, 1);
  EXPECT_EQ(z.poisson(0.0), 0u);
  EXPECT_EQ(z.poisson(-1.0), 0u);
}

TEST(RngDraws, PoissonProbabilitiesForSmallMeans) {
  // Inversion branch: the whole pmf. Chi-square over values with expected count >= 20, every
  // other value (low side and tail) pooled into one cell.
  const Rng rng(31337, 0);
  const std::size_t n = 500'000;
  for (double mean : {0.5, 5.0, 30.0}) {
    Draws d(rng, 0, 0, Stream::Test, std::uint16_t(mean * 10));
    std::vector<double> count(200, 0);
    for (std::size_t k = 0; k < n; ++k) ++count[std::min<std::uint32_t>(199, d.poisson(mean))];
    double chi2 = 0, kept_e = 0, kept_o = 0, pmf = std::exp(-mean);
    std::size_t cells = 0;
    for (std::size_t k = 0; k < 199; ++k, pmf *= mean / double(k)) {
      const double e = double(n) * pmf;
      if (e < 20) continue;
      chi2 += (count[k] - e) * (count[k] - e) / e;
      kept_e += e, kept_o += count[k];
      ++cells;
    }
    const double rest_e = double(n) - kept_e, rest_o = double(n) - kept_o;
    if (rest_e >= 20) {
      chi2 += (rest_o - rest_e) * (rest_o - rest_e) / rest_e;
      ++cells;
    }
    ASSERT_GE(cells, 3u);
    EXPECT_LT(chi2, chi2_critical(cells - 1)) << "mean " << mean;
  }
}

TEST(RngDraws, ExponentialMeanAndVariance) {
  const Rng rng(4242, 0);
  const std::size_t n = 1'000'000;
  for (double rate : {0.1, 1.0, 3.0}) {
    Draws d(rng, 0, 0, Stream::Test, std::uint16_t(rate * 10));
    const auto m = moments(n, [&] {
      const double x = d.exponential(rate);
      EXPECT_GT(x, 0.0);
      return x;
    });
    const double mu = 1 / rate, var = mu * mu;
    // Exponential: mu4 = 9 / rate^4, so Var(sample variance) = 8 mu^4 / n.
    EXPECT_NEAR(m.mean, mu, 5 * std::sqrt(var / double(n))) << "rate " << rate;
    EXPECT_NEAR(m.var, var, 5 * std::sqrt(8 * var * var / double(n))) << "rate " << rate;
  }
}

TEST(RngDraws, NormalMeanVarianceAndTails) {
  const Rng rng(2718, 0);
  Draws d(rng, 0, 0, Stream::Test);
  const std::size_t n = 1'000'000;
  std::size_t beyond = 0;
  const auto m = moments(n, [&] {
    const double z = d.normal();
    beyond += std::abs(z) > 1.959963984540054;
    return z;
  });
  EXPECT_NEAR(m.mean, 0.0, 5 * std::sqrt(1.0 / double(n)));
  EXPECT_NEAR(m.var, 1.0, 5 * std::sqrt(2.0 / double(n)));  // mu4 - sigma^4 = 2
  EXPECT_NEAR(double(beyond) / double(n), 0.05, 5 * std::sqrt(0.05 * 0.95 / double(n)));
}

TEST(RngDraws, GeometricSkipMean) {
  const Rng rng(161803, 0);
  const std::size_t n = 1'000'000;
  for (double p : {0.5, 0.1, 0.01}) {
    Draws d(rng, 0, 0, Stream::Test, std::uint16_t(p * 1000));
    const auto m = moments(n, [&] { return double(d.geometric_skip(p)); });
    const double mean = (1 - p) / p, var = (1 - p) / (p * p);
    EXPECT_NEAR(m.mean, mean, 5 * std::sqrt(var / double(n))) << "p " << p;
  }
  // P(skip = 0) = p: the first trial succeeds.
  Draws d(rng, 1, 0, Stream::Test);
  std::size_t zeros = 0;
  for (std::size_t k = 0; k < n; ++k) zeros += d.geometric_skip(0.3) == 0;
  EXPECT_NEAR(double(zeros) / double(n), 0.3, 5 * std::sqrt(0.3 * 0.7 / double(n)));
  EXPECT_EQ(d.geometric_skip(1.0), 0u);
  EXPECT_EQ(d.geometric_skip(0.0), UINT64_MAX);
}

// The fishing loop's shortcut: a uniform below surely_at_least(b) must give skip_of(u) >= b, right
// up to the threshold (the uniforms just below it, ulp by ulp); and it must not be vacuous: a
// uniform a little above (1 - p)^b gives a skip below b (where that power is a normal number).
TEST(RngDraws, SurelyAtLeastNeverDisagreesWithTheSkip) {
  for (double p : {1e-5, 0.002, 0.1, 0.5, 0.999}) {
    const Draws::SkipRate rate(p);
    for (std::uint32_t b = 0; b < 300; ++b) {
      const double t = rate.surely_at_least(b);
      double u = t;
      for (int k = 0; k < 200; ++k) {
        u = std::nextafter(u, 0.0);
        if (u <= 0) break;
        ASSERT_GE(Draws::skip_of(u, rate), b) << "p " << p << " b " << b << " u " << u;
      }
      const double above = std::exp(double(b) * rate.log_q) * (1 + 1e-6);
      if (b > 0 && above > 1e-250 && above < 1) {
        EXPECT_LT(Draws::skip_of(above, rate), b) << "p " << p << " b " << b;
      }
    }
  }
}

// --- independence and reproducibility ----------------------------------------------------------

std::vector<double> sequence(const Rng& rng, std::uint32_t entity, std::uint32_t day, Stream stream, std::uint16_t sub,
                             std::size_t n) {
  Draws d(rng, entity, day, stream, sub);
  std::vector<double> out(n);
  for (auto& x : out) x = d.uniform();
  return out;
}

TEST(RngStreams, SequencesDifferingInOneArgumentAreUncorrelated) {
  const std::size_t n = 200'000;
  const double bound = 5 / std::sqrt(double(n));
  const Rng a(1000, 0), other_replicate(1000, 1), other_seed(1001, 0);
  const auto base = sequence(a, 500, 10, Stream::Attributes, 0, n);
  struct Case {
    const char* what;
    std::vector<double> seq;
  } cases[] = {
      {"stream", sequence(a, 500, 10, Stream::Platforms, 0, n)},
      {"entity", sequence(a, 501, 10, Stream::Attributes, 0, n)},
      {"day", sequence(a, 500, 11, Stream::Attributes, 0, n)},
      {"sub", sequence(a, 500, 10, Stream::Attributes, 1, n)},
      {"replicate", sequence(other_replicate, 500, 10, Stream::Attributes, 0, n)},
      {"seed", sequence(other_seed, 500, 10, Stream::Attributes, 0, n)},
  };
  for (const auto& c : cases) {
    EXPECT_NE(c.seq, base) << c.what;
    EXPECT_LT(std::abs(correlation(base, c.seq)), bound) << c.what;
  }
  // Within one sequence, consecutive draws are uncorrelated too (lag 1 and lag 2, which share a
  // Philox block).
  for (std::size_t lag : {1u, 2u}) {
    std::vector<double> x(base.begin(), base.end() - lag), y(base.begin() + lag, base.end());
    EXPECT_LT(std::abs(correlation(x, y)), bound) << "lag " << lag;
  }
}

TEST(RngStreams, FirstDrawsAcrossNeighbouringEntitiesAreUncorrelated) {
  // How the population uses it: one short sequence per person. Person k's first draw vs the
  // first draw of person k in another stream, another day, another replicate.
  const std::size_t n = 200'000;
  const double bound = 5 / std::sqrt(double(n));
  const Rng r0(42, 0), r1(42, 1);
  std::vector<double> base(n), stream(n), day(n), rep(n), next(n);
  for (std::uint32_t k = 0; k < n; ++k) {
    base[k] = Draws(r0, k, 0, Stream::Demography).uniform();
    stream[k] = Draws(r0, k, 0, Stream::Attributes).uniform();
    day[k] = Draws(r0, k, 1, Stream::Demography).uniform();
    rep[k] = Draws(r1, k, 0, Stream::Demography).uniform();
    next[k] = Draws(r0, k + 1, 0, Stream::Demography).uniform();
  }
  EXPECT_LT(std::abs(correlation(base, stream)), bound);
  EXPECT_LT(std::abs(correlation(base, day)), bound);
  EXPECT_LT(std::abs(correlation(base, rep)), bound);
  // next[k] == base[k + 1]: this is the lag-1 correlation across persons.
  EXPECT_EQ(next[0], base[1]);
  EXPECT_LT(std::abs(correlation(base, next)), bound);
}

TEST(RngStreams, SameArgumentsGiveTheSameNumbers) {
  const Rng a(20240801, 3), b(20240801, 3);
  Draws x(a, 123, 456, Stream::Grooming, 7), y(b, 123, 456, Stream::Grooming, 7);
  for (int k = 0; k < 1000; ++k) {
    ASSERT_EQ(x.u32(), y.u32());
    ASSERT_EQ(x.uniform(), y.uniform());
    ASSERT_EQ(x.poisson(3.5), y.poisson(3.5));
    ASSERT_EQ(x.normal(), y.normal());
  }
  EXPECT_EQ(a.words(1, 2, Stream::Test, 3, 4), b.words(1, 2, Stream::Test, 3, 4));
  // Disjoint sequences on one (entity, day, stream): first_index k << 10.
  Draws s0(a, 1, 1, Stream::AdReach, 0, 0), s1(a, 1, 1, Stream::AdReach, 0, 1u << 10);
  std::set<std::uint32_t> seen;
  for (int k = 0; k < 4096; ++k) seen.insert(s0.u32());
  int shared = 0;
  for (int k = 0; k < 4096; ++k) shared += seen.count(s1.u32()) > 0;
  EXPECT_LE(shared, 2);  // 4096 x 4096 / 2^32 = 0.004 chance collisions expected
}

TEST(RngStreams, OrderKeyIsDistinctAndReproducible) {
  const Rng rng(9, 0);
  std::set<std::uint64_t> keys;
  for (std::uint32_t other = 0; other < 10000; ++other) keys.insert(order_key(rng, 5, 100, other, 0));
  EXPECT_EQ(keys.size(), 10000u);
  for (std::uint32_t person = 0; person < 10000; ++person) keys.insert(order_key(rng, person + 6, 100, 0, 0));
  for (std::uint32_t day = 0; day < 10000; ++day) keys.insert(order_key(rng, 5, day + 101, 0, 0));
  // Generations of one slot (a recruiter and its replacements) are distinct recruiters.
  for (std::uint16_t g = 1; g <= 1000; ++g) keys.insert(order_key(rng, 5, 100, 0, g));
  EXPECT_EQ(keys.size(), 31000u);
  EXPECT_NE(order_key(rng, 5, 100, 1, 0), order_key(Rng(9, 1), 5, 100, 1, 0));
  EXPECT_EQ(order_key(rng, 5, 100, 1, 0), order_key(Rng(9, 0), 5, 100, 1, 0));
  // It is the ConflictOrder stream's first two words.
  const auto w = rng.words(5, 100, Stream::ConflictOrder, 0, 1);
  EXPECT_EQ(order_key(rng, 5, 100, 1, 0), std::uint64_t(w[0]) << 32 | w[1]);
  // Ordering by key is a fair shuffle: each of 2 candidates first about half the time.
  std::size_t first = 0;
  const std::size_t n = 100'000;
  for (std::uint32_t p = 0; p < n; ++p) first += order_key(rng, p, 0, 0, 0) < order_key(rng, p, 0, 1, 0);
  EXPECT_NEAR(double(first) / double(n), 0.5, 5 * std::sqrt(0.25 / double(n)));
}

TEST(RngMisc, LogisticValues) {
  EXPECT_DOUBLE_EQ(logistic(0), 0.5);
  EXPECT_NEAR(logistic(std::log(3.0)), 0.75, 1e-15);
  EXPECT_NEAR(logistic(-std::log(3.0)), 0.25, 1e-15);
}

// --- alias table -------------------------------------------------------------------------------

void expect_alias_matches(const std::vector<double>& weights, std::uint32_t seed, std::size_t n) {
  const AliasTable table(weights);
  ASSERT_EQ(table.size(), weights.size());
  const Rng rng(seed, 0);
  Draws d(rng, 0, 0, Stream::Test);
  std::vector<double> count(weights.size(), 0);
  for (std::size_t k = 0; k < n; ++k) {
    const auto v = table.draw(d);
    ASSERT_LT(v, weights.size());
    ++count[v];
  }
  double total = 0;
  for (double w : weights) total += w;
  double chi2 = 0;
  std::size_t cells = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const double e = double(n) * weights[i] / total;
    if (weights[i] == 0) {
      EXPECT_EQ(count[i], 0) << "zero weight drawn, index " << i;
      continue;
    }
    chi2 += (count[i] - e) * (count[i] - e) / e;
    ++cells;
  }
  if (cells > 1) {
    EXPECT_LT(chi2, chi2_critical(cells - 1)) << weights.size() << " weights";
  }
}

TEST(AliasTable, DrawFrequenciesMatchWeights) {
  expect_alias_matches({1, 2, 3, 0, 10, 0.5, 7}, 1, 1'000'000);
  expect_alias_matches({1, 1, 1, 1}, 2, 400'000);
  expect_alias_matches({1e-3, 1, 1e3}, 3, 1'000'000);
  expect_alias_matches({0, 0, 5}, 4, 10'000);
  // Many heavy-tailed weights, as the platform layers use (Pareto, exponent 2.2).
  std::vector<double> w(500);
  const Rng rng(5, 0);
  Draws d(rng, 0, 0, Stream::Test, 1);
  for (auto& x : w) x = std::pow(d.uniform(), -1 / 1.2);
  expect_alias_matches(w, 6, 2'000'000);
}

TEST(AliasTable, SingleAndEmpty) {
  const AliasTable one({3.0});
  const Rng rng(1, 0);
  Draws d(rng, 0, 0, Stream::Test);
  for (int k = 0; k < 100; ++k) EXPECT_EQ(one.draw(d), 0u);
  EXPECT_TRUE(AliasTable(std::vector<double>{}).empty());
  EXPECT_TRUE(AliasTable().empty());
  EXPECT_FALSE(one.empty());
}

}  // namespace
}  // namespace redes
