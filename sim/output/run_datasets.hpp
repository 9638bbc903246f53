// output/run_datasets: the dictionary of a run's datasets (path, axes, unit, estimate label,
// meaning, and where the values come from). RunWriter creates and fills exactly these, and
// `redes list outputs --markdown` prints them for sim/output/output_format.md, so the writers and
// the documented layout cannot drift apart (a test checks both).
#pragma once
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/engine/results.hpp"
#include "sim/engine/summary.hpp"
#include "sim/observation/observation.hpp"

namespace redes {

/// Axes of run datasets; each becomes an h5::Axis once the scenario is known.
enum class RunAxis {
  Replicate,
  Day,
  Year,
  Stage,
  Transition,
  Route,
  Platform,
  AgeGroup,
  Gender,
  Department,
  DepartmentOfOrigin,
  Exploitation,
  Destination,
  Means,
  Institution,
  SexRecorded,
  VictimsInCase,
  Intervention
};
std::string_view axis_name(RunAxis a);  // the HDF5 dimension label ("intervention" may be renamed per arm)

/// Which layout switch a dataset depends on (compare arms drop the large ones).
enum class RunPart { Always, Trajectories };

/// One replicate's values of a dataset, without the replicate axis: a view into the results, or
/// a value converted on the way out.
using RunValues = std::variant<std::span<const std::int32_t>, std::span<const double>, std::vector<double>>;

struct RunSources {
  const ReplicateResult& result;
  const Summary& summary;
  const Observed& observed;
};

struct RunDataset {
  std::string_view path;      // under the run prefix, e.g. "summary/victims"
  bool floating;              // float64 (else int32)
  std::vector<RunAxis> axes;  // replicate first
  std::string_view unit;
  bool estimate;  // carries estimate = "model estimate"
  RunPart part;
  std::string_view meaning;
  std::function<RunValues(const RunSources&)> values;
};

/// Every dataset of a run file (and of each compare arm), in the order written.
const std::vector<RunDataset>& run_datasets();

/// The dictionary as a Markdown table, as output_format.md embeds it.
std::string run_datasets_markdown();

}  // namespace redes
