// output/h5: a thin RAII layer over the HDF5 C API for what redes writes: labelled, chunked,
// compressed n-d arrays, compound event tables, string attributes, and files that appear under
// their final name only when complete. One writer at a time (Debian's HDF5 serialises calls).
#pragma once
#include <hdf5.h>

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/errors.hpp"

namespace redes::h5 {

/// One axis of a dataset: its name (the dimension label) and, optionally, the labels of its
/// positions (stored once per file as a string dimension scale under /labels/<name>). Numeric
/// axes like `day` pass `values` instead (stored as an integer scale, also under /labels).
struct Axis {
  std::string name;
  std::vector<std::string> labels;   // categorical axis, or empty
  std::vector<std::int64_t> values;  // numeric axis (e.g. days), or empty
  std::size_t size() const { return labels.empty() ? (values.empty() ? extent : values.size()) : labels.size(); }
  std::size_t extent = 0;  // used when both labels and values are empty
};

/// An owned hid_t of one kind; closes itself.
class Handle {
 public:
  Handle() = default;
  Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  Handle(Handle&& o) noexcept : id_(o.id_), close_(o.close_) { o.id_ = H5I_INVALID_HID; }
  Handle& operator=(Handle&& o) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle();
  hid_t get() const { return id_; }
  explicit operator bool() const { return id_ >= 0; }

 private:
  friend class Writer;  // commit() closes the file itself to see the close status
  hid_t id_ = H5I_INVALID_HID;
  herr_t (*close_)(hid_t) = nullptr;
};

/// A file being written. Created as `<final>.tmp-<pid>`; commit() closes it and renames it to the
/// final name. Destroyed without commit(): the temporary file is removed, nothing is left under
/// the final name. Errors throw IoError naming the file and the object.
class Writer {
 public:
  explicit Writer(std::filesystem::path final_path);
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  /// Creates the group and its parents if missing ("/a/b").
  void group(const std::string& path);
  /// String / integer / float attribute on a group or dataset (created if needed).
  void attribute(const std::string& object_path, const std::string& name, std::string_view value);
  void attribute(const std::string& object_path, const std::string& name, std::int64_t value);
  void attribute(const std::string& object_path, const std::string& name, double value);

  /// Writes an n-d array (row-major) with one Axis per dimension: dimension labels, attached
  /// scales, chunked and deflate-compressed (level 4, shuffle). `unit` is stored as attribute
  /// `unit` when not empty. Types: int32, int64, uint32, double.
  void array(const std::string& path, const std::vector<Axis>& axes, std::span<const std::int32_t> data,
             std::string_view unit = "");
  void array(const std::string& path, const std::vector<Axis>& axes, std::span<const std::int64_t> data,
             std::string_view unit = "");
  void array(const std::string& path, const std::vector<Axis>& axes, std::span<const double> data,
             std::string_view unit = "");
  // Compact types for stored populations and graphs (exact, no widening copies).
  void array(const std::string& path, const std::vector<Axis>& axes, std::span<const std::uint8_t> data,
             std::string_view unit = "");
  void array(const std::string& path, const std::vector<Axis>& axes, std::span<const std::uint16_t> data,
             std::string_view unit = "");
  void array(const std::string& path, const std::vector<Axis>& axes, std::span<const std::uint32_t> data,
             std::string_view unit = "");
  void array(const std::string& path, const std::vector<Axis>& axes, std::span<const float> data,
             std::string_view unit = "");

  /// Writes into the replicate slice `index` (first dimension) of an array created by
  /// create_array(); lets replicates stream to disk one at a time.
  void create_array_int32(const std::string& path, const std::vector<Axis>& axes, std::string_view unit = "");
  void create_array_double(const std::string& path, const std::vector<Axis>& axes, std::string_view unit = "");
  void write_slice(const std::string& path, std::size_t index, std::span<const std::int32_t> data);
  void write_slice(const std::string& path, std::size_t index, std::span<const double> data);

  /// A table of records (HDF5 compound type), appendable, chunked and compressed.
  struct Field {
    std::string name;
    std::size_t offset;
    hid_t type;  // H5T_NATIVE_* of the member
  };
  void create_table(const std::string& path, std::size_t record_size, const std::vector<Field>& fields);
  void append_table(const std::string& path, const void* records, std::size_t count);

  /// Flushes, closes and renames the temporary file to the final name (atomic on one filesystem).
  void commit();
  const std::filesystem::path& final_path() const { return final_; }

 private:
  std::filesystem::path final_, temp_;
  Handle file_;
  bool committed_ = false;
  int temp_slot_ = -1;  // in the signal cleanup registry
  hid_t open_dataset(const std::string& path) const;
  void ensure_scale(const Axis& axis);
  void attach_axes(const std::string& path, hid_t dataset, const std::vector<Axis>& axes);
  [[noreturn]] void fail(const std::string& object, const std::string& operation) const;
  hid_t file() const;  // the open file; throws after commit()
  void create_dataset(const std::string& path, const std::vector<Axis>& axes, hid_t type, std::string_view unit);
  void write_all(const std::string& path, hid_t type, const void* data, std::size_t count);
  void write_row(const std::string& path, std::size_t index, hid_t type, const void* data, std::size_t count);
};

/// Read side, for `redes inspect`, compare and tests.
class Reader {
 public:
  explicit Reader(const std::filesystem::path& path);
  bool exists(const std::string& path) const;
  std::vector<std::size_t> shape(const std::string& dataset) const;
  std::vector<std::string> dim_labels(const std::string& dataset) const;             // label of each dimension
  std::vector<std::string> scale_labels(const std::string& dataset, int dim) const;  // categorical labels
  std::vector<double> read_double(const std::string& dataset) const;                 // any numeric type, converted
  std::vector<std::int64_t> read_int(const std::string& dataset) const;
  /// Any numeric dataset converted by HDF5 to T (uint8, uint16, uint32, int32 or float).
  template <class T>
  std::vector<T> read_as(const std::string& dataset) const;
  std::string attribute_string(const std::string& object_path, const std::string& name) const;
  std::vector<std::string> children(const std::string& group) const;  // names in a group, sorted; axes left out

 private:
  std::filesystem::path path_;
  Handle file_;
};

}  // namespace redes::h5
