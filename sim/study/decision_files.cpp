#include "sim/study/decision_files.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/errors.hpp"
#include "sim/i18n/messages.hpp"
#include "sim/output/safe_output.hpp"
#include "sim/scenario/yaml_tree.hpp"

namespace redes {
namespace {

namespace fs = std::filesystem;

/// False on MPI ranks other than 0 (mpirun's environment says so): they neither lock nor write.
bool lead_rank() {
  const char* rank = std::getenv("OMPI_COMM_WORLD_RANK");
  if (!rank) rank = std::getenv("PMI_RANK");
  return !rank || std::string(rank) == "0";
}

/// A scenario file with its includes, for the inputs the output may not overwrite.
void add_sources(std::vector<fs::path>& inputs, const std::string& file) {
  auto more = io::source_files(io::load_scenario_tree(file), file);
  inputs.insert(inputs.end(), more.begin(), more.end());
}

/// Guards `out` (neither it nor its journal an input; parent made; locked on the lead rank), names
/// the journal that stays on an interruption, then runs `study`, translating the refusal of
/// another request's journal.
template <typename Study>
auto guarded(decision::DrawsOptions& opt, const fs::path& out, const std::vector<fs::path>& inputs, Study&& study) {
  io::refuse_clobber(out, inputs, {".journal"});
  if (out.has_parent_path()) fs::create_directories(out.parent_path());
  std::optional<io::OutputLock> lock;  // two studies on one output would share its journal
  if (lead_rank()) lock.emplace(out);
  opt.output = out.string();
  const std::string journal = decision::journal_path(out).string();
  io::set_interrupt_hint(trf("decision.interrupted", fmt::arg("journal", journal)));
  opt.resuming = [journal](std::int64_t runs) {
    std::fputs(trf("decision.resuming", fmt::arg("runs", (long long)runs), fmt::arg("journal", journal)).c_str(),
               stderr);
  };
  try {
    return study();  // journals, writes `out`, drops the journal
  } catch (const sweep::JournalMismatch& e) {
    throw IoError(trf("decision.journal_other", fmt::arg("journal", e.path().string())));
  }
}

}  // namespace

decision::DrawsResult draws_to_file(decision::DrawsOptions& opt, const fs::path& out) {
  std::vector<fs::path> inputs = io::source_files(io::load_scenario_tree(opt.baseline), opt.baseline);
  if (!opt.posterior.empty()) inputs.push_back(opt.posterior);
  for (const auto& file : opt.interventions) add_sources(inputs, file);
  return guarded(opt, out, inputs, [&] { return decision::run_draws(opt); });
}

decision::BudgetResult budget_to_file(decision::BudgetOptions& opt, const fs::path& out) {
  // Every input (baseline and includes, options file, intervention files) is checked before any run.
  const io::Node base_tree = io::load_scenario_tree(opt.draws.baseline);
  std::vector<fs::path> inputs = io::source_files(base_tree, opt.draws.baseline);
  inputs.push_back(opt.options_file);
  for (const auto& o : decision::read_options(opt.options_file, base_tree, opt.draws.baseline))
    add_sources(inputs, o.file);
  return guarded(opt.draws, out, inputs, [&] { return decision::run_budget(opt); });
}

}  // namespace redes
