// sweep/metrics: the fixed list of numbers kept for every run of a sweep (true victims by route,
// platform, age, sex and year; what institutions recorded; cost). Names are stable dotted paths,
// e.g. "victims.route.hunting", chosen in sweep files under `outputs:`. Every victim count is a
// model estimate for one run.
#pragma once
#include <string>
#include <vector>

#include "sim/engine/results.hpp"
#include "sim/engine/summary.hpp"
#include "sim/observation/observation.hpp"
#include "sim/scenario/scenario.hpp"

namespace redes::sweep {

/// Metric names for runs of scenarios shaped like `sc` (same years, departments).
std::vector<std::string> metric_names(const Scenario& sc);
/// The metrics of one run, in metric_names() order.
std::vector<double> run_metrics(const Scenario& sc, const ReplicateResult& r, const Summary& s, const Observed& o);

}  // namespace redes::sweep
