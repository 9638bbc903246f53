// decision/optimize: which coverages of which interventions avert the most victims within a
// budget. The search: every allocation when the grid of coverage levels is small; otherwise a
// coarse design (each intervention at its lowest, middle and highest level) and then a local
// refinement (every level combination of each pair of interventions, others held, from the
// best feasible allocation, until no pair improves). Averted victims rise with coverage and costs add up, so the
// best allocation lies on the budget boundary, which the pairwise moves walk along. The
// refinement is a heuristic (a three-way trade can be missed), so grids up to 1,024
// allocations (e.g. five interventions at four coverages) are enumerated exactly.
#pragma once
#include <functional>
#include <map>
#include <vector>

namespace redes::decision {

using Allocation = std::vector<int>;  // level index per intervention

struct Evaluation {
  std::vector<double> cost, averted;  // per draw (the same draws for every allocation)
  double mean_cost() const;
  double mean_averted() const;
};

struct OptimizeResult {
  Allocation best;                             // highest mean averted with mean cost <= budget
  std::map<Allocation, Evaluation> evaluated;  // every allocation the search ran
  std::map<Allocation, double> win_share;      // feasible allocations: share of draws in which each averts most
  int evaluations = 0;
};

/// `levels[i]` = number of coverage levels of intervention i (level 0 = not funded).
/// `exhaustive_up_to`: enumerate every allocation when the grid has at most this many.
OptimizeResult optimize(const std::vector<int>& levels, double budget,
                        const std::function<Evaluation(const Allocation&)>& evaluate, int exhaustive_up_to = 1024);

}  // namespace redes::decision
