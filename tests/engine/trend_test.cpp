// Ten years without shocks: victims per year show no trend beyond noise. Before people aged with
// their traits and slots renewed, the minors of day 0 grew up with children's traits and nobody
// was born, so victims fell every year (minors most of all); the warm-up removes the start-up climb.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "sim/engine/engine.hpp"
#include "sim/engine/summary.hpp"
#include "sim/network/network.hpp"
#include "sim/population/population.hpp"
#include "sim/scenario/scenario.hpp"

namespace redes {
namespace {

/// Least-squares slope of y on 0, 1, 2, ...
double slope(const std::vector<double>& y) {
  const double n = double(y.size()), mx = (n - 1) / 2;
  const double my = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sxy = 0, sxx = 0;
  for (std::size_t i = 0; i < y.size(); ++i)
    sxy += (double(i) - mx) * (y[i] - my), sxx += (double(i) - mx) * (double(i) - mx);
  return sxy / sxx;
}

// Per replicate, the slope of victims per year over ten years; the mean slope over replicates must be
// within 3 standard errors of zero (the replicates are independent), for all victims and for minors.
TEST(EngineTrend, TenYearsWithoutShocksHaveNoTrendInVictimsPerYear) {
  Scenario sc = load_scenario(std::string(REDES_SOURCE_DIR) + "/scenarios/workshop/small.yaml");
  sc.days = 10 * 365;
  sc.warmup_days = 2 * 365;
  sc.shocks.clear();
  const Population pop = build_population(sc, 5);
  const Network net = build_network(sc, pop, 5);
  const int replicates = 6;
  std::vector<double> all, minors;
  double total = 0;
  for (int rep = 0; rep < replicates; ++rep) {
    const ReplicateResult r = Simulation(sc, pop, net).run(5, rep);
    std::vector<double> per_year(10, 0.0), minors_per_year(10, 0.0);
    for (const Victim& v : r.victims) {
      if (v.day < 0) continue;
      const auto y = std::size_t(std::min(v.day / 365, 9));
      per_year[y] += 1;
      minors_per_year[y] += v.age_group <= int(AgeGroup::Adolescent);
    }
    total += std::accumulate(per_year.begin(), per_year.end(), 0.0);
    all.push_back(slope(per_year));
    minors.push_back(slope(minors_per_year));
  }
  ASSERT_GT(total / replicates, 150.0);  // enough victims for the test to see a trend
  for (const auto* s : {&all, &minors}) {
    const double mean = std::accumulate(s->begin(), s->end(), 0.0) / replicates;
    double var = 0;
    for (double x : *s) var += (x - mean) * (x - mean);
    const double se = std::sqrt(var / (replicates - 1) / replicates);
    EXPECT_LT(std::abs(mean), 3 * se + 1e-9)
        << (s == &all ? "all victims" : "minors") << ": slope " << mean << " per year, se " << se;
  }
}

}  // namespace
}  // namespace redes
