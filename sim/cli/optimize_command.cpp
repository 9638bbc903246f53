// cli/optimize_command: `redes optimize BASE --budget USD --options OPTIONS.yaml`. The study is
// decision/budget, run by study/decision_files (inputs checked, output guarded, the journal of
// completed runs kept for a rerun to resume); this fills its options and prints what it wrote.
#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "sim/cli/commands.hpp"
#include "sim/i18n/messages.hpp"
#include "sim/present/decision_summary.hpp"
#include "sim/study/decision_files.hpp"

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
  const auto res = budget_to_file(b, out);
  if (res.worker) return 0;  // another MPI rank: rank 0 reports
  std::printf("%s%s", describe_budget(b, res).c_str(), trf("wrote", fmt::arg("out", out.string())).c_str());
  return 0;
}

}  // namespace redes
