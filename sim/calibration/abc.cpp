#include "sim/calibration/abc.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>
#include <stdexcept>

#include "sim/core/alias_table.hpp"
#include "sim/core/statistics.hpp"

namespace redes::calib {

namespace {

constexpr double kSqrt2 = 1.4142135623730951;
constexpr double kSqrt2Pi = 2.5066282746310002;
constexpr double kInf = std::numeric_limits<double>::infinity();
// Proposal indices key the draws and fill the low 32 bits of the simulation ids.
constexpr std::uint64_t kMaxProposals = std::uint64_t(1) << 32;

std::string num(double x) {
  std::ostringstream s;
  s << x;
  return s.str();
}

/// Mass of the standard normal on [a, b], from the tail nearer to [a, b] so that far-tail
/// truncations keep their precision.
double std_normal_mass(double a, double b) {
  if (a >= 0) return 0.5 * (std::erfc(a / kSqrt2) - std::erfc(b / kSqrt2));
  if (b <= 0) return 0.5 * (std::erfc(-b / kSqrt2) - std::erfc(-a / kSqrt2));
  return 1.0 - 0.5 * std::erfc(-a / kSqrt2) - 0.5 * std::erfc(b / kSqrt2);
}

/// Standard normal truncated to [a, b] by exact rejection with the cheapest envelope (Robert 1995,
/// "Simulation of truncated normal variables"): plain normal draws when [a, b] holds most of the
/// mass, a uniform envelope on narrow intervals, a shifted exponential in a wide tail. Every case
/// accepts with probability bounded away from 0, so far-tail priors do not hang.
double std_truncated_normal(Draws& d, double a, double b) {
  if (b <= 0) return -std_truncated_normal(d, -b, -a);
  if (a < 0) {  // a < 0 < b
    if (b - a > kSqrt2Pi) {
      for (;;) {
        const double z = d.normal();
        if (z >= a && z <= b) return z;
      }
    }
    for (;;) {
      const double z = a + (b - a) * d.uniform();
      if (d.uniform() <= std::exp(-0.5 * z * z)) return z;
    }
  }
  const double root = std::sqrt(a * a + 4.0);
  const double uniform_below = 2.0 * std::sqrt(std::exp(1.0)) / (a + root) * std::exp(0.25 * (a * a - a * root));
  if (b - a < uniform_below) {
    for (;;) {
      const double z = a + (b - a) * d.uniform();
      if (d.uniform() <= std::exp(0.5 * (a * a - z * z))) return z;
    }
  }
  const double alpha = 0.5 * (a + root);
  for (;;) {
    const double z = a - std::log(d.uniform()) / alpha;
    const double accept = std::exp(-0.5 * (z - alpha) * (z - alpha));
    if (d.uniform() <= accept && z <= b) return z;
  }
}

// LogUniform parameters are perturbed in log space, where their prior is flat: the kernel then
// suits scales spanning decades. Weights use the prior density in that same (work) space.
bool log_scale(const Prior& p) { return p.kind == Prior::Kind::LogUniform; }
double to_work(const Prior& p, double x) { return log_scale(p) ? std::log(x) : x; }
double from_work(const Prior& p, double u) { return log_scale(p) ? std::exp(u) : u; }
double work_density(const Prior& p, double x) { return p.density(x) * (log_scale(p) ? x : 1.0); }

void validate(const std::vector<Prior>& priors, const AbcSettings& s) {
  auto fail = [](const std::string& what) { throw std::invalid_argument("abc_smc: " + what); };
  if (priors.empty()) fail("no priors (nothing to calibrate)");
  for (std::size_t k = 0; k < priors.size(); ++k) {
    const Prior& p = priors[k];
    const std::string who = "prior '" + p.name + "' (#" + std::to_string(k) + "): ";
    if (!std::isfinite(p.lo) || !std::isfinite(p.hi) || !(p.lo < p.hi))
      fail(who + "needs finite lo < hi, got [" + num(p.lo) + ", " + num(p.hi) + "]");
    if (p.kind == Prior::Kind::LogUniform && !(p.lo > 0)) fail(who + "LogUniform needs lo > 0, got " + num(p.lo));
    if (p.kind == Prior::Kind::Normal) {
      if (!std::isfinite(p.mean) || !(p.sd > 0) || !std::isfinite(p.sd))
        fail(who + "Normal needs a finite mean and sd > 0, got sd " + num(p.sd));
      if (!(std_normal_mass((p.lo - p.mean) / p.sd, (p.hi - p.mean) / p.sd) > 0))
        fail(who + "Normal has no numerical mass on [lo, hi]");
    }
  }
  if (s.particles < 2) fail("particles must be at least 2, got " + std::to_string(s.particles));
  if (!(s.rejection_keep > 0 && s.rejection_keep <= 1))
    fail("rejection_keep must be in (0, 1], got " + num(s.rejection_keep));
  if (s.generations < 0) fail("generations must be >= 0, got " + std::to_string(s.generations));
  if (!(s.quantile > 0 && s.quantile < 1)) fail("quantile must be in (0, 1), got " + num(s.quantile));
  if (!(s.min_acceptance >= 0 && s.min_acceptance <= 1))
    fail("min_acceptance must be in [0, 1], got " + num(s.min_acceptance));
  if (s.batch < 1) fail("batch must be at least 1, got " + std::to_string(s.batch));
}

/// Prior draws for generation 0: particles / rejection_keep, rounded up (the small relative slack
/// keeps 200 / 0.2 at 1000 despite 0.2 not being exact in binary).
std::int64_t rejection_draws(const AbcSettings& s) {
  const double want = double(s.particles) / s.rejection_keep;
  return std::max<std::int64_t>(s.particles, std::int64_t(std::ceil(want * (1.0 - 1e-12))));
}

std::vector<double> run_batch(const BatchSimulator& simulate, const std::vector<std::vector<double>>& thetas,
                              const std::vector<std::int64_t>& ids) {
  std::vector<double> d = simulate(thetas, ids);
  if (d.size() != thetas.size())
    throw std::runtime_error("abc_smc: simulator returned " + std::to_string(d.size()) + " distances for " +
                             std::to_string(thetas.size()) + " parameter vectors");
  return d;
}

/// Gaussian perturbation kernel with covariance 2 x the weighted covariance of the previous
/// particles (Beaumont et al. 2009). The Cholesky factor is hand-written: there are a few
/// parameters, and it spares a linear-algebra dependency.
class Kernel {
 public:
  Kernel(const std::vector<std::vector<double>>& u, const std::vector<double>& w) : n_(u.front().size()) {
    std::vector<double> mean(n_, 0.0);
    for (std::size_t i = 0; i < u.size(); ++i)
      for (std::size_t a = 0; a < n_; ++a) mean[a] += w[i] * u[i][a];
    std::vector<double> cov(n_ * n_, 0.0);
    for (std::size_t i = 0; i < u.size(); ++i)
      for (std::size_t a = 0; a < n_; ++a)
        for (std::size_t b = 0; b <= a; ++b) cov[a * n_ + b] += 2.0 * w[i] * (u[i][a] - mean[a]) * (u[i][b] - mean[b]);
    // Identical particles or collinear parameters give a singular matrix: add a growing jitter,
    // relative to the scale of the parameters, until the factorisation succeeds.
    double scale = 0;
    for (std::size_t a = 0; a < n_; ++a) scale = std::max({scale, cov[a * n_ + a], mean[a] * mean[a]});
    if (!(scale > 0)) scale = 1.0;
    double jitter = 0;
    for (int attempt = 0; attempt < 40; ++attempt) {
      std::vector<double> m = cov;
      for (std::size_t a = 0; a < n_; ++a) m[a * n_ + a] += jitter;
      if (factor(m)) {
        l_ = std::move(m);
        return;
      }
      jitter = jitter == 0 ? 1e-12 * scale : jitter * 10;
    }
    throw std::runtime_error("abc_smc: perturbation covariance is not positive definite even with jitter");
  }

