#include "sim/decision/decision.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace redes::decision {

const char* status_name(Status s) {
  switch (s) {
    case Status::Frontier:
      return "frontier";
    case Status::Dominated:
      return "dominated";
    case Status::ExtendedlyDominated:
      return "extendedly dominated";
  }
  return "";
}

std::vector<FrontierRow> efficiency_frontier(const std::vector<double>& cost, const std::vector<double>& effect) {
  const std::size_t n = cost.size();
  if (effect.size() != n) throw std::invalid_argument("efficiency_frontier: cost and effect differ in length");
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<FrontierRow> rows(n, FrontierRow{Status::Frontier, nan, -1});
  // Strong dominance: another option costs no more and averts no fewer, and is better in one.
  // Of exact duplicates the first stays.
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      if (i == j) continue;
      const bool no_worse = cost[j] <= cost[i] && effect[j] >= effect[i];
      const bool better = cost[j] < cost[i] || effect[j] > effect[i];
      if (no_worse && (better || j < i)) rows[i].status = Status::Dominated;
    }
  std::vector<int> front;
  for (std::size_t i = 0; i < n; ++i)
    if (rows[i].status == Status::Frontier) front.push_back(int(i));
  std::sort(front.begin(), front.end(), [&](int a, int b) { return cost[a] < cost[b]; });
  // Extended dominance: drop any option whose ICER exceeds the next one's, until ICERs rise.
  auto icer = [&](int a, int b) { return (cost[b] - cost[a]) / (effect[b] - effect[a]); };
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t k = 1; k + 1 < front.size(); ++k)
      if (icer(front[k - 1], front[k]) > icer(front[k], front[k + 1])) {
        rows[front[k]].status = Status::ExtendedlyDominated;
        front.erase(front.begin() + std::ptrdiff_t(k));
        changed = true;
        break;
      }
  }
  for (std::size_t k = 1; k < front.size(); ++k) {
    rows[front[k]].icer = icer(front[k - 1], front[k]);
    rows[front[k]].versus = front[k - 1];
  }
  return rows;
}

Matrix net_benefit(const Matrix& cost, const Matrix& effect, double wtp) {
  Matrix nb(cost.size());
  for (std::size_t d = 0; d < cost.size(); ++d) {
    nb[d].resize(cost[d].size());
    for (std::size_t k = 0; k < cost[d].size(); ++k) nb[d][k] = wtp * effect[d][k] - cost[d][k];
  }
  return nb;
}

Matrix acceptability(const Matrix& cost, const Matrix& effect, const std::vector<double>& wtps) {
  Matrix out;
  for (double w : wtps) {
    const Matrix nb = net_benefit(cost, effect, w);
    std::vector<double> p(nb.empty() ? 0 : nb[0].size(), 0.0);
    for (const auto& row : nb) p[std::size_t(std::max_element(row.begin(), row.end()) - row.begin())] += 1.0;
    for (double& x : p) x /= double(nb.size());
    out.push_back(std::move(p));
  }
  return out;
}

namespace {

double max_of_means(const Matrix& m) {
  if (m.empty()) return 0;
  double best = -std::numeric_limits<double>::infinity();
  for (std::size_t k = 0; k < m[0].size(); ++k) {
    double s = 0;
    for (const auto& row : m) s += row[k];
    best = std::max(best, s / double(m.size()));
  }
  return best;
}

double mean_of_max(const Matrix& m) {
  double s = 0;
  for (const auto& row : m) s += *std::max_element(row.begin(), row.end());
  return m.empty() ? 0 : s / double(m.size());
}

}  // namespace

double evpi(const Matrix& nb) { return mean_of_max(nb) - max_of_means(nb); }

std::vector<double> smooth_fit(const std::vector<double>& x, const std::vector<double>& y) {
  const std::size_t n = x.size();
  if (n == 0) return {};
  // Standardised x keeps the truncated power basis well conditioned.
  const double mean = std::accumulate(x.begin(), x.end(), 0.0) / double(n);
  double var = 0;
  for (double v : x) var += (v - mean) * (v - mean);
  const double sd = std::sqrt(var / double(n));
  if (!(sd > 0)) return std::vector<double>(n, std::accumulate(y.begin(), y.end(), 0.0) / double(n));
  // Few draws support few terms: about one term per 10 points, at most cubic + 5 knots.
  const int degree = n >= 40 ? 3 : n >= 10 ? 1 : 0;
  const int knots = degree == 3 ? int(std::min<std::size_t>(5, (n - 40) / 40)) : 0;
  std::vector<double> z(n), sorted(n);
  for (std::size_t i = 0; i < n; ++i) z[i] = sorted[i] = (x[i] - mean) / sd;
  std::sort(sorted.begin(), sorted.end());
  std::vector<double> kappa;
  for (int j = 1; j <= knots; ++j) kappa.push_back(sorted[std::size_t(double(j) / (knots + 1) * double(n - 1))]);
  const int p = 1 + degree + knots;
  Eigen::MatrixXd X(n, p);
  Eigen::VectorXd Y(n);
  for (std::size_t i = 0; i < n; ++i) {
    double pw = 1;
    for (int c = 0; c <= degree; ++c, pw *= z[i]) X(Eigen::Index(i), c) = pw;
    for (int j = 0; j < knots; ++j)
      X(Eigen::Index(i), 1 + degree + j) = std::pow(std::max(0.0, z[i] - kappa[std::size_t(j)]), 3);
    Y(Eigen::Index(i)) = y[i];
  }
  // Column-pivoting QR copes with collinear columns (ties in x, repeated knots).
  const Eigen::VectorXd beta = X.colPivHouseholderQr().solve(Y);
  const Eigen::VectorXd fit = X * beta;
  return std::vector<double>(fit.data(), fit.data() + fit.size());
}

double evppi(const Matrix& nb, const std::vector<double>& parameter) {
  if (nb.empty()) return 0;
  if (parameter.size() != nb.size()) throw std::invalid_argument("evppi: one parameter value per draw needed");
  const std::size_t options = nb[0].size();
  Matrix fitted(nb.size(), std::vector<double>(options));
  std::vector<double> y(nb.size());
  for (std::size_t k = 0; k < options; ++k) {
    for (std::size_t d = 0; d < nb.size(); ++d) y[d] = nb[d][k];
    const auto g = smooth_fit(parameter, y);
    for (std::size_t d = 0; d < nb.size(); ++d) fitted[d][k] = g[d];
  }
  return mean_of_max(fitted) - max_of_means(fitted);
}

VarianceSplit variance_split(const Matrix& values) {
  VarianceSplit v;
  std::vector<double> means;
  double within = 0;
  std::size_t count = 0;
  double grand = 0;
  for (const auto& row : values) {
    if (row.empty()) continue;
    const double m = std::accumulate(row.begin(), row.end(), 0.0) / double(row.size());
    means.push_back(m);
    double w = 0;
    for (double x : row) w += (x - m) * (x - m);
    within += row.size() > 1 ? w / double(row.size() - 1) : 0.0;
    grand += m;
    ++count;
  }
  if (count == 0) return v;
  grand /= double(count);
  double between = 0;
  for (double m : means) between += (m - grand) * (m - grand);
  v.stochastic = within / double(count);
  // The variance of draw means includes stochastic noise / R; subtract it (floored at 0).
  const double r = double(values[0].size());
  v.parameter = count > 1 ? std::max(0.0, between / double(count - 1) - v.stochastic / r) : 0.0;
  v.total = v.parameter + v.stochastic;
  return v;
}

}  // namespace redes::decision
