// Tests for engine/compare (paired comparison of arms) and `redes compare` end to end: the t
// interval against hand-computed values, compare_arms on small made-up outcomes, and a compare run
// whose printed figures must all be in the HDF5 file, consistent with the arms' own summaries.
#include "sim/engine/compare.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include "sim/core/labels.hpp"
#include "sim/output/h5.hpp"
#include "sim/scenario/scenario.hpp"
#include "tests/support/temp_dir.hpp"

namespace redes {
namespace {

namespace fs = std::filesystem;

// ---- mean_interval ------------------------------------------------------------------------------

TEST(CompareMeanInterval, MatchesAHandComputedTInterval) {
  // {1, 2, 3, 4, 5}: mean 3, sample variance 2.5, standard error sqrt(2.5 / 5) = sqrt(0.5);
  // t(0.975, 4 df) = 2.7764451051977987 (tables) -> half width 1.9632432...
  const Interval a = mean_interval({1, 2, 3, 4, 5});
  const double half = 2.7764451051977987 * std::sqrt(0.5);
  EXPECT_DOUBLE_EQ(a.mean, 3.0);
  EXPECT_NEAR(a.lo, 3.0 - half, 1e-9);
  EXPECT_NEAR(a.hi, 3.0 + half, 1e-9);
  EXPECT_NEAR(half, 1.96324, 1e-5);
  // {0, 2}: mean 1, standard error 1, t(0.975, 1 df) = 12.706204736174707.
  const Interval b = mean_interval({0, 2});
  EXPECT_DOUBLE_EQ(b.mean, 1.0);
  EXPECT_NEAR(b.lo, 1.0 - 12.706204736174707, 1e-9);
  EXPECT_NEAR(b.hi, 1.0 + 12.706204736174707, 1e-9);
  // {-4, 1, 6}: mean 1, sample variance 25, se = 5 / sqrt(3); t(0.975, 2 df) = 4.302652729749464.
  const Interval c = mean_interval({-4, 1, 6});
  EXPECT_NEAR(c.lo, 1.0 - 4.302652729749464 * 5 / std::sqrt(3.0), 1e-9);
  EXPECT_NEAR(c.hi, 1.0 + 4.302652729749464 * 5 / std::sqrt(3.0), 1e-9);
}

TEST(CompareMeanInterval, DegenerateSamples) {
  const Interval none = mean_interval({});
  EXPECT_EQ(none.mean, 0.0);
  EXPECT_EQ(none.lo, 0.0);
  EXPECT_EQ(none.hi, 0.0);
  const Interval one = mean_interval({7.5});
  EXPECT_EQ(one.mean, 7.5);
  EXPECT_EQ(one.lo, 7.5);
  EXPECT_EQ(one.hi, 7.5);
  const Interval same = mean_interval({2, 2, 2, 2});
  EXPECT_EQ(same.mean, 2.0);
  EXPECT_EQ(same.lo, 2.0);
  EXPECT_EQ(same.hi, 2.0);
}

// ---- compare_arms on made-up outcomes -----------------------------------------------------------

Summary summary_with(int victims, int dept0, int dept1) {
  Summary s;
  s.victims = victims;
  s.by_department = {dept0, dept1};
  s.by_route.assign(kRoutes, 0);
  s.by_route[0] = victims;
  s.by_platform.assign(kPlatforms, 0);
  s.by_age_group.assign(kAgeGroups, 0);
  s.by_gender.assign(kGenders, 0);
  return s;
}

TEST(CompareArms, PairedDifferencesSharesCostsAndCategories) {
  ArmOutcome base{"baseline", {summary_with(10, 6, 4), summary_with(12, 7, 5), summary_with(8, 5, 3)}, {0, 0, 0}};
  ArmOutcome good{"good", {summary_with(7, 4, 3), summary_with(12, 7, 5), summary_with(9, 6, 3)}, {100, 200, 300}};
  ArmOutcome bad{"bad", {summary_with(11, 6, 5), summary_with(13, 7, 6), summary_with(9, 5, 4)}, {50, 50, 50}};
  const auto rows = compare_arms(base, {good, bad});
  ASSERT_EQ(rows.size(), 2u);
  const ComparisonRow& g = rows[0];
  EXPECT_EQ(g.name, "good");
  EXPECT_EQ(g.averted, (std::vector<double>{3, 0, -1}));  // per replicate, paired: baseline - arm
  const Interval expect_av = mean_interval({3, 0, -1});
  EXPECT_DOUBLE_EQ(g.averted_ci.mean, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(g.averted_ci.lo, expect_av.lo);
  EXPECT_DOUBLE_EQ(g.averted_ci.hi, expect_av.hi);
  const Interval expect_share = mean_interval({3.0 / 10, 0.0, -1.0 / 8});
  EXPECT_DOUBLE_EQ(g.share_ci.mean, expect_share.mean);
  EXPECT_DOUBLE_EQ(g.share_ci.lo, expect_share.lo);
  EXPECT_DOUBLE_EQ(g.cost, 200.0);  // mean total cost over replicates
  EXPECT_DOUBLE_EQ(g.cost_per_averted, 200.0 / (2.0 / 3.0));
  // Who benefits: per department, paired differences {2, 0, -1} and {1, 0, 0}.
  ASSERT_EQ(g.by.size(), 5u);
  EXPECT_EQ(g.by[0].first, "department");
  ASSERT_EQ(g.by[0].second.size(), 2u);
  EXPECT_DOUBLE_EQ(g.by[0].second[0].mean, 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(g.by[0].second[0].hi, mean_interval({2, 0, -1}).hi);
  EXPECT_DOUBLE_EQ(g.by[0].second[1].mean, 1.0 / 3.0);
  std::map<std::string, std::size_t> cats;
  for (const auto& [dim, cis] : g.by) cats[dim] = cis.size();
  EXPECT_EQ(cats["route"], std::size_t(kRoutes));
  EXPECT_EQ(cats["platform"], std::size_t(kPlatforms));
  EXPECT_EQ(cats["age_group"], std::size_t(kAgeGroups));
  EXPECT_EQ(cats["gender"], std::size_t(kGenders));
  // An arm with more victims than the baseline: negative averted, no cost per victim averted.
  const ComparisonRow& b = rows[1];
  EXPECT_DOUBLE_EQ(b.averted_ci.mean, -1.0);
  EXPECT_TRUE(std::isnan(b.cost_per_averted));
  EXPECT_DOUBLE_EQ(b.cost, 50.0);
}

TEST(CompareArms, RescueAndShorterExploitationCountAsBenefits) {
  // Enforcement that prevents no recruitment but rescues victims sooner: victims equal, exploited
  // person-days lower and rescues higher in every replicate, by known amounts.
  auto with = [](int victims, std::int64_t days, int rescued) {
    Summary s = summary_with(victims, victims, 0);
    s.exploited_days = days;
    s.rescued = rescued;
    return s;
  };
  ArmOutcome base{"baseline", {with(10, 1000, 2), with(12, 1200, 1), with(8, 900, 3), with(11, 1100, 2)}, {0, 0, 0, 0}};
  ArmOutcome enf{
      "enforcement", {with(10, 700, 5), with(12, 1000, 3), with(8, 500, 6), with(11, 800, 4)}, {730, 730, 730, 730}};
  const auto rows = compare_arms(base, {enf}, 10.0);
  ASSERT_EQ(rows.size(), 1u);
  const ComparisonRow& r = rows[0];
  EXPECT_DOUBLE_EQ(r.averted_ci.mean, 0.0);
  EXPECT_TRUE(std::isnan(r.cost_per_averted));                           // no recruitment prevented
  EXPECT_EQ(r.days_averted, (std::vector<double>{300, 200, 400, 300}));  // baseline - arm, paired
  EXPECT_EQ(r.rescued_more, (std::vector<double>{3, 2, 3, 2}));          // arm - baseline, paired
  const Interval d = mean_interval({300, 200, 400, 300}), q = mean_interval({3, 2, 3, 2});
  EXPECT_DOUBLE_EQ(r.days_averted_ci.mean, 300.0);
  EXPECT_DOUBLE_EQ(r.days_averted_ci.lo, d.lo);
  EXPECT_DOUBLE_EQ(r.days_averted_ci.hi, d.hi);
  EXPECT_GT(r.days_averted_ci.lo, 0.0);  // the benefit is clear in every pair
  EXPECT_DOUBLE_EQ(r.rescued_ci.mean, 2.5);
  EXPECT_DOUBLE_EQ(r.rescued_ci.lo, q.lo);
  // Cost per exploited person-year averted: 730 USD / (300 days / 365.25 * 10 people per agent).
  EXPECT_NEAR(r.cost_per_year_averted, 730.0 / (300.0 / 365.25 * 10.0), 1e-9);
  // An arm that lengthens exploitation has no cost per person-year averted.
  ArmOutcome worse{"worse", {with(10, 1100, 2), with(12, 1300, 1), with(8, 950, 3), with(11, 1150, 2)}, {1, 1, 1, 1}};
  EXPECT_TRUE(std::isnan(compare_arms(base, {worse})[0].cost_per_year_averted));
}

// ---- redes compare end to end -------------------------------------------------------------------

using redes::testing::TempDir;

std::string read_text(const fs::path& p) {
  std::ifstream in(p);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string trim(std::string s) {
  const auto b = s.find_first_not_of(' '), e = s.find_last_not_of(' ');
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

double plain_number(std::string s) {  // "328,500" -> 328500
  s.erase(std::remove(s.begin(), s.end(), ','), s.end());
  return std::stod(s);
}

/// One printed "label mean (lo, hi)" item.
struct Printed {
  std::string label;
  double mean = 0, lo = 0, hi = 0;
};

Printed parse_item(const std::string& item) {
  Printed p;
  const std::string t = trim(item);
  const auto open = t.rfind('(');
  const std::string head = trim(t.substr(0, open));
  const auto space = head.rfind(' ');
  p.label = head.substr(0, space);
  p.mean = std::stod(head.substr(space + 1));
  EXPECT_EQ(std::sscanf(t.c_str() + open, "(%lf, %lf)", &p.lo, &p.hi), 2) << item;
  return p;
}

/// A row of the printed table and the "who benefits" lines under it.
struct PrintedRow {
  Printed averted, share;  // share in percent
  double cost = 0, cost_per_averted = NAN;
  std::map<std::string, std::vector<Printed>> top;  // dimension -> printed categories
};

std::map<std::string, PrintedRow> parse_table(const std::string& out, const std::vector<std::string>& names) {
  std::map<std::string, PrintedRow> rows;
  std::istringstream in(out);
  std::string line, current;
  while (std::getline(in, line)) {
    bool is_row = false;
    for (const auto& n : names) {
      if (line.rfind(n + " ", 0) != 0) continue;
      // "%-32s %20s %18s %14s %16s": name, averted (ci), share% (ci), cost, cost per averted.
      std::string rest = line.substr(32);
      PrintedRow r;
      char a[64] = {}, b[64] = {};
      const int got = std::sscanf(rest.c_str(), " %lf (%lf, %lf) %lf%% (%lf, %lf) %63s %63s", &r.averted.mean,
                                  &r.averted.lo, &r.averted.hi, &r.share.mean, &r.share.lo, &r.share.hi, a, b);
      EXPECT_EQ(got, 8) << line;
      r.cost = plain_number(a);
      if (std::string(b) != "n/a") r.cost_per_averted = plain_number(b);
      rows[n] = r;
      current = n;
      is_row = true;
    }
    if (is_row || current.empty() || line.rfind("    ", 0) != 0) continue;
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string dim = trim(line.substr(0, colon));
    std::stringstream items(line.substr(colon + 1));
    std::string item;
    while (std::getline(items, item, ';')) rows[current].top[dim].push_back(parse_item(item));
  }
  return rows;
}

TEST(CompareCli, EveryPrintedFigureIsInTheFileAndMatchesTheArms) {
  TempDir tmp("redes-compare-test");
  const std::string root = REDES_SOURCE_DIR;
  const fs::path h5file = tmp.path / "tmp" / "c.h5", stdout_file = tmp.path / "stdout.txt";
  const int R = 4;
  const std::string cmd = std::string(REDES_BINARY) + " compare " + root + "/scenarios/workshop/small.yaml " + root +
                          "/scenarios/paraguay/interventions/digital_literacy.yaml " + root +
                          "/scenarios/paraguay/interventions/platform_moderation.yaml --replicates " +
                          std::to_string(R) + " -o " + h5file.string() + " > " + stdout_file.string() + " 2> /dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  ASSERT_TRUE(fs::exists(h5file));
  const std::string out = read_text(stdout_file);
  const std::vector<std::string> names = {"digital literacy in schools", "platform moderation"};
  for (const auto& n : names) EXPECT_NE(out.find(n), std::string::npos) << n << " not printed:\n" << out;
  EXPECT_NE(out.find("MODEL ESTIMATES"), std::string::npos);

  const h5::Reader f(h5file);
  EXPECT_EQ(f.attribute_string("/metadata", "arms"), "baseline," + names[0] + "," + names[1]);
  const std::size_t I = names.size();
  // Per-intervention figures: one value per intervention, axis labelled by the names.
  for (const std::string ds : {"averted_mean", "averted_lo", "averted_hi", "share_averted_mean", "share_averted_lo",
                               "share_averted_hi", "cost", "cost_per_victim_averted", "exploited_days_averted_mean",
                               "exploited_days_averted_lo", "exploited_days_averted_hi", "rescued_more_mean",
                               "rescued_more_lo", "rescued_more_hi", "cost_per_exploited_year_averted"}) {
    const std::string path = "/compare/" + ds;
    ASSERT_TRUE(f.exists(path)) << path;
    EXPECT_EQ(f.shape(path), (std::vector<std::size_t>{I})) << path;
    EXPECT_EQ(f.dim_labels(path), (std::vector<std::string>{"intervention"})) << path;
    EXPECT_EQ(f.scale_labels(path, 0), names) << path;
  }
  // Who benefits: [intervention, category], categories labelled.
  const Scenario base = load_scenario(root + "/scenarios/workshop/small.yaml");
  const std::map<std::string, std::vector<std::string>> categories = {{"department", base.population.departments},
                                                                      {"age_group", to_strings(kAgeGroupNames)},
                                                                      {"gender", to_strings(kGenderNames)},
                                                                      {"route", to_strings(kRouteNames)},
                                                                      {"platform", to_strings(kPlatformNames)}};
  for (const auto& [dim, labels] : categories)
    for (const std::string stat : {"mean", "lo", "hi"}) {
      const std::string path = "/compare/averted_by_" + dim + "_" + stat;
      ASSERT_TRUE(f.exists(path)) << path;
      EXPECT_EQ(f.shape(path), (std::vector<std::size_t>{I, labels.size()})) << path;
      EXPECT_EQ(f.scale_labels(path, 0), names) << path;
      EXPECT_EQ(f.scale_labels(path, 1), labels) << path;
    }

  // Per replicate: victims averted = baseline victims - arm victims, from the arms' summaries.
  const auto averted = f.read_double("/compare/victims_averted");
  ASSERT_EQ(f.shape("/compare/victims_averted"), (std::vector<std::size_t>{I, std::size_t(R)}));
  const auto base_v = f.read_double("/arms/baseline/summary/victims");
  const auto base_dep = f.read_double("/arms/baseline/summary/victims_by_department");
  ASSERT_EQ(base_v.size(), std::size_t(R));
  const auto am = f.read_double("/compare/averted_mean"), alo = f.read_double("/compare/averted_lo"),
             ahi = f.read_double("/compare/averted_hi"), sm = f.read_double("/compare/share_averted_mean"),
             slo = f.read_double("/compare/share_averted_lo"), shi = f.read_double("/compare/share_averted_hi"),
             cost = f.read_double("/compare/cost"), cpa = f.read_double("/compare/cost_per_victim_averted");
  const std::size_t D = base.population.departments.size();
  const auto dep_mean = f.read_double("/compare/averted_by_department_mean");
  for (std::size_t i = 0; i < I; ++i) {
    SCOPED_TRACE(names[i]);
    const std::string arm = "/arms/" + names[i];
    const auto arm_v = f.read_double(arm + "/summary/victims");
    const auto arm_dep = f.read_double(arm + "/summary/victims_by_department");
    std::vector<double> diff, share;
    for (int r = 0; r < R; ++r) {
      EXPECT_EQ(averted[i * R + r], base_v[r] - arm_v[r]) << "replicate " << r;
      diff.push_back(base_v[r] - arm_v[r]);
      share.push_back((base_v[r] - arm_v[r]) / base_v[r]);
    }
    const Interval ci = mean_interval(diff), sci = mean_interval(share);
    EXPECT_DOUBLE_EQ(am[i], ci.mean);
    EXPECT_DOUBLE_EQ(alo[i], ci.lo);
    EXPECT_DOUBLE_EQ(ahi[i], ci.hi);
    EXPECT_NEAR(sm[i], sci.mean, 1e-12);
    EXPECT_NEAR(slo[i], sci.lo, 1e-12);
    EXPECT_NEAR(shi[i], sci.hi, 1e-12);
    for (std::size_t d = 0; d < D; ++d) {
      double m = 0;
      for (int r = 0; r < R; ++r) m += base_dep[r * D + d] - arm_dep[r * D + d];
      EXPECT_NEAR(dep_mean[i * D + d], m / R, 1e-12) << base.population.departments[d];
    }
    // Exploited person-days averted and extra rescues: paired differences of the arms' summaries.
    {
      const auto bd = f.read_double("/arms/baseline/summary/exploited_person_days"),
                 ad = f.read_double(arm + "/summary/exploited_person_days");
      const auto br = f.read_double("/arms/baseline/summary/rescued"), ar = f.read_double(arm + "/summary/rescued");
      const auto days = f.read_double("/compare/exploited_days_averted"),
                 resc = f.read_double("/compare/victims_rescued_more");
      std::vector<double> dd, rr;
      for (int r = 0; r < R; ++r) {
        EXPECT_EQ(days[i * R + r], bd[r] - ad[r]);
        EXPECT_EQ(resc[i * R + r], ar[r] - br[r]);
        dd.push_back(bd[r] - ad[r]), rr.push_back(ar[r] - br[r]);
      }
      EXPECT_DOUBLE_EQ(f.read_double("/compare/exploited_days_averted_mean")[i], mean_interval(dd).mean);
      EXPECT_DOUBLE_EQ(f.read_double("/compare/exploited_days_averted_hi")[i], mean_interval(dd).hi);
      EXPECT_DOUBLE_EQ(f.read_double("/compare/rescued_more_lo")[i], mean_interval(rr).lo);
      EXPECT_GT(bd[0], 0.0);  // the baseline has exploitation to avert
    }
    // Cost: the mean over replicates of the arm's total daily cost.
    const auto daily = f.read_double(arm + "/interventions/cost");
    EXPECT_NEAR(cost[i], std::accumulate(daily.begin(), daily.end(), 0.0) / R, 1e-6 * cost[i]);
    EXPECT_GT(cost[i], 0.0);
    if (am[i] > 0) {
      EXPECT_NEAR(cpa[i], cost[i] / am[i], 1e-9 * cpa[i]);
    } else {
      EXPECT_TRUE(std::isnan(cpa[i]));
    }
  }

  // The printed table: each figure equals the file's, to the printed precision.
  const auto rows = parse_table(out, names);
  ASSERT_EQ(rows.size(), I) << out;
  for (std::size_t i = 0; i < I; ++i) {
    SCOPED_TRACE(names[i]);
    const PrintedRow& p = rows.at(names[i]);
    EXPECT_NEAR(p.averted.mean, am[i], 0.05 + 1e-9);
    EXPECT_NEAR(p.averted.lo, alo[i], 0.05 + 1e-9);
    EXPECT_NEAR(p.averted.hi, ahi[i], 0.05 + 1e-9);
    EXPECT_NEAR(p.share.mean, 100 * sm[i], 0.05 + 1e-9);
    EXPECT_NEAR(p.share.lo, 100 * slo[i], 0.05 + 1e-9);
    EXPECT_NEAR(p.share.hi, 100 * shi[i], 0.05 + 1e-9);
    EXPECT_NEAR(p.cost, cost[i], 0.5 + 1e-9);
    if (std::isnan(cpa[i])) {
      EXPECT_TRUE(std::isnan(p.cost_per_averted));
    } else {
      EXPECT_NEAR(p.cost_per_averted, cpa[i], 0.5 + 1e-9);
    }
    // Who benefits: every printed category's figures are the file's at that label.
    EXPECT_FALSE(p.top.empty());
    for (const auto& [dim, items] : p.top) {
      ASSERT_TRUE(categories.count(dim)) << dim;
      const auto& labels = categories.at(dim);
      const std::string prefix = "/compare/averted_by_" + dim + "_";
      const auto m = f.read_double(prefix + "mean"), lo = f.read_double(prefix + "lo"),
                 hi = f.read_double(prefix + "hi");
      for (const auto& item : items) {
        const auto at = std::find(labels.begin(), labels.end(), item.label);
        ASSERT_NE(at, labels.end()) << "printed label '" << item.label << "' not on the " << dim << " axis";
        const std::size_t k = i * labels.size() + std::size_t(at - labels.begin());
        EXPECT_NEAR(item.mean, m[k], 0.05 + 1e-9) << dim << " " << item.label;
        EXPECT_NEAR(item.lo, lo[k], 0.05 + 1e-9) << dim << " " << item.label;
        EXPECT_NEAR(item.hi, hi[k], 0.05 + 1e-9) << dim << " " << item.label;
      }
    }
  }
  // The benefit line under each row: exploited person-days averted and extra rescues, as in the file.
  {
    std::istringstream in(out);
    std::string line;
    std::size_t seen = 0;
    const auto dm = f.read_double("/compare/exploited_days_averted_mean"),
               rm = f.read_double("/compare/rescued_more_mean");
    while (std::getline(in, line)) {
      double a = 0, b = 0, c = 0, d = 0, e = 0, g = 0;
      if (std::sscanf(line.c_str(),
                      "    exploited person-days averted %lf (%lf, %lf); extra victims rescued %lf (%lf, %lf)", &a, &b,
                      &c, &d, &e, &g) != 6)
        continue;
      ASSERT_LT(seen, I);
      EXPECT_NEAR(a, dm[seen], 0.05 + 1e-9);
      EXPECT_NEAR(d, rm[seen], 0.05 + 1e-9);
      ++seen;
    }
    EXPECT_EQ(seen, I) << out;
  }
  // The printed platform moderation mean, by name (the figure a reader quotes).
  EXPECT_NEAR(rows.at("platform moderation").averted.mean, am[1], 0.05 + 1e-9);
}

}  // namespace
}  // namespace redes

namespace redes {
namespace {
// A 1:10 sample: costs are for the represented population, so averted victims are scaled too.
TEST(CompareArms, CostPerVictimAvertedScalesAvertedToTheRepresentedPopulation) {
  Summary b, a;
  b.victims = 110, a.victims = 100;
  for (auto* s : {&b, &a})
    for (auto* v : {&s->by_department, &s->by_age_group, &s->by_gender, &s->by_route, &s->by_platform}) v->assign(1, 0);
  ArmOutcome base{"baseline", {b, b}, {0, 0}}, arm{"x", {a, a}, {5000, 5000}};
  const auto full = compare_arms(base, {arm});
  const auto sample = compare_arms(base, {arm}, 10.0);
  EXPECT_DOUBLE_EQ(full[0].cost_per_averted, 500.0);
  EXPECT_DOUBLE_EQ(sample[0].cost_per_averted, 50.0);
  EXPECT_DOUBLE_EQ(sample[0].averted_ci.mean, 10.0);  // victim counts stay in simulated persons
}
}  // namespace
}  // namespace redes
