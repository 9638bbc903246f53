// cli/optimize_command: `redes optimize BASE --budget USD --options OPTIONS.yaml`. The study is
// decision/budget; this checks inputs, guards the output (never an input, locked, removed on a
// signal; the journal of completed runs stays for a rerun to resume) and prints what it wrote.
#include <cstdio>
#include <filesystem>
#include <optional>

#include "sim/cli/commands.hpp"
#include "sim/cli/decision_summary.hpp"
#include "sim/cli/i18n.hpp"
#include "sim/decision/budget.hpp"
#include "sim/output/safe_output.hpp"

namespace redes {

int cmd_optimize(const Options& opt) {
  namespace fs = std::filesystem;
  decision::BudgetOptions b;
  b.draws.baseline = opt.file;
  b.draws.draws = std::max(1, opt.draws);
  b.draws.replicates = opt.replicates;
  b.draws.threads = opt.threads;
  b.draws.seed_given = opt.seed.has_value();
  b.draws.seed = opt.seed.value_or(0);
  b.options_file = opt.options_file;
  b.budget = opt.budget;
  const fs::path out = opt.output.empty() ? fs::path("out") / "optimize.h5" : fs::path(opt.output);
  // Every input (baseline and includes, options file, intervention files) is checked before any run.
  const io::Node base_tree = io::load_scenario_tree(opt.file);
  std::vector<fs::path> inputs = io::source_files(base_tree, opt.file);
  inputs.push_back(opt.options_file);
  for (const auto& o : decision::read_options(opt.options_file, base_tree, opt.file)) {
    auto more = io::source_files(io::load_scenario_tree(o.file), o.file);
    inputs.insert(inputs.end(), more.begin(), more.end());
  }
  io::refuse_clobber(out, inputs, {".journal"});
  if (out.has_parent_path()) fs::create_directories(out.parent_path());
  std::optional<io::OutputLock> lock;
  if (lead_rank()) lock.emplace(out);  // under mpirun only rank 0 writes
  prepare_resume(b.draws, out);
  const auto res = run_resumable([&] { return decision::run_budget(b); });  // journals, writes `out`, drops the journal
  if (res.worker) return 0;  // another MPI rank: rank 0 reports
  std::printf("%s%s", describe_budget(b, res).c_str(), trf("wrote", fmt::arg("out", out.string())).c_str());
  return 0;
}

}  // namespace redes
