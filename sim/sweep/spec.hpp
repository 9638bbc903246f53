// sweep/spec: a sweep file (a baseline, parameters with ranges, a design, replicates) read and
// checked before any work, and the plan it expands to: one scenario per design point, R runs per
// point, each run's seed derived from (sweep seed, point, replicate) so it can be redone alone.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/core/errors.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/yaml_tree.hpp"
#include "sim/sweep/design.hpp"

namespace redes::sweep {

struct Parameter {
  std::string key;  // dotted scenario key path, as in `override:`
  double lo = 0, hi = 1;
  bool log_scale = false, integer = false;
  int levels = 3;  // grid designs
  Location loc;    // where the sweep file names it (for errors)
  /// Maps a unit-cube coordinate to the parameter's value.
  double value_at(double u) const;
};

enum class DesignType { Grid, LatinHypercube, Saltelli };

struct SweepSpec {
  std::filesystem::path file;
  std::string name, text;  // text: the sweep file as written
  std::filesystem::path baseline;
  std::vector<std::filesystem::path> intervention_files;
  std::uint32_t seed = 1;
  int replicates = 1;
  bool common_random_numbers = true;
  DesignType design = DesignType::Grid;
  int samples = 0;  // latin_hypercube: points; saltelli: base rows N
  std::vector<Parameter> parameters;
  std::vector<std::string> outputs;  // metrics whose Sobol indices are computed
  Location outputs_loc;
  bool trajectories = false;  // keep victims per day of every run
  int bootstrap = 500;
};

/// `tree` with each parameter set to its value. A parameter whose node is `{value:, ...}` or a bare
/// number becomes `{value: v, assumed: why}`; one inside a list (e.g. `observation.detect.value[0]`)
/// becomes a bare number. Errors name the parameter's place in the sweep or calibration file.
io::Node with_values(io::Node tree, const std::vector<Parameter>& parameters, const std::vector<double>& values,
                     const std::string& why);

/// Reads and validates a sweep file; ScenarioError names file:line:column and the key.
SweepSpec load_sweep(const std::filesystem::path& file);

/// Everything a sweep needs, expanded once: the composed baseline tree, the design, and the
/// parameter values of every point. A run is (point, replicate); run = point * replicates + replicate.
class Plan {
 public:
  explicit Plan(SweepSpec spec);
  const SweepSpec& spec() const { return spec_; }
  const Scenario& baseline() const { return baseline_; }
  const UnitDesign& unit() const { return unit_; }
  std::size_t points() const { return unit_.points; }
  std::int64_t runs() const { return std::int64_t(unit_.points) * spec_.replicates; }
  double value(std::size_t point, std::size_t parameter) const {
    return values_[point * spec_.parameters.size() + parameter];
  }
  const std::vector<double>& values() const { return values_; }
  std::size_t point_of(std::int64_t run) const { return std::size_t(run / spec_.replicates); }
  int replicate_of(std::int64_t run) const { return int(run % spec_.replicates); }
  /// The seed of a point's runs: the sweep seed under common random numbers, else derived from (seed, point).
  std::uint32_t seed_of(std::size_t point) const;
  /// The scenario of one design point (baseline, interventions, then the point's parameter values).
  Scenario scenario(std::size_t point) const;
  /// YAML of the point's scenario tree, to redo one run alone with `redes run`.
  std::string scenario_yaml(std::size_t point) const;
  /// Names of the per-run metrics, fixed by the baseline (see sweep/metrics.hpp).
  const std::vector<std::string>& metric_names() const { return metric_names_; }
  /// A 64-bit fingerprint of everything that determines the runs' results; resume and merge refuse
  /// files with another fingerprint.
  std::uint64_t fingerprint() const { return fingerprint_; }

 private:
  io::Node tree_of(std::size_t point) const;
  SweepSpec spec_;
  io::Node base_tree_;
  Scenario baseline_;
  UnitDesign unit_;
  std::vector<double> values_;
  std::vector<std::string> metric_names_;
  std::uint64_t fingerprint_ = 0;
};

}  // namespace redes::sweep
