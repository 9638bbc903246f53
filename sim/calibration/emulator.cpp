#include "sim/calibration/emulator.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "sim/core/rng.hpp"
#include "sim/sweep/design.hpp"

namespace redes::calib {

namespace {

constexpr double kLog2Pi = 1.8378770664093453;
constexpr double kInf = std::numeric_limits<double>::infinity();

// Nelder-Mead simplex minimiser (Nelder & Mead 1965, standard coefficients). Hand-written: the
// only optimisation here is a derivative-free search over a handful of log-hyperparameters inside
// a box; Eigen has no optimiser and a dependency for these 40 lines would not pay.
std::vector<double> nelder_mead(const std::function<double(const std::vector<double>&)>& f,
                                const std::vector<double>& x0, double step, int max_evals) {
  const std::size_t n = x0.size();
  std::vector<std::vector<double>> p(n + 1, x0);
  std::vector<double> fv(n + 1);
  for (std::size_t i = 0; i < n; ++i) p[i + 1][i] += step;
  for (std::size_t i = 0; i <= n; ++i) fv[i] = f(p[i]);
  int evals = int(n) + 1;
  std::vector<std::size_t> idx(n + 1);
  while (evals < max_evals) {
    std::iota(idx.begin(), idx.end(), std::size_t(0));
    std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return fv[a] < fv[b]; });
    const std::size_t best = idx[0], worst = idx[n], second = idx[n - 1];
    if (std::abs(fv[worst] - fv[best]) < 1e-7 * (1 + std::abs(fv[best]))) break;
    std::vector<double> c(n, 0.0);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t k = 0; k <= n; ++k)
        if (k != worst) c[i] += p[k][i] / double(n);
    auto along = [&](double t) {
      std::vector<double> q(n);
      for (std::size_t i = 0; i < n; ++i) q[i] = c[i] + t * (p[worst][i] - c[i]);
      return q;
    };
    std::vector<double> r = along(-1.0);
    const double fr = f(r);
    ++evals;
    if (fr < fv[best]) {
      std::vector<double> e = along(-2.0);
      const double fe = f(e);
      ++evals;
      if (fe < fr)
        p[worst] = e, fv[worst] = fe;
      else
        p[worst] = r, fv[worst] = fr;
    } else if (fr < fv[second]) {
      p[worst] = r, fv[worst] = fr;
    } else {
      std::vector<double> k = along(fr < fv[worst] ? -0.5 : 0.5);
      const double fk = f(k);
      ++evals;
      if (fk < std::min(fr, fv[worst])) {
        p[worst] = k, fv[worst] = fk;
      } else {  // shrink towards the best
        for (std::size_t j = 0; j <= n; ++j) {
          if (j == best) continue;
          for (std::size_t i = 0; i < n; ++i) p[j][i] = p[best][i] + 0.5 * (p[j][i] - p[best][i]);
          fv[j] = f(p[j]);
          ++evals;
        }
      }
    }
  }
  return p[std::size_t(std::min_element(fv.begin(), fv.end()) - fv.begin())];
}

// Hyperparameter box, in logs: length scales 0.02-10 (the cube has side 1), signal variance
// 0.01-100 and nugget 1e-6-2 (outputs are standardised).
constexpr double kLogLenLo = -3.912, kLogLenHi = 2.303, kLogSigLo = -4.605, kLogSigHi = 4.605, kLogNugLo = -13.8,
                 kLogNugHi = 0.693;

}  // namespace

double Emulator::kernel(const std::vector<double>& a, const std::vector<double>& b) const {
  double s = 0;
  for (std::size_t k = 0; k < a.size(); ++k) {
    const double t = (a[k] - b[k]) / length_[k];
    s += t * t;
  }
  return signal_ * std::exp(-0.5 * s);
}

double Emulator::mean_at(const std::vector<double>& x) const {
  double m = beta_[0];
  for (std::size_t k = 0; k < x.size(); ++k) m += beta_[k + 1] * x[k];
  return m;
}

