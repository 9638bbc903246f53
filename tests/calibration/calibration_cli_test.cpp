// End-to-end tests of `redes calibrate` (REDES_BINARY), in the style of tests/cli/cli_test.cpp: a
// tiny calibration (a 2,000-person workshop scenario over two years, 4 particles, one SMC
// generation) writes the calibration file of sim/output/output_format.md ("Calibration files"), prints
// model estimates, and writes a calibrated scenario that `redes validate --strict` accepts; a
// calibration file with an error exits 2 with file:line:column and writes nothing.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sim/calibration/calibration.hpp"
#include "sim/output/h5.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/yaml_tree.hpp"
#include "tests/support/shell.hpp"
#include "tests/support/temp_dir.hpp"

namespace redes {
namespace {

namespace fs = std::filesystem;

using Result = testing::ShellResult;
using testing::quote;
using testing::slurp;

// Two years of 2,000 persons, fishing ads reaching 10 users a day who reply 30 times as often as
// in the workshop (the same replies per ad, a tenth of the work): each run takes a few hundredths
// of a second.
const std::string kScenario = std::string("include: ") + REDES_SOURCE_DIR + "/scenarios/workshop/small.yaml\n" +
                              "name: Calibration CLI test\n"
                              "override:\n"
                              "  population.size: {value: 2000, assumed: \"test size\"}\n"
                              "  population.represents: {value: 2000, assumed: \"stand-alone test population\"}\n"
                              "  calendar.years: {value: 2, assumed: \"2019-2020\"}\n"
                              "  recruitment.recruiters.per_100k: {value: 400, assumed: \"a few recruiters\"}\n"
                              "  recruitment.fishing.ad_audience: {value: 10, assumed: \"fast test\"}\n"
                              "  recruitment.fishing.respond_base: {value: 0.012, assumed: \"fast test\"}\n";

const std::string kCalibration =
    "name: cli-test\n"
    "baseline: scenario.yaml\n"
    "seed: 3\n"
    "parameters:\n"
    "  - {key: recruitment.recruiters.per_100k, prior: loguniform, min: 100, max: 1000}\n"
    "  - {key: observation.fear, prior: uniform, min: 0.1, max: 0.9}\n"
    "targets:\n"
    "  - {name: police cases, model: cases.police, unit: cases, years: [2019, 2020], value: [2, 3], source: test}\n"
    "  - {name: prosecutor cases, model: cases.prosecutor, unit: cases, years: [2019, 2020], value: [4, 6], source: "
    "test}\n"
    "  - {name: recorded victims, model: recorded_victims, unit: victims, years: [2020], value: [7], source: test}\n"
    "abc: {particles: 4, rejection_keep: 0.5, generations: 1, min_acceptance: 0}\n";

class CalibrationCliTest : public ::testing::Test {
 protected:
  void SetUp() override { std::ofstream(dir_ / "scenario.yaml") << kScenario; }

  /// Runs a shell command line, capturing stdout and stderr.
  Result sh(const std::string& cmd) const { return testing::run_shell(cmd, dir_); }
  Result redes(const std::string& args) const { return sh(quote(REDES_BINARY) + " " + args); }
  fs::path write(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ / name) << text;
    return dir_ / name;
  }

  const redes::testing::TempDir tmp_{"redes-calib-cli"};
  const fs::path& dir_ = tmp_.path;
};

TEST_F(CalibrationCliTest, CalibrateWritesPosteriorFitAndCalibratedScenario) {
  const fs::path calibration = write("calibration.yaml", kCalibration);
  const fs::path out = dir_ / "out" / "calibration.h5", scenario = dir_ / "fitted" / "calibrated.yaml";
  const Result r = redes("calibrate " + quote(calibration.string()) + " -o " + quote(out.string()) +
                         " --write-scenario " + quote(scenario.string()) + " --threads 2");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("MODEL ESTIMATES"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("police cases 2019"), std::string::npos) << "the fit table lists every target point: " << r.out;
  ASSERT_TRUE(fs::exists(out));
  ASSERT_TRUE(fs::exists(scenario));
  for (const auto& d : {out.parent_path(), scenario.parent_path()})
    for (const auto& e : fs::directory_iterator(d))
      EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos) << "temporary file left: " << e.path();

