// study/decision_files: the decision studies (decision/study, decision/budget) writing their file as
// `redes compare --draws` and `redes optimize` do. No input is overwritten, the output is locked,
// a signal leaves the journal of completed runs (and says so), and a rerun resumes from it; a
// journal of another request is refused. Under mpirun only rank 0 locks, writes and reports.
#pragma once
#include <filesystem>

#include "sim/decision/budget.hpp"
#include "sim/decision/study.hpp"

namespace redes {

/// `compare --draws`: sets opt.output to `out` and runs decision::run_draws.
decision::DrawsResult draws_to_file(decision::DrawsOptions& opt, const std::filesystem::path& out);
/// `optimize`: sets opt.draws.output to `out` and runs decision::run_budget.
decision::BudgetResult budget_to_file(decision::BudgetOptions& opt, const std::filesystem::path& out);

}  // namespace redes
