// sweep/design: experimental designs in the unit cube (full factorial grid, Latin hypercube,
// Saltelli's design for Sobol indices). Pure functions of their arguments; mapping a unit
// coordinate onto a parameter's range is the caller's business.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace redes::sweep {

/// Points in the unit cube, row-major (points x dims). Each row is one design point.
struct UnitDesign {
  std::size_t points = 0, dims = 0;
  std::vector<double> u;
  std::size_t base = 0;  // Saltelli designs: N, the number of base rows (points = N * (dims + 2)); 0 otherwise
  double at(std::size_t point, std::size_t dim) const { return u[point * dims + dim]; }
};

/// Full factorial grid; levels[k] >= 1 values per dimension: i/(L-1) for L >= 2 (endpoints
/// included), 0.5 for L = 1. The last dimension varies fastest.
/// Throws std::invalid_argument if levels is empty, a level is < 1, or the grid exceeds 10 million points.
UnitDesign grid_design(const std::vector<int>& levels);

/// Latin hypercube of n points: in every dimension each of the n strata [i/n, (i+1)/n) holds
/// exactly one point (stratum of u is floor(u * n) as computed in double), position jittered
/// uniformly in its stratum. Draws from Rng(seed, 0), Stream::SweepDesign, entity = dimension:
/// sub 0 the permutation (Fisher-Yates), sub 1 the jitter.
/// Throws std::invalid_argument if n is 0 or above 2^32 - 1, or dims is 0.
UnitDesign latin_hypercube(std::size_t n, std::size_t dims, std::uint32_t seed);

/// Saltelli (2010) design for Sobol indices from the Sobol sequence of dimension 2 * dims
/// (boost::random::sobol, unscrambled). Boost already omits the origin; its first point,
/// (1/2, ..., 1/2), would make A_0 == B_0, so it is skipped too and the next n points are used.
/// Row j of A is the first dims coordinates of point j, row j of B the last dims.
/// Layout: point j*(dims+2) + 0 is A_j, + 1 is B_j, + 2 + i is AB^(i)_j (A_j with column i
/// taken from B_j), so runs can stream in order and every base row completes in one block.
/// Sets base = n. Throws std::invalid_argument if n < 2, dims is 0 or dims > 64.
UnitDesign saltelli_design(std::size_t n, std::size_t dims);

}  // namespace redes::sweep
