// Warm-up (calendar.warmup_years): the engine simulates days -warmup_days .. -1 before the
// window and reports only days >= 0. Seeds are fixed; tolerances are stated with each check.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/labels.hpp"
#include "sim/engine/engine.hpp"
#include "sim/engine/summary.hpp"
#include "sim/network/network.hpp"
#include "sim/population/population.hpp"
#include "sim/scenario/scenario.hpp"

namespace redes {
namespace {

struct Years {
  double victims_first = 0, victims_rest = 0, exploited_first = 0, exploited_rest = 0;
  bool warmup_victims = false;
};

/// Means over replicates of victims per year and of the daily stock of exploited people, in the
/// first window year and in years 2-4 (per year). No shocks or trends: the baseline is stationary.
Years run_years(double warmup_years, int replicates) {
  Scenario sc = load_scenario(std::string(REDES_SOURCE_DIR) + "/scenarios/workshop/small.yaml");
  sc.days = 4 * 365;
  sc.warmup_days = int(warmup_years * 365);
  sc.shocks.clear();
  const Population pop = build_population(sc, 11);
  const Network net = build_network(sc, pop, 11);
  Years y;
  for (int rep = 0; rep < replicates; ++rep) {
    const ReplicateResult r = Simulation(sc, pop, net).run(11, rep);
    EXPECT_EQ(r.recruiters_active.size(), std::size_t(sc.days));
    const Summary s = summarise(sc, r);
    std::int32_t in_window = 0;
    for (const Victim& v : r.victims) {
      in_window += v.day >= 0;
      y.warmup_victims = y.warmup_victims || v.day < 0;
      EXPECT_GE(v.day, -sc.warmup_days);
    }
    EXPECT_EQ(s.victims, in_window);  // summaries count the window only
    for (const Event& e : r.events) EXPECT_GE(e.day, 0);
    for (std::size_t k = 0; k < s.by_year.size(); ++k) (k == 0 ? y.victims_first : y.victims_rest) += s.by_year[k];
    for (int day = 0; day < sc.days; ++day) {
      std::int64_t exploited = 0;
      for (int route = 0; route < kRoutes; ++route)
        for (int p = 0; p < kPlatforms; ++p)
          for (int a = 0; a < kAgeGroups; ++a)
            for (int g = 0; g < kGenders; ++g)
              exploited += r.stock[std::size_t(day) * kStockCells + stock_index(int(Stage::Exploited), route, p, a, g)];
      (day < 365 ? y.exploited_first : y.exploited_rest) += double(exploited) / 365;
    }
  }
  const double rest_years = double(sc.year_of_day(sc.days - 1) - sc.start_year);
  y.victims_rest /= rest_years, y.exploited_rest /= 3;
  y.victims_first /= replicates, y.victims_rest /= replicates, y.exploited_first /= replicates,
      y.exploited_rest /= replicates;
  return y;
}

// Issue 12 item 6. With a warm-up of 2.5 years the first window year is not systematically below
// the next three: victims and the exploited stock at least 90% of the later years' mean (6
// replicates of ~40-50 victims a year: Poisson SE of the ratio ~7%, so 0.9 is ~1.5 SE below an
// unbiased start; a start-up deficit is far larger). Later years can be lower: at 10x density the
// small population's most vulnerable are used up and reports raise arrests, so the check is
// one-sided. Without a warm-up the stock starts at zero and its first-year mean is well below
// 60% of later years (the check that fails without the warm-up).
TEST(EngineWarmup, FirstWindowYearIsNotAStartUpArtefact) {
  const Years w = run_years(2.5, 6);
  RecordProperty("victims_first", std::to_string(w.victims_first));
  RecordProperty("victims_rest", std::to_string(w.victims_rest));
  RecordProperty("exploited_first", std::to_string(w.exploited_first));
  RecordProperty("exploited_rest", std::to_string(w.exploited_rest));
  EXPECT_TRUE(w.warmup_victims);
  EXPECT_GT(w.victims_rest, 20.0);
  EXPECT_GT(w.victims_first / w.victims_rest, 0.9);
  EXPECT_GT(w.exploited_first / w.exploited_rest, 0.9);

  const Years cold = run_years(0, 6);
  RecordProperty("cold_victims_first", std::to_string(cold.victims_first));
  RecordProperty("cold_exploited_first", std::to_string(cold.exploited_first));
  RecordProperty("cold_exploited_rest", std::to_string(cold.exploited_rest));
  EXPECT_FALSE(cold.warmup_victims);
  EXPECT_LT(cold.exploited_first / cold.exploited_rest, 0.6) << "the deficit the warm-up removes";
}

}  // namespace
}  // namespace redes
