// sweep/run_record: the one byte layout of a completed run (run index i64, M metrics f64, T
// trajectory counts i32; native byte order, no padding), shared by the resumable journal and the
// MPI result messages so the two cannot drift apart. Decoding checks the length first: a short
// buffer is refused, never read past its end.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace redes::sweep {

struct RunRecord {
  std::int64_t run = 0;
  std::vector<double> metrics;
  std::vector<std::int32_t> trajectory;          // empty unless the sweep keeps trajectories
  double engine_seconds = 0, total_seconds = 0;  // in memory only (not encoded): for the overhead figures
};

/// How many metrics and trajectory days every record of one sweep holds.
struct RecordShape {
  std::size_t metrics = 0, trajectory = 0;
};

/// Bytes of one encoded record.
std::size_t record_size(const RecordShape& shape);

/// Writes `record` into exactly record_size(shape) bytes; throws std::logic_error on a record of
/// another shape or a span of another size.
void encode_record(const RunRecord& record, const RecordShape& shape, std::span<unsigned char> out);
/// Reads one record from the first record_size(shape) bytes; throws IoError if `in` is shorter.
RunRecord decode_record(std::span<const unsigned char> in, const RecordShape& shape);

/// Records back to back.
std::vector<unsigned char> encode_batch(const std::vector<RunRecord>& records, const RecordShape& shape);
/// Calls `each` for every record of a batch, in order; throws IoError (before calling `each` at
/// all) if the length is not a whole number of records.
void decode_batch(std::span<const unsigned char> in, const RecordShape& shape,
                  const std::function<void(RunRecord&&)>& each);

}  // namespace redes::sweep
