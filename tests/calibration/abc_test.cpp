// Tests for calibration/abc: prior draws and densities against analytic moments, ABC-SMC on
// Gaussian toys whose exact posterior is known, determinism across batch sizes, the stopping
// rules and argument checks. Fixed seeds; each tolerance is stated with its reason, and results
// are compared with analytic values, never with numbers copied from a run.
#include "sim/calibration/abc.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/core/rng.hpp"

namespace redes::calib {
namespace {

using Kind = Prior::Kind;

Prior make_prior(Kind kind, double lo, double hi, double mean = 0, double sd = 1) {
  return Prior{"p", kind, lo, hi, mean, sd};
}

struct SampleStats {
  double mean = 0, var = 0, se_mean = 0, se_var = 0;
};

// Draws n values as abc_smc does (one Draws per proposal) and returns the mean and variance with
// their standard errors (the variance's from the sample fourth central moment).
SampleStats sample_stats(const Prior& p, std::uint32_t n, std::uint32_t seed) {
  const Rng rng(seed, 0);
  std::vector<double> x(n);
  for (std::uint32_t k = 0; k < n; ++k) {
    Draws d(rng, k, 0, Stream::AbcPrior);
    x[k] = p.sample(d);
    EXPECT_TRUE(x[k] >= p.lo && x[k] <= p.hi) << x[k];
  }
  SampleStats s;
  s.mean = std::accumulate(x.begin(), x.end(), 0.0) / n;
  double m2 = 0, m4 = 0;
  for (double v : x) {
    const double c = (v - s.mean) * (v - s.mean);
    m2 += c;
    m4 += c * c;
  }
  s.var = m2 / (n - 1);
  m4 /= n;
  s.se_mean = std::sqrt(s.var / n);
  s.se_var = std::sqrt((m4 - s.var * s.var) / n);
  return s;
}

// Mean and variance of N(mean, sd) truncated to [lo, hi] (Johnson, Kotz and Balakrishnan).
std::pair<double, double> truncated_normal_moments(double mean, double sd, double lo, double hi) {
  const boost::math::normal n01;
  const double a = (lo - mean) / sd, b = (hi - mean) / sd;
  // Mass from the tail nearer to [a, b] keeps far-tail cases precise.
  const double z = a >= 0 ? cdf(complement(n01, a)) - cdf(complement(n01, b)) : cdf(n01, b) - cdf(n01, a);
  const double pa = pdf(n01, a), pb = pdf(n01, b);
  const double shift = (pa - pb) / z;
  return {mean + sd * shift, sd * sd * (1 + (a * pa - b * pb) / z - shift * shift)};
}

// The toy "model": summary j = f(theta[param_of[j]]) + sigma * e_j, e_j ~ N(0, 1) from Draws keyed
// by the simulation id (so a proposal's noise does not depend on the batch it is simulated in);
// distance = Euclidean norm of (summaries - observed). f = log when `log_theta`.
struct Toy {
  std::vector<std::size_t> param_of;
  std::vector<double> observed;
  double sigma = 0.2;
  bool log_theta = false;
  std::vector<std::int64_t>* seen_ids = nullptr;  // records every id simulated
  std::vector<std::size_t>* batch_sizes = nullptr;

