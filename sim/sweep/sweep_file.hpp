// sweep/sweep_file: the HDF5 file of a sweep (layout in sim/output/output_format.md, "Sweep files"):
// the design, one row per run (point, replicate, seed, metrics, optional trajectory), means per
// point over replicates, and Sobol indices. Shard and rank parts use the same layout holding only
// their runs; merging parts is writing a file from all their runs.
#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "sim/sweep/journal.hpp"
#include "sim/sweep/spec.hpp"

namespace redes::sweep {

/// Calls `each` once per record; records may come in any order and repeat (later copies ignored).
using RecordSource = std::function<void(const std::function<void(RunRecord&&)>& each)>;

struct FileInfo {
  std::string started_at, part;  // part: "" for a whole sweep, else e.g. "shard 2 of 4"
  int threads = 0, ranks = 1;
};

struct WriteStats {
  std::int64_t completed = 0;
  bool complete = false, sensitivity = false;
};

/// Writes the sweep file under `out` (temporary name, renamed when complete). Sobol indices are
/// computed when the design is saltelli and every run is present.
WriteStats write_sweep_file(const std::filesystem::path& out, const Plan& plan, const RecordSource& records,
                            const FileInfo& info);

JournalShape journal_shape(const Plan& plan);

/// The completed runs a sweep file holds. Throws IoError when the file belongs to another sweep.
void read_sweep_runs(const std::filesystem::path& file, const Plan& plan, const std::function<void(RunRecord&&)>& each);

/// The fingerprint a sweep file was written for (hex), for messages and merge checks.
std::string fingerprint_hex(std::uint64_t fingerprint);

}  // namespace redes::sweep