Emulator Emulator::fit(const std::vector<std::vector<double>>& x, const std::vector<double>& y) {
  const std::size_t n = x.size(), d = n ? x[0].size() : 0;
  if (d == 0 || n < d + 3)
    throw std::invalid_argument("Emulator::fit: need at least dims + 3 points, got " + std::to_string(n));
  if (y.size() != n) throw std::invalid_argument("Emulator::fit: outputs and points differ in number");
  for (std::size_t i = 0; i < n; ++i) {
    if (x[i].size() != d) throw std::invalid_argument("Emulator::fit: ragged points");
    if (!std::isfinite(y[i])) throw std::invalid_argument("Emulator::fit: non-finite output");
  }
  Emulator e;
  e.x_ = x;
  // Linear mean by least squares; the GP models what it leaves.
  Eigen::MatrixXd H(n, d + 1);
  Eigen::VectorXd Y(n);
  for (std::size_t i = 0; i < n; ++i) {
    H(Eigen::Index(i), 0) = 1;
    for (std::size_t k = 0; k < d; ++k) H(Eigen::Index(i), Eigen::Index(k + 1)) = x[i][k];
    Y(Eigen::Index(i)) = y[i];
  }
  const Eigen::VectorXd beta = H.colPivHouseholderQr().solve(Y);
  e.beta_.assign(beta.data(), beta.data() + beta.size());
  const Eigen::VectorXd r = Y - H * beta;
  const double sd = std::sqrt(r.squaredNorm() / double(n));
  e.scale_ = sd > 1e-12 * (1 + Y.cwiseAbs().maxCoeff()) ? sd : 1.0;
  const Eigen::VectorXd rs = r / e.scale_;
  e.resid_.assign(rs.data(), rs.data() + rs.size());
  // Squared differences per input, reused by every likelihood evaluation.
  std::vector<Eigen::MatrixXd> D(d, Eigen::MatrixXd(n, n));
  for (std::size_t k = 0; k < d; ++k)
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j)
        D[k](Eigen::Index(i), Eigen::Index(j)) = (x[i][k] - x[j][k]) * (x[i][k] - x[j][k]);
  auto clamp_theta = [&](std::vector<double> t) {
    for (std::size_t k = 0; k < d; ++k) t[k] = std::clamp(t[k], kLogLenLo, kLogLenHi);
    t[d] = std::clamp(t[d], kLogSigLo, kLogSigHi);
    t[d + 1] = std::clamp(t[d + 1], kLogNugLo, kLogNugHi);
    return t;
  };
  auto build = [&](const std::vector<double>& t) {
    Eigen::MatrixXd S = Eigen::MatrixXd::Zero(Eigen::Index(n), Eigen::Index(n));
    for (std::size_t k = 0; k < d; ++k) S += D[k] * (0.5 * std::exp(-2 * t[k]));
    Eigen::MatrixXd K = std::exp(t[d]) * (-S.array()).exp().matrix();
    K.diagonal().array() += std::exp(t[d + 1]);
    return K;
  };
  auto neg_lml = [&](const std::vector<double>& raw) {
    const std::vector<double> t = clamp_theta(raw);
    Eigen::LLT<Eigen::MatrixXd> llt(build(t));
    if (llt.info() != Eigen::Success) return kInf;
    const Eigen::VectorXd a = llt.solve(rs);
    const double logdet = 2 * llt.matrixL().toDenseMatrix().diagonal().array().log().sum();
    // Out-of-box moves are clamped; the penalty steers the simplex back inside.
    double pen = 0;
    for (std::size_t k = 0; k < raw.size(); ++k) pen += (raw[k] - t[k]) * (raw[k] - t[k]);
    return 0.5 * rs.dot(a) + 0.5 * logdet + 0.5 * double(n) * kLog2Pi + pen;
  };
  // Two starts (short and long length scales); keep the better optimum.
  std::vector<double> best;
  double best_f = kInf;
  for (double len : {0.25, 1.0}) {
    std::vector<double> t0(d + 2, std::log(len));
    t0[d] = 0.0;
    t0[d + 1] = std::log(0.05);
    const std::vector<double> t = clamp_theta(nelder_mead(neg_lml, t0, 1.0, 300 * int(d + 2)));
    const double f = neg_lml(t);
    if (f < best_f) best_f = f, best = t;
  }
  if (!std::isfinite(best_f)) throw std::runtime_error("Emulator::fit: no positive-definite covariance");
  e.length_.resize(d);
  for (std::size_t k = 0; k < d; ++k) e.length_[k] = std::exp(best[k]);
  e.signal_ = std::exp(best[d]);
  e.nugget_ = std::exp(best[d + 1]);
  e.lml_ = -best_f;
  const Eigen::MatrixXd K = build(best);
  Eigen::LLT<Eigen::MatrixXd> llt(K);
  const Eigen::MatrixXd Kinv = llt.solve(Eigen::MatrixXd::Identity(Eigen::Index(n), Eigen::Index(n)));
  const Eigen::VectorXd a = Kinv * rs;
  e.alpha_.assign(a.data(), a.data() + a.size());
  e.kinv_.resize(n * n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) e.kinv_[i * n + j] = Kinv(Eigen::Index(i), Eigen::Index(j));
  return e;
}

