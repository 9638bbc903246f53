// output/output: writes runs to HDF5 in the layout of sim/output/output_format.md. Replicates stream to
// disk one slice at a time, so memory does not grow with the number of replicates.
#pragma once
#include <string>
#include <vector>

#include "sim/engine/results.hpp"
#include "sim/engine/summary.hpp"
#include "sim/observation/observation.hpp"
#include "sim/output/h5.hpp"
#include "sim/output/run_datasets.hpp"
#include "sim/scenario/scenario.hpp"

namespace redes {

/// Axis definitions shared by every writer.
h5::Axis axis_replicate(int replicates);
h5::Axis axis_day(int days);
h5::Axis axis_year(const Scenario& sc);
h5::Axis axis_departments(const Scenario& sc);
h5::Axis axis_named(const std::string& name, const std::vector<std::string>& labels);

struct RunLayout {
  bool trajectories = true;  // stock datasets (large); compare arms keep only transitions
  bool events = true;
  std::string intervention_axis = "intervention";  // compare arms each need their own
};

class RunWriter {
 public:
  /// Creates every dataset of a run under `prefix` ("" for a run file, "/arms/<name>" in compares).
  RunWriter(h5::Writer& file, std::string prefix, const Scenario& sc, int replicates,
            const std::vector<std::string>& intervention_names, const RunLayout& layout = {});
  void write(const ReplicateResult& r, const Summary& s, const Observed& o);

 private:
  bool wanted(const RunDataset& d) const { return d.part == RunPart::Always || layout_.trajectories; }
  h5::Writer& f_;
  std::string p_;
  const Scenario& sc_;
  RunLayout layout_;
};

/// Writes /metadata attributes common to every file kind.
void write_metadata(h5::Writer& f, const Scenario& sc, const std::string& kind, std::uint32_t seed, int replicates,
                    int threads, const std::string& started_at);
std::string now_iso();

}  // namespace redes
