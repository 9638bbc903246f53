// Recovery test of the calibration (product issue: "data generated from the workshop scenario with
// known parameters; calibration of two of them puts the truth inside the 90% posterior interval,
// and the interval narrows as targets are added").
//
// Truth: recruiters per 100,000 = 1000 and the share of cases whose technology is recorded
// (observation.p_ict_recorded) = 0.4, in the workshop scenario at a test size. One run at the truth
// (its own seed: another synthetic population and graph, other draws) gives the "recorded" data:
// the expected police and prosecutor cases per year and the share of them recorded as ICT, as
// calib::model_values() computes them for the calibration. Two calibrations of both parameters
// with another seed, in process through the library:
//   A: police and prosecutor cases per year. They identify the recruiter density; the ICT share
//      does not act on them, so its posterior stays about its prior (uniform on [0, 1]).
//   B: A plus the ICT share of police and prosecutor cases per year, which identifies p_ict.
// Checks: in B both truths are inside the weighted 5-95% posterior interval; in A the recruiter
// density's truth is inside its interval; p_ict's 90% interval in B is under 0.7 x its width in A.
//
// Tolerances, and why they can fail: the truth is one run of a stochastic model (the mix of
// routes among its 40 recruiters alone moves the ICT share of cases by about 15% from run to run),
// and the calibration sees the same kind of noise in its own runs, so ABC's interval covers the
// truth once the tolerance has come down to that noise, which two SMC generations of 40 particles
// do here. Nothing is loosened beyond the claims themselves: "inside the 90% interval" is checked
// as is; the narrowing bound 0.7 leaves room for particle noise in the quantiles (measured ratios
// 0.23 to 0.33; without the ICT targets the ratio would be about 1); A's density interval must be
// under a third of the prior's 5-95% range in ratio terms (measured ratios 1.4 to 1.8, prior 12).
// Seeds are fixed, so the outcome is deterministic. The design was checked with five (truth,
// calibration) seed pairs, (7, 11) (this one), (21, 5), (33, 17), (101, 202), (5, 9): every check
// passed in all five (B's p_ict intervals 0.23-0.49, 0.31-0.50, 0.23-0.43, 0.36-0.64, 0.32-0.53).
//
// The test scenario: the workshop scenario (scenarios/workshop/small.yaml) with 4,000 persons,
// 2019-2021, and fishing ads that reach a thirtieth of the users (10 a day instead of 300) who each
// reply thirty times as often (the same expected replies per ad). A run then takes about 0.1 s
// instead of 0.8 s, with about the same victims. The file takes about 87 CPU-seconds (648
// simulations): 45-50 s on two free cores, about 90 s when another job holds one core.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "sim/calibration/calibration.hpp"
#include "sim/engine/engine.hpp"
#include "sim/network/network.hpp"
#include "sim/observation/observation.hpp"
#include "sim/population/population.hpp"
#include "sim/scenario/scenario.hpp"
#include "tests/support/temp_dir.hpp"

