// core/statistics: the one empirical quantile of the code base, R's type 7 (linear interpolation
// between order statistics), behind every interval over replicates, draws, bootstrap resamples
// and particles that redes prints or stores.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

namespace redes {

/// Quantile at probability q in [0, 1] of values sorted ascending without NaN; NaN when empty.
inline double quantile_sorted(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double pos = q * double(sorted.size() - 1);
  const std::size_t lo = std::size_t(pos), hi = std::min(sorted.size() - 1, lo + 1);
  if (sorted[hi] == sorted[lo]) return sorted[lo];  // also between equal infinities, where the difference is NaN
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - double(lo));
}

/// Quantile at probability q of a sample; NaN values (a replicate without a value) are left out.
inline double quantile(std::vector<double> v, double q) {
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return std::isnan(x); }), v.end());
  std::sort(v.begin(), v.end());
  return quantile_sorted(v, q);
}

}  // namespace redes
