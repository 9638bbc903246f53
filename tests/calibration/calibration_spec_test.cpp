// Tests of the calibration file (sim/calibration/calibration.hpp): load_calibration errors name
// file:line:column, the key path and what is wrong (with a suggestion where one exists); the shipped
// Paraguay calibration reads the reference numbers of its reference file (null years skipped);
// distance() against values computed by hand; calibrated_scenario_yaml() writes a scenario that
// loads under strict provenance with each fitted key marked `calibrated:`. No simulation runs here.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "sim/calibration/calibration.hpp"
#include "sim/core/errors.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/yaml_tree.hpp"
#include "tests/support/scenario_error.hpp"
#include "tests/support/temp_dir.hpp"

namespace redes::calib {
namespace {

namespace fs = std::filesystem;

const std::string kSource = REDES_SOURCE_DIR;
const std::string kWorkshop = kSource + "/scenarios/workshop/small.yaml";  // 2019-2023, 18 departments

// A reference file of the same shape as scenarios/paraguay/reference (years above the series).
const std::string kReference =
    "police:\n"
    "  source: \"test table\"\n"
    "  unit: cases\n"
    "  years: [2019, 2020, 2021]\n"
    "  cases: [10, null, 30]\n"
    "sex:\n"
    "  source: \"test shares\"\n"
    "  years: [2019, 2020, 2021]\n"
    "  female: [70, 75, 80]\n";

class CalibrationSpecErrors : public ::testing::Test {
 protected:
  CalibrationSpecErrors() : dir_("redes-calib-spec") { dir_.file("reference.yaml", kReference); }

  /// Writes a calibration file: the workshop baseline, the reference file above, `parameters`
  /// (a YAML block; one valid parameter when empty) and `targets` (a YAML block).
  fs::path write(const std::string& targets, const std::string& parameters = "") {
    text_ =
        "name: test\n"
        "baseline: " +
        kWorkshop +
        "\n"
        "reference: reference.yaml\n"
        "parameters:\n" +
        (parameters.empty() ? "  - key: recruitment.recruiters.per_100k\n    min: 10\n    max: 100\n" : parameters) +
        "targets:\n" + targets;
    return dir_.file("calibration.yaml", text_);
  }
  /// 1-based line and column of the first occurrence of `needle` in the last written file.
  std::pair<int, int> position_of(const std::string& needle) const {
    return redes::testing::position_of(text_, needle);
  }
  ScenarioError load_error(const fs::path& file) {
    return redes::testing::error_of([&] { load_calibration(file); });
  }
  /// The error is at `needle` in `file`, names `key_path`, and its text starts with file:line:column.
  void expect_at(const ScenarioError& e, const fs::path& file, const std::string& needle, const std::string& key_path) {
    redes::testing::expect_error_at(e, file, text_, needle, key_path);
  }
  static bool contains(const ScenarioError& e, const std::string& s) { return redes::testing::contains(e, s); }

