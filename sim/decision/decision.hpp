// decision/decision: cost-effectiveness and value of information over draws of an uncertain
// model. Inputs are per-draw costs (USD) and effects (victims averted) of each option, with
// option 0 usually the comparator (no intervention). Every output is a model estimate.
#pragma once
#include <string>
#include <vector>

namespace redes::decision {

/// draws x options, row-major: m[d][k].
using Matrix = std::vector<std::vector<double>>;

enum class Status { Frontier, Dominated, ExtendedlyDominated };
const char* status_name(Status s);

struct FrontierRow {
  Status status = Status::Frontier;
  double icer = 0;  // USD per extra victim averted vs `versus`; NaN for the cheapest frontier option and off it
  int versus = -1;  // the previous option on the frontier (-1: none)
};

/// Efficiency frontier of options with mean `cost` and `effect`: options another option beats
/// on both (dominated) or that a mix of two neighbours beats (extendedly dominated: its ICER is
/// above the next one's) are marked; ICERs are between successive frontier options.
std::vector<FrontierRow> efficiency_frontier(const std::vector<double>& cost, const std::vector<double>& effect);

/// Net benefit of option k in draw d at willingness to pay `wtp` per victim averted.
Matrix net_benefit(const Matrix& cost, const Matrix& effect, double wtp);

/// Cost-effectiveness acceptability: for each wtp, the share of draws in which each option has
/// the highest net benefit (ties go to the lower index, so each row sums to 1). [wtp][option].
Matrix acceptability(const Matrix& cost, const Matrix& effect, const std::vector<double>& wtps);

/// Expected value of perfect information per decision: E[max_k NB] - max_k E[NB].
double evpi(const Matrix& nb);

/// Expected value of partial perfect information about one parameter (its value in each draw),
/// by Strong and Oakley's (2014) regression estimator: each option's net benefit is regressed
/// on the parameter with a cubic regression spline, and the fitted values stand in for the
/// conditional expectations: E[max_k g_k(theta)] - max_k E[g_k(theta)].
double evppi(const Matrix& nb, const std::vector<double>& parameter);

/// Fitted values of a least-squares cubic regression spline of y on x (knots at quantiles of x;
/// fewer terms when there are few points). Exposed for tests.
std::vector<double> smooth_fit(const std::vector<double>& x, const std::vector<double>& y);

/// Law of total variance for values[draw][replicate]: the share from parameter uncertainty
/// (variance of the draw means) and from stochastic noise (mean within-draw variance).
struct VarianceSplit {
  double total = 0, parameter = 0, stochastic = 0;
};
VarianceSplit variance_split(const Matrix& values);

}  // namespace redes::decision