namespace redes::calib {
namespace {

constexpr double kPer100kTruth = 1000;  // 40 recruiters among 4,000 persons
constexpr double kIctTruth = 0.4;
constexpr std::uint32_t kTruthSeed = 7;
constexpr std::uint32_t kCalibrationSeed = 11;
const std::vector<int> kYears = {2019, 2020, 2021};

const std::string kScenario = fmt::format(
    "include: {}/scenarios/workshop/small.yaml\n"
    "name: Recovery test\n"
    "override:\n"
    "  population.size: {{value: 4000, assumed: \"test size\"}}\n"
    "  population.represents: {{value: 4000, assumed: \"stand-alone test population\"}}\n"
    "  calendar.years: {{value: 3, assumed: \"2019-2021\"}}\n"
    "  recruitment.recruiters.per_100k: {{value: {}, assumed: \"the truth of the recovery test\"}}\n"
    "  observation.p_ict_recorded: {{value: {}, assumed: \"the truth of the recovery test\"}}\n"
    "  recruitment.fishing.ad_audience: {{value: 10, assumed: \"a thirtieth of the workshop's 300, for speed\"}}\n"
    "  recruitment.fishing.respond_base: {{value: 0.012, assumed: \"thirty times the workshop's 0.0004: the same "
    "replies per ad\"}}\n",
    REDES_SOURCE_DIR, kPer100kTruth, kIctTruth);

// The "recorded" series: (target name, model output).
const std::vector<std::pair<std::string, std::string>> kCaseTargets = {{"police cases", "cases.police"},
                                                                       {"prosecutor cases", "cases.prosecutor"}};
const std::vector<std::pair<std::string, std::string>> kIctTargets = {{"police ICT share", "ict_share.police"},
                                                                      {"prosecutor ICT share", "ict_share.prosecutor"}};

struct Posterior {
  Interval per_100k, ict;
  double seconds = 0;
  std::int64_t simulations = 0;
  std::string stop_reason;
};

/// Calibrates both parameters to `targets` (YAML list items) with the baseline `scenario.yaml` in
/// `dir`; the weighted 5-50-95% posterior quantiles.
Posterior calibrate_to(const redes::testing::TempDir& dir, const std::string& targets, const std::string& name) {
  const std::string file =
      dir.file("calibration-" + name + ".yaml",
               fmt::format("name: recovery-{}\n"
                           "baseline: scenario.yaml\n"
                           "seed: {}\n"
                           "parameters:\n"
                           "  - {{key: recruitment.recruiters.per_100k, prior: loguniform, min: 250, max: 4000}}\n"
                           "  - {{key: observation.p_ict_recorded, prior: uniform, min: 0, max: 1}}\n"
                           "targets:\n{}"
                           "abc: {{particles: 40, rejection_keep: 0.4, generations: 2, quantile: 0.5}}\n",
                           name, kCalibrationSeed, targets));
  const CalibrationSpec spec = load_calibration(file);
  const CalibrationResult res = calibrate(spec);
  const Generation& post = res.abc.posterior();
  Posterior p;
  p.per_100k = {weighted_quantile(post, 0, 0.5), weighted_quantile(post, 0, 0.05), weighted_quantile(post, 0, 0.95)};
  p.ict = {weighted_quantile(post, 1, 0.5), weighted_quantile(post, 1, 0.05), weighted_quantile(post, 1, 0.95)};
  p.seconds = res.seconds;
  p.simulations = res.simulations;
  p.stop_reason = res.abc.stop_reason;
  std::printf(
      "calibration %s: %lld simulations in %.1f s (%s)\n"
      "  per_100k truth %g: median %.4g, 90%% interval %.4g to %.4g\n"
      "  p_ict_recorded truth %g: median %.4g, 90%% interval %.4g to %.4g\n",
      name.c_str(), (long long)p.simulations, p.seconds, p.stop_reason.c_str(), kPer100kTruth, p.per_100k.median,
      p.per_100k.lo, p.per_100k.hi, kIctTruth, p.ict.median, p.ict.lo, p.ict.hi);
  return p;
}

// One test (CTest runs each test in its own process, and the two calibrations are the cost).
TEST(Recovery, TruthInsidePosteriorIntervalAndIntervalNarrowsWithIctTargets) {
  const redes::testing::TempDir dir("redes-recovery");
  const std::string scenario = dir.file("scenario.yaml", kScenario);

  // The data: one run at the truth, as sweep::simulate_run does it, with the truth's own seed.
  const Scenario truth = load_scenario(scenario);
  ASSERT_EQ(truth.recruiters.per_100k, kPer100kTruth);
  ASSERT_EQ(truth.observation.p_ict_recorded, kIctTruth);
  const Population pop = build_population(truth, kTruthSeed);
  const Network net = build_network(truth, pop, kTruthSeed);
  const ReplicateResult run = Simulation(truth, pop, net).run(kTruthSeed, 0);
  const Observed observed = observe(truth, run, Rng(kTruthSeed, 0));
  // Informative data: a few hundred victims, a few recorded cases a year per institution.
  EXPECT_GT(run.victims.size(), 200u);
  EXPECT_LT(run.victims.size(), 800u);
  std::printf("recovery test data (%zu true victims; expected recorded values 2019, 2020, 2021):\n",
              run.victims.size());
  std::string cases, ict;
  for (const auto& [list, targets] : {std::pair{&cases, &kCaseTargets}, std::pair{&ict, &kIctTargets}})
    for (const auto& [name, model] : *targets) {
      Target t;
      t.model = model;
      t.years = kYears;
      const std::vector<double> v = model_values(t, truth, run, observed);
      for (double x : v) EXPECT_GT(x, 1.0) << name;
      std::printf("  %-22s %s\n", name.c_str(), fmt::format("{:.2f}", fmt::join(v, "  ")).c_str());
      *list += fmt::format(
          "  - {{name: {}, model: {}, unit: {}, years: [{}], value: [{}], source: \"run at the truth, seed {}\"}}\n",
          name, model, std::string(model).rfind("cases", 0) == 0 ? "cases" : "victims", fmt::join(kYears, ", "),
          fmt::join(v, ", "), kTruthSeed);
    }

  const Posterior a = calibrate_to(dir, cases, "A (cases)");
  const Posterior b = calibrate_to(dir, cases + ict, "B (cases and ICT shares)");

  // B: both truths inside the 90% interval.
  EXPECT_LE(b.per_100k.lo, kPer100kTruth);
  EXPECT_GE(b.per_100k.hi, kPer100kTruth);
  EXPECT_LE(b.ict.lo, kIctTruth);
  EXPECT_GE(b.ict.hi, kIctTruth);
  // A: the recruiter density's truth inside its interval, which cases alone narrow well inside
  // the prior's 5-95% range (about 287 to 3490 for loguniform on [250, 4000], a ratio of 12).
  EXPECT_LE(a.per_100k.lo, kPer100kTruth);
  EXPECT_GE(a.per_100k.hi, kPer100kTruth);
  EXPECT_LT(a.per_100k.hi / a.per_100k.lo, 4.0);
  // p_ict: cases alone leave it about at its prior (0.05 to 0.95); the ICT-share targets narrow
  // its interval to less than 0.7 times that width.
  const double width_a = a.ict.hi - a.ict.lo, width_b = b.ict.hi - b.ict.lo;
  EXPECT_GT(width_a, 0.6) << "cases alone do not identify the recorded ICT share";
  EXPECT_LT(width_b, 0.7 * width_a);
}

}  // namespace
}  // namespace redes::calib