  /// u + L z, z standard normal: a draw from N(u, 2 Sigma).
  void perturb(const std::vector<double>& u, Draws& d, std::vector<double>& out) const {
    std::vector<double> z(n_);
    for (auto& x : z) x = d.normal();
    out.assign(n_, 0.0);
    for (std::size_t a = 0; a < n_; ++a) {
      double s = u[a];
      for (std::size_t b = 0; b <= a; ++b) s += l_[a * n_ + b] * z[b];
      out[a] = s;
    }
  }

  /// Squared Mahalanobis distance |L^-1 (x - y)|^2 by forward substitution.
  double mahalanobis2(const std::vector<double>& x, const std::vector<double>& y, std::vector<double>& tmp) const {
    tmp.resize(n_);
    double q = 0;
    for (std::size_t a = 0; a < n_; ++a) {
      double s = x[a] - y[a];
      for (std::size_t b = 0; b < a; ++b) s -= l_[a * n_ + b] * tmp[b];
      tmp[a] = s / l_[a * n_ + a];
      q += tmp[a] * tmp[a];
    }
    return q;
  }

 private:
  /// In-place lower Cholesky factor (row-major); false if not positive definite.
  bool factor(std::vector<double>& m) const {
    for (std::size_t j = 0; j < n_; ++j) {
      double diag = m[j * n_ + j];
      for (std::size_t k = 0; k < j; ++k) diag -= m[j * n_ + k] * m[j * n_ + k];
      if (!(diag > 0) || !std::isfinite(diag)) return false;
      const double ljj = std::sqrt(diag);
      m[j * n_ + j] = ljj;
      for (std::size_t i = j + 1; i < n_; ++i) {
        double s = m[i * n_ + j];
        for (std::size_t k = 0; k < j; ++k) s -= m[i * n_ + k] * m[j * n_ + k];
        m[i * n_ + j] = s / ljj;
      }
    }
    for (std::size_t a = 0; a < n_; ++a)
      for (std::size_t b = a + 1; b < n_; ++b) m[a * n_ + b] = 0;
    return true;
  }

