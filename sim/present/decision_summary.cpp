#include "sim/present/decision_summary.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "sim/decision/decision.hpp"
#include "sim/i18n/messages.hpp"

namespace redes {

using decision::AllocationRow;

std::string describe_budget(const decision::BudgetOptions& opt, const decision::BudgetResult& res) {
  const AllocationRow& best = res.rows[res.best];
  std::string out = trf(
      "optimize.header", fmt::arg("budget", opt.budget), fmt::arg("options", res.options.size()),
      fmt::arg("draws", opt.draws.draws), fmt::arg("replicates", opt.draws.replicates), fmt::arg("seed", res.seed),
      fmt::arg("search", res.search == "exhaustive" ? tr("optimize.search_exhaustive") : tr("optimize.search_coarse")),
      fmt::arg("grid", res.grid), fmt::arg("simulated", res.simulated));
  out += tr("optimize.best");
  for (std::size_t i = 0; i < res.options.size(); ++i)
    out += best.levels[i]
               ? trf("optimize.fund", fmt::arg("name", res.options[i].name), fmt::arg("coverage", best.coverage[i]))
               : trf("optimize.no_fund", fmt::arg("name", res.options[i].name));
  out += trf("optimize.cost", fmt::arg("mean", best.cost_mean), fmt::arg("lo", best.cost_lo),
             fmt::arg("hi", best.cost_hi));
  out += trf("optimize.averted", fmt::arg("mean", best.averted_mean), fmt::arg("lo", best.averted_lo),
             fmt::arg("hi", best.averted_hi));
  std::vector<const AllocationRow*> wins;
  for (const auto& row : res.rows)
    if (row.feasible) wins.push_back(&row);
  std::stable_sort(wins.begin(), wins.end(), [](auto* a, auto* b) { return a->win_share > b->win_share; });
  out += tr("optimize.wins");
  for (std::size_t k = 0; k < std::min<std::size_t>(5, wins.size()); ++k)
    out += trf("optimize.win_row", fmt::arg("share", wins[k]->win_share),
               fmt::arg("allocation", decision::describe_allocation(res, *wins[k])),
               fmt::arg("averted", wins[k]->averted_mean), fmt::arg("cost", wins[k]->cost_mean));
  out += tr("optimize.equity");
  for (std::size_t k = 0; k < res.equity.size(); ++k) {
    const auto& [dim, cis] = res.equity[k];
    std::vector<std::size_t> order(cis.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&cis = cis](auto a, auto b) { return cis[a].mean > cis[b].mean; });
    const std::string& dim_label = dim == "department"  ? tr("compare.by_department")
                                   : dim == "age_group" ? tr("compare.by_age_group")
                                                        : tr("compare.by_gender");
    out += fmt::format("  {:<11}", dim_label);
    const std::size_t shown = dim == "department" ? std::min<std::size_t>(5, order.size()) : order.size();
    for (std::size_t j = 0; j < shown; ++j)
      out += fmt::format(" {} {:.2f} ({:.2f}, {:.2f}){}", tr_label(res.equity_labels[k][order[j]]), cis[order[j]].mean,
                         cis[order[j]].lo, cis[order[j]].hi, j + 1 < shown ? ";" : "");
    out += dim == "department" && shown < order.size() ? tr("optimize.top5") : "\n";
  }
  return out;
}

std::string describe_draws(const decision::DrawsOptions& opt, const decision::DrawsResult& res) {
  using decision::Status;
  std::string out =
      trf("draws.header", fmt::arg("draws", opt.draws), fmt::arg("replicates", opt.replicates),
          fmt::arg("source", opt.posterior.empty() ? tr("draws.source_effects") : tr("draws.source_posterior")));
  // fmt pads by characters, so accented headers keep the columns aligned.
  out += fmt::format("{:<34} {:>24} {:>9} {:>14} {:>22} {:>10}\n", tr("draws.col_option"), tr("draws.col_averted"),
                     tr("draws.col_param"), tr("compare.col_cost"), tr("draws.col_frontier"), tr("draws.col_p_best"));
  const decision::Matrix p = decision::acceptability(res.cost, res.averted, {opt.wtp});
  for (std::size_t a = 0; a < res.options.size(); ++a) {
    const auto& s = res.summary[a];
    const auto& fr = res.frontier[a];
    const std::string icer = fr.status == Status::Dominated             ? tr("draws.dominated")
                             : fr.status == Status::ExtendedlyDominated ? tr("draws.extendedly_dominated")
                             : std::isnan(fr.icer)                      ? tr("draws.frontier_start")
                                                   : trf("draws.per_victim", fmt::arg("icer", fr.icer));
    out += fmt::format("{:<34} {:>8.1f} [{:>6.1f}, {:>6.1f}] {:>8.0f}% {:>14.0f} {:>22} {:>10.2f}\n",
                       tr_label(s.name).substr(0, 34), s.averted_mean, s.averted_lo, s.averted_hi,
                       s.variance.total > 0 ? 100 * s.variance.parameter / s.variance.total : 0.0, s.cost_mean, icer,
                       p[0][a]);
  }
  out += trf("draws.evpi", fmt::arg("wtp", opt.wtp), fmt::arg("evpi", res.evpi_at_wtp));
  for (std::size_t j = 0; j < res.parameters.size(); ++j)
    out += trf("draws.evppi", fmt::arg("input", res.parameters[j]), fmt::arg("value", res.evppi[j]));
  out += tr("draws.param_note");
  return out;
}

}  // namespace redes
