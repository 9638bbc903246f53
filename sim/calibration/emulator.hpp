// calibration/emulator: Gaussian-process emulators of simulator outputs and Bayesian history
// matching (Vernon, Goldstein & Bower 2010; as used for JUNE and by the R package hmer). Pure math
// on points of the unit cube: the caller maps parameters there and runs the simulator.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace redes::calib {

/// A Gaussian process with a linear mean (least squares) and a squared-exponential kernel with
/// one length scale per input plus a nugget (the simulator's run-to-run noise). Hyperparameters
/// maximise the log marginal likelihood.
class Emulator {
 public:
  struct Prediction {
    double mean = 0;
    double var = 0;  // of a new simulation at x: the GP's uncertainty plus the nugget
  };
  /// Trains on rows `x` (points in [0, 1]^d) and outputs `y` (finite). Throws std::invalid_argument
  /// on fewer than d + 3 points, ragged rows or non-finite outputs.
  static Emulator fit(const std::vector<std::vector<double>>& x, const std::vector<double>& y);
  Prediction predict(const std::vector<double>& x) const;
  /// Leave-one-out predictions at the training points, in closed form (Rasmussen & Williams 2006, 5.4.2).
  std::vector<Prediction> leave_one_out() const;
  double log_marginal_likelihood() const { return lml_; }
  const std::vector<double>& length_scales() const { return length_; }
  double signal_var() const { return scale_ * scale_ * signal_; }  // in units of the output squared
  double nugget_var() const { return scale_ * scale_ * nugget_; }

 private:
  std::vector<std::vector<double>> x_;
  std::vector<double> beta_;    // linear mean: beta_0 + sum beta_k x_k
  std::vector<double> length_;  // per input
  double scale_ = 1;            // sd of the residuals (outputs are standardised internally)
  double signal_ = 1, nugget_ = 0, lml_ = 0;
  std::vector<double> alpha_;  // K^-1 r (standardised residuals)
  std::vector<double> kinv_;   // K^-1, row-major n x n
  std::vector<double> resid_;  // standardised residuals
  double kernel(const std::vector<double>& a, const std::vector<double>& b) const;
  double mean_at(const std::vector<double>& x) const;
};

/// Vernon et al.'s implausibility of one output: |z - E[f(x)]| / sqrt(Var_em + Var_obs + Var_md).
double implausibility(double observed, const Emulator::Prediction& p, double var_obs, double var_model);

/// The largest (rank 0) or second-largest (rank 1) of a point's implausibilities over the outputs.
double ranked_implausibility(std::vector<double> implausibilities, int rank);

/// Leave-one-out diagnostics of an emulator: standardised errors (y - loo mean) / loo sd.
struct LooDiagnostics {
  double rmse = 0;       // of the raw errors, in units of the output
  double max_abs_z = 0;  // largest |standardised error|
  double coverage = 0;   // share of points with |z| <= 2 (about 95% when the emulator is calibrated)
};
LooDiagnostics loo_diagnostics(const Emulator& e, const std::vector<double>& y);

/// One output to match: its observed value, observation variance and model-discrepancy variance.
struct MatchTarget {
  std::string label;
  double observed = 0, var_obs = 1, var_model = 0;
};

struct HistoryMatchSettings {
  int waves = 3;
  int design = 80;         // simulations per wave (space-filling design in the current space)
  int candidates = 20000;  // points tested for implausibility per wave
  double cutoff = 3.0;     // Pukelsheim's three-sigma rule
  int rank = 0;            // 0: max over outputs, 1: second max (robust to one poorly emulated output)
  std::uint32_t seed = 1;
};

struct Wave {
  int simulations = 0;
  double nonimplausible_fraction = 0;       // of the candidates tested this wave (inside the previous waves' space)
  double space_fraction = 0;                // estimated share of the whole cube still non-implausible
  std::vector<LooDiagnostics> loo;          // per output
  std::vector<std::vector<double>> design;  // the wave's design points (unit cube)
};

/// Simulates a batch of unit-cube points (ids are unique simulation numbers) and returns, per
/// point, the value of every output (NaN when undefined). May run the batch in parallel.
using UnitSimulator = std::function<std::vector<std::vector<double>>(const std::vector<std::vector<double>>& u,
                                                                     const std::vector<std::int64_t>& ids)>;

struct HistoryMatchResult {
  std::vector<Wave> waves;
  std::vector<std::vector<std::optional<Emulator>>> emulators;  // [wave][output]; none when too few finite values
  std::vector<std::vector<double>> nonimplausible;              // candidates that survived every wave (unit cube)
  double cutoff = 3;
  int rank = 0;
  std::vector<MatchTarget> targets;
  /// Whether a unit-cube point is non-implausible under every wave's emulators.
  bool plausible(const std::vector<double>& u) const;
  /// Its largest ranked implausibility over the waves.
  double worst(const std::vector<double>& u) const;
};

/// Runs the waves: each wave simulates a space-filling design inside the space the earlier waves
/// left (wave 1: a Latin hypercube of the cube), fits one emulator per output, and keeps the
/// candidates whose implausibility is at most the cutoff. Stops early when nothing remains.
/// Every draw is keyed by (seed, wave, index), so results do not depend on threads.
HistoryMatchResult history_match(std::size_t dims, const std::vector<MatchTarget>& targets,
                                 const HistoryMatchSettings& s, const UnitSimulator& simulate);

}  // namespace redes::calib
