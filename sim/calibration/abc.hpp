// calibration/abc: approximate Bayesian computation, pure math. Rejection ABC for the first
// generation, then ABC-SMC with an adaptive tolerance (Toni et al. 2009; Beaumont et al. 2009).
// Knows nothing of the simulator: the caller passes a function from parameter vectors to
// distances. Every draw is keyed by (generation, proposal index), so a run is a deterministic
// function of (priors, settings, simulator) whatever the batch size or the simulator's threads.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sim/core/rng.hpp"

namespace redes::calib {

struct Prior {
  enum class Kind { Uniform, LogUniform, Normal };  // Normal is truncated to [lo, hi]
  std::string name;
  Kind kind = Kind::Uniform;
  double lo = 0, hi = 1;    // support (all kinds); LogUniform needs lo > 0
  double mean = 0, sd = 1;  // Normal only
  /// A draw from the prior (the truncated normal by exact rejection, Robert 1995).
  double sample(redes::Draws& d) const;
  /// The normalised density at x; 0 outside [lo, hi].
  double density(double x) const;
};

struct AbcSettings {
  int particles = 200;  // accepted particles per generation
  double rejection_keep =
      0.2;                // generation 0: simulate particles/rejection_keep prior draws, keep the closest `particles`
  int generations = 5;    // SMC generations after the rejection step
  double quantile = 0.5;  // next tolerance = this quantile of the current generation's distances (adaptive)
  double min_acceptance = 0.01;            // stop when a generation's acceptance rate falls below this
  std::int64_t max_simulations = 1000000;  // total budget; stop (and say so) when exceeded
  int batch = 64;                          // proposals simulated per call of the simulator
  std::uint32_t seed = 1;
};

/// Simulates each parameter vector (row of `thetas`, in prior order) and returns its distance to
/// the data (NaN counts as infinitely far). `ids` are unique simulation numbers for seeding the
/// model, generation << 32 | proposal index: the caller may run the batch in parallel.
using BatchSimulator = std::function<std::vector<double>(const std::vector<std::vector<double>>& thetas,
                                                         const std::vector<std::int64_t>& ids)>;

struct Generation {
  double epsilon = 0;                      // tolerance (generation 0: largest kept distance)
  std::vector<std::vector<double>> theta;  // particles x parameters
  std::vector<double> weight;              // normalised, sums to 1
  std::vector<double> distance;
  std::vector<std::int64_t> id;  // simulation id of each particle (to find its simulated outputs)
  std::int64_t simulations = 0;  // simulated in this generation, up to the last accepted one
  double acceptance = 0;         // accepted / simulated
  double ess = 0;                // effective sample size 1 / sum w^2
};

struct AbcResult {
  std::vector<Generation> generations;  // [0] = rejection
  std::string stop_reason;              // "generations done", "acceptance below ...", "simulation budget ..."
  const Generation& posterior() const { return generations.back(); }
};

/// Runs rejection ABC then up to `settings.generations` ABC-SMC generations. `simulations` and the
/// budget count the simulations up to each generation's last accepted proposal; the rest of that
/// last batch (at most batch - 1) is simulated but discarded, so results do not depend on `batch`.
/// Throws std::invalid_argument on bad priors or settings (including a budget too small for the
/// rejection step) and std::runtime_error when the simulator returns the wrong number of distances.
/// `support` (optional) restricts the prior to where it returns true (e.g. the space history
/// matching left): prior draws outside are redrawn (keyed by attempt), perturbed particles outside
/// are discarded like those outside the prior's bounds. Weights are unchanged (the restricted
/// prior is the prior times a constant on the support).
AbcResult abc_smc(const std::vector<Prior>& priors, const AbcSettings& settings, const BatchSimulator& simulate,
                  const std::function<bool(const std::vector<double>&)>& support = {});

/// Weighted quantile of one parameter of a generation (for posterior intervals): linear
/// interpolation between sorted values placed at their cumulative weight midpoints.
/// Throws std::invalid_argument for an empty generation or q outside [0, 1], std::out_of_range
/// for a bad parameter index.
double weighted_quantile(const Generation& g, std::size_t parameter, double q);
/// The same over (value, weight) pairs, reordered in place; zero weights are ignored. Throws
/// std::invalid_argument when no weight is positive or q is outside [0, 1].
double weighted_quantile(std::vector<std::pair<double, double>>& value_weight, double q);

}  // namespace redes::calib
