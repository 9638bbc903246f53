#include "sim/sweep/journal.hpp"

#include <unistd.h>

#include <boost/crc.hpp>
#include <cstring>

#include "sim/core/errors.hpp"

namespace redes::sweep {
namespace fs = std::filesystem;
namespace {

constexpr char kMagic[8] = {'R', 'E', 'D', 'E', 'S', 'J', '1', '\n'};
constexpr std::uint32_t kRecordMark = 0x52554e31;  // "RUN1"

struct Header {
  char magic[8];
  std::uint64_t fingerprint;
  std::uint32_t metrics, trajectory;
};

// A journal record: mark, the run record (sim/sweep/run_record.hpp), CRC-32 of mark and record.
std::size_t record_bytes(const JournalShape& s) { return 4 + record_size(s.record()) + 4; }

std::uint32_t crc_of(const unsigned char* data, std::size_t n) {
  boost::crc_32_type crc;
  crc.process_bytes(data, n);
  return crc.checksum();
}

}  // namespace

std::uint64_t read_journal(const fs::path& path, const JournalShape& shape,
                           const std::function<void(RunRecord&&)>& each) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return 0;
  Header h{};
  std::uint64_t good = 0;
  if (std::fread(&h, sizeof h, 1, f) == 1) {
    if (std::memcmp(h.magic, kMagic, 8) != 0 || h.fingerprint != shape.fingerprint || h.metrics != shape.metrics ||
        h.trajectory != shape.trajectory) {
      std::fclose(f);
      throw JournalMismatch(path, path.string() +
                                      ": this journal belongs to another sweep (different file, baseline, design or "
                                      "program version); remove it or choose another output name");
    }
    good = sizeof h;
    std::vector<unsigned char> buf(record_bytes(shape));
    while (std::fread(buf.data(), buf.size(), 1, f) == 1) {
      std::uint32_t mark, crc;
      std::memcpy(&mark, buf.data(), 4);
      std::memcpy(&crc, buf.data() + buf.size() - 4, 4);
      if (mark != kRecordMark || crc != crc_of(buf.data(), buf.size() - 4)) break;
      RunRecord r = decode_record(std::span(buf).subspan(4, buf.size() - 8), shape.record());
      // A record with a valid CRC can still be forged or from a bug: never index with it unchecked.
      if (r.run < 0 || (shape.runs >= 0 && r.run >= shape.runs)) {
        std::fclose(f);
        throw IoError(path.string() + ": record at byte " + std::to_string(good) + " holds run " +
                      std::to_string(r.run) + ", outside this sweep's runs 0.." + std::to_string(shape.runs - 1) +
                      "; the journal is damaged: remove it to redo the runs it held");
      }
      each(std::move(r));
      good += buf.size();
    }
  }
  std::fclose(f);
  return good;
}

Journal::Journal(fs::path path, const JournalShape& shape) : path_(std::move(path)), shape_(shape) {
  const std::uint64_t good = read_journal(path_, shape_, [](RunRecord&&) {});
  if (good == 0) {
    file_ = std::fopen(path_.c_str(), "wb");
    if (!file_) throw IoError(path_.string() + ": cannot create the sweep journal");
    Header h{};
    std::memcpy(h.magic, kMagic, 8);
    h.fingerprint = shape_.fingerprint, h.metrics = shape_.metrics, h.trajectory = shape_.trajectory;
    if (std::fwrite(&h, sizeof h, 1, file_) != 1) throw IoError(path_.string() + ": cannot write the sweep journal");
  } else {
    fs::resize_file(path_, good);  // drop a record torn by a kill
    file_ = std::fopen(path_.c_str(), "ab");
    if (!file_) throw IoError(path_.string() + ": cannot append to the sweep journal");
  }
  std::fflush(file_);
}

Journal::~Journal() {
  if (file_) std::fclose(file_);
}

void Journal::append(const RunRecord& r) {
  std::vector<unsigned char> buf(record_bytes(shape_));
  std::memcpy(buf.data(), &kRecordMark, 4);
  encode_record(r, shape_.record(), std::span(buf).subspan(4, buf.size() - 8));
  const std::uint32_t crc = crc_of(buf.data(), buf.size() - 4);
  std::memcpy(buf.data() + buf.size() - 4, &crc, 4);
  std::lock_guard lock(mutex_);
  // One write per record, flushed at once: after kill -9 the kernel still holds every completed
  // record; only a record being written at that instant can be torn, and its CRC catches that.
  if (std::fwrite(buf.data(), buf.size(), 1, file_) != 1 || std::fflush(file_) != 0)
    throw IoError(path_.string() + ": cannot append to the sweep journal (disk full?)");
}

void Journal::flush() {
  std::lock_guard lock(mutex_);
  std::fflush(file_);
  ::fsync(fileno(file_));
}

}  // namespace redes::sweep
