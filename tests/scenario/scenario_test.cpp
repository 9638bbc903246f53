// Tests for io/scenario: every shipped scenario loads with strict provenance; scenario-level
// validation errors name the right file, line, column and key; the calendar helpers.
// Invalid scenarios are small temporary files that include the real baseline by absolute path
// and change one thing, so the error must point into the temporary file.
#include "sim/scenario/scenario.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <string>
#include <vector>

#include "sim/core/errors.hpp"
#include "sim/interventions/intervention.hpp"
#include "tests/support/scenario_error.hpp"
#include "tests/support/temp_dir.hpp"

namespace redes {
namespace {

namespace fs = std::filesystem;

const fs::path kScenarios = fs::path(REDES_SOURCE_DIR) / "scenarios";
const std::string kBaseline = (kScenarios / "paraguay" / "baseline.yaml").string();

// --- shipped scenarios -------------------------------------------------------------------------

std::vector<fs::path> yaml_files(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

// A full scenario has a population once composed; the other shipped files are intervention
// files (arms for `redes compare`), which add `interventions:` to a baseline.
bool is_full_scenario(const fs::path& f) { return io::load_scenario_tree(f).find("population") != nullptr; }

TEST(ScenarioShipped, EveryScenarioLoadsWithStrictProvenance) {
  int scenarios = 0;
  for (const char* dir : {"paraguay", "workshop"}) {
    for (const auto& f : yaml_files(kScenarios / dir)) {
      SCOPED_TRACE(f.string());
      try {
        if (!is_full_scenario(f)) continue;
        const Scenario sc = load_scenario(f, true);
        ++scenarios;
        EXPECT_FALSE(sc.name.empty());
        EXPECT_GT(sc.population.size, 0);
        EXPECT_EQ(sc.population.department_share.size(), sc.population.departments.size());
        EXPECT_NO_THROW(build_interventions(sc));
      } catch (const std::exception& e) {
        ADD_FAILURE() << e.what();
      }
    }
  }
  // The baseline, its sample, the pandemic and the workshop's small scenario at least.
  EXPECT_GE(scenarios, 4);
}

TEST(ScenarioShipped, EveryInterventionFileBuildsOnItsBaseline) {
  struct Pack {
    fs::path dir, baseline;
  } packs[] = {{kScenarios / "paraguay" / "interventions", kScenarios / "paraguay" / "baseline.yaml"},
               {kScenarios / "workshop", kScenarios / "workshop" / "small.yaml"}};
  int arms = 0;
  for (const auto& pack : packs) {
    if (!fs::exists(pack.dir)) continue;
    const io::Node base_tree = io::load_scenario_tree(pack.baseline);
    for (const auto& f : yaml_files(pack.dir)) {
      SCOPED_TRACE(f.string());
      try {
        if (is_full_scenario(f)) continue;
        const Arm arm = arm_from_files(base_tree, pack.baseline, f);
        EXPECT_FALSE(arm.scenario.interventions.empty());
        // Shipped effects and costs are distributions with provenance (strict build).
        EXPECT_EQ(build_interventions(arm.scenario, true).size(), arm.scenario.interventions.size());
        ++arms;
      } catch (const std::exception& e) {
        ADD_FAILURE() << e.what();
      }
    }
  }
  EXPECT_GE(arms, 1);
}

TEST(ScenarioShipped, BaselineValuesAreRead) {
  const Scenario sc = load_scenario(kBaseline, true);
  EXPECT_EQ(sc.department_count(), 18);
  EXPECT_EQ(sc.start_date, "2019-01-01");
  EXPECT_EQ(sc.start_year, 2019);
  EXPECT_EQ(sc.days, 5 * 365);
  EXPECT_EQ(sc.years(), 5);
  EXPECT_NEAR(std::accumulate(sc.population.department_share.begin(), sc.population.department_share.end(), 0.0), 1.0,
              1e-3);
  double bands = 0;
  int next = 0;
  for (const auto& b : sc.population.age_bands) {
    EXPECT_EQ(b.lo, next);
    next = b.hi + 1;
    bands += b.share;
  }
  EXPECT_NEAR(bands, 1.0, 1e-3);
  EXPECT_EQ(sc.network.neighbourhood_degree % 2, 0);
  EXPECT_TRUE(sc.platforms[2].enabled);   // whatsapp
  EXPECT_FALSE(sc.platforms[0].enabled);  // offline is not a platform
  EXPECT_EQ(sc.file, fs::path(kBaseline));
  // The workshop scenario overrides the size and keeps the rest.
  const Scenario small = load_scenario(kScenarios / "workshop" / "small.yaml", true);
  EXPECT_EQ(small.population.size, 20000);
  EXPECT_EQ(small.population.department_share, sc.population.department_share);
}

// --- validation errors -------------------------------------------------------------------------

class ScenarioErrors : public ::testing::Test {
 protected:
  /// Writes `body` after an include of the real baseline; returns the file.
  fs::path with_baseline(const std::string& body) { return write("bad.yaml", "include: " + kBaseline + "\n" + body); }
  fs::path write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << text;
    text_ = text;
    return p;
  }
  /// 1-based line and column of the first occurrence of `needle` in the last written file.
  std::pair<int, int> position_of(const std::string& needle) const {
    return redes::testing::position_of(text_, needle);
  }
  template <class F>
  ScenarioError error_of(F&& f) {
    return redes::testing::error_of(std::forward<F>(f));
  }
  ScenarioError load_error(const fs::path& file) {
    return error_of([&] { load_scenario(file); });
  }
  void expect_at(const ScenarioError& e, const fs::path& file, const std::string& needle, const std::string& key_path) {
    redes::testing::expect_error_at(e, file, text_, needle, key_path);
  }
  static bool contains(const ScenarioError& e, const std::string& s) { return redes::testing::contains(e, s); }
  const redes::testing::TempDir tmp_{"redes-scenario"};
  const fs::path& dir_ = tmp_.path;
  std::string text_;
};

TEST_F(ScenarioErrors, TheUnchangedIncludeLoads) {
  const auto f = with_baseline("name: unchanged\n");
  const Scenario sc = load_scenario(f);
  EXPECT_EQ(sc.name, "unchanged");
  EXPECT_EQ(sc.file, f);
}

TEST_F(ScenarioErrors, DepartmentSharesMustAddUpToOne) {
  // 18 departments; these add up to 0.9.
  const auto f = with_baseline(
      "population:\n"
      "  department_share: [0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05,\n"
      "                     0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05]\n");
  const auto e = load_error(f);
  expect_at(e, f, "department_share", "population.department_share");
  EXPECT_TRUE(contains(e, "add up to 1")) << e.what();
  EXPECT_TRUE(contains(e, "add up to 0.9")) << e.what();
}

TEST(IsoDate, OnlyWholeValidDatesParse) {
  const auto d = parse_iso_date("2020-02-29");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(std::chrono::year_month_day(*d), std::chrono::year{2020} / 2 / 29);
  EXPECT_EQ((*parse_iso_date("2020-03-01") - *d).count(), 1);
  for (const char* bad : {"", "2021-02-29", "2020-13-01", "2020-00-10", "2020-1-05", "2020-01-5", "2020-01-01x",
                          "2020/01/01", " 2020-01-01", "+202-01-01", "abcd-ef-gh"})
    EXPECT_FALSE(parse_iso_date(bad).has_value()) << bad;
}

TEST_F(ScenarioErrors, AStartThatIsNotADateNamesTheKey) {
  for (const char* bad : {"2019-02-30", "2019-1-1"}) {
    const auto f = with_baseline(std::string("calendar:\n  start: \"") + bad + "\"\n");
    const auto e = load_error(f);
    expect_at(e, f, "start", "calendar.start");
    EXPECT_TRUE(contains(e, "expected a date YYYY-MM-DD")) << e.what();
  }
}

TEST_F(ScenarioErrors, SharesOfVictimsAbroadMustNotExceedOne) {
  // 0.5 in the capital (baseline) + 0.6 at a border crossing leaves less than nothing at home.
  const auto f = with_baseline("observation:\n  abroad_border_share: 0.6\n");
  const auto e = load_error(f);
  expect_at(e, f, "abroad_border_share", "observation.abroad_border_share");
  EXPECT_TRUE(contains(e, "must not exceed 1")) << e.what();
  // Victims sent to a border crossing need at least one crossing department.
  const auto g =
      with_baseline("observation:\n  border_crossing: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]\n");
  const auto eg = load_error(g);
  expect_at(eg, g, "border_crossing", "observation.border_crossing");
  EXPECT_TRUE(contains(eg, "at least one crossing")) << eg.what();
}

TEST_F(ScenarioErrors, SpecialisedUnitsTakingCasesNeedAUnitInTheCapital) {
  const auto f = with_baseline(
      "observation:\n  specialised_share: 0.3\n"
      "  specialised_units: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]\n");
  const auto e = load_error(f);
  expect_at(e, f, "specialised_share", "observation.specialised_share");
  EXPECT_TRUE(contains(e, "the capital (the first department) has no specialised unit")) << e.what();
  EXPECT_NO_THROW(load_scenario(with_baseline("observation:\n  specialised_share: 0.3\n")));
}

// An identification wave names its period and one factor per institution; one that ends before it
// starts is refused at its key; the Paraguay pandemic layer adds one to the baseline's observation.
TEST_F(ScenarioErrors, IdentificationWavesEndAfterTheyStartAndComposeWithTheBaseline) {
  const auto f = with_baseline(
      "observation:\n  identification_waves:\n    - name: wave\n      start: \"2020-05-01\"\n"
      "      end: \"2020-04-01\"\n      abroad_factor: [1, 1, 2, 1]\n");
  const auto e = load_error(f);
  expect_at(e, f, "end", "observation.identification_waves[0].end");
  EXPECT_TRUE(contains(e, "ends before it starts")) << e.what();
  const auto g = with_baseline(
      "observation:\n  identification_waves:\n    - name: wave\n      start: \"2020-03-01\"\n"
      "      end: \"2020-04-01\"\n      abroad_factor: [1, 1, 2]\n");
  expect_at(load_error(g), g, "[1, 1, 2]", "observation.identification_waves[0].abroad_factor");
  const Scenario pandemic = load_scenario(std::string(REDES_SOURCE_DIR) + "/scenarios/paraguay/pandemic-2020.yaml");
  ASSERT_EQ(pandemic.observation.identification_waves.size(), 1u);
  EXPECT_LT(pandemic.observation.identification_waves[0].start_day,
            pandemic.observation.identification_waves[0].end_day);
  EXPECT_EQ(pandemic.observation.detect,
            load_scenario(std::string(REDES_SOURCE_DIR) + "/scenarios/paraguay/baseline.yaml").observation.detect);
}

TEST_F(ScenarioErrors, VictimAgesAreWholeYearsYoungestFirst) {
  const auto f = with_baseline("recruitment:\n  recruiters:\n    victim_ages: [20, 15]\n");
  const auto e = load_error(f);
  expect_at(e, f, "victim_ages", "recruitment.recruiters.victim_ages");
  EXPECT_TRUE(contains(e, "above the oldest")) << e.what();
  const auto g = with_baseline("recruitment:\n  recruiters:\n    victim_ages: [12.5, 40]\n");
  const auto eg = load_error(g);
  expect_at(eg, g, "victim_ages", "recruitment.recruiters.victim_ages");
  EXPECT_TRUE(contains(eg, "whole years")) << eg.what();
}

TEST_F(ScenarioErrors, AgeBandsMustBeContiguous) {
  const auto f = with_baseline(
      "population:\n"
      "  age_bands:\n"
      "    - {from: 0, to: 14, share: 0.3}\n"
      "    - {from: 16, to: 99, share: 0.7}\n");
  const auto e = load_error(f);
  expect_at(e, f, "from: 16", "population.age_bands[1].from");
  EXPECT_TRUE(contains(e, "contiguous")) << e.what();
  // A band that overlaps the previous one is not contiguous either.
  const auto g = with_baseline(
      "population:\n"
      "  age_bands:\n"
      "    - {from: 0, to: 14, share: 0.3}\n"
      "    - {from: 10, to: 99, share: 0.7}\n");
  expect_at(load_error(g), g, "from: 10", "population.age_bands[1].from");
  // And the first band starts at 0.
  const auto h = with_baseline(
      "population:\n"
      "  age_bands:\n"
      "    - {from: 1, to: 99, share: 1.0}\n");
  expect_at(load_error(h), h, "from: 1", "population.age_bands[0].from");
}

TEST_F(ScenarioErrors, PerDepartmentListOfTheWrongLength) {
  const auto f = with_baseline(
      "population:\n"
      "  urban_share: [0.5, 0.5, 0.5]\n");
  const auto e = load_error(f);
  expect_at(e, f, "[0.5, 0.5, 0.5]", "population.urban_share");
  EXPECT_TRUE(contains(e, "expected 18 numbers, got 3")) << e.what();
  // Also outside the population section: enforcement capacity is per department.
  const auto g = with_baseline(
      "recruitment:\n"
      "  enforcement:\n"
      "    capacity: [1, 1]\n");
  const auto eg = load_error(g);
  expect_at(eg, g, "[1, 1]", "recruitment.enforcement.capacity");
  EXPECT_TRUE(contains(eg, "expected 18 numbers, got 2")) << eg.what();
}

TEST_F(ScenarioErrors, UnknownPlatformName) {
  // A misspelt platform in a file that includes the baseline (where tiktok is already present).
  const auto f = with_baseline(
      "platforms:\n"
      "  tiktk:\n"
      "    use: [0.1, 0.1, 0.1, 0.1]\n");
  const auto e = load_error(f);
  expect_at(e, f, "tiktk", "platforms.tiktk");
  EXPECT_TRUE(contains(e, "unknown key 'tiktk'")) << e.what();
  EXPECT_TRUE(contains(e, "did you mean 'tiktok'?")) << "suggested even though tiktok is present: " << e.what();
  // Where tiktok is not configured at all, the message suggests it too.
  std::string base;
  {
    std::ifstream in(kBaseline);
    base.assign(std::istreambuf_iterator<char>(in), {});
  }
  const auto at = base.find("\n  tiktok:\n");
  ASSERT_NE(at, std::string::npos);
  base.replace(at, std::string("\n  tiktok:\n").size(), "\n  tiktk:\n");
  const auto g = write("standalone.yaml", base);
  const auto eg = load_error(g);
  expect_at(eg, g, "tiktk:", "platforms.tiktk");
  EXPECT_TRUE(contains(eg, "did you mean 'tiktok'?")) << eg.what();
}

TEST_F(ScenarioErrors, NeighbourhoodDegreeMustBeEven) {
  const auto f = with_baseline(
      "network:\n"
      "  neighbourhood:\n"
      "    degree: 5\n");
  const auto e = load_error(f);
  expect_at(e, f, "degree", "network.neighbourhood.degree");
  EXPECT_TRUE(contains(e, "even")) << e.what();
}

TEST_F(ScenarioErrors, CalendarStartMustBeADate) {
  for (const std::string bad : {"next monday", "2019-13-45", "2019-02-29"}) {
    SCOPED_TRACE(bad);
    const auto f = with_baseline(
        "calendar:\n"
        "  start: \"" +
        bad + "\"\n");
    const auto e = load_error(f);
    expect_at(e, f, "start", "calendar.start");
    EXPECT_TRUE(contains(e, "YYYY-MM-DD")) << e.what();
    EXPECT_TRUE(contains(e, "'" + bad + "'")) << e.what();
  }
  // A valid leap day loads.
  const auto ok = with_baseline("calendar:\n  start: \"2020-02-29\"\n");
  EXPECT_EQ(load_scenario(ok).start_year, 2020);
}

TEST_F(ScenarioErrors, UnknownInterventionTypeSuggestsTheRightOne) {
  const auto f = with_baseline(
      "interventions:\n"
      "  - type: awarness_campaign\n"
      "    name: typo\n");
  // Interventions are parsed (by their types, sim/interventions) when the scenario is loaded.
  const auto e = error_of([&] { load_scenario(f); });
  expect_at(e, f, "awarness_campaign", "interventions[0].type");
  EXPECT_TRUE(contains(e, "did you mean 'awareness_campaign'?")) << e.what();
  // Every registered type is listed.
  ASSERT_FALSE(intervention_types().empty());
  for (const auto& t : intervention_types())
    EXPECT_TRUE(contains(e, t.name)) << t.name << " missing from: " << e.what();
  for (const char* name : {"digital_literacy", "awareness_campaign", "caregiver_training", "platform_moderation",
                           "reporting_channel", "enforcement_capacity", "data_protection"})
    EXPECT_TRUE(contains(e, name)) << name << " missing from: " << e.what();
}

// --- calendar ----------------------------------------------------------------------------------

TEST(ScenarioCalendar, YearOfDayAndDayOf) {
  Scenario sc;
  sc.start_date = "2019-01-01";
  EXPECT_EQ(sc.year_of_day(0), 2019);
  EXPECT_EQ(sc.year_of_day(364), 2019);  // 2019-12-31
  EXPECT_EQ(sc.year_of_day(365), 2020);  // 2020-01-01
  EXPECT_EQ(sc.year_of_day(730), 2020);  // 2020-12-31: 2020 has 366 days
  EXPECT_EQ(sc.year_of_day(731), 2021);
  EXPECT_EQ(sc.year_of_day(-1), 2018);
  int day = -99;
  ASSERT_TRUE(sc.day_of("2019-01-01", day));
  EXPECT_EQ(day, 0);
  ASSERT_TRUE(sc.day_of("2020-01-01", day));
  EXPECT_EQ(day, 365);
  ASSERT_TRUE(sc.day_of("2020-02-29", day));
  EXPECT_EQ(day, 365 + 31 + 28);
  ASSERT_TRUE(sc.day_of("2020-12-31", day));
  EXPECT_EQ(day, 730);
  ASSERT_TRUE(sc.day_of("2023-12-31", day));
  EXPECT_EQ(day, 5 * 365);  // 2019-2023 holds one leap day: the last day is day 1825
  ASSERT_TRUE(sc.day_of("2018-12-31", day));
  EXPECT_EQ(day, -1);
  EXPECT_FALSE(sc.day_of("2019-02-29", day));  // 2019 is not a leap year
  EXPECT_FALSE(sc.day_of("31/12/2020", day));
  EXPECT_FALSE(sc.day_of("", day));
  // Another start date.
  sc.start_date = "2020-03-16";
  ASSERT_TRUE(sc.day_of("2021-03-16", day));
  EXPECT_EQ(day, 365);
  EXPECT_EQ(sc.year_of_day(290), 2020);  // 2020-12-31
  EXPECT_EQ(sc.year_of_day(291), 2021);
}

TEST_F(ScenarioErrors, ShockDatesAreDaysFromTheStart) {
  const auto f = with_baseline(
      "shocks:\n"
      "  - name: test shock\n"
      "    start: \"2020-03-16\"\n"
      "    end: \"2021-12-31\"\n");
  const Scenario sc = load_scenario(f);
  ASSERT_EQ(sc.shocks.size(), 1u);
  EXPECT_EQ(sc.shocks[0].start_day, 365 + 31 + 29 + 15);  // 2019 + Jan + Feb 2020 (leap) + 15
  EXPECT_EQ(sc.shocks[0].end_day, 365 + 366 + 364);
  const auto g = with_baseline(
      "shocks:\n"
      "  - name: backwards\n"
      "    start: \"2021-01-01\"\n"
      "    end: \"2020-12-31\"\n");
  const auto e = load_error(g);
  expect_at(e, g, "end:", "shocks[0].end");
  EXPECT_TRUE(contains(e, "ends before it starts")) << e.what();
}

}  // namespace
}  // namespace redes
