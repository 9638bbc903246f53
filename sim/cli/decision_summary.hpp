// cli/decision_summary: the printed summaries of `redes optimize` and `redes compare --draws`, in
// the chosen language (cli/i18n). The studies (decision/budget, decision/study) only compute and
// write files; presentation lives here. Every victim number is labelled a model estimate with its interval.
#pragma once
#include <filesystem>
#include <string>
#include <utility>

#include "sim/decision/budget.hpp"
#include "sim/decision/study.hpp"

namespace redes {

/// Before a decision study that writes `out` (opt.output is set to it): the interrupted line
/// naming the journal that stays, and a "resuming" line on stderr when the journal holds runs.
void prepare_resume(decision::DrawsOptions& opt, const std::filesystem::path& out);
/// False on MPI ranks other than 0 (mpirun's environment says so): they neither lock nor write.
bool lead_rank();
/// The refusal of a journal of another request, in the chosen language (an IoError).
[[noreturn]] void refuse_journal(const sweep::JournalMismatch& e);

/// Runs a decision study, translating the refusal of another request's journal.
template <typename Study>
auto run_resumable(Study&& study) {
  try {
    return std::forward<Study>(study)();
  } catch (const sweep::JournalMismatch& e) {
    refuse_journal(e);
  }
}

std::string describe_budget(const decision::BudgetOptions& opt, const decision::BudgetResult& res);
std::string describe_draws(const decision::DrawsOptions& opt, const decision::DrawsResult& res);

}  // namespace redes
