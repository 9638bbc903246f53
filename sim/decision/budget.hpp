// decision/budget: `redes optimize BASE --budget USD --options OPTIONS.yaml`: which coverages of
// which interventions avert the most victims within a budget. Each allocation the search
// (decision/optimize) asks for is a package arm run on the same draws and replicates as the
// baseline (DrawsStudy: one run loop, common random numbers); evaluations are cached.
#pragma once
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "sim/decision/optimize.hpp"
#include "sim/decision/study.hpp"
#include "sim/engine/compare.hpp"

namespace redes::decision {

/// One line of an options file: an intervention file and the coverages to consider (level 0,
/// not funded, is implicit).
struct BudgetOption {
  std::string file;  // as resolved against the options file's folder
  std::string name;  // the intervention file's name:
  std::vector<double> coverage;
};

/// Reads `options: [{intervention: FILE, coverage: [..]}, ...]`, checking every intervention file
/// on the baseline as `validate` does. Throws ScenarioError naming file:line:column and key.
std::vector<BudgetOption> read_options(const std::filesystem::path& options_file, const io::Node& base_tree,
                                       const std::filesystem::path& base_file);

struct BudgetOptions {
  DrawsOptions draws;  // baseline, draws, replicates, threads, seed, output (interventions unused)
  std::string options_file;
  double budget = 0;  // USD, compared with the mean cost over draws
};

struct AllocationRow {
  Allocation levels;
  std::vector<double> coverage;       // per option, 0 = not funded
  std::vector<double> cost, averted;  // per draw: mean over replicates, incremental to the baseline
  double cost_mean = 0, cost_lo = 0, cost_hi = 0, averted_mean = 0, averted_lo = 0, averted_hi = 0;  // 95% over draws
  bool feasible = false;
  double win_share = 0;  // share of draws in which it averts the most among the feasible ones
};

struct BudgetResult {
  bool worker = false;  // an MPI rank other than 0: rank 0 writes and reports
  std::vector<BudgetOption> options;
  std::vector<AllocationRow> rows;  // every allocation evaluated, in allocation order
  std::size_t best = 0;             // index into rows
  std::string search;               // "exhaustive" or "coarse design + pairwise refinement"
  double grid = 0;                  // allocations in the full grid
  int simulated = 0;                // allocations simulated (the all-zero one is the baseline)
  std::uint32_t seed = 0;
  // Who benefits from the best allocation: victims averted (population represented) per category,
  // mean and 95% t interval over the K x R paired runs; department, age_group, gender.
  std::vector<std::pair<std::string, std::vector<Interval>>> equity;
  std::vector<std::vector<std::string>> equity_labels;
  Scenario base;
};

/// "name coverage, ..." for every option (0: not funded): labels HDF5 data, so language-neutral.
std::string describe_allocation(const BudgetResult& res, const AllocationRow& row);
/// With draws.output set, journals every run, writes the file (write_budget) and then removes
/// the journal, as run_draws does.
BudgetResult run_budget(const BudgetOptions& opt);
/// Writes /optimize (layout in sim/output/output_format.md) and /metadata; commits atomically.
void write_budget(const std::filesystem::path& path, const BudgetOptions& opt, const BudgetResult& res);

}  // namespace redes::decision
