// engine/compare: paired comparison of intervention arms with the baseline. Arms share seeds and
// replicates (common random numbers), so per-replicate differences isolate the intervention's effect.
#pragma once
#include <string>
#include <vector>

#include "sim/engine/summary.hpp"

namespace redes {

struct Interval {
  double mean = 0, lo = 0, hi = 0;  // mean and 95% t interval over replicates
};
Interval mean_interval(const std::vector<double>& values);

struct ArmOutcome {
  std::string name;
  std::vector<Summary> summaries;  // per replicate
  std::vector<double> costs;       // total cost per replicate (USD)
};

struct ComparisonRow {
  std::string name;
  std::vector<double> averted;  // per replicate: baseline victims - arm victims
  Interval averted_ci, share_ci;
  // Benefits beyond prevention: shorter exploitation and rescue (enforcement's and reporting's effect).
  std::vector<double> days_averted;  // per replicate: baseline - arm exploited person-days (window days)
  std::vector<double> rescued_more;  // per replicate: arm - baseline victims rescued (window days)
  Interval days_averted_ci, rescued_ci;
  double cost = 0, cost_per_averted = 0;  // NaN when mean averted <= 0
  double cost_per_year_averted = 0;       // per exploited person-year averted; NaN when mean <= 0
  // averted by category: [dimension name] -> per category interval
  std::vector<std::pair<std::string, std::vector<Interval>>> by;
};

/// `people_per_person` (population.represents / size) scales averted victims for the cost per
/// victim averted, since costs are for the represented population.
std::vector<ComparisonRow> compare_arms(const ArmOutcome& baseline, const std::vector<ArmOutcome>& arms,
                                        double people_per_person = 1.0);

}  // namespace redes