Emulator::Prediction Emulator::predict(const std::vector<double>& x) const {
  const std::size_t n = x_.size();
  std::vector<double> k(n);
  double m = 0;
  for (std::size_t i = 0; i < n; ++i) {
    k[i] = kernel(x, x_[i]);
    m += k[i] * alpha_[i];
  }
  double q = 0;  // k' K^-1 k
  for (std::size_t i = 0; i < n; ++i) {
    double s = 0;
    for (std::size_t j = 0; j < n; ++j) s += kinv_[i * n + j] * k[j];
    q += k[i] * s;
  }
  const double var = std::max(signal_ + nugget_ - q, nugget_);
  return {mean_at(x) + scale_ * m, scale_ * scale_ * var};
}

std::vector<Emulator::Prediction> Emulator::leave_one_out() const {
  const std::size_t n = x_.size();
  std::vector<Prediction> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double kii = kinv_[i * n + i];
    out[i].mean = mean_at(x_[i]) + scale_ * (resid_[i] - alpha_[i] / kii);
    out[i].var = scale_ * scale_ / kii;
  }
  return out;
}

double implausibility(double observed, const Emulator::Prediction& p, double var_obs, double var_model) {
  return std::abs(observed - p.mean) / std::sqrt(p.var + var_obs + var_model);
}

double ranked_implausibility(std::vector<double> v, int rank) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end(), std::greater<>());
  return v[std::min<std::size_t>(std::size_t(std::max(rank, 0)), v.size() - 1)];
}

LooDiagnostics loo_diagnostics(const Emulator& e, const std::vector<double>& y) {
  const auto loo = e.leave_one_out();
  LooDiagnostics d;
  double se = 0;
  int inside = 0;
  for (std::size_t i = 0; i < loo.size(); ++i) {
    const double err = y[i] - loo[i].mean, z = err / std::sqrt(loo[i].var);
    se += err * err;
    d.max_abs_z = std::max(d.max_abs_z, std::abs(z));
    inside += std::abs(z) <= 2.0;
  }
  d.rmse = loo.empty() ? 0 : std::sqrt(se / double(loo.size()));
  d.coverage = loo.empty() ? 0 : double(inside) / double(loo.size());
  return d;
}

bool HistoryMatchResult::plausible(const std::vector<double>& u) const { return worst(u) <= cutoff; }

double HistoryMatchResult::worst(const std::vector<double>& u) const {
  double w = 0;
  for (const auto& wave : emulators) {
    std::vector<double> imp;
    for (std::size_t t = 0; t < wave.size(); ++t)
      if (wave[t])
        imp.push_back(
            implausibility(targets[t].observed, wave[t]->predict(u), targets[t].var_obs, targets[t].var_model));
    w = std::max(w, ranked_implausibility(std::move(imp), rank));
  }
  return w;
}

namespace {

// Greedy maximin subset: start from the first point, add the one farthest from those chosen.
std::vector<std::vector<double>> maximin_subset(const std::vector<std::vector<double>>& pts, std::size_t m) {
  if (pts.size() <= m) return pts;
  std::vector<double> dmin(pts.size(), kInf);
  std::vector<std::vector<double>> out;
  std::size_t next = 0;
  while (out.size() < m) {
    out.push_back(pts[next]);
    std::size_t far = 0;
    for (std::size_t i = 0; i < pts.size(); ++i) {
      double s = 0;
      for (std::size_t k = 0; k < pts[i].size(); ++k) s += (pts[i][k] - pts[next][k]) * (pts[i][k] - pts[next][k]);
      dmin[i] = std::min(dmin[i], s);
      if (dmin[i] > dmin[far]) far = i;
    }
    next = far;
  }
  return out;
}

}  // namespace

