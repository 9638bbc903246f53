#include "sim/sweep/run_record.hpp"

#include <cstring>
#include <stdexcept>
#include <string>

#include "sim/core/errors.hpp"

namespace redes::sweep {

std::size_t record_size(const RecordShape& s) { return 8 + 8 * s.metrics + 4 * s.trajectory; }

void encode_record(const RunRecord& r, const RecordShape& s, std::span<unsigned char> out) {
  if (r.metrics.size() != s.metrics || r.trajectory.size() != s.trajectory || out.size() != record_size(s))
    throw std::logic_error("run record of the wrong shape");
  unsigned char* p = out.data();
  std::memcpy(p, &r.run, 8);
  // memcpy from an empty vector's null data() is undefined even for 0 bytes.
  if (s.metrics) std::memcpy(p + 8, r.metrics.data(), 8 * s.metrics);
  if (s.trajectory) std::memcpy(p + 8 + 8 * s.metrics, r.trajectory.data(), 4 * s.trajectory);
}

RunRecord decode_record(std::span<const unsigned char> in, const RecordShape& s) {
  const std::size_t need = record_size(s);
  if (in.size() < need)
    throw IoError("run record truncated: " + std::to_string(in.size()) + " bytes, a record of " +
                  std::to_string(s.metrics) + " metrics and " + std::to_string(s.trajectory) +
                  " trajectory days needs " + std::to_string(need));
  RunRecord r;
  const unsigned char* p = in.data();
  std::memcpy(&r.run, p, 8);
  r.metrics.resize(s.metrics);
  if (s.metrics) std::memcpy(r.metrics.data(), p + 8, 8 * s.metrics);
  r.trajectory.resize(s.trajectory);
  if (s.trajectory) std::memcpy(r.trajectory.data(), p + 8 + 8 * s.metrics, 4 * s.trajectory);
  return r;
}

std::vector<unsigned char> encode_batch(const std::vector<RunRecord>& records, const RecordShape& s) {
  const std::size_t size = record_size(s);
  std::vector<unsigned char> out(size * records.size());
  for (std::size_t i = 0; i < records.size(); ++i) encode_record(records[i], s, std::span(out).subspan(i * size, size));
  return out;
}

void decode_batch(std::span<const unsigned char> in, const RecordShape& s,
                  const std::function<void(RunRecord&&)>& each) {
  const std::size_t size = record_size(s);
  if (in.size() % size != 0)
    throw IoError("run record batch truncated: " + std::to_string(in.size()) + " bytes is not a whole number of " +
                  std::to_string(size) + "-byte records");
  for (std::size_t off = 0; off < in.size(); off += size) each(decode_record(in.subspan(off, size), s));
}

}  // namespace redes::sweep
