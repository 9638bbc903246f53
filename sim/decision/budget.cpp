#include "sim/decision/budget.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "sim/core/labels.hpp"
#include "sim/core/statistics.hpp"
#include "sim/interventions/intervention.hpp"
#include "sim/output/h5.hpp"
#include "sim/output/output.hpp"
#include "sim/scenario/reader.hpp"

namespace redes::decision {

namespace fs = std::filesystem;

std::vector<BudgetOption> read_options(const fs::path& options_file, const io::Node& base_tree,
                                       const fs::path& base_file) {
  const io::Node tree = io::load_scenario_tree(options_file);
  io::Reader r(tree, "");
  std::vector<BudgetOption> out;
  std::set<fs::path> seen;
  auto items = r.list("options", true, "interventions that may be funded, each with the coverages to consider");
  if (items.empty()) r.fail("options", "needs at least one intervention");
  for (auto& item : items) {
    BudgetOption o;
    // Optional in the reader so that finish() names a misspelt key before "missing" is said.
    const std::string file = item.string("intervention", "", "intervention file, relative to the options file");
    o.coverage = item.numbers("coverage", {}, io::Range{0.0, 1.0, true, "a coverage in (0, 1]"}, 0,
                              "coverage levels to consider, increasing (not funding it is implicit)");
    item.finish();
    if (file.empty()) item.fail("intervention", "each option needs an intervention file");
    if (o.coverage.empty()) item.fail("coverage", "each option needs at least one coverage level");
    for (std::size_t k = 1; k < o.coverage.size(); ++k)
      if (!(o.coverage[k] > o.coverage[k - 1]))
        item.fail("coverage", "levels must increase (level 0, not funded, is implicit)");
    const fs::path p = fs::path(file).is_absolute() ? fs::path(file) : options_file.parent_path() / file;
    if (!fs::is_regular_file(p)) item.fail("intervention", "no such intervention file: " + p.string());
    if (!seen.insert(fs::weakly_canonical(p)).second)
      item.fail("intervention", "the file " + file + " is listed twice");
    o.file = p.string();
    // Checked as `validate` does: composed onto the baseline, every intervention parsed.
    const Arm arm = arm_from_files(base_tree, base_file, p);
    o.name = arm.name;
    out.push_back(std::move(o));
  }
  r.finish();
  return out;
}

std::string describe_allocation(const BudgetResult& res, const AllocationRow& row) {
  std::string s;
  for (std::size_t i = 0; i < res.options.size(); ++i)
    s += fmt::format("{}{} {}", i ? ", " : "", res.options[i].name,
                     row.levels[i] ? fmt::format("{:g}", row.coverage[i]) : "0");
  return s;
}

namespace {

std::vector<int> levels_of(const std::vector<BudgetOption>& options) {
  std::vector<int> levels;
  for (const auto& o : options) levels.push_back(int(o.coverage.size()) + 1);
  return levels;
}

/// An allocation as a package arm. Its id, the allocation's place in the grid (the last option
/// varies fastest; nothing funded is 0), numbers its runs in the journal and between MPI ranks.
ArmFiles allocation_arm(const std::vector<BudgetOption>& options, const std::vector<int>& levels, const Allocation& a) {
  ArmFiles f;
  for (std::size_t i = options.size(), stride = 1; i-- > 0;)
    f.id += a[i] * std::int64_t(stride), stride *= std::size_t(levels[i]);
  for (std::size_t i = 0; i < options.size(); ++i)
    if (a[i] > 0) f.files.push_back(options[i].file), f.coverage.push_back(options[i].coverage[std::size_t(a[i] - 1)]);
  return f;
}

Allocation allocation_of(std::int64_t id, const std::vector<int>& levels) {
  Allocation a(levels.size());
  for (std::size_t i = levels.size(); i-- > 0;) a[i] = int(id % levels[i]), id /= levels[i];
  return a;
}

BudgetResult budget_on(const BudgetOptions& opt, int ranks) {
  DrawsStudy study(opt.draws);
  study.coordinate(ranks);
  BudgetResult res;
  res.base = study.base();
  res.seed = study.seed();
  res.options = read_options(opt.options_file, study.base_tree(), opt.draws.baseline);
  const std::size_t K = std::size_t(opt.draws.draws), R = std::size_t(opt.draws.replicates), n = res.options.size();
  const double scale = study.people_per_person();
  const std::vector<int> levels = levels_of(res.options);
  res.grid = 1;
  for (int l : levels) res.grid *= l;
  constexpr int kExhaustive = 1024;  // optimize(): every allocation up to this grid size
  res.search = res.grid <= kExhaustive ? "exhaustive" : "coarse design + pairwise refinement";

  if (!opt.draws.output.empty()) {
    // The journal numbers an allocation's runs by its place in the grid (the baseline is 0), so
    // a resumed search finds them whichever order it asks for them in.
    std::string request =
        fmt::format("optimize budget {}\n", opt.budget) + io::to_yaml(io::load_scenario_tree(opt.options_file));
    for (const auto& o : res.options) request += "option\n" + io::to_yaml(io::load_scenario_tree(o.file));
    if (res.grid > 1e15)
      throw std::invalid_argument(fmt::format("{:g} allocations are too many to number in a journal", res.grid));
    study.journal_to(journal_path(opt.draws.output), request, std::int64_t(res.grid));
  }
  const ArmRuns base = study.run({ArmFiles{}})[0];
  std::map<Allocation, ArmRuns> runs;  // the cache: the search may ask for an allocation twice
  auto arm_of = [&](const Allocation& a) { return allocation_arm(res.options, levels, a); };
  auto funded = [](const Allocation& a) { return std::any_of(a.begin(), a.end(), [](int l) { return l > 0; }); };
  if (res.grid <= kExhaustive) {
    // Every allocation will be asked for: simulate them in one parallel loop.
    std::vector<Allocation> all;
    Allocation a(n, 0);
    for (;;) {
      if (funded(a)) all.push_back(a);
      std::size_t i = 0;
      while (i < n && ++a[i] == levels[i]) a[i++] = 0;
      if (i == n) break;
    }
    std::vector<ArmFiles> arms;
    for (const auto& x : all) arms.push_back(arm_of(x));
    auto out = study.run(arms);
    for (std::size_t k = 0; k < all.size(); ++k) runs.emplace(all[k], std::move(out[k]));
  }
  auto evaluate = [&](const Allocation& a) {
    if (funded(a) && !runs.count(a)) runs.emplace(a, std::move(study.run({arm_of(a)})[0]));
    const ArmRuns& arm = funded(a) ? runs.at(a) : base;  // nothing funded: the baseline itself
    Evaluation e;
    e.cost.assign(K, 0.0), e.averted.assign(K, 0.0);
    for (std::size_t d = 0; d < K; ++d)
      for (std::size_t r = 0; r < R; ++r) {
        const std::size_t i = d * R + r;
        e.cost[d] += (arm.cost[i] - base.cost[i]) / double(R);
        e.averted[d] += (base.victims[i] - arm.victims[i]) * scale / double(R);
      }
    return e;
  };
  const OptimizeResult found = optimize(levels, opt.budget, evaluate, kExhaustive);
  res.simulated = int(runs.size());
  for (const auto& [a, e] : found.evaluated) {
    AllocationRow row;
    row.levels = a;
    for (std::size_t i = 0; i < n; ++i)
      row.coverage.push_back(a[i] ? res.options[i].coverage[std::size_t(a[i] - 1)] : 0.0);
    row.cost = e.cost, row.averted = e.averted;
    row.cost_mean = e.mean_cost(), row.averted_mean = e.mean_averted();
    row.cost_lo = quantile(e.cost, 0.025), row.cost_hi = quantile(e.cost, 0.975);
    row.averted_lo = quantile(e.averted, 0.025), row.averted_hi = quantile(e.averted, 0.975);
    row.feasible = row.cost_mean <= opt.budget;
    const auto w = found.win_share.find(a);
    row.win_share = w == found.win_share.end() ? 0.0 : w->second;
    if (a == found.best) res.best = res.rows.size();
    res.rows.push_back(std::move(row));
  }
  // Who benefits: compare's paired comparison of the best arm with the baseline over all runs.
  const ArmRuns& best = funded(found.best) ? runs.at(found.best) : base;
  const auto rows =
      compare_arms(ArmOutcome{"baseline", base.summaries, base.cost}, {ArmOutcome{"best", best.summaries, best.cost}});
  std::map<std::string, std::vector<std::string>> labels = {{"department", res.base.population.departments},
                                                            {"age_group", to_strings(kAgeGroupNames)},
                                                            {"gender", to_strings(kGenderNames)}};
  for (const auto& [dim, cis] : rows[0].by) {
    if (!labels.count(dim)) continue;
    std::vector<Interval> scaled = cis;
    for (auto& c : scaled) c.mean *= scale, c.lo *= scale, c.hi *= scale;  // population represented
    res.equity.emplace_back(dim, scaled);
    res.equity_labels.push_back(labels.at(dim));
  }
  if (!opt.draws.output.empty()) {
    write_budget(opt.draws.output, opt, res);
    fs::remove(journal_path(opt.draws.output));  // every run is in the file now
  }
  return res;
}

}  // namespace

BudgetResult run_budget(const BudgetOptions& opt) {
  if (!(opt.budget >= 0)) throw std::invalid_argument("--budget must be at least 0");
  BudgetResult res;
  res.worker = run_on_ranks(
      [&](int ranks) { res = budget_on(opt, ranks); },
      [&] {
        DrawsStudy study(opt.draws);
        const auto options = read_options(opt.options_file, study.base_tree(), opt.draws.baseline);
        const std::vector<int> levels = levels_of(options);
        study.serve([&](std::int64_t id) { return allocation_arm(options, levels, allocation_of(id, levels)); });
      });
  return res;
}

void write_budget(const fs::path& path, const BudgetOptions& opt, const BudgetResult& res) {
  h5::Writer f(path);
  const std::size_t K = std::size_t(opt.draws.draws), A = res.rows.size();
  std::vector<std::string> names, alloc_labels;
  for (const auto& o : res.options) names.push_back(o.name);
  for (const auto& row : res.rows) alloc_labels.push_back(describe_allocation(res, row));
  const h5::Axis option{"intervention", names, {}, 0}, allocation{"allocation", alloc_labels, {}, 0};
  h5::Axis draw{"draw", {}, {}, K};
  for (std::size_t d = 0; d < K; ++d) draw.values.push_back(std::int64_t(d));
  f.group("/optimize");
  f.attribute("/optimize", "estimate",
              "model estimate: draws of intervention effects and costs x replicates, common random numbers");
  f.attribute("/optimize", "units",
              "victims averted in the population represented; costs in USD, incremental to the baseline");
  f.attribute("/optimize", "budget", opt.budget);
  f.attribute("/optimize", "draws", std::int64_t(opt.draws.draws));
  f.attribute("/optimize", "replicates", std::int64_t(opt.draws.replicates));
  f.attribute("/optimize", "options_file", opt.options_file);
  f.attribute("/optimize", "search", res.search);
  f.attribute("/optimize", "grid_size", res.grid);
  f.attribute("/optimize", "allocations_simulated", std::int64_t(res.simulated));
  f.attribute("/optimize", "best_allocation", std::int64_t(res.best));
  std::vector<double> cov, cost, averted, cm, clo, chi, am, alo, ahi, win;
  std::vector<std::int32_t> feasible;
  for (const auto& row : res.rows) {
    cov.insert(cov.end(), row.coverage.begin(), row.coverage.end());
    cost.insert(cost.end(), row.cost.begin(), row.cost.end());
    averted.insert(averted.end(), row.averted.begin(), row.averted.end());
    cm.push_back(row.cost_mean), clo.push_back(row.cost_lo), chi.push_back(row.cost_hi);
    am.push_back(row.averted_mean), alo.push_back(row.averted_lo), ahi.push_back(row.averted_hi);
    feasible.push_back(row.feasible), win.push_back(row.win_share);
  }
  (void)A;
  f.array("/optimize/allocations/coverage", {allocation, option}, cov, "fraction (0: not funded)");
  f.array("/optimize/allocations/cost", {allocation, draw}, cost, "USD");
  f.array("/optimize/allocations/victims_averted", {allocation, draw}, averted, "persons");
  f.array("/optimize/allocations/cost_mean", {allocation}, cm, "USD");
  f.array("/optimize/allocations/cost_lo", {allocation}, clo, "USD");
  f.array("/optimize/allocations/cost_hi", {allocation}, chi, "USD");
  f.array("/optimize/allocations/averted_mean", {allocation}, am, "persons");
  f.array("/optimize/allocations/averted_lo", {allocation}, alo, "persons");
  f.array("/optimize/allocations/averted_hi", {allocation}, ahi, "persons");
  f.array("/optimize/allocations/feasible", {allocation}, feasible, "1: mean cost within budget");
  f.array("/optimize/allocations/win_share", {allocation}, win, "fraction of draws");
  const AllocationRow& best = res.rows[res.best];
  f.array("/optimize/best/coverage", {option}, best.coverage, "fraction (0: not funded)");
  f.attribute("/optimize/best", "allocation", describe_allocation(res, best));
  for (std::size_t k = 0; k < res.equity.size(); ++k) {
    const auto& [dim, cis] = res.equity[k];
    const h5::Axis ax = axis_named(dim, res.equity_labels[k]);
    std::vector<double> m, lo, hi;
    for (const auto& c : cis) m.push_back(c.mean), lo.push_back(c.lo), hi.push_back(c.hi);
    f.array("/optimize/best/averted_by_" + dim + "_mean", {ax}, m, "persons");
    f.array("/optimize/best/averted_by_" + dim + "_lo", {ax}, lo, "persons");
    f.array("/optimize/best/averted_by_" + dim + "_hi", {ax}, hi, "persons");
  }
  write_metadata(f, res.base, "optimize", res.seed, opt.draws.replicates, opt.draws.threads, now_iso());
  f.commit();
}

}  // namespace redes::decision