  BatchSimulator simulator() const {
    return [*this](const std::vector<std::vector<double>>& thetas, const std::vector<std::int64_t>& ids) {
      const Rng rng(4242, 0);
      std::vector<double> out(thetas.size());
      for (std::size_t i = 0; i < thetas.size(); ++i) {
        Draws d(rng, std::uint32_t(ids[i]), std::uint32_t(ids[i] >> 32), Stream::Test);
        double ss = 0;
        for (std::size_t j = 0; j < param_of.size(); ++j) {
          const double x = thetas[i][param_of[j]];
          const double s = (log_theta ? std::log(x) : x) + sigma * d.normal();
          ss += (s - observed[j]) * (s - observed[j]);
        }
        out[i] = std::sqrt(ss);
        if (seen_ids) seen_ids->push_back(ids[i]);
      }
      if (batch_sizes) batch_sizes->push_back(thetas.size());
      return out;
    };
  }
};

struct Moments {
  double mean = 0, sd = 0;
};
Moments weighted_moments(const Generation& g, std::size_t p, bool log_theta = false) {
  double mean = 0, m2 = 0;
  for (std::size_t i = 0; i < g.theta.size(); ++i) {
    const double x = log_theta ? std::log(g.theta[i][p]) : g.theta[i][p];
    mean += g.weight[i] * x;
  }
  for (std::size_t i = 0; i < g.theta.size(); ++i) {
    const double x = log_theta ? std::log(g.theta[i][p]) : g.theta[i][p];
    m2 += g.weight[i] * (x - mean) * (x - mean);
  }
  return {mean, std::sqrt(m2)};
}

// Checks every generation's bookkeeping: sizes, normalised weights, ESS range, acceptance.
void expect_well_formed(const AbcResult& r, const AbcSettings& s, std::size_t parameters) {
  for (std::size_t t = 0; t < r.generations.size(); ++t) {
    const Generation& g = r.generations[t];
    ASSERT_EQ(g.theta.size(), std::size_t(s.particles)) << "generation " << t;
    ASSERT_EQ(g.weight.size(), std::size_t(s.particles));
    ASSERT_EQ(g.distance.size(), std::size_t(s.particles));
    for (const auto& row : g.theta) ASSERT_EQ(row.size(), parameters);
    EXPECT_NEAR(std::accumulate(g.weight.begin(), g.weight.end(), 0.0), 1.0, 1e-12);
    EXPECT_GT(g.ess, 0);
    EXPECT_LE(g.ess, s.particles * (1 + 1e-12));
    for (double d : g.distance) EXPECT_LE(d, g.epsilon);
    EXPECT_NEAR(g.acceptance, double(s.particles) / double(g.simulations), 1e-15);
  }
}

// --- priors -----------------------------------------------------------------------------------

// 20,000 draws; tolerance 4 standard errors (a deterministic test: the tolerance only sets how
// improbable a pass by a wrong sampler would be).
constexpr std::uint32_t kDraws = 20000;

TEST(PriorSample, UniformMoments) {
  const auto s = sample_stats(make_prior(Kind::Uniform, 2, 5), kDraws, 11);
  EXPECT_NEAR(s.mean, 3.5, 4 * s.se_mean);
  EXPECT_NEAR(s.var, 9.0 / 12, 4 * s.se_var);
}

TEST(PriorSample, LogUniformMoments) {
  const double lo = 0.1, hi = 10, l = std::log(hi / lo);
  const double mean = (hi - lo) / l, second = (hi * hi - lo * lo) / (2 * l);
  const auto s = sample_stats(make_prior(Kind::LogUniform, lo, hi), kDraws, 12);
  EXPECT_NEAR(s.mean, mean, 4 * s.se_mean);
  EXPECT_NEAR(s.var, second - mean * mean, 4 * s.se_var);
}

TEST(PriorSample, TruncatedNormalMomentsInEveryRegime) {
  struct Case {
    double mean, sd, lo, hi;
    const char* regime;
  };
  const Case cases[] = {
      {1, 2, 0, 4, "around the mean, narrow (uniform envelope)"},
      {0, 1, -3, 3, "around the mean, wide (normal rejection)"},
      {0, 1, 2, 2.3, "narrow tail (uniform envelope)"},
      {0, 1, 4, 20, "far tail (exponential envelope)"},
      {5, 1, -10, 3, "lower tail (mirrored)"},
  };
  std::uint32_t seed = 20;
  for (const auto& c : cases) {
    const auto [mean, var] = truncated_normal_moments(c.mean, c.sd, c.lo, c.hi);
    const auto s = sample_stats(make_prior(Kind::Normal, c.lo, c.hi, c.mean, c.sd), kDraws, seed++);
    EXPECT_NEAR(s.mean, mean, 4 * s.se_mean) << c.regime;
    EXPECT_NEAR(s.var, var, 4 * s.se_var) << c.regime;
  }
}

TEST(PriorDensity, ZeroOutsideSupportAndIntegratesToOne) {
  const Prior priors[] = {make_prior(Kind::Uniform, -1, 3), make_prior(Kind::LogUniform, 0.1, 10),
                          make_prior(Kind::Normal, 0, 4, 1, 2), make_prior(Kind::Normal, 4, 20, 0, 1)};
  for (const auto& p : priors) {
    const double w = p.hi - p.lo;
    EXPECT_EQ(p.density(p.lo - 1e-9 * w), 0.0);
    EXPECT_EQ(p.density(p.hi + 1e-9 * w), 0.0);
    EXPECT_EQ(p.density(p.lo - 100), 0.0);
    EXPECT_GT(p.density(p.lo), 0.0);
    EXPECT_GT(p.density(p.hi), 0.0);
    // Trapezoid rule on 200,000 intervals: error far below the 1e-6 tolerance for these smooth densities.
    const int n = 200000;
    const double h = w / n;
    double integral = 0.5 * (p.density(p.lo) + p.density(p.hi));
    for (int k = 1; k < n; ++k) integral += p.density(p.lo + k * h);
    EXPECT_NEAR(integral * h, 1.0, 1e-6) << int(p.kind);
  }
}

// --- ABC-SMC on toys with a known posterior ------------------------------------------------------

TEST(AbcSmc, GaussianToyMatchesExactPosterior) {
  // theta ~ U(-10, 10), s = theta + e / sqrt(25), s_obs = 1.3: exact posterior N(1.3, 0.2^2).
  const Toy toy{{0}, {1.3}, 0.2};
  AbcSettings s;
  s.particles = 500;
  s.generations = 5;
  const AbcResult r = abc_smc({make_prior(Kind::Uniform, -10, 10)}, s, toy.simulator());
  ASSERT_EQ(r.generations.size(), 6u);
  EXPECT_EQ(r.stop_reason, "generations done");
  expect_well_formed(r, s, 1);
  for (std::size_t t = 1; t < r.generations.size(); ++t)
    EXPECT_LT(r.generations[t].epsilon, r.generations[t - 1].epsilon) << "generation " << t;

  const Generation& post = r.posterior();
  const Moments m = weighted_moments(post, 0);
  // ABC with tolerance eps targets N(1.3, 0.04 + eps^2 / 3) (the data blurred by U(-eps, eps));
  // eps ends near 0.06, a 1-2% inflation of the sd. Monte Carlo error with ESS >= 200 is about
  // 0.2 / sqrt(200) = 0.014 on the mean and 5% on the sd; the tolerances are 3.5 and 4 of those.
  EXPECT_GE(post.ess, 200);
  EXPECT_NEAR(m.mean, 1.3, 0.05);
  EXPECT_NEAR(m.sd, 0.2, 0.2 * 0.2);
  const double q05 = weighted_quantile(post, 0, 0.05), q95 = weighted_quantile(post, 0, 0.95);
  EXPECT_LT(q05, 1.3);
  EXPECT_GT(q95, 1.3);
  // Exact 90% interval is 1.3 -/+ 0.329; its width within 25% (quantiles are noisier than the sd).
  EXPECT_NEAR(q95 - q05, 2 * 1.6449 * 0.2, 0.25 * 2 * 1.6449 * 0.2);
}

TEST(AbcSmc, NormalPriorEntersTheWeights) {
  // theta ~ N(0, 1) (truncation to [-10, 10] negligible), s = theta + 0.5 e, s_obs = 1.3:
  // conjugate posterior N(4 * 1.3 / 5, 1 / 5) = N(1.04, 0.447^2). Weights that ignored the prior
  // would give N(1.3, 0.5^2), 0.26 away; the 0.1 tolerance is about 4 Monte Carlo errors.
  const Toy toy{{0}, {1.3}, 0.5};
  AbcSettings s;
  s.particles = 500;
  s.generations = 5;
  const AbcResult r = abc_smc({make_prior(Kind::Normal, -10, 10, 0, 1)}, s, toy.simulator());
  expect_well_formed(r, s, 1);
  const Moments m = weighted_moments(r.posterior(), 0);
  EXPECT_NEAR(m.mean, 1.04, 0.1);
  EXPECT_NEAR(m.sd, std::sqrt(0.2), 0.2 * std::sqrt(0.2));
}

TEST(AbcSmc, LogUniformPriorIsFlatInLogSpace) {
  // theta ~ LogUniform(0.01, 100), s = log(theta) + 0.5 e, s_obs = log 2: log(theta) has
  // posterior N(log 2, 0.5^2). Perturbing in log space but weighting with the natural-space
  // density (a missing Jacobian) would shift the mean by -0.25; tolerance 0.1 as above.
  const Toy toy{{0}, {std::log(2.0)}, 0.5, true};
  AbcSettings s;
  s.particles = 500;
  s.generations = 5;
  const AbcResult r = abc_smc({make_prior(Kind::LogUniform, 0.01, 100)}, s, toy.simulator());
  expect_well_formed(r, s, 1);
  const Moments m = weighted_moments(r.posterior(), 0, true);
  EXPECT_NEAR(m.mean, std::log(2.0), 0.1);
  EXPECT_NEAR(m.sd, 0.5, 0.2 * 0.5);
  EXPECT_NEAR(weighted_quantile(r.posterior(), 0, 0.5), 2.0, 2.0 * 0.1);  // median is invariant under log
}

TEST(AbcSmc, TwoParametersConcentrateOnTheTruth) {
  // theta_k ~ U(0, 10), s_k = theta_k + 0.2 e_k, data at the truth (3, 7): posterior N(truth, 0.2^2 I).
  // In two dimensions the tolerance shrinks by only 1/sqrt(2) a generation, hence 8 generations
  // (eps ends near 0.13, inflating the sd by ~5%: variance eps^2 / 4 per coordinate).
  const std::vector<double> truth = {3, 7};
  const Toy toy{{0, 1}, truth, 0.2};
  AbcSettings s;
  s.particles = 400;
  s.generations = 8;
  const AbcResult r = abc_smc({make_prior(Kind::Uniform, 0, 10), make_prior(Kind::Uniform, 0, 10)}, s, toy.simulator());
  expect_well_formed(r, s, 2);
  EXPECT_EQ(r.stop_reason, "generations done");
  for (std::size_t p = 0; p < 2; ++p) {
    const Moments m = weighted_moments(r.posterior(), p);
    // Prior sd is 10 / sqrt(12) = 2.9; the posterior's is 0.2 (0.3 allows the ABC inflation and
    // Monte Carlo error); mean within 0.1 (about 5 Monte Carlo errors).
    EXPECT_NEAR(m.mean, truth[p], 0.1) << "parameter " << p;
    EXPECT_LT(m.sd, 0.3) << "parameter " << p;
    EXPECT_GT(m.sd, 0.15) << "parameter " << p;
    EXPECT_LT(weighted_quantile(r.posterior(), p, 0.05), truth[p]);
    EXPECT_GT(weighted_quantile(r.posterior(), p, 0.95), truth[p]);
  }
}

TEST(AbcSmc, MoreTargetsNarrowThePosterior) {
  // Two targets (theta_1 and theta_2 measured once, sd 0.5) against three (theta_1 measured
  // twice). The exact posterior sd of theta_1 drops from 0.5 to 0.5 / sqrt(2) (ratio 0.71);
  // theta_2's stays 0.5. Assert theta_1's 90% interval shrinks by at least 15% and theta_2's by
  // less (its ratio is 1 up to Monte Carlo error and the larger 3-D tolerance).
  const std::vector<Prior> priors = {make_prior(Kind::Uniform, 0, 10), make_prior(Kind::Uniform, 0, 10)};
  AbcSettings s;
  s.particles = 400;
  s.generations = 8;
  const Toy two{{0, 1}, {3, 7}, 0.5};
  const Toy three{{0, 1, 0}, {3, 7, 3}, 0.5};
  const AbcResult r2 = abc_smc(priors, s, two.simulator());
  const AbcResult r3 = abc_smc(priors, s, three.simulator());
  auto width = [](const AbcResult& r, std::size_t p) {
    return weighted_quantile(r.posterior(), p, 0.95) - weighted_quantile(r.posterior(), p, 0.05);
  };
  EXPECT_LT(width(r3, 0), 0.85 * width(r2, 0));
  EXPECT_GT(width(r3, 1), 0.85 * width(r2, 1));
  EXPECT_NEAR(weighted_moments(r3.posterior(), 0).mean, 3.0, 0.1);
}

// --- determinism, stopping and arguments ------------------------------------------------------------

TEST(AbcSmc, BatchSizeDoesNotChangeResults) {
  std::vector<std::int64_t> ids7, ids64;
  std::vector<std::size_t> sizes7, sizes64;
  Toy toy{{0, 1}, {3, 7}, 0.3};
  const std::vector<Prior> priors = {make_prior(Kind::Uniform, 0, 10), make_prior(Kind::LogUniform, 0.5, 50)};
  AbcSettings s;
  s.particles = 150;
  s.generations = 4;
  s.batch = 7;
  toy.seen_ids = &ids7;
  toy.batch_sizes = &sizes7;
  const AbcResult a = abc_smc(priors, s, toy.simulator());
  s.batch = 64;
  toy.seen_ids = &ids64;
  toy.batch_sizes = &sizes64;
  const AbcResult b = abc_smc(priors, s, toy.simulator());

  EXPECT_EQ(*std::max_element(sizes7.begin(), sizes7.end()), 7u);  // the batches really differed
  EXPECT_EQ(*std::max_element(sizes64.begin(), sizes64.end()), 64u);
  ASSERT_EQ(a.generations.size(), b.generations.size());
  EXPECT_EQ(a.stop_reason, b.stop_reason);
  for (std::size_t t = 0; t < a.generations.size(); ++t) {
    const Generation &x = a.generations[t], &y = b.generations[t];
    EXPECT_EQ(x.epsilon, y.epsilon) << "generation " << t;  // bit for bit
    EXPECT_EQ(x.theta, y.theta) << "generation " << t;
    EXPECT_EQ(x.weight, y.weight) << "generation " << t;
    EXPECT_EQ(x.distance, y.distance) << "generation " << t;
    EXPECT_EQ(x.simulations, y.simulations) << "generation " << t;
    EXPECT_EQ(x.ess, y.ess) << "generation " << t;
  }
  // Ids are unique over the whole run, even counting the discarded tail of each last batch.
  EXPECT_EQ(std::set<std::int64_t>(ids7.begin(), ids7.end()).size(), ids7.size());
  EXPECT_EQ(std::set<std::int64_t>(ids64.begin(), ids64.end()).size(), ids64.size());
}

TEST(AbcSmc, BudgetStopReturnsTheLastFullGeneration) {
  const Toy toy{{0}, {1.3}, 0.2};
  const std::vector<Prior> priors = {make_prior(Kind::Uniform, -10, 10)};
  AbcSettings s;
  s.particles = 100;  // 500 simulations for the rejection step
  s.generations = 6;
  s.min_acceptance = 0;  // only the budget stops
  const AbcResult full = abc_smc(priors, s, toy.simulator());
  ASSERT_EQ(full.generations.size(), 7u);

  s.max_simulations = 1500;
  const AbcResult r = abc_smc(priors, s, toy.simulator());
  EXPECT_NE(r.stop_reason.find("budget"), std::string::npos) << r.stop_reason;
  ASSERT_GE(r.generations.size(), 2u);
  ASSERT_LT(r.generations.size(), full.generations.size());
  expect_well_formed(r, s, 1);
  std::int64_t total = 0;
  for (const auto& g : r.generations) total += g.simulations;
  EXPECT_LE(total, s.max_simulations);
  // The next generation did not fit: it would have taken the budget past its limit.
  EXPECT_GT(total + full.generations[r.generations.size()].simulations, s.max_simulations);
  // The generations returned are the unconstrained run's, unchanged.
  for (std::size_t t = 0; t < r.generations.size(); ++t) {
    EXPECT_EQ(r.generations[t].theta, full.generations[t].theta);
    EXPECT_EQ(r.generations[t].weight, full.generations[t].weight);
  }

  s.max_simulations = 499;  // cannot even finish the rejection step
  EXPECT_THROW(abc_smc(priors, s, toy.simulator()), std::invalid_argument);
}

TEST(AbcSmc, LowAcceptanceStops) {
  const Toy toy{{0}, {1.3}, 0.2};
  AbcSettings s;
  s.particles = 100;
  s.min_acceptance = 0.9;  // no SMC generation with quantile 0.5 accepts 90%
  const AbcResult r = abc_smc({make_prior(Kind::Uniform, -10, 10)}, s, toy.simulator());
  EXPECT_EQ(r.generations.size(), 2u);
  EXPECT_NE(r.stop_reason.find("acceptance below"), std::string::npos) << r.stop_reason;
  EXPECT_LT(r.posterior().acceptance, 0.9);
}

TEST(AbcSmc, RejectionOnlyWhenNoGenerations) {
  const Toy toy{{0}, {1.3}, 0.2};
  AbcSettings s;
  s.particles = 50;
  s.generations = 0;
  s.rejection_keep = 1.0;  // keep every prior draw
  const AbcResult r = abc_smc({make_prior(Kind::Uniform, -10, 10)}, s, toy.simulator());
  ASSERT_EQ(r.generations.size(), 1u);
  EXPECT_EQ(r.stop_reason, "generations done");
  EXPECT_EQ(r.posterior().simulations, 50);
  EXPECT_EQ(r.posterior().acceptance, 1.0);
  EXPECT_EQ(r.posterior().ess, 50.0);
  EXPECT_EQ(r.posterior().epsilon, *std::max_element(r.posterior().distance.begin(), r.posterior().distance.end()));
}

TEST(AbcSmc, BadSettingsThrow) {
  const Toy toy{{0}, {1.3}, 0.2};
  const auto sim = toy.simulator();
  const std::vector<Prior> ok = {make_prior(Kind::Uniform, 0, 1)};
  auto with = [](auto change) {
    AbcSettings s;
    s.particles = 10;
    change(s);
    return s;
  };
  EXPECT_THROW(abc_smc({}, AbcSettings{}, sim), std::invalid_argument);
  EXPECT_THROW(abc_smc(ok, with([](AbcSettings& s) { s.particles = 1; }), sim), std::invalid_argument);
  EXPECT_THROW(abc_smc(ok, with([](AbcSettings& s) { s.quantile = 0; }), sim), std::invalid_argument);
  EXPECT_THROW(abc_smc(ok, with([](AbcSettings& s) { s.quantile = 1; }), sim), std::invalid_argument);
  EXPECT_THROW(abc_smc(ok, with([](AbcSettings& s) { s.rejection_keep = 0; }), sim), std::invalid_argument);
  EXPECT_THROW(abc_smc(ok, with([](AbcSettings& s) { s.rejection_keep = 1.5; }), sim), std::invalid_argument);
  EXPECT_THROW(abc_smc(ok, with([](AbcSettings& s) { s.batch = 0; }), sim), std::invalid_argument);
  EXPECT_THROW(abc_smc(ok, with([](AbcSettings& s) { s.generations = -1; }), sim), std::invalid_argument);
  const auto s = with([](AbcSettings&) {});
  EXPECT_THROW(abc_smc({make_prior(Kind::Uniform, 1, 1)}, s, sim), std::invalid_argument);
  EXPECT_THROW(abc_smc({make_prior(Kind::Uniform, 2, 1)}, s, sim), std::invalid_argument);
  EXPECT_THROW(abc_smc({make_prior(Kind::LogUniform, 0, 1)}, s, sim), std::invalid_argument);
  EXPECT_THROW(abc_smc({make_prior(Kind::Normal, 0, 1, 0, 0)}, s, sim), std::invalid_argument);
  EXPECT_THROW(abc_smc({make_prior(Kind::Uniform, 0, std::numeric_limits<double>::infinity())}, s, sim),
               std::invalid_argument);
  // A simulator that loses a result is a programming error, not a setting.
  const BatchSimulator short_sim = [](const std::vector<std::vector<double>>& t, const std::vector<std::int64_t>&) {
    return std::vector<double>(t.size() - 1, 0.0);
  };
  EXPECT_THROW(abc_smc(ok, s, short_sim), std::runtime_error);
}

TEST(AbcWeightedQuantile, InterpolatesAtCumulativeWeightMidpoints) {
  Generation g;
  g.theta = {{3}, {1}, {4}, {2}, {9}};
  g.weight = {0.25, 0.25, 0.25, 0.25, 0.0};             // the zero-weight particle is ignored
  EXPECT_DOUBLE_EQ(weighted_quantile(g, 0, 0.5), 2.5);  // midpoints 1/8, 3/8, 5/8, 7/8
  EXPECT_DOUBLE_EQ(weighted_quantile(g, 0, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(weighted_quantile(g, 0, 1.0), 4.0);
  EXPECT_DOUBLE_EQ(weighted_quantile(g, 0, 0.25), 1.5);
  g.weight = {0.3, 0.1, 0.4, 0.2, 0.0};  // sorted weights 0.1, 0.2, 0.3, 0.4: midpoints .05 .2 .45 .8
  EXPECT_DOUBLE_EQ(weighted_quantile(g, 0, 0.5), 3.0 + 0.05 / 0.35);
  EXPECT_THROW(weighted_quantile(g, 1, 0.5), std::out_of_range);
  EXPECT_THROW(weighted_quantile(g, 0, 1.5), std::invalid_argument);
  EXPECT_THROW(weighted_quantile(Generation{}, 0, 0.5), std::invalid_argument);
}

// The predictive check weights every record draw as its particle: k draws of a particle of weight
// w count as one value of weight k w.
TEST(AbcWeightedQuantile, RepeatedDrawsOfAParticleActAsItsWeight) {
  std::vector<std::pair<double, double>> one{{1, 0.5}, {5, 0.5}}, many;
  for (int m = 0; m < 20; ++m) many.emplace_back(1, 0.5 / 20), many.emplace_back(5, 0.5 / 20);
  many.emplace_back(9, 0.0);  // zero weight: ignored
  EXPECT_DOUBLE_EQ(weighted_quantile(one, 0.5), 3.0);
  EXPECT_DOUBLE_EQ(weighted_quantile(many, 0.25), 1.0);
  EXPECT_DOUBLE_EQ(weighted_quantile(many, 0.75), 5.0);
  EXPECT_DOUBLE_EQ(weighted_quantile(many, 1.0), 5.0);
  std::vector<std::pair<double, double>> none{{1, 0.0}};
  EXPECT_THROW(weighted_quantile(none, 0.5), std::invalid_argument);
}

}  // namespace
}  // namespace redes::calib
