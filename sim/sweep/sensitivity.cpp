#include "sim/sweep/sensitivity.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "sim/core/rng.hpp"
#include "sim/core/statistics.hpp"

namespace redes::sweep {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Estimate {
  std::vector<double> first, total;
  double variance = 0;
};

// Indices over the base rows listed in `rows` (all rows, or a bootstrap resample).
Estimate estimate(std::size_t dims, const std::vector<double>& f, const std::vector<std::uint32_t>& rows) {
  const std::size_t stride = dims + 2;
  const double m = double(rows.size());
  Estimate e;
  e.first.assign(dims, kNaN);
  e.total.assign(dims, kNaN);

  double mean = 0, lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (std::uint32_t j : rows) {
    const double fa = f[j * stride], fb = f[j * stride + 1];
    mean += fa + fb;
    lo = std::min({lo, fa, fb});
    hi = std::max({hi, fa, fb});
  }
  mean /= 2 * m;
  if (!std::isfinite(mean)) {
    e.variance = kNaN;
    return e;
  }
  // An exact test for constant output: a two-pass variance of identical values can come out a
  // rounding residue instead of 0, and the indices would be residue / residue.
  if (!(hi > lo)) return e;
  double ss = 0;
  for (std::uint32_t j : rows) {
    const double da = f[j * stride] - mean, db = f[j * stride + 1] - mean;
    ss += da * da + db * db;
  }
  e.variance = ss / (2 * m);

  std::vector<double> vi(dims, 0.0), vt(dims, 0.0);
  for (std::uint32_t j : rows) {
    const double* row = &f[j * stride];
    const double fa = row[0], fb = row[1] - mean;
    for (std::size_t i = 0; i < dims; ++i) {
      const double d = row[2 + i] - fa;
      vi[i] += fb * d;
      vt[i] += d * d;
    }
  }
  for (std::size_t i = 0; i < dims; ++i) {
    const double s = vi[i] / m / e.variance, st = vt[i] / (2 * m) / e.variance;
    // An infinite output gives +-inf or NaN; neither is an index, so report NaN alike.
    e.first[i] = std::isfinite(s) ? s : kNaN;
    e.total[i] = std::isfinite(st) ? st : kNaN;
  }
  return e;
}

}  // namespace

SobolIndices sobol_indices(std::size_t n, std::size_t dims, const std::vector<double>& f, int resamples, double level,
                           std::uint32_t seed) {
  if (n < 2) throw std::invalid_argument("sobol_indices: n (base rows) must be at least 2, got " + std::to_string(n));
  if (dims == 0) throw std::invalid_argument("sobol_indices: dims must be at least 1");
  if (n > std::numeric_limits<std::uint32_t>::max()) throw std::invalid_argument("sobol_indices: n must be below 2^32");
  if (f.size() != n * (dims + 2))
    throw std::invalid_argument("sobol_indices: f has " + std::to_string(f.size()) +
                                " values; a Saltelli design with n = " + std::to_string(n) + " and dims = " +
                                std::to_string(dims) + " has " + std::to_string(n * (dims + 2)) + " points");
  if (resamples < 0) throw std::invalid_argument("sobol_indices: resamples must be >= 0");
  if (!(level > 0 && level < 1)) throw std::invalid_argument("sobol_indices: level must be in (0, 1)");

  std::vector<std::uint32_t> rows(n);
  for (std::size_t j = 0; j < n; ++j) rows[j] = std::uint32_t(j);
  Estimate full = estimate(dims, f, rows);

  SobolIndices out;
  out.first = full.first;
  out.total = full.total;
  out.variance = full.variance;
  out.first_lo.assign(dims, kNaN);
  out.first_hi.assign(dims, kNaN);
  out.total_lo.assign(dims, kNaN);
  out.total_hi.assign(dims, kNaN);
  if (!(full.variance > 0) || !std::isfinite(full.variance)) return out;

  // boot_first[i] holds index i's estimate from every resample with nonzero variance.
  std::vector<std::vector<double>> boot_first(dims), boot_total(dims);
  const Rng rng(seed, 0);
  const std::uint32_t n32 = std::uint32_t(n);
  for (int r = 0; r < resamples; ++r) {
    Draws draws(rng, std::uint32_t(r), 0, Stream::Bootstrap, 0);
    for (auto& j : rows) j = draws.below(n32);
    const Estimate e = estimate(dims, f, rows);
    // NaN would break std::sort's ordering; an index whose point estimate is NaN gets a NaN interval below.
    for (std::size_t i = 0; i < dims; ++i) {
      if (std::isfinite(e.first[i])) boot_first[i].push_back(e.first[i]);
      if (std::isfinite(e.total[i])) boot_total[i].push_back(e.total[i]);
    }
  }
  const double p_lo = (1 - level) / 2, p_hi = 1 - p_lo;
  for (std::size_t i = 0; i < dims; ++i) {
    std::sort(boot_first[i].begin(), boot_first[i].end());
    std::sort(boot_total[i].begin(), boot_total[i].end());
    if (std::isfinite(out.first[i])) {
      out.first_lo[i] = quantile_sorted(boot_first[i], p_lo);
      out.first_hi[i] = quantile_sorted(boot_first[i], p_hi);
    }
    if (std::isfinite(out.total[i])) {
      out.total_lo[i] = quantile_sorted(boot_total[i], p_lo);
      out.total_hi[i] = quantile_sorted(boot_total[i], p_hi);
    }
  }
  return out;
}

}  // namespace redes::sweep
