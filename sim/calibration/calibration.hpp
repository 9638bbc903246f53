// calibration/calibration: fits chosen scenario parameters to what institutions recorded, by
// approximate Bayesian computation over the simulator. A calibration file names the baseline, the
// parameters with priors, and targets: reference series (from the seed's reference file, or
// values written out) matched to model outputs through the observation model. Each simulation
// runs one replicate of the baseline with the proposed values; its distance is the root mean
// square of standardised differences over all target values.
#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "sim/calibration/abc.hpp"
#include "sim/calibration/emulator.hpp"
#include "sim/core/rng.hpp"
#include "sim/engine/results.hpp"
#include "sim/observation/observation.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/sweep/spec.hpp"

namespace redes::calib {

/// What a reference figure counts: cases (proceedings, investigations; one may group several
/// victims) or victims (persons). Calibration compares like with like.
enum class Unit { Cases, Victims };
inline const char* unit_name(Unit u) { return u == Unit::Cases ? "cases" : "victims"; }

/// One reference value matched to one model output (e.g. police cases in 2021).
struct TargetPoint {
  std::string label;  // "police cases 2021"
  double observed = 0;
  double spread = 1;  // the difference that counts as one unit of distance
};

struct Target {
  std::string name, model, source;
  std::string group;  // for leaving targets out (--leave-out); default: the name
  Unit unit = Unit::Victims;
  bool fitted = true;  // false: left out of the distance, predicted only
  bool share = false;  // a percentage of records (else a count)
  // How many records the reference share is of, when it says (NaN: the model's own count).
  double denominator = std::numeric_limits<double>::quiet_NaN();
  double weight = 1;
  std::vector<int> years;  // per-year outputs; empty for horizon totals
  std::vector<TargetPoint> points;
  Location loc;
};

struct CalibrationSpec {
  std::filesystem::path file, baseline;
  std::filesystem::path apply_to;  // scenario the calibrated scenario includes (default: the baseline)
  std::string name, text;
  std::uint32_t seed = 1;
  int replicates = 1;                        // runs per parameter point: counts are their mean, shares pooled over them
  std::vector<sweep::Parameter> parameters;  // key, lo, hi, loc (the prior's support)
  std::vector<Prior> priors;
  std::vector<Target> targets;
  std::vector<std::string> leave_out;  // target groups (or names) predicted, not fitted
  AbcSettings abc;
  // History matching before ABC (enabled by a `history_matching:` section).
  bool history_matching = false;
  HistoryMatchSettings hm;
  double model_discrepancy = 0.1;  // sd of the model discrepancy, as a share of each observed value
};

/// Marks the targets whose group or name is in `groups` as left out (predicted, not fitted).
/// Throws std::invalid_argument naming a group that matches no target, or when nothing is left to fit.
void leave_out(CalibrationSpec& spec, const std::vector<std::string>& groups);

/// Reads a calibration file and the reference values it names; errors give file:line:column.
CalibrationSpec load_calibration(const std::filesystem::path& file);

/// The model's value for each point of a target, from one run: the expected recorded counts given
/// the run's victims (Observed::expected_*), scaled to the represented population, or shares of them.
std::vector<double> model_values(const Target& t, const Scenario& sc, const ReplicateResult& r, const Observed& o);
/// The same over several runs at one parameter point: counts are the mean over runs; shares are
/// of the pooled counts (sum of parts over sum of wholes), so a run with few records weighs little.
/// `denominators` (optional) receives, per point, the expected recorded count a share is of
/// (scaled, mean over runs), NaN for counts: what replicate_record() draws a share from.
std::vector<double> model_values(const Target& t, const Scenario& sc, std::span<const Observed> runs,
                                 std::vector<double>* denominators = nullptr);

/// One replicate of the records themselves given the model's expected values: a recorded count is
/// Poisson with the expected count as its mean (many victims, each recorded with a small chance);
/// a share is k of n with n ~ Poisson(denominator) and k ~ Binomial(n, share), or n = `records`
/// when the reference says how many records its share is of (a target's `denominator:`). NaN
/// stays NaN, and a share of no record is NaN. Cases of one recruiter's victims found together
/// make victim counts more dispersed than Poisson: these intervals are the narrowest the
/// recording allows.
std::vector<double> replicate_record(const std::vector<double>& values, const std::vector<double>& denominators,
                                     double records, Draws& draws);

/// Distance of a run's outputs to the fitted targets (left-out ones do not count):
/// sqrt(sum_t w_t sum_i z_ti^2 / sum_t w_t n_t), z = (model - observed) / spread.
double distance(const std::vector<Target>& targets, const std::vector<std::vector<double>>& model);

/// Records drawn around each particle's expected records for the predictive check. One draw per
/// particle made its quantiles move with the draws (a median of 120 weighted integers); 20 make the
/// recording's own chance a smooth part of the predictive distribution at a negligible cost.
inline constexpr int kRecordDraws = 20;

/// What the posterior says, for the file, the printout and the calibrated scenario.
struct CalibrationResult {
  AbcResult abc;
  HistoryMatchResult hm;                 // empty waves when history matching is off
  std::vector<double> sim_min, sim_max;  // per target point, over every simulation (design waves and ABC)
  std::int64_t hm_simulations = 0;
  // per posterior particle (in posterior order): simulated values of every target point, true and recorded victims
  std::vector<std::vector<double>> fit;  // [particle][target point], flattened over targets
  // The same from the first run of each point alone: one realisation, as the records are one. The
  // predictive check uses these (a mean over runs would narrow its intervals); equal to `fit` at one run per point.
  std::vector<std::vector<double>> one_run;  // [particle][target point]
  // Replicates of the records drawn around one_run (replicate_record), kRecordDraws per particle:
  // what the posterior predicts the records could show, the predictive check's values.
  std::vector<std::vector<double>> record;             // [particle][draw * points + target point]
  std::vector<double> true_victims, recorded_victims;  // scaled to the represented population, whole horizon
  std::int64_t simulations = 0;
  double seconds = 0;
};

/// Posterior median and 5-95% interval of a per-particle quantity (weighted by the particles' weights).
struct Interval {
  double median = 0, lo = 0, hi = 0;
};
Interval posterior_interval(const CalibrationResult& res, const std::vector<double>& per_particle);
/// Posterior predictive check of one target value.
struct PointCheck {
  std::string label, unit;
  double observed = 0, median = 0, lo = 0, hi = 0;  // posterior median and 5-95% interval of replicate records
  double expected_median = 0, expected_lo = 0, expected_hi = 0;  // the same of the expected records (one_run)
  double median_mc_lo = 0, median_mc_hi = 0;  // 5-95% of the median over particles resampled: its Monte Carlo error
  // Posterior predictive tail: the weight of records at least as far out as the observed value on
  // its side of the median (P(record >= observed) above it, P(record <= observed) below). A median
  // off by 2x can still leave the observed value an ordinary draw when counts are small.
  double tail = 0;
  bool inside = false, fitted = true, share = false;
  bool reachable = false;  // some simulation of the whole calibration came within the observed value
};
std::vector<PointCheck> predictive_check(const CalibrationSpec& spec, const CalibrationResult& res);

/// True minus recorded victims of each posterior particle.
std::vector<double> hidden_victims(const CalibrationResult& res);

/// Runs ABC rejection then SMC. Simulations run in parallel (oneTBB); results do not depend on threads.
/// `progress` (optional) is called after each batch with the simulations done so far.
CalibrationResult calibrate(const CalibrationSpec& spec, const std::function<void(std::int64_t)>& progress = {});

/// Writes the calibration file (layout in sim/output/output_format.md, "Calibration files").
void write_calibration_file(const std::filesystem::path& out, const CalibrationSpec& spec, const CalibrationResult& res,
                            int threads, const std::string& started_at);

/// YAML of a scenario that includes the baseline and sets each parameter to its posterior median,
/// marked `calibrated:` with the interval and where it came from.
std::string calibrated_scenario_yaml(const CalibrationSpec& spec, const CalibrationResult& res,
                                     const std::filesystem::path& scenario_path,
                                     const std::filesystem::path& calib_file);
/// Writes calibrated_scenario_yaml to `scenario_path` under a temporary name, renamed when complete.
void write_calibrated_scenario(const CalibrationSpec& spec, const CalibrationResult& res,
                               const std::filesystem::path& scenario_path, const std::filesystem::path& calib_file);

}  // namespace redes::calib