  h5::Reader f(out);
  const std::vector<std::string> keys = {"recruitment.recruiters.per_100k", "observation.fear"};
  // Posterior: theta [particle][parameter], 4 particles, parameters labelled by key.
  ASSERT_TRUE(f.exists("/calibration/posterior/theta"));
  EXPECT_EQ(f.dim_labels("/calibration/posterior/theta"), (std::vector<std::string>{"particle", "parameter"}));
  EXPECT_EQ(f.shape("/calibration/posterior/theta"), (std::vector<std::size_t>{4, 2}));
  EXPECT_EQ(f.scale_labels("/calibration/posterior/theta", 1), keys);
  const auto theta = f.read_double("/calibration/posterior/theta");
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_GE(theta[i * 2], 100);
    EXPECT_LE(theta[i * 2], 1000);
    EXPECT_GE(theta[i * 2 + 1], 0.1);
    EXPECT_LE(theta[i * 2 + 1], 0.9);
  }
  const auto weight = f.read_double("/calibration/posterior/weight");
  ASSERT_EQ(weight.size(), 4u);
  double total = 0;
  for (double w : weight) total += w;
  EXPECT_NEAR(total, 1.0, 1e-12);
  // Generations: rejection + 1 SMC generation (min_acceptance 0: no early stop).
  for (const char* g : {"epsilon", "acceptance", "ess"}) {
    const std::string path = std::string("/calibration/generations/") + g;
    ASSERT_TRUE(f.exists(path)) << path;
    EXPECT_EQ(f.dim_labels(path), (std::vector<std::string>{"generation"})) << path;
    EXPECT_EQ(f.shape(path), (std::vector<std::size_t>{2})) << path;
  }
  const auto eps = f.read_double("/calibration/generations/epsilon");
  EXPECT_LE(eps[1], eps[0]) << "the tolerance does not grow";
  const auto acceptance = f.read_double("/calibration/generations/acceptance");
  EXPECT_DOUBLE_EQ(acceptance[0], 0.5) << "rejection keeps 4 of 8 prior draws";
  // Fit: one entry per target point (2 + 2 + 1), observed as written, model interval ordered.
  const std::vector<double> observed = {2, 3, 4, 6, 7};
  for (const char* d : {"observed", "model_median", "model_q05", "model_q95"}) {
    const std::string path = std::string("/calibration/fit/") + d;
    ASSERT_TRUE(f.exists(path)) << path;
    EXPECT_EQ(f.dim_labels(path), (std::vector<std::string>{"target_point"})) << path;
    EXPECT_EQ(f.shape(path), (std::vector<std::size_t>{observed.size()})) << path;
  }
  EXPECT_EQ(f.read_double("/calibration/fit/observed"), observed);
  EXPECT_EQ(f.scale_labels("/calibration/fit/observed", 0),
            (std::vector<std::string>{"police cases 2019", "police cases 2020", "prosecutor cases 2019",
                                      "prosecutor cases 2020", "recorded victims 2020"}));
  const auto q05 = f.read_double("/calibration/fit/model_q05"), med = f.read_double("/calibration/fit/model_median"),
             q95 = f.read_double("/calibration/fit/model_q95");
  for (std::size_t j = 0; j < observed.size(); ++j) {
    EXPECT_LE(q05[j], med[j]) << j;
    EXPECT_LE(med[j], q95[j]) << j;
  }
  EXPECT_EQ(f.attribute_string("/metadata", "kind"), "calibration");
  EXPECT_EQ(f.attribute_string("/metadata", "calibration_name"), "cli-test");

  // The calibrated scenario validates, also strictly (every parameter has provenance), and holds
  // the posterior medians as `calibrated:` values.
  const Result v = redes("validate " + quote(scenario.string()));
  EXPECT_EQ(v.code, 0) << v.out << v.err;
  EXPECT_NE(v.out.find("valid scenario"), std::string::npos) << v.out;
  const Result strict = redes("validate --strict " + quote(scenario.string()));
  EXPECT_EQ(strict.code, 0) << strict.out << strict.err;
  const auto median = f.read_double("/calibration/summary/median");
  const Scenario sc = load_scenario(scenario, true);
  EXPECT_NEAR(sc.recruiters.per_100k, median[0], 1e-5 * median[0]) << "written with 6 significant digits";
  EXPECT_NEAR(sc.observation.fear, median[1], 1e-5 * median[1]);
  EXPECT_EQ(sc.population.size, 2000);
  const io::Node tree = io::load_scenario_tree(scenario);
  for (const auto& k : keys) EXPECT_NE(io::find_path(tree, k)->find("calibrated"), nullptr) << k;
}

