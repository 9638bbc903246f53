// sweep/journal: completed runs appended to a file as they finish, so a sweep killed at any
// moment (kill -9 included) resumes without redoing them. HDF5 files are not safe to append to
// from a process that may die mid-write, hence this small record log; the HDF5 sweep file is
// assembled from it at the end. Each record carries a CRC-32: a torn last record is dropped, so
// partial runs are never counted.
#pragma once
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <mutex>
#include <vector>

#include "sim/core/errors.hpp"
#include "sim/sweep/run_record.hpp"

namespace redes::sweep {

/// A journal written for another request (fingerprint or record shape differ): callers that
/// speak to users name it in their own words, so it has its own type.
class JournalMismatch : public IoError {
 public:
  JournalMismatch(std::filesystem::path path, const std::string& what) : IoError(what), path_(std::move(path)) {}
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// Shape of every record in one journal; a journal with another shape or fingerprint is refused.
struct JournalShape {
  std::uint64_t fingerprint = 0;
  std::uint32_t metrics = 0, trajectory = 0;
  std::int64_t runs = -1;  // run indices must lie in [0, runs) (not stored; -1: unchecked)
  RecordShape record() const { return {metrics, trajectory}; }
};

/// Reads the valid records of a journal (none if it does not exist), calling `each` in file
/// order, and returns the byte length of the valid prefix. Throws JournalMismatch on another
/// sweep's journal, IoError on a record outside [0, runs).
std::uint64_t read_journal(const std::filesystem::path& path, const JournalShape& shape,
                           const std::function<void(RunRecord&&)>& each);

/// Appends records; thread-safe. Opening truncates a torn tail left by a killed process.
class Journal {
 public:
  Journal(std::filesystem::path path, const JournalShape& shape);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;
  void append(const RunRecord& record);
  void flush();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  JournalShape shape_;
  std::FILE* file_ = nullptr;
  std::mutex mutex_;
};

}  // namespace redes::sweep