HistoryMatchResult history_match(std::size_t dims, const std::vector<MatchTarget>& targets,
                                 const HistoryMatchSettings& s, const UnitSimulator& simulate) {
  if (dims == 0 || targets.empty()) throw std::invalid_argument("history_match: no parameters or no targets");
  if (s.waves < 1 || s.design < int(dims) + 3 || s.candidates < 1 || !(s.cutoff > 0))
    throw std::invalid_argument(
        "history_match: needs waves >= 1, design >= parameters + 3, candidates >= 1, cutoff > 0");
  HistoryMatchResult res;
  res.cutoff = s.cutoff;
  res.rank = s.rank;
  res.targets = targets;
  const Rng rng(s.seed, 0);
  std::vector<std::vector<double>> space;  // candidates non-implausible so far
  double space_fraction = 1.0;
  for (int w = 0; w < s.waves; ++w) {
    Wave wave;
    // Candidates inside the current space: the whole cube at first, then uniform draws in the
    // survivors' bounding box (widened by a tenth of its side) that every earlier wave keeps.
    std::vector<std::vector<double>> cand;
    double box_volume = 1.0, kept_share = 1.0;
    if (w == 0) {
      const auto lhs = sweep::latin_hypercube(std::size_t(s.candidates), dims, s.seed ^ 0x9e3779b9u);
      for (std::size_t i = 0; i < lhs.points; ++i)
        cand.emplace_back(lhs.u.begin() + long(i * dims), lhs.u.begin() + long((i + 1) * dims));
    } else {
      std::vector<double> lo(dims, 1.0), hi(dims, 0.0);
      for (const auto& p : space)
        for (std::size_t k = 0; k < dims; ++k) lo[k] = std::min(lo[k], p[k]), hi[k] = std::max(hi[k], p[k]);
      for (std::size_t k = 0; k < dims; ++k) {
        const double pad = 0.1 * (hi[k] - lo[k]) + 1e-3;
        lo[k] = std::max(0.0, lo[k] - pad), hi[k] = std::min(1.0, hi[k] + pad);
        box_volume *= hi[k] - lo[k];
      }
      int drawn = 0;
      for (int i = 0; i < s.candidates; ++i) {
        Draws d(rng, std::uint32_t(i), std::uint32_t(w), Stream::HistoryMatch, 0);
        std::vector<double> u(dims);
        for (std::size_t k = 0; k < dims; ++k) u[k] = lo[k] + (hi[k] - lo[k]) * d.uniform();
        ++drawn;
        if (res.plausible(u)) cand.push_back(std::move(u));
      }
      kept_share = drawn ? double(cand.size()) / double(drawn) : 0.0;
    }
    if (cand.empty()) break;
    // The wave's design: a Latin hypercube of the cube first, then a maximin subset of the space.
    if (w == 0) {
      const auto lhs = sweep::latin_hypercube(std::size_t(s.design), dims, s.seed);
      for (std::size_t i = 0; i < lhs.points; ++i)
        wave.design.emplace_back(lhs.u.begin() + long(i * dims), lhs.u.begin() + long((i + 1) * dims));
    } else {
      wave.design = maximin_subset(cand, std::size_t(s.design));
    }
    std::vector<std::int64_t> ids;
    for (std::size_t i = 0; i < wave.design.size(); ++i) ids.push_back(std::int64_t(w) << 32 | std::int64_t(i));
    const auto outputs = simulate(wave.design, ids);
    if (outputs.size() != wave.design.size())
      throw std::runtime_error("history_match: simulator returned the wrong number of rows");
    wave.simulations = int(wave.design.size());
    std::vector<std::optional<Emulator>> ems(targets.size());
    wave.loo.resize(targets.size());
    for (std::size_t t = 0; t < targets.size(); ++t) {
      std::vector<std::vector<double>> x;
      std::vector<double> y;
      for (std::size_t i = 0; i < outputs.size(); ++i)
        if (outputs[i].size() == targets.size() && std::isfinite(outputs[i][t]))
          x.push_back(wave.design[i]), y.push_back(outputs[i][t]);
      if (x.size() < dims + 3) continue;  // cannot emulate: this output rules nothing out this wave
      ems[t] = Emulator::fit(x, y);
      wave.loo[t] = loo_diagnostics(*ems[t], y);
    }
    res.emulators.push_back(std::move(ems));
    std::vector<std::vector<double>> kept;
    for (auto& u : cand)
      if (res.plausible(u)) kept.push_back(std::move(u));
    wave.nonimplausible_fraction = double(kept.size()) / double(cand.size());
    space_fraction = w == 0 ? wave.nonimplausible_fraction : box_volume * kept_share * wave.nonimplausible_fraction;
    wave.space_fraction = space_fraction;
    res.waves.push_back(std::move(wave));
    space = std::move(kept);
    if (space.empty()) break;
  }
  res.nonimplausible = std::move(space);
  return res;
}

}  // namespace redes::calib
