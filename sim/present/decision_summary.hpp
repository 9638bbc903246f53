// present/decision_summary: the printed summaries of `redes optimize` and `redes compare --draws`, in
// the chosen language (sim/i18n). The studies (decision/budget, decision/study) only compute and
// write files; presentation lives here. Every victim number is labelled a model estimate with its interval.
#pragma once
#include <string>

#include "sim/decision/budget.hpp"
#include "sim/decision/study.hpp"

namespace redes {

std::string describe_budget(const decision::BudgetOptions& opt, const decision::BudgetResult& res);
std::string describe_draws(const decision::DrawsOptions& opt, const decision::DrawsResult& res);

}  // namespace redes