  redes::testing::TempDir dir_;
  std::string text_;
};

// A valid file of the same form loads: the error tests below each change one thing.
TEST_F(CalibrationSpecErrors, TheValidFormLoads) {
  const auto f = write(
      "  - name: police cases\n"
      "    model: cases.police\n"
      "    unit: cases\n"
      "    reference: police.cases\n");
  const CalibrationSpec s = load_calibration(f);
  ASSERT_EQ(s.targets.size(), 1u);
  EXPECT_EQ(s.targets[0].years, (std::vector<int>{2019, 2021})) << "2020 is null in the reference";
  EXPECT_EQ(s.targets[0].source, "reference.yaml: police.cases (test table)");
}

TEST_F(CalibrationSpecErrors, ATargetWithoutAUnitIsRefused) {
  const auto f = write(
      "  - name: police cases\n"
      "    model: cases.police\n"
      "    reference: police.cases\n");
  const auto e = load_error(f);
  EXPECT_EQ(e.key_path(), "targets[0].unit");
  EXPECT_TRUE(contains(e, "unit")) << e.what();
}

// A share may say how many records it is of; a count may not (it is the number of records).
TEST_F(CalibrationSpecErrors, OnlyAShareHasADenominator) {
  auto f = write(
      "  - name: female share\n"
      "    model: female_share.prosecutor\n"
      "    unit: victims\n"
      "    value: [75]\n"
      "    source: \"test\"\n"
      "    denominator: 120\n");
  EXPECT_DOUBLE_EQ(load_calibration(f).targets[0].denominator, 120);
  f = write(
      "  - name: police cases\n"
      "    model: cases.police\n"
      "    unit: cases\n"
      "    reference: police.cases\n"
      "    denominator: 120\n");
  const auto e = load_error(f);
  expect_at(e, f, "denominator", "targets[0].denominator");
  EXPECT_TRUE(contains(e, "only a share")) << e.what();
}

TEST_F(CalibrationSpecErrors, CasesAreNotComparedWithVictims) {
  // The model output counts victims, the target cases.
  auto f = write(
      "  - name: police cases\n"
      "    model: victims.police\n"
      "    unit: cases\n"
      "    reference: police.cases\n");
  auto e = load_error(f);
  expect_at(e, f, "unit: cases", "targets[0].unit");
  EXPECT_TRUE(contains(e, "counts victims")) << e.what();
  // The reference table counts cases, the target victims.
  f = write(
      "  - name: police victims\n"
      "    model: victims.police\n"
      "    unit: victims\n"
      "    reference: police.cases\n");
  e = load_error(f);
  EXPECT_TRUE(contains(e, "counts cases, not victims")) << e.what();
  // A reference table that does not say what it counts.
  f = write(
      "  - name: female share\n"
      "    model: female_share.prosecutor\n"
      "    unit: victims\n"
      "    reference: sex.female\n");
  e = load_error(f);
  expect_at(e, f, "reference: sex.female", "targets[0].reference");
  EXPECT_TRUE(contains(e, "does not say what it counts")) << e.what();
}

TEST_F(CalibrationSpecErrors, NewProfileOutputsAndLeaveOutByGroup) {
  const auto f = write(
      "  - {name: police cases, group: t6, model: cases.police, unit: cases, reference: police.cases}\n"
      "  - {name: minors, model: minor_share.prosecutor, unit: victims, value: [67], source: test, spread: 15}\n"
      "  - {name: close bond, model: close_bond_share.women_ministry, unit: victims, value: [88.1], source: test}\n");
  CalibrationSpec s = load_calibration(f);
  ASSERT_EQ(s.targets.size(), 3u);
  EXPECT_EQ(s.targets[1].points.size(), 1u);  // one figure over the whole window
  EXPECT_TRUE(s.targets[1].years.empty());
  EXPECT_EQ(s.targets[2].unit, Unit::Victims);
  leave_out(s, {"t6"});
  EXPECT_FALSE(s.targets[0].fitted);
  EXPECT_TRUE(s.targets[1].fitted);
  // Left-out targets do not count in the distance.
  std::vector<std::vector<double>> model = {{1000, 1000}, {67}, {88.1}};
  EXPECT_DOUBLE_EQ(distance(s.targets, model), 0.0);
  EXPECT_THROW(leave_out(s, {"t7"}), std::invalid_argument);
  EXPECT_THROW(leave_out(s, {"minors", "close bond"}), std::invalid_argument);  // nothing left to fit
}

TEST_F(CalibrationSpecErrors, UnknownModelOutputSuggestsTheClosest) {
  const auto f = write(
      "  - name: police cases\n"
      "    model: case.police\n"
      "    unit: cases\n"
      "    reference: police.cases\n");
  const auto e = load_error(f);
  expect_at(e, f, "model: case.police", "targets[0].model");
  EXPECT_TRUE(contains(e, "unknown model output 'case.police'")) << e.what();
  EXPECT_TRUE(contains(e, "did you mean 'cases'")) << e.what();
}

TEST_F(CalibrationSpecErrors, UnknownInstitutionListsTheValidOnes) {
  const auto f = write(
      "  - name: police cases\n"
      "    model: cases.polic\n"
      "    unit: cases\n"
      "    reference: police.cases\n");
  const auto e = load_error(f);
  expect_at(e, f, "model: cases.polic", "targets[0].model");
  EXPECT_TRUE(contains(e, "unknown institution 'polic'")) << e.what();
  EXPECT_TRUE(contains(e, "prosecutor, police, childhood_ministry, women_ministry")) << e.what();
}

TEST_F(CalibrationSpecErrors, UnknownDepartmentSuggestsTheClosest) {
  const auto f = write(
      "  - name: police cases\n"
      "    model: cases.police\n"
      "    unit: cases\n"
      "    reference: police.cases\n"
      "  - name: Asuncion cases\n"
      "    model: cases.prosecutor.department.Asuncon\n"
      "    unit: cases\n"
      "    reference: police.cases\n");
  const auto e = load_error(f);
  expect_at(e, f, "model: cases.prosecutor.department.Asuncon", "targets[1].model");
  EXPECT_TRUE(contains(e, "no department 'Asuncon'")) << e.what();
  EXPECT_TRUE(contains(e, "did you mean 'Asuncion'")) << e.what();
}

// A parameter key that is not in the baseline: the error is at the parameter and names the key
// path, with apply_override's explanation and suggestion.
TEST_F(CalibrationSpecErrors, ParameterKeyMissingFromTheScenario) {
  const auto f = write(
      "  - name: police cases\n"
      "    model: cases.police\n"
      "    unit: cases\n"
      "    reference: police.cases\n",
      "  - key: recruitment.recruiters.per_100\n"
      "    min: 10\n"
      "    max: 100\n");
  const auto e = load_error(f);
  expect_at(e, f, "key: recruitment.recruiters.per_100", "recruitment.recruiters.per_100");
  EXPECT_TRUE(contains(e, "no key 'per_100' in 'recruitment.recruiters'")) << e.what();
  EXPECT_TRUE(contains(e, "did you mean 'per_100k'")) << e.what();
}

TEST_F(CalibrationSpecErrors, MinMustBeBelowMax) {
  const auto f = write(
      "  - name: police cases\n"
      "    model: cases.police\n"
      "    unit: cases\n"
      "    reference: police.cases\n",
      "  - key: recruitment.recruiters.per_100k\n"
      "    min: 50\n"
      "    max: 50\n");
  const auto e = load_error(f);
  expect_at(e, f, "max: 50", "parameters[0].max");
  EXPECT_TRUE(contains(e, "max (50) must be greater than min (50)")) << e.what();
}

// Both ends of a prior must make a valid scenario: a probability cannot reach 1.5.
TEST_F(CalibrationSpecErrors, PriorBoundsMustMakeAValidScenario) {
  const auto f = write(
      "  - name: police cases\n"
      "    model: cases.police\n"
      "    unit: cases\n"
      "    reference: police.cases\n",
      "  - key: observation.p_ict_recorded\n"
      "    min: 0.1\n"
      "    max: 1.5\n");
  const auto e = load_error(f);
  EXPECT_EQ(e.where().file, f.string()) << e.what();
  EXPECT_EQ(e.where().line, position_of("key: observation.p_ict_recorded").first) << e.what();
  EXPECT_NE(e.key_path().find("observation.p_ict_recorded"), std::string::npos) << e.what();
  EXPECT_TRUE(contains(e, "1.5")) << e.what();
}

TEST_F(CalibrationSpecErrors, YearsOutsideTheSimulatedPeriod) {
  const auto f = write(
      "  - name: police cases\n"
      "    model: cases.police\n"
      "    unit: cases\n"
      "    years: [2018, 2019]\n"
      "    value: [4, 5]\n"
      "    source: test\n");
  const auto e = load_error(f);
  expect_at(e, f, "years: [2018", "targets[0].years");
  EXPECT_TRUE(contains(e, "2018 is outside the simulated years 2019-2023")) << e.what();
}

TEST_F(CalibrationSpecErrors, ReferencePathMissingFromTheReferenceFile) {
  const auto f = write(
      "  - name: police cases\n"
      "    model: cases.police\n"
      "    unit: cases\n"
      "    reference: police.casez\n");
  const auto e = load_error(f);
  expect_at(e, f, "reference: police.casez", "targets[0].reference");
  EXPECT_TRUE(contains(e, "no 'police.casez' in reference.yaml")) << e.what();
}

TEST_F(CalibrationSpecErrors, ValueCountMustMatchYears) {
  const auto f = write(
      "  - name: police cases\n"
      "    model: cases.police\n"
      "    unit: cases\n"
      "    years: [2019, 2020]\n"
      "    value: [4, 5, 6]\n"
      "    source: test\n");
  const auto e = load_error(f);
  expect_at(e, f, "value: [4, 5, 6]", "targets[0].value");
  EXPECT_TRUE(contains(e, "3 value(s) for 2 year(s)")) << e.what();
}

// apply_to (the scenario the calibrated scenario includes) is checked before any run: the file
// must exist and hold every fitted key. Before this check a missing file failed only after the
// whole calibration, when the calibrated scenario was written.
TEST_F(CalibrationSpecErrors, ApplyToMustExistAndHoldTheFittedKeys) {
  const std::string targets =
      "  - name: police cases\n"
      "    model: cases.police\n"
      "    unit: cases\n"
      "    reference: police.cases\n";
  write(targets);
  text_.insert(text_.find("reference: reference.yaml"), "apply_to: missing.yaml\n");
  const auto f = dir_.file("calibration.yaml", text_);
  const auto e = load_error(f);
  expect_at(e, f, "apply_to: missing.yaml", "apply_to");
  EXPECT_TRUE(contains(e, "no scenario file")) << e.what();

  dir_.file("elsewhere.yaml", "name: a scenario that leaves every key at its default\n");
  write(targets);
  text_.insert(text_.find("reference: reference.yaml"), "apply_to: elsewhere.yaml\n");
  const auto g = dir_.file("calibration.yaml", text_);
  const auto e2 = load_error(g);
  expect_at(e2, g, "key: recruitment.recruiters.per_100k", "recruitment.recruiters.per_100k");
  EXPECT_TRUE(contains(e2, "apply_to scenario elsewhere.yaml")) << e2.what();
}

TEST_F(CalibrationSpecErrors, UnknownTargetKeySuggestsTheClosest) {
  const auto f = write(
      "  - name: police cases\n"
      "    model: cases.police\n"
      "    unit: cases\n"
      "    reference: police.cases\n"
      "    wieght: 2\n");
  const auto e = load_error(f);
  expect_at(e, f, "wieght: 2", "targets[0].wieght");
  EXPECT_TRUE(contains(e, "weight")) << e.what();
}

// ---- the shipped Paraguay calibration ----

TEST(CalibrationSpec, ParaguayCalibrationReadsTheReferenceTables) {
  const CalibrationSpec s = load_calibration(kSource + "/scenarios/paraguay/calibration.yaml");
  ASSERT_GE(s.parameters.size(), 8u);  // the "at least 8 parameters fitted together"
  EXPECT_EQ(s.parameters[0].key, "recruitment.recruiters.per_100k");
  EXPECT_EQ(s.priors[0].kind, Prior::Kind::LogUniform);
  const auto fear =
      std::find_if(s.parameters.begin(), s.parameters.end(), [](const auto& p) { return p.key == "observation.fear"; });
  ASSERT_NE(fear, s.parameters.end());
  EXPECT_EQ(s.priors[std::size_t(fear - s.parameters.begin())].kind, Prior::Kind::Uniform);
  EXPECT_TRUE(s.history_matching);
  for (const auto& t : s.targets) EXPECT_FALSE(t.group.empty()) << t.name;
  EXPECT_EQ(s.baseline.filename(), "calibration-sample-1-20.yaml");
  auto target = [&](const std::string& model) -> const Target& {
    for (const auto& t : s.targets)
      if (t.model == model) return t;
    ADD_FAILURE() << "no target " << model;
    return s.targets.front();
  };
  // Table 6 (police): 2020-2023 = 45, 44, 49, 20; a count's spread is its square root.
  const Target& police = target("cases.police");
  EXPECT_EQ(police.years, (std::vector<int>{2020, 2021, 2022, 2023}));
  const std::vector<double> police_cases = {45, 44, 49, 20};
  ASSERT_EQ(police.points.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(police.points[i].observed, police_cases[i]);
    EXPECT_DOUBLE_EQ(police.points[i].spread, std::sqrt(police_cases[i]));
  }
  EXPECT_EQ(police.points[0].label, "police cases 2020");
  EXPECT_NE(police.source.find("National Police"), std::string::npos) << police.source;
  // Table 5 national totals: 114, 82, (2022 not reported), 68.
  const Target& prosecutor = target("cases.prosecutor");
  EXPECT_EQ(prosecutor.years, (std::vector<int>{2020, 2021, 2023}));
  ASSERT_EQ(prosecutor.points.size(), 3u);
  EXPECT_EQ(prosecutor.points[0].observed, 114);
  EXPECT_EQ(prosecutor.points[1].observed, 82);
  EXPECT_EQ(prosecutor.points[2].observed, 68);
  // Table 4: female share, spread as written (10 points).
  const Target& female = target("female_share.prosecutor");
  ASSERT_EQ(female.points.size(), 4u);
  EXPECT_DOUBLE_EQ(female.points[0].observed, 71.9);
  EXPECT_DOUBLE_EQ(female.points[3].observed, 62.1);
  EXPECT_EQ(female.points[0].spread, 10);
  // A value written out: one number over the horizon, no years.
  const Target& platform = target("platform_share.women_ministry.whatsapp+facebook");
  ASSERT_EQ(platform.points.size(), 1u);
  EXPECT_TRUE(platform.years.empty());
  EXPECT_DOUBLE_EQ(platform.points[0].observed, 11.9);
  EXPECT_EQ(platform.points[0].spread, 5);
  EXPECT_EQ(platform.denominator, 201) << "24 of 201 women assisted";
  EXPECT_TRUE(std::isnan(female.denominator)) << "Table 4 does not say how many victims its shares are of";
}

// Asking for 2022, where Table 5 says "n/a" (null), skips that year rather than failing.
TEST(CalibrationSpec, NullReferenceYearsAreSkipped) {
  redes::testing::TempDir dir("redes-calib-null");
  const auto f = dir.file("calibration.yaml", "baseline: " + kSource +
                                                  "/scenarios/paraguay/calibration-sample.yaml\n"
                                                  "reference: " +
                                                  kSource +
                                                  "/scenarios/paraguay/reference/paraguay-targets.yaml\n"
                                                  "parameters:\n"
                                                  "  - {key: observation.fear, min: 0.1, max: 0.9}\n"
                                                  "targets:\n"
                                                  "  - name: prosecutor cases\n"
                                                  "    model: cases.prosecutor\n"
                                                  "    unit: cases\n"
                                                  "    reference: prosecutor_cases_by_department.national_total\n"
                                                  "    years: [2020, 2021, 2022, 2023]\n"
                                                  "  - name: Asuncion\n"
                                                  "    model: cases.prosecutor.department.Asuncion\n"
                                                  "    unit: cases\n"
                                                  "    reference: prosecutor_cases_by_department.departments.Asuncion\n"
                                                  "    years: [2020, 2021, 2022, 2023]\n");
  const CalibrationSpec s = load_calibration(f);
  ASSERT_EQ(s.targets.size(), 2u);
  EXPECT_EQ(s.targets[0].years, (std::vector<int>{2020, 2021, 2023}));
  ASSERT_EQ(s.targets[0].points.size(), 3u);
  EXPECT_EQ(s.targets[0].points[2].observed, 68);
  EXPECT_EQ(s.targets[0].points[2].label, "prosecutor cases 2023");
  EXPECT_EQ(s.targets[1].years, (std::vector<int>{2020, 2021, 2023})) << "2022 is null";
  EXPECT_EQ(s.targets[1].points[0].observed, 55);
}

// ---- distance ----

Target target_of(std::vector<std::pair<double, double>> observed_spread, double weight = 1) {
  Target t;
  t.weight = weight;
  for (const auto& [o, s] : observed_spread) t.points.push_back({"p", o, s});
  return t;
}

// distance = sqrt(sum_t w_t sum_i z_ti^2 / sum_t w_t n_t), z = (model - observed) / spread.
TEST(CalibrationSpec, DistanceIsTheWeightedRootMeanSquareOfStandardisedDifferences) {
  const std::vector<Target> one = {target_of({{10, 2}, {20, 4}})};
  EXPECT_EQ(distance(one, {{10, 20}}), 0.0);
  EXPECT_DOUBLE_EQ(distance(one, {{12, 20}}), std::sqrt(1.0 / 2));        // z = 1, 0
  EXPECT_DOUBLE_EQ(distance(one, {{12, 28}}), std::sqrt((1.0 + 4) / 2));  // z = 1, 2
  EXPECT_DOUBLE_EQ(distance(one, {{8, 12}}), std::sqrt((1.0 + 4) / 2));   // the sign does not matter
  EXPECT_LT(distance(one, {{11, 20}}), distance(one, {{12, 20}}));        // grows with the difference
  // Weights: target A (weight 1, z = 2) and target B (weight 3, z = 1): sqrt((4 + 3) / 4).
  const std::vector<Target> two = {target_of({{10, 2}}, 1), target_of({{5, 1}}, 3)};
  EXPECT_DOUBLE_EQ(distance(two, {{14}, {6}}), std::sqrt(7.0 / 4));
  // A weight of 0 drops a target; no points at all is distance 0.
  const std::vector<Target> dropped = {target_of({{10, 2}}, 1), target_of({{5, 1}}, 0)};
  EXPECT_DOUBLE_EQ(distance(dropped, {{14}, {100}}), 2.0);
  EXPECT_EQ(distance({}, {}), 0.0);
  // A share with no case to take it of (NaN) is infinitely far: abc_smc treats NaN so.
  EXPECT_TRUE(std::isnan(distance(one, {{std::numeric_limits<double>::quiet_NaN(), 20}})));
}

// `replicates: R` runs per parameter point: a count is the mean over the runs, a share is of the
// pooled counts (here 12 women among 40 victims, 30%, not the mean of 90% and 10%).
TEST(CalibrationSpec, SeveralRunsPerPointGiveTheMeanCountAndThePooledShare) {
  const Scenario sc = load_scenario(std::string(REDES_SOURCE_DIR) + "/scenarios/workshop/small.yaml");
  const std::size_t nd = std::size_t(sc.department_count());
  const int years = sc.year_of_day(sc.days - 1) - sc.start_year + 1;
  auto run = [&](double victims, double women) {
    Observed o;
    o.years = years;
    o.departments = int(nd);
    o.expected_cases.assign(std::size_t(years) * kInstitutions * nd, 0.0);
    o.expected_case_files = o.expected_cases;
    o.expected_female.assign(std::size_t(years) * kInstitutions, 0.0);
    o.expected_cases[0] = victims;  // first year, prosecutor (institution 0), first department
    o.expected_female[0] = women;
    return o;
  };
  const std::vector<Observed> runs = {run(10, 9), run(30, 3)};
  Target count, share;
  count.model = "victims.prosecutor";
  share.model = "female_share.prosecutor";
  count.years = share.years = {sc.start_year};
  const double scale = sc.population.represents / double(sc.population.size);
  EXPECT_DOUBLE_EQ(model_values(count, sc, runs)[0], scale * 20.0);
  EXPECT_DOUBLE_EQ(model_values(share, sc, runs)[0], 30.0);
  // One run is that run's values.
  EXPECT_DOUBLE_EQ(model_values(count, sc, std::span<const Observed>(runs.data(), 1))[0], scale * 10.0);
  EXPECT_DOUBLE_EQ(model_values(share, sc, std::span<const Observed>(runs.data() + 1, 1))[0], 10.0);
  // What a share is of: the recorded victims, scaled, mean over runs; a count has none.
  std::vector<double> den;
  model_values(share, sc, runs, &den);
  ASSERT_EQ(den.size(), 1u);
  EXPECT_DOUBLE_EQ(den[0], scale * 20.0);
  model_values(count, sc, runs, &den);
  ASSERT_EQ(den.size(), 1u);
  EXPECT_TRUE(std::isnan(den[0]));
}

// A replicate record: a count is Poisson around the expected count (mean and variance 40), a share
// k of n with n ~ Poisson(200), k ~ Binomial(n, 0.3): mean 30%, variance about 1e4 p (1 - p) / 200
// = 10.5 points^2 (E[1/n] = 1/200 to 0.5%); of a fixed 201 records, Binomial(201, 0.12) whatever
// the model's own count. 20,000 draws, fixed seed: the mean's tolerance is
// 4 standard errors, the variance's 5% (its standard error is about 1%).
TEST(CalibrationSpec, ReplicateRecordDrawsPoissonCountsAndBinomialShares) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const int n = 20000;
  std::vector<double> counts, shares, fixed;
  for (int i = 0; i < n; ++i) {
    Draws d(Rng(11, 0), std::uint32_t(i), 0, Stream::CalibrationRecord);
    const auto r = replicate_record({40.0, 30.0, nan, 30.0}, {nan, 200.0, nan, 0.0}, nan, d);
    ASSERT_EQ(r.size(), 4u);
    // With the reference's own count of records, a share is k of exactly that many.
    Draws d201(Rng(11, 0), std::uint32_t(i), 1, Stream::CalibrationRecord);
    const double of201 = replicate_record({12.0}, {15.0}, 201, d201)[0] * 201 / 100;
    EXPECT_NEAR(of201, std::round(of201), 1e-9) << "a whole number of the 201";
    fixed.push_back(of201 / 201 * 100);
    EXPECT_EQ(r[0], std::round(r[0])) << "a count is whole";
    EXPECT_TRUE(std::isnan(r[2])) << "no model value, no record";
    EXPECT_TRUE(std::isnan(r[3])) << "a share of no record";
    counts.push_back(r[0]), shares.push_back(r[1]);
  }
  auto mean_var = [](const std::vector<double>& x) {
    double m = 0, v = 0;
    for (double a : x) m += a;
    m /= double(x.size());
    for (double a : x) v += (a - m) * (a - m);
    return std::pair{m, v / double(x.size() - 1)};
  };
  const auto [cm, cv] = mean_var(counts);
  EXPECT_NEAR(cm, 40.0, 4 * std::sqrt(40.0 / n));
  EXPECT_NEAR(cv, 40.0, 0.05 * 40.0);
  const auto [sm, sv] = mean_var(shares);
  const double share_var = 1e4 * 0.3 * 0.7 / 200;
  EXPECT_NEAR(sm, 30.0, 4 * std::sqrt(share_var / n));
  EXPECT_NEAR(sv, share_var, 0.05 * share_var);
  const auto [fm, fv] = mean_var(fixed);  // Binomial(201, 0.12): variance 1e4 p (1 - p) / 201 exactly
  const double fixed_var = 1e4 * 0.12 * 0.88 / 201;
  EXPECT_NEAR(fm, 12.0, 4 * std::sqrt(fixed_var / n));
  EXPECT_NEAR(fv, fixed_var, 0.05 * fixed_var);
}

// ---- the calibrated scenario ----

/// A posterior of three equally weighted particles: weighted median = the middle one.
CalibrationResult three_particles(const std::vector<std::vector<double>>& theta) {
  CalibrationResult res;
  Generation g;
  g.theta = theta;
  g.weight.assign(theta.size(), 1.0 / double(theta.size()));
  g.distance.assign(theta.size(), 0.5);
  g.id = {0, 1, 2};
  res.abc.generations.push_back(g);
  res.abc.stop_reason = "generations done";
  res.simulations = 3;
  return res;
}

// The Paraguay calibration fits on the 1:25 sample and applies the values to the full baseline
// (apply_to): the written scenario includes baseline.yaml, loads with strict provenance, has the
// posterior medians, and each fitted key carries `calibrated:` with the interval and the file.
TEST(CalibrationSpec, CalibratedScenarioLoadsStrictWithCalibratedProvenance) {
  const CalibrationSpec s = load_calibration(kSource + "/scenarios/paraguay/calibration.yaml");
  ASSERT_FALSE(s.parameters.empty());
  // Particles at 1/4, 1/2 and 3/4 of each prior range: the weighted median is the middle one.
  std::vector<std::vector<double>> theta(3);
  for (std::size_t i = 0; i < 3; ++i)
    for (const auto& p : s.parameters) theta[i].push_back(p.lo + 0.25 * double(i + 1) * (p.hi - p.lo));
  const CalibrationResult res = three_particles(theta);
  redes::testing::TempDir dir("redes-calib-write");
  const fs::path out = dir.path / "sub" / "calibrated.yaml";
  fs::create_directories(out.parent_path());
  dir.file("sub/calibrated.yaml", calibrated_scenario_yaml(s, res, out, dir.path / "calibration.h5"));

  const Scenario sc = load_scenario(out, /*strict_provenance=*/true);
  const Scenario full = load_scenario(kSource + "/scenarios/paraguay/baseline.yaml");
  EXPECT_EQ(sc.population.size, full.population.size) << "apply_to: the full-size baseline";
  EXPECT_NE(sc.name.find("(calibrated)"), std::string::npos) << sc.name;
  const io::Node tree = io::load_scenario_tree(out);
  for (std::size_t k = 0; k < s.parameters.size(); ++k) {
    const auto& p = s.parameters[k];
    SCOPED_TRACE(p.key);
    const io::Node* n = io::find_path(tree, p.key);
    ASSERT_NE(n, nullptr);
    if (p.key.back() == ']') {  // a list item has no room for provenance: bare value, note in a comment
      ASSERT_TRUE(n->is_scalar());
      EXPECT_DOUBLE_EQ(std::stod(n->scalar), std::stod(fmt::format("{:.6g}", theta[1][k])));
      continue;
    }
    ASSERT_TRUE(n->is_map()) << "written bare";
    ASSERT_NE(n->find("value"), nullptr);
    EXPECT_DOUBLE_EQ(std::stod(n->find("value")->scalar), std::stod(fmt::format("{:.6g}", theta[1][k])));
    const io::Node* note = n->find("calibrated");
    ASSERT_NE(note, nullptr) << "no calibrated: provenance";
    EXPECT_EQ(n->find("source"), nullptr);
    EXPECT_EQ(n->find("assumed"), nullptr);
    // The note gives the weighted 5-95% range of the particles, the targets and the file.
    const double lo = weighted_quantile(res.abc.posterior(), k, 0.05),
                 hi = weighted_quantile(res.abc.posterior(), k, 0.95);
    EXPECT_NE(note->scalar.find(fmt::format("90% interval {:.4g} to {:.4g}", lo, hi)), std::string::npos)
        << note->scalar;
    EXPECT_NE(note->scalar.find("calibration.h5"), std::string::npos) << note->scalar;
    EXPECT_NE(note->scalar.find(s.targets.front().name), std::string::npos) << "names the targets: " << note->scalar;
  }
  // The values reach the scenario.
  for (std::size_t k = 0; k < s.parameters.size(); ++k) {
    if (s.parameters[k].key == "recruitment.recruiters.per_100k") {
      EXPECT_NEAR(sc.recruiters.per_100k, theta[1][k], 1e-5 * theta[1][k]);
    } else if (s.parameters[k].key == "observation.fear") {
      EXPECT_NEAR(sc.observation.fear, theta[1][k], 1e-5);
    }
  }
}

// Without apply_to the calibrated scenario includes the calibrated baseline itself.
TEST(CalibrationSpec, CalibratedScenarioIncludesTheBaselineByDefault) {
  redes::testing::TempDir dir("redes-calib-default");
  const auto f =
      dir.file("calibration.yaml",
               "baseline: " + kWorkshop +
                   "\n"
                   "parameters:\n"
                   "  - {key: recruitment.recruiters.per_100k, min: 10, max: 100}\n"
                   "targets:\n"
                   "  - {name: police, model: cases.police, unit: cases, years: [2019], value: [3], source: test}\n");
  const CalibrationSpec s = load_calibration(f);
  const CalibrationResult res = three_particles({{20}, {40}, {60}});
  const fs::path out = dir.path / "calibrated.yaml";
  dir.file("calibrated.yaml", calibrated_scenario_yaml(s, res, out, dir.path / "c.h5"));
  const Scenario sc = load_scenario(out);
  const Scenario base = load_scenario(kWorkshop);
  EXPECT_EQ(sc.recruiters.per_100k, 40);
  EXPECT_EQ(sc.population.size, base.population.size);
  EXPECT_NE(io::find_path(io::load_scenario_tree(out), "recruitment.recruiters.per_100k")->find("calibrated"), nullptr);
}

}  // namespace
}  // namespace redes::calib
