// decision/distribution: uncertain inputs (intervention effects and costs) given as a
// distribution with provenance. A run uses the median; `compare --draws` draws quantiles.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/reader.hpp"

namespace redes {

struct Distribution {
  enum class Kind { Fixed, Uniform, Triangular, Beta, Lognormal };
  Kind kind = Kind::Fixed;
  double min = 0, mode = 0, max = 0;  // fixed: min; uniform/triangular bounds; beta: support [min, max]
  double alpha = 0, beta = 0;         // beta shapes
  double median_ = 0, sd_log = 0;     // lognormal: median and sd of log
  /// Inverse CDF at u in (0, 1).
  double quantile(double u) const;
  double median() const { return quantile(0.5); }
  std::string describe() const;  // e.g. "triangular(0.05, 0.15, 0.35)"
};

/// One uncertain parameter of an intervention: `name` as in the YAML (`effect`, `cost.fixed`).
struct UncertainParameter {
  std::string name;
  Distribution dist;
  std::string provenance;  // the source: or assumed: text
  bool assumed = false;
};

/// Reads `key` of `r` as either a plain number (or {value:, source:}) or a distribution map
/// `{distribution: triangular, min: .., mode: .., max: .., source: "..."}` (or `assumed:`).
/// Returns the median; a distribution is appended to `out` under `name`. When `r` is strict, a
/// plain number is refused: shipped interventions state their uncertainty and where it comes from.
/// `fallback` < 0 makes the key required.
double read_uncertain(io::Reader& r, std::string_view key, double fallback, const io::Range& range,
                      std::string_view doc, std::string name, std::vector<UncertainParameter>& out);

}  // namespace redes