// An unknown model output: exit code 2, stderr names file:line:column and suggests the valid
// output; no calibration file and no scenario are written (everything is checked before any run).
// With several runs per point the distance compares their mean, but the predictive check shows one
// run per particle: the records are one realisation, and a mean over runs would narrow the interval.
TEST_F(CalibrationCliTest, PredictiveCheckUsesOneRunPerParticle) {
  auto calibrate = [&](const std::string& name, int runs) {
    std::string text = kCalibration;
    text.replace(text.find("seed: 3\n"), 8, "seed: 3\nreplicates: " + std::to_string(runs) + "\n");
    const fs::path out = dir_ / (name + ".h5");
    const Result r = redes("calibrate " + quote(write(name + ".yaml", text).string()) + " -o " + quote(out.string()) +
                           " --threads 2");
    EXPECT_EQ(r.code, 0) << r.out << r.err;
    return out;
  };
  const fs::path one = calibrate("one", 1), three = calibrate("three", 3);
  {
    h5::Reader f(one);
    EXPECT_EQ(f.read_double("/calibration/fit/model_one_run"), f.read_double("/calibration/fit/model"))
        << "one run per point: the two are the same";
  }
  h5::Reader f(three);
  EXPECT_EQ(f.attribute_string("/calibration/fit", "runs_per_point"), "3");
  const auto model = f.read_double("/calibration/fit/model"), one_run = f.read_double("/calibration/fit/model_one_run");
  ASSERT_EQ(f.shape("/calibration/fit/model_one_run"), f.shape("/calibration/fit/model"));
  EXPECT_NE(one_run, model) << "a single run differs from the mean of three somewhere";
  // The expected interval is the weighted posterior quantiles of the one-run values (4 particles);
  // the predictive one those of the replicate records, drawn around them (whole counts).
  const auto weight = f.read_double("/calibration/posterior/weight"),
             expected = f.read_double("/calibration/fit/expected_median"),
             median = f.read_double("/calibration/fit/model_median"), record = f.read_double("/calibration/fit/record");
  const std::size_t T = median.size(), M = std::size_t(calib::kRecordDraws);
  ASSERT_EQ(f.shape("/calibration/fit/record"), (std::vector<std::size_t>{weight.size(), M, T}));
  for (std::size_t j = 0; j < T; ++j) {
    double lo = 1e300, hi = -1e300, rlo = 1e300, rhi = -1e300;
    for (std::size_t i = 0; i < weight.size(); ++i) {
      double sum = 0;
      for (std::size_t m = 0; m < M; ++m) {
        const double r = record[(i * M + m) * T + j];
        EXPECT_EQ(r, std::round(r)) << "the targets here are counts";
        sum += r;
        if (weight[i] > 0) rlo = std::min(rlo, r), rhi = std::max(rhi, r);
      }
      // Poisson draws around the particle's expected records: their mean within 5 standard errors.
      const double expect = one_run[i * T + j];
      EXPECT_NEAR(sum / double(M), expect, 5 * std::sqrt(std::max(expect, 1.0) / double(M))) << i << " " << j;
      if (weight[i] > 0) lo = std::min(lo, expect), hi = std::max(hi, expect);
    }
    EXPECT_GE(expected[j], lo) << j;
    EXPECT_LE(expected[j], hi) << j;
    EXPECT_GE(median[j], rlo) << j;
    EXPECT_LE(median[j], rhi) << j;
  }
  const auto mc_lo = f.read_double("/calibration/fit/median_mc_q05"),
             mc_hi = f.read_double("/calibration/fit/median_mc_q95");
  for (std::size_t j = 0; j < T; ++j) EXPECT_LE(mc_lo[j], mc_hi[j]) << j;
  // The tail: the weight of record draws at least as far out as the observed value, on its side of
  // the median, recomputed here from the draws.
  const auto tail = f.read_double("/calibration/fit/tail_probability"),
             observed = f.read_double("/calibration/fit/observed");
  for (std::size_t j = 0; j < T; ++j) {
    double beyond = 0, total = 0;
    for (std::size_t i = 0; i < weight.size(); ++i)
      for (std::size_t m = 0; m < M; ++m) {
        const double r = record[(i * M + m) * T + j];
        total += weight[i];
        if (observed[j] >= median[j] ? r >= observed[j] : r <= observed[j]) beyond += weight[i];
      }
    EXPECT_NEAR(tail[j], beyond / total, 1e-12) << j;
    EXPECT_LE(tail[j], 1.0) << j;
  }
}

