// Tests for calibration/emulator: the Gaussian-process emulator on known functions, the
// implausibility measure by hand, and history matching (then ABC-SMC) on synthetic problems
// whose true parameters are known.
#include "sim/calibration/emulator.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "sim/calibration/abc.hpp"
#include "sim/core/rng.hpp"
#include "sim/sweep/design.hpp"

namespace redes::calib {
namespace {

constexpr double kPi = 3.141592653589793;

std::vector<std::vector<double>> rows(const sweep::UnitDesign& d) {
  std::vector<std::vector<double>> out;
  for (std::size_t i = 0; i < d.points; ++i)
    out.emplace_back(d.u.begin() + long(i * d.dims), d.u.begin() + long((i + 1) * d.dims));
  return out;
}

double branin_like(const std::vector<double>& x) {
  return std::sin(2 * kPi * x[0]) + 2 * x[1] * x[1] + 0.5 * x[0] * x[1];
}

TEST(Emulator, RecoversASmoothFunctionWithinAStatedError) {
  // 40 Latin-hypercube points of a function with range about 3.3: leave-one-out RMSE below 0.05
  // and out-of-sample RMSE on 200 fresh points below 0.05 (1.5% of the range); a linear fit
  // alone has an RMSE of about 0.45, so the bound needs the GP.
  const auto x = rows(sweep::latin_hypercube(40, 2, 7));
  std::vector<double> y;
  for (const auto& p : x) y.push_back(branin_like(p));
  const Emulator e = Emulator::fit(x, y);
  const LooDiagnostics loo = loo_diagnostics(e, y);
  EXPECT_LT(loo.rmse, 0.05);
  double se = 0;
  const auto test = rows(sweep::latin_hypercube(200, 2, 99));
  for (const auto& p : test) {
    const double err = e.predict(p).mean - branin_like(p);
    se += err * err;
  }
  EXPECT_LT(std::sqrt(se / 200), 0.05);
  // At a training point without noise the emulator interpolates and is nearly certain.
  EXPECT_NEAR(e.predict(x[3]).mean, y[3], 1e-3);
  EXPECT_LT(e.predict(x[3]).var, 1e-3);
}

TEST(Emulator, NoisyOutputsGiveANuggetNearTheNoiseAndCalibratedIntervals) {
  // y = 3 x0 - x1 + N(0, 0.2^2): the fitted nugget is the noise variance (within a factor of 2
  // at 120 points) and about 95% of leave-one-out standardised errors are within 2.
  const auto x = rows(sweep::latin_hypercube(120, 2, 3));
  const Rng rng(11, 0);
  std::vector<double> y;
  for (std::size_t i = 0; i < x.size(); ++i) {
    Draws d(rng, std::uint32_t(i), 0, Stream::Test);
    y.push_back(3 * x[i][0] - x[i][1] + 0.2 * d.normal());
  }
  const Emulator e = Emulator::fit(x, y);
  EXPECT_GT(e.nugget_var(), 0.04 / 2);
  EXPECT_LT(e.nugget_var(), 0.04 * 2);
  const LooDiagnostics loo = loo_diagnostics(e, y);
  EXPECT_GT(loo.coverage, 0.88);
  EXPECT_LE(loo.coverage, 1.0);
  // A new simulation's variance includes the noise.
  EXPECT_GE(e.predict({0.5, 0.5}).var, e.nugget_var());
}

TEST(Emulator, RejectsTooFewPointsAndNonFiniteOutputs) {
  EXPECT_THROW(Emulator::fit({{0.1, 0.2}, {0.3, 0.4}}, {1, 2}), std::invalid_argument);
  const auto x = rows(sweep::latin_hypercube(10, 2, 1));
  std::vector<double> y(10, 1.0);
  y[4] = std::nan("");
  EXPECT_THROW(Emulator::fit(x, y), std::invalid_argument);
}

TEST(Implausibility, MatchesAHandComputation) {
  // |z - E| / sqrt(Var_em + Var_obs + Var_md) = |10 - 7| / sqrt(2 + 4 + 3) = 1
  EXPECT_DOUBLE_EQ(implausibility(10, {7, 2}, 4, 3), 1.0);
  EXPECT_DOUBLE_EQ(implausibility(1, {5, 1}, 2, 1), 2.0);
  EXPECT_DOUBLE_EQ(ranked_implausibility({1, 5, 3}, 0), 5.0);
  EXPECT_DOUBLE_EQ(ranked_implausibility({1, 5, 3}, 1), 3.0);
  EXPECT_DOUBLE_EQ(ranked_implausibility({4}, 1), 4.0);  // one output: the second max is that output
}

// A cheap stochastic simulator of two parameters in the unit cube with three outputs, each
// with noise sd 0.05, keyed by the simulation id.
std::vector<double> toy(const std::vector<double>& u, std::uint64_t key, std::uint32_t seed) {
  const Rng rng(seed, 1);
  Draws d(rng, std::uint32_t(key), std::uint32_t(key >> 32), Stream::Test);
  return {2 * u[0] + u[1] + 0.05 * d.normal(), u[0] * u[1] * 4 + 0.05 * d.normal(), std::exp(u[1]) + 0.05 * d.normal()};
}

TEST(HistoryMatching, NeverRulesOutTheTrueParametersAndShrinksTheSpace) {
  const std::vector<double> truth = {0.3, 0.7};
  for (std::uint32_t seed : {1u, 2u, 3u, 4u, 5u}) {
    const std::vector<double> z = toy(truth, 0xFFFFFFFFull, seed);  // the "observed" data: one noisy run at the truth
    std::vector<MatchTarget> targets;
    for (std::size_t t = 0; t < z.size(); ++t) targets.push_back({"out" + std::to_string(t), z[t], 0.05 * 0.05, 0.0});
    HistoryMatchSettings s;
    s.waves = 3;
    s.design = 25;
    s.candidates = 4000;
    s.seed = seed;
    int simulated = 0;
    const auto res = history_match(2, targets, s, [&](const auto& u, const auto& ids) {
      std::vector<std::vector<double>> out;
      for (std::size_t i = 0; i < u.size(); ++i) out.push_back(toy(u[i], std::uint64_t(ids[i]), seed));
      simulated += int(u.size());
      return out;
    });
    ASSERT_FALSE(res.waves.empty());
    EXPECT_TRUE(res.plausible(truth)) << "seed " << seed << ": implausibility at the truth " << res.worst(truth);
    EXPECT_LT(res.waves.back().space_fraction, 0.1) << "seed " << seed;
    EXPECT_EQ(simulated, 25 * int(res.waves.size()));
    for (std::size_t w = 1; w < res.waves.size(); ++w)
      EXPECT_LE(res.waves[w].space_fraction, res.waves[w - 1].space_fraction * 1.2) << "seed " << seed;
    // Every surviving candidate is non-implausible.
    for (std::size_t i = 0; i < res.nonimplausible.size(); i += 50) EXPECT_TRUE(res.plausible(res.nonimplausible[i]));
  }
}

TEST(HistoryMatching, ThenAbcInsideTheSpaceLeftRecoversTheParameters) {
  const std::vector<double> truth = {0.3, 0.7};
  const std::uint32_t seed = 8;
  const std::vector<double> z = toy(truth, 0xFFFFFFFFull, seed);
  std::vector<MatchTarget> targets;
  for (std::size_t t = 0; t < z.size(); ++t) targets.push_back({"out" + std::to_string(t), z[t], 0.05 * 0.05, 0.0});
  HistoryMatchSettings s;
  s.waves = 2;
  s.design = 25;
  s.candidates = 4000;
  s.seed = seed;
  const auto hm = history_match(2, targets, s, [&](const auto& u, const auto& ids) {
    std::vector<std::vector<double>> out;
    for (std::size_t i = 0; i < u.size(); ++i) out.push_back(toy(u[i], std::uint64_t(ids[i]), seed));
    return out;
  });
  ASSERT_TRUE(hm.plausible(truth));
  std::vector<Prior> priors = {{"a", Prior::Kind::Uniform, 0, 1}, {"b", Prior::Kind::Uniform, 0, 1}};
  AbcSettings as;
  as.particles = 60;
  as.rejection_keep = 0.3;
  as.generations = 3;
  as.seed = seed;
  int simulated = 0;
  const AbcResult abc = abc_smc(
      priors, as,
      [&](const auto& thetas, const auto& ids) {
        std::vector<double> d;
        for (std::size_t i = 0; i < thetas.size(); ++i) {
          const auto y = toy(thetas[i], std::uint64_t(ids[i]) + (std::uint64_t(1) << 40), seed);
          double sq = 0;
          for (std::size_t t = 0; t < y.size(); ++t) sq += (y[t] - z[t]) * (y[t] - z[t]) / (0.05 * 0.05);
          d.push_back(std::sqrt(sq / double(y.size())));
          ++simulated;
        }
        return d;
      },
      [&](const std::vector<double>& th) { return hm.plausible(th); });
  const Generation& post = abc.posterior();
  for (const auto& th : post.theta) EXPECT_TRUE(hm.plausible(th));  // ABC stays inside the space left
  for (std::size_t k = 0; k < 2; ++k) {
    const double lo = weighted_quantile(post, k, 0.05), hi = weighted_quantile(post, k, 0.95);
    EXPECT_LE(lo, truth[k]) << "parameter " << k;
    EXPECT_GE(hi, truth[k]) << "parameter " << k;
    EXPECT_LT(hi - lo, 0.25) << "parameter " << k;  // the prior's 90% interval is 0.9 wide
  }
}

}  // namespace
}  // namespace redes::calib
