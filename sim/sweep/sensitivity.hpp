// sweep/sensitivity: variance-based (Sobol) sensitivity indices from the outputs of a
// saltelli_design, with bootstrap percentile intervals. Pure computation, no I/O.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace redes::sweep {

struct SobolIndices {
  std::vector<double> first, total;                            // per dimension
  std::vector<double> first_lo, first_hi, total_lo, total_hi;  // bootstrap percentile interval
  double variance = 0;                                         // of f over A and B rows
};

/// First-order (Saltelli 2010: V_i = mean(f_B * (f_ABi - f_A))) and total (Jansen 1999:
/// mean((f_A - f_ABi)^2) / 2) indices, each divided by the variance of f over the 2N values of
/// A and B (divisor 2N). f_B is centred on the mean of those 2N values first, which leaves the
/// estimator's expectation unchanged but stops a large output mean from inflating its error.
/// `f` holds one model output per point of a saltelli_design(n, dims), in its layout.
/// Intervals: `resamples` bootstrap resamples of the N base rows (with replacement, Rng(seed, 0),
/// Stream::Bootstrap, entity = resample), percentile interval at `level` (e.g. 0.95); resamples
/// whose variance is 0 are left out; with resamples = 0 the intervals are NaN.
/// When the variance is 0 (constant output) indices are NaN, not a division by zero. A NaN or
/// infinite output makes the indices it enters (all of them, for an A or B row) and their intervals NaN.
/// Throws std::invalid_argument if f.size() != n * (dims + 2), n < 2, dims is 0, n >= 2^32,
/// resamples < 0, or level is not in (0, 1).
SobolIndices sobol_indices(std::size_t n, std::size_t dims, const std::vector<double>& f, int resamples = 500,
                           double level = 0.95, std::uint32_t seed = 1);

}  // namespace redes::sweep