  std::size_t n_;
  std::vector<double> l_;
};

/// Normalises log-weights in place to weights summing to 1; returns the ESS 1 / sum w^2.
double normalise(std::vector<double>& w) {
  const double top = *std::max_element(w.begin(), w.end());
  double total = 0;
  for (double& x : w) total += (x = std::exp(x - top));
  double sq = 0;
  for (double& x : w) {
    x /= total;
    sq += x * x;
  }
  return 1.0 / sq;
}

}  // namespace

double Prior::sample(Draws& d) const {
  switch (kind) {
    case Kind::Uniform:
      return lo + (hi - lo) * d.uniform();
    case Kind::LogUniform: {
      const double llo = std::log(lo), lhi = std::log(hi);
      return std::clamp(std::exp(llo + (lhi - llo) * d.uniform()), lo, hi);
    }
    case Kind::Normal:
      return std::clamp(mean + sd * std_truncated_normal(d, (lo - mean) / sd, (hi - mean) / sd), lo, hi);
  }
  return lo;
}

double Prior::density(double x) const {
  if (!(x >= lo && x <= hi)) return 0.0;
  switch (kind) {
    case Kind::Uniform:
      return 1.0 / (hi - lo);
    case Kind::LogUniform:
      return 1.0 / (x * std::log(hi / lo));
    case Kind::Normal: {
      const double z = (x - mean) / sd;
      return std::exp(-0.5 * z * z) / (kSqrt2Pi * sd * std_normal_mass((lo - mean) / sd, (hi - mean) / sd));
    }
  }
  return 0.0;
}

AbcResult abc_smc(const std::vector<Prior>& priors, const AbcSettings& s, const BatchSimulator& simulate,
                  const std::function<bool(const std::vector<double>&)>& support) {
  validate(priors, s);
  const std::size_t P = priors.size();
  const std::size_t N = std::size_t(s.particles);
  const std::int64_t n0 = rejection_draws(s);
  if (n0 > s.max_simulations)
    throw std::invalid_argument("abc_smc: max_simulations (" + std::to_string(s.max_simulations) +
                                ") is below the rejection step's " + std::to_string(n0) + " simulations");
  if (std::uint64_t(n0) >= kMaxProposals) throw std::invalid_argument("abc_smc: rejection step exceeds 2^32 draws");
  const Rng rng(s.seed, 0);
  AbcResult out;

  // Generation 0: rejection from the prior, keep the N closest (ties in proposal order).
  std::vector<double> dist0;
  dist0.reserve(std::size_t(n0));
  std::vector<std::vector<double>> all0;
  all0.reserve(std::size_t(n0));
  for (std::int64_t first = 0; first < n0; first += s.batch) {
    const std::int64_t end = std::min<std::int64_t>(n0, first + s.batch);
    std::vector<std::vector<double>> thetas;
    std::vector<std::int64_t> ids;
    for (std::int64_t k = first; k < end; ++k) {
      std::vector<double> theta(P);
      for (std::uint32_t attempt = 0;; ++attempt) {
        Draws d(rng, std::uint32_t(k), attempt, Stream::AbcPrior);
        for (std::size_t p = 0; p < P; ++p) theta[p] = priors[p].sample(d);
        if (!support || support(theta)) break;
        if (attempt == 1000000)
          throw std::runtime_error("abc_smc: no prior draw inside the support in a million attempts");
      }
      thetas.push_back(std::move(theta));
      ids.push_back(k);
    }
    for (double x : run_batch(simulate, thetas, ids)) dist0.push_back(std::isnan(x) ? kInf : x);
    for (auto& t : thetas) all0.push_back(std::move(t));
  }
  std::vector<std::size_t> order(static_cast<std::size_t>(n0));
  std::iota(order.begin(), order.end(), std::size_t(0));
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return dist0[a] < dist0[b]; });
  Generation g0;
  for (std::size_t i = 0; i < N; ++i) {
    g0.theta.push_back(all0[order[i]]);
    g0.distance.push_back(dist0[order[i]]);
    g0.id.push_back(std::int64_t(order[i]));  // generation 0 ids are the proposal indices
  }
  g0.epsilon = g0.distance.back();
  g0.weight.assign(N, 1.0 / double(N));
  g0.simulations = n0;
  g0.acceptance = double(N) / double(n0);
  g0.ess = double(N);
  out.generations.push_back(std::move(g0));
  std::int64_t used = n0;

  auto to_work_row = [&](const std::vector<double>& theta) {
    std::vector<double> u(P);
    for (std::size_t p = 0; p < P; ++p) u[p] = to_work(priors[p], theta[p]);
    return u;
  };
  std::vector<std::vector<double>> prev_work;
  for (const auto& theta : out.generations[0].theta) prev_work.push_back(to_work_row(theta));

  for (int t = 1; t <= s.generations; ++t) {
    const Generation& prev = out.generations.back();
    const Kernel kernel(prev_work, prev.weight);
    const AliasTable pick(prev.weight);
    Generation g;
    g.epsilon = quantile(prev.distance, s.quantile);
    std::vector<std::vector<double>> work;
    std::int64_t simulated = 0;
    std::uint64_t next = 0;  // proposal index, including those outside the support
    std::string stop;
    std::vector<double> u, theta(P);
    while (g.theta.size() < N) {
      const std::int64_t room = s.max_simulations - used - simulated;
      if (room <= 0) {
        stop = "simulation budget of " + std::to_string(s.max_simulations) + " exhausted in generation " +
               std::to_string(t) + " after " + std::to_string(g.theta.size()) + " of " + std::to_string(N) +
               " particles; returning generation " + std::to_string(t - 1);
        break;
      }
      const std::size_t cap = std::size_t(std::min<std::int64_t>(s.batch, room));
      std::vector<std::vector<double>> thetas, works;
      std::vector<std::int64_t> ids;
      while (thetas.size() < cap && next < kMaxProposals) {
        Draws r(rng, std::uint32_t(next), std::uint32_t(t), Stream::AbcResample);
        Draws d(rng, std::uint32_t(next), std::uint32_t(t), Stream::AbcPerturb);
        kernel.perturb(prev_work[pick.draw(r)], d, u);
        bool inside = true;
        for (std::size_t p = 0; p < P && inside; ++p) {
          theta[p] = from_work(priors[p], u[p]);
          inside = theta[p] >= priors[p].lo && theta[p] <= priors[p].hi;
        }
        if (inside && support) inside = support(theta);
        if (inside) {
          thetas.push_back(theta);
          works.push_back(u);
          ids.push_back(std::int64_t(std::uint64_t(t) << 32 | next));
        }
        ++next;
      }
      const std::vector<double> dist = thetas.empty() ? std::vector<double>{} : run_batch(simulate, thetas, ids);
      for (std::size_t k = 0; k < dist.size() && g.theta.size() < N; ++k) {
        ++simulated;
        if (dist[k] <= g.epsilon) {  // false for NaN
          g.theta.push_back(std::move(thetas[k]));
          g.distance.push_back(dist[k]);
          g.id.push_back(ids[k]);
          work.push_back(std::move(works[k]));
        }
      }
      if (g.theta.size() < N && next >= kMaxProposals) {
        stop = "proposal limit of 2^32 reached in generation " + std::to_string(t) + "; returning generation " +
               std::to_string(t - 1);
        break;
      }
    }
    if (!stop.empty()) {
      out.stop_reason = stop;
      break;
    }

    // w_i proportional to prior(u_i) / sum_j w_j K(u_i | u_j), in log space for far particles.
    std::vector<double> logw(N), lw_prev(N), tmp;
    for (std::size_t j = 0; j < N; ++j) lw_prev[j] = prev.weight[j] > 0 ? std::log(prev.weight[j]) : -kInf;
    std::vector<double> terms(N);
    for (std::size_t i = 0; i < N; ++i) {
      double log_prior = 0;
      for (std::size_t p = 0; p < P; ++p) log_prior += std::log(work_density(priors[p], g.theta[i][p]));
      double top = -kInf;
      for (std::size_t j = 0; j < N; ++j) {
        terms[j] = lw_prev[j] - 0.5 * kernel.mahalanobis2(work[i], prev_work[j], tmp);
        top = std::max(top, terms[j]);
      }
      double sum = 0;
      for (double x : terms) sum += std::exp(x - top);
      logw[i] = log_prior - (top + std::log(sum));
    }
    g.ess = normalise(logw);
    g.weight = std::move(logw);
    g.simulations = simulated;
    g.acceptance = double(N) / double(simulated);
    used += simulated;
    prev_work = std::move(work);
    out.generations.push_back(std::move(g));
    const Generation& done = out.generations.back();
    if (done.acceptance < s.min_acceptance) {
      out.stop_reason = "acceptance below min_acceptance in generation " + std::to_string(t) + " (" +
                        num(done.acceptance) + " < " + num(s.min_acceptance) + ")";
      break;
    }
  }
  if (out.stop_reason.empty()) out.stop_reason = "generations done";
  return out;
}

