#include "sim/sweep/design.hpp"

#include <boost/random/sobol.hpp>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

#include "sim/core/rng.hpp"

namespace redes::sweep {

namespace {
constexpr std::size_t kMaxGridPoints = 10'000'000;
constexpr std::size_t kMaxSobolDims = 64;
}  // namespace

UnitDesign grid_design(const std::vector<int>& levels) {
  if (levels.empty()) throw std::invalid_argument("grid_design: no dimensions (levels is empty)");
  std::size_t points = 1;
  for (std::size_t k = 0; k < levels.size(); ++k) {
    if (levels[k] < 1)
      throw std::invalid_argument("grid_design: dimension " + std::to_string(k) + " has " + std::to_string(levels[k]) +
                                  " levels; need at least 1");
    points *= std::size_t(levels[k]);
    // Checked per factor, so the product never overflows before it is rejected.
    if (points > kMaxGridPoints)
      throw std::invalid_argument("grid_design: grid has more than " + std::to_string(kMaxGridPoints) +
                                  " points; reduce the levels or use latin_hypercube");
  }
  UnitDesign d;
  d.points = points;
  d.dims = levels.size();
  d.u.resize(points * d.dims);
  for (std::size_t p = 0; p < points; ++p) {
    std::size_t rest = p;
    for (std::size_t k = d.dims; k-- > 0;) {  // last dimension varies fastest
      const std::size_t L = std::size_t(levels[k]);
      const std::size_t i = rest % L;
      rest /= L;
      d.u[p * d.dims + k] = L == 1 ? 0.5 : double(i) / double(L - 1);
    }
  }
  return d;
}

UnitDesign latin_hypercube(std::size_t n, std::size_t dims, std::uint32_t seed) {
  if (n == 0) throw std::invalid_argument("latin_hypercube: n must be at least 1");
  if (n > std::numeric_limits<std::uint32_t>::max())
    throw std::invalid_argument("latin_hypercube: n must be below 2^32");
  if (dims == 0) throw std::invalid_argument("latin_hypercube: dims must be at least 1");
  if (dims > std::numeric_limits<std::uint32_t>::max())
    throw std::invalid_argument("latin_hypercube: dims must be below 2^32");
  UnitDesign d;
  d.points = n;
  d.dims = dims;
  d.u.resize(n * dims);
  const Rng rng(seed, 0);
  std::vector<std::uint32_t> perm(n);
  const double dn = double(n);
  for (std::size_t k = 0; k < dims; ++k) {
    std::iota(perm.begin(), perm.end(), 0u);
    Draws shuffle(rng, std::uint32_t(k), 0, Stream::SweepDesign, 0);
    for (std::size_t i = n; i > 1; --i) std::swap(perm[i - 1], perm[shuffle.below(std::uint32_t(i))]);
    Draws jitter(rng, std::uint32_t(k), 0, Stream::SweepDesign, 1);
    for (std::size_t p = 0; p < n; ++p) {
      const double s = double(perm[p]);
      double x = (s + jitter.uniform()) / dn;
      // Rounding can push x onto a stratum edge (or to 1.0); nudge it back so floor(x * n) == s.
      while (std::floor(x * dn) > s) x = std::nextafter(x, 0.0);
      while (std::floor(x * dn) < s) x = std::nextafter(x, 1.0);
      d.u[p * dims + k] = x;
    }
  }
  return d;
}

UnitDesign saltelli_design(std::size_t n, std::size_t dims) {
  if (n < 2) throw std::invalid_argument("saltelli_design: n (base rows) must be at least 2, got " + std::to_string(n));
  if (dims == 0) throw std::invalid_argument("saltelli_design: dims must be at least 1");
  if (dims > kMaxSobolDims)
    throw std::invalid_argument("saltelli_design: at most " + std::to_string(kMaxSobolDims) + " dimensions, got " +
                                std::to_string(dims));
  UnitDesign d;
  d.base = n;
  d.dims = dims;
  d.points = n * (dims + 2);
  d.u.resize(d.points * dims);
  boost::random::sobol seq(2 * dims);
  // Boost starts one past the origin, at (1/2, ..., 1/2). That point has A_0 == B_0, so its AB
  // rows would repeat A and carry no information, the same defect as the origin: skip it too.
  for (std::size_t k = 0; k < 2 * dims; ++k) seq();
  std::vector<double> point(2 * dims);
  for (std::size_t j = 0; j < n; ++j) {
    // 64-bit integer to [0, 1): keep 53 bits so the double conversion is exact and never reaches 1.
    for (double& x : point) x = double(seq() >> 11) * 0x1.0p-53;
    double* a = &d.u[(j * (dims + 2)) * dims];
    double* b = a + dims;
    for (std::size_t k = 0; k < dims; ++k) {
      a[k] = point[k];
      b[k] = point[dims + k];
    }
    for (std::size_t i = 0; i < dims; ++i) {
      double* ab = a + (2 + i) * dims;
      for (std::size_t k = 0; k < dims; ++k) ab[k] = k == i ? b[k] : a[k];
    }
  }
  return d;
}

}  // namespace redes::sweep
