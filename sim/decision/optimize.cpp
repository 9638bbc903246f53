#include "sim/decision/optimize.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace redes::decision {

double Evaluation::mean_cost() const {
  return cost.empty() ? 0 : std::accumulate(cost.begin(), cost.end(), 0.0) / double(cost.size());
}
double Evaluation::mean_averted() const {
  return averted.empty() ? 0 : std::accumulate(averted.begin(), averted.end(), 0.0) / double(averted.size());
}

OptimizeResult optimize(const std::vector<int>& levels, double budget,
                        const std::function<Evaluation(const Allocation&)>& evaluate, int exhaustive_up_to) {
  OptimizeResult res;
  for (int l : levels)
    if (l < 1) throw std::invalid_argument("optimize: every intervention needs at least one level");
  auto run = [&](const Allocation& a) -> const Evaluation& {
    auto it = res.evaluated.find(a);
    if (it == res.evaluated.end()) {
      it = res.evaluated.emplace(a, evaluate(a)).first;
      ++res.evaluations;
    }
    return it->second;
  };
  auto better = [&](const Allocation& a, const Allocation& b) {  // a strictly better feasible than b
    const Evaluation& ea = run(a);
    if (ea.mean_cost() > budget) return false;
    if (b.empty()) return true;
    const Evaluation& eb = run(b);
    return ea.mean_averted() > eb.mean_averted() ||
           (ea.mean_averted() == eb.mean_averted() && ea.mean_cost() < eb.mean_cost());
  };
  const std::size_t n = levels.size();
  double grid = 1;
  for (int l : levels) grid *= l;
  Allocation best;
  if (grid <= exhaustive_up_to) {
    Allocation a(n, 0);
    for (;;) {
      if (better(a, best)) best = a;
      std::size_t i = 0;
      while (i < n && ++a[i] == levels[i]) a[i++] = 0;
      if (i == n) break;
    }
  } else {
    // Coarse design: each intervention at its lowest, middle or highest level.
    std::vector<std::vector<int>> coarse(n);
    for (std::size_t i = 0; i < n; ++i) {
      coarse[i] = {0, (levels[i] - 1) / 2, levels[i] - 1};
      coarse[i].erase(std::unique(coarse[i].begin(), coarse[i].end()), coarse[i].end());
    }
    std::vector<std::size_t> k(n, 0);
    for (;;) {
      Allocation a(n);
      for (std::size_t i = 0; i < n; ++i) a[i] = coarse[i][k[i]];
      if (better(a, best)) best = a;
      std::size_t i = 0;
      while (i < n && ++k[i] == coarse[i].size()) k[i++] = 0;
      if (i == n) break;
    }
    // Local refinement: every combination of levels of two interventions, the others held
    // (moves budget between any pair in one step), until no pair improves.
    for (bool improved = !best.empty(); improved;) {
      improved = false;
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i + 1; j < n; ++j) {
          Allocation cand = best;
          for (int li = 0; li < levels[i]; ++li)
            for (int lj = 0; lj < levels[j]; ++lj) {
              Allocation a = best;
              a[i] = li, a[j] = lj;
              if (better(a, cand)) cand = a;
            }
          if (cand != best) best = cand, improved = true;
        }
      if (n == 1)
        for (int l = 0; l < levels[0]; ++l)
          if (better(Allocation{l}, best)) best = Allocation{l}, improved = true;
    }
  }
  res.best = best;
  // How often each feasible allocation averts the most, draw by draw.
  std::vector<const std::pair<const Allocation, Evaluation>*> feasible;
  for (const auto& e : res.evaluated)
    if (e.second.mean_cost() <= budget) feasible.push_back(&e);
  const std::size_t draws = feasible.empty() ? 0 : feasible[0]->second.averted.size();
  for (std::size_t d = 0; d < draws; ++d) {
    const auto* win = *std::max_element(feasible.begin(), feasible.end(),
                                        [&](auto* a, auto* b) { return a->second.averted[d] < b->second.averted[d]; });
    res.win_share[win->first] += 1.0 / double(draws);
  }
  return res;
}

}  // namespace redes::decision