double weighted_quantile(const Generation& g, std::size_t parameter, double q) {
  if (g.theta.empty() || g.weight.size() != g.theta.size())
    throw std::invalid_argument("weighted_quantile: empty generation or weights not matching particles");
  if (parameter >= g.theta.front().size())
    throw std::out_of_range("weighted_quantile: parameter " + std::to_string(parameter) + " of " +
                            std::to_string(g.theta.front().size()));
  std::vector<std::pair<double, double>> vw;  // (value, weight)
  for (std::size_t i = 0; i < g.theta.size(); ++i) vw.emplace_back(g.theta[i][parameter], g.weight[i]);
  return weighted_quantile(vw, q);
}

double weighted_quantile(std::vector<std::pair<double, double>>& vw, double q) {
  if (!(q >= 0 && q <= 1)) throw std::invalid_argument("weighted_quantile: q must be in [0, 1], got " + num(q));
  std::erase_if(vw, [](const auto& p) { return !(p.second > 0); });
  if (vw.empty()) throw std::invalid_argument("weighted_quantile: all weights are zero");
  std::sort(vw.begin(), vw.end());
  double total = 0;
  for (const auto& [x, w] : vw) total += w;
  // Each value sits at the midpoint of its cumulative weight; interpolate between neighbours.
  double before = 0, prev_pos = 0, prev_x = 0;
  for (std::size_t i = 0; i < vw.size(); ++i) {
    const double pos = (before + 0.5 * vw[i].second) / total;
    if (q <= pos) {
      if (i == 0) return vw[0].first;
      return prev_x + (q - prev_pos) / (pos - prev_pos) * (vw[i].first - prev_x);
    }
    before += vw[i].second;
    prev_pos = pos;
    prev_x = vw[i].first;
  }
  return vw.back().first;
}

}  // namespace redes::calib