TEST_F(CalibrationCliTest, BadCalibrationFileFailsWithPositionAndNoOutput) {
  std::string text = kCalibration;
  const std::string good = "model: cases.prosecutor, unit: cases,";
  text.replace(text.find(good), good.size(), "model: case.prosecutor, unit: cases,");
  const fs::path bad = write("bad.yaml", text);
  const fs::path out_dir = dir_ / "out";
  const fs::path out = out_dir / "bad.h5", scenario = out_dir / "bad-calibrated.yaml";
  const Result r = redes("calibrate " + quote(bad.string()) + " -o " + quote(out.string()) + " --write-scenario " +
                         quote(scenario.string()));
  EXPECT_EQ(r.code, 2) << r.out << r.err;
  // The position of the bad `model:` key in the file.
  const std::size_t at = text.find("model: case.prosecutor");
  const std::size_t line_start = text.rfind('\n', at) + 1;
  const std::string where = ":" +
                            std::to_string(1 + std::count(text.begin(), text.begin() + std::ptrdiff_t(at), '\n')) +
                            ":" + std::to_string(at - line_start + 1) + ":";
  EXPECT_NE(r.err.find(bad.string() + where), std::string::npos) << where << " in " << r.err;
  EXPECT_NE(r.err.find("case.prosecutor"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("did you mean 'cases'"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
  EXPECT_FALSE(fs::exists(scenario));
  if (fs::exists(out_dir))
    for (const auto& e : fs::directory_iterator(out_dir)) ADD_FAILURE() << "left behind: " << e.path();
}

// The seed belongs to the calibration file: `--seed` is refused (exit 1) rather than silently
// ignored, and nothing is written.
TEST_F(CalibrationCliTest, SeedOptionIsRefused) {
  const fs::path calibration = write("calibration.yaml", kCalibration);
  const fs::path out = dir_ / "seeded.h5";
  const Result r = redes("calibrate " + quote(calibration.string()) + " -o " + quote(out.string()) + " --seed 5");
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("set `seed:` in the calibration file"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
}

// History matching then ABC, with the prosecutor's table left out: the file holds the waves and a
// predictive check of every target, the left-out one marked as predicted; the console prints both.
TEST_F(CalibrationCliTest, HistoryMatchingAndLeaveOutWriteWavesAndAPredictiveCheck) {
  std::string text = kCalibration;
  text.replace(text.find("abc:"), 4,
               "history_matching: {waves: 2, design: 8, candidates: 500, use: max}\n"
               "abc:");
  const fs::path calibration = write("calibration.yaml", text);
  const fs::path out = dir_ / "hm.h5";
  const Result r = redes("calibrate " + quote(calibration.string()) + " -o " + quote(out.string()) +
                         " --leave-out 'prosecutor cases' --threads 2");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("history matching"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("left out: predicted"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("posterior predictive check"), std::string::npos) << r.out;
  // Each left-out value says how far the model is, and the tally counts the two prosecutor values.
  EXPECT_NE(r.out.find("median's Monte Carlo range"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("of the predictive distribution"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("of the model median: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" of 2\n"), std::string::npos) << r.out;
  h5::Reader f(out);
  ASSERT_TRUE(f.exists("/calibration/history_matching/nonimplausible_fraction"));
  const auto sims = f.read_double("/calibration/history_matching/simulations");
  ASSERT_GE(sims.size(), 1u);
  EXPECT_EQ(sims[0], 8);
  const auto frac = f.read_double("/calibration/history_matching/nonimplausible_fraction");
  for (double x : frac) EXPECT_TRUE(x > 0 && x <= 1) << x;
  // Leave-one-out diagnostics for each fitted point (police 2, recorded victims 1; prosecutor left out).
  EXPECT_EQ(f.shape("/calibration/history_matching/loo_coverage"), (std::vector<std::size_t>{sims.size(), 3}));
  const auto fitted = f.read_int("/calibration/fit/fitted");
  EXPECT_EQ(fitted, (std::vector<std::int64_t>{1, 1, 0, 0, 1}));
  const auto inside = f.read_int("/calibration/fit/inside");
  const auto obs = f.read_double("/calibration/fit/observed"), lo = f.read_double("/calibration/fit/model_q05"),
             hi = f.read_double("/calibration/fit/model_q95");
  for (std::size_t j = 0; j < obs.size(); ++j) EXPECT_EQ(inside[j], obs[j] >= lo[j] && obs[j] <= hi[j]) << j;
}

}  // namespace
}  // namespace redes
