// output/h5: the HDF5 C API plus the HL dimension-scale API. Every negative return becomes an
// IoError naming the file, the object and the operation, with HDF5's innermost cause appended
// (HDF5's own stack printing is switched off so nothing else reaches stderr).
// Over 500 lines: writer and reader share one set of handle and error helpers, and the reader
// guards against damaged files (sizes, heaps, group indexes) before libhdf5 reads them.
#include "sim/output/h5.hpp"

#include <hdf5_hl.h>
#include <libdeflate.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <system_error>
#include <type_traits>

#include "sim/output/safe_output.hpp"

namespace redes::h5 {
namespace {

constexpr hsize_t kChunkBytes = hsize_t{1} << 20;  // HDF5's default chunk cache holds 1 MiB
constexpr hsize_t kTableChunkRecords = 4096;
constexpr unsigned kDeflateLevel = 4;
const std::string kLabelsGroup = "/labels/";

void silence_hdf5() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

// The most specific message on HDF5's error stack (the first one walking upward); clears it.
std::string hdf5_cause() {
  std::string cause;
  auto first = [](unsigned n, const H5E_error2_t* e, void* out) -> herr_t {
    if (n == 0 && e->desc != nullptr) *static_cast<std::string*>(out) = e->desc;
    return 0;
  };
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, first, &cause);
  H5Eclear2(H5E_DEFAULT);
  return cause;
}

// Error context: which file and object a sequence of calls works on.
struct Ctx {
  const std::filesystem::path& file;
  std::string object;

  /// An HDF5 call failed: "<file>: cannot <op> '<object>' (<cause>)".
  [[noreturn]] void fail(std::string_view op) const {
    std::string msg = file.string() + ": cannot ";
    msg += op;
    if (!object.empty()) msg += " '" + object + "'";
    const std::string cause = hdf5_cause();
    if (!cause.empty()) msg += " (" + cause + ")";
    throw IoError(msg);
  }
  /// The caller asked for something inconsistent: "<file>: '<object>': <what>".
  [[noreturn]] void misuse(const std::string& what) const {
    throw IoError(file.string() + ": '" + object + "': " + what);
  }
  template <class T>
  T ok(T rc, std::string_view op) const {
    if (rc < 0) fail(op);
    return rc;
  }
  Handle own(hid_t id, herr_t (*close)(hid_t), std::string_view op) const {
    if (id < 0) fail(op);
    return Handle(id, close);
  }
};

bool has_scale(const Axis& a) {
  // An empty axis still gets an (empty) scale so readers find /labels/<name> for it.
  return !a.labels.empty() || !a.values.empty() || a.extent == 0;
}

std::string absolute(const std::string& path) { return (path.empty() || path[0] != '/') ? "/" + path : path; }

// True when every component of `path` exists as a link (a dataset as a middle component: false).
bool path_exists(hid_t loc, const std::string& path) {
  const std::string abs = absolute(path);
  std::size_t pos = 1;
  while (pos < abs.size()) {
    std::size_t next = abs.find('/', pos);
    if (next == std::string::npos) next = abs.size();
    if (next > pos) {
      const htri_t e = H5Lexists(loc, abs.substr(0, next).c_str(), H5P_DEFAULT);
      if (e <= 0) {
        H5Eclear2(H5E_DEFAULT);
        return false;
      }
    }
    pos = next + 1;
  }
  return true;
}

Handle intermediate_lcpl(const Ctx& c) {
  Handle lcpl = c.own(H5Pcreate(H5P_LINK_CREATE), H5Pclose, "create link properties for");
  c.ok(H5Pset_create_intermediate_group(lcpl.get(), 1), "set intermediate groups for");
  c.ok(H5Pset_char_encoding(lcpl.get(), H5T_CSET_UTF8), "set name encoding for");
  return lcpl;
}

// Variable-length (H5T_VARIABLE) for label datasets, whose heap references the reader checks;
// fixed-length (the text and its NUL) for attributes, whose bytes libhdf5 would otherwise follow
// into a global heap unchecked (see read_strings).
Handle utf8_string_type(const Ctx& c, std::size_t size = H5T_VARIABLE) {
  Handle t = c.own(H5Tcopy(H5T_C_S1), H5Tclose, "copy string type for");
  c.ok(H5Tset_size(t.get(), size), "size string type for");
  c.ok(H5Tset_cset(t.get(), H5T_CSET_UTF8), "set UTF-8 on string type for");
  return t;
}

std::size_t product(const std::vector<hsize_t>& dims, std::size_t from = 0) {
  std::size_t n = 1;
  for (std::size_t i = from; i < dims.size(); ++i) n *= static_cast<std::size_t>(dims[i]);
  return n;
}

// Chunks of at most kChunkBytes, shrinking leading dimensions first so each chunk stays a
// contiguous run of the row-major data. The first dimension gets 1 (one replicate per chunk).
std::vector<hsize_t> chunk_dims(const std::vector<hsize_t>& dims, std::size_t element_size) {
  std::vector<hsize_t> c = dims;
  if (c.size() >= 2) c[0] = 1;
  auto bytes = [&] { return hsize_t(product(c)) * hsize_t(element_size); };
  for (std::size_t i = 0; i < c.size() && bytes() > kChunkBytes; ++i)
    while (c[i] > 1 && bytes() > kChunkBytes) c[i] = (c[i] + 1) / 2;
  return c;
}

std::vector<hsize_t> extent(const Ctx& c, hid_t space) {
  const int rank = c.ok(H5Sget_simple_extent_ndims(space), "get rank of");
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  c.ok(H5Sget_simple_extent_dims(space, dims.data(), nullptr), "get shape of");
  return dims;
}

// Little-endian unsigned integer of `width` bytes at `p` (HDF5 stores addresses and lengths so).
std::uint64_t little_endian(const unsigned char* p, std::size_t width) {
  std::uint64_t v = 0;
  for (std::size_t i = width; i-- > 0;) v = (v << 8) | p[i];
  return v;
}

// libhdf5 1.10 reads each variable-length element from a global heap collection trusting the
// object index stored with the element (only an assert checks it): a damaged index makes
// H5HG_read follow a wild pointer (a fuzzer finding, tests/fuzz/regressions/fuzz_h5). For a
// contiguous dataset the stored elements can be read as bytes, so each one is checked against its
// collection first: the object must exist and hold exactly the element's length. Only files
// opened to read (redes writes its own). Attributes and compact datasets keep their bytes inside
// object headers, and chunks may be filtered, out of reach of this check: redes never writes such
// variable-length strings and refuses them.
void check_heap_references(const Ctx& c, hid_t dataset, std::size_t n) {
  Handle dcpl = c.own(H5Dget_create_plist(dataset), H5Pclose, "get creation properties of");
  if (H5Pget_layout(dcpl.get()) != H5D_CONTIGUOUS)
    c.misuse("variable-length strings stored chunked or compact, which redes never writes and cannot check");
  const haddr_t offset = H5Dget_offset(dataset);
  if (offset == HADDR_UNDEF) return;  // nothing stored: libhdf5 reads fill values
  Handle file = c.own(H5Iget_file_id(dataset), H5Fclose, "get file of");
  unsigned intent = 0;
  c.ok(H5Fget_intent(file.get(), &intent), "get access mode of");
  if (intent != H5F_ACC_RDONLY) return;  // a file being written: its bytes on disk lag its cache
  Handle fcpl = c.own(H5Fget_create_plist(file.get()), H5Pclose, "get file properties of");
  std::size_t addr_bytes = 0, size_bytes = 0;
  hsize_t base = 0;
  c.ok(H5Pget_sizes(fcpl.get(), &addr_bytes, &size_bytes), "get address sizes of");
  c.ok(H5Pget_userblock(fcpl.get(), &base), "get user block of");
  if (addr_bytes == 0 || addr_bytes > 8 || size_bytes == 0 || size_bytes > 8)
    c.misuse("damaged file: bad address sizes");
  const std::size_t element = 4 + addr_bytes + 4;  // length, heap collection address, object index

  std::ifstream in(c.file, std::ios::binary);
  std::error_code ec;
  const std::uint64_t file_size = std::filesystem::file_size(c.file, ec);
  auto bytes_at = [&](std::uint64_t at, std::uint64_t count) {
    if (ec || at > file_size || count > file_size - at)
      c.misuse("damaged variable-length data: it points past the end of the file");
    std::vector<unsigned char> out(count);
    in.seekg(static_cast<std::streamoff>(at));
    in.read(reinterpret_cast<char*>(out.data()), static_cast<std::streamsize>(count));
    if (!in) c.misuse("damaged variable-length data: cannot read it");
    return out;
  };
  const std::vector<unsigned char> elements = bytes_at(base + offset, std::uint64_t(n) * element);
  std::map<std::uint64_t, std::map<std::uint64_t, std::uint64_t>> collections;  // address -> index -> size
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned char* e = elements.data() + i * element;
    const std::uint64_t length = little_endian(e, 4), heap = little_endian(e + 4, addr_bytes),
                        index = little_endian(e + 4 + addr_bytes, 4);
    if (heap == 0) continue;  // a null element: libhdf5 does not read the heap
    auto found = collections.find(heap);
    if (found == collections.end()) {
      // Collection: "GCOL", version 1, 3 reserved bytes, its size; then objects, each an index
      // (2 bytes), a reference count (2), 4 reserved bytes, its size, and its data padded to 8.
      const std::vector<unsigned char> head = bytes_at(base + heap, 8 + size_bytes);
      if (std::string(head.begin(), head.begin() + 4) != "GCOL" || head[4] != 1)
        c.misuse("damaged variable-length data: no global heap where element " + std::to_string(i) + " points");
      const std::uint64_t total = little_endian(head.data() + 8, size_bytes);
      const std::vector<unsigned char> body = bytes_at(base + heap, total);
      std::map<std::uint64_t, std::uint64_t> objects;
      const std::uint64_t header = 8 + size_bytes;
      // Walked as libhdf5 walks it (H5HG__cache_heap_deserialize): to the end, past free space
      // (index 0, whose size counts its header), a later record of an index replacing an earlier
      // one. A forged free-space record hid a second, overrunning record of an index from a walk
      // that stopped at the first free space (a fuzzer finding).
      for (std::uint64_t at = 8 + size_bytes; at + header <= total;) {
        const std::uint64_t id = little_endian(body.data() + at, 2),
                            size = little_endian(body.data() + at + 8, size_bytes);
        const std::uint64_t need = id == 0 ? size : header + ((std::min(size, total) + 7) / 8) * 8;
        if (size > total || need < header || need > total - at)
          c.misuse("damaged variable-length data: a heap record overruns its collection");
        if (id != 0) objects[id] = size;
        at += need;
      }
      found = collections.emplace(heap, std::move(objects)).first;
    }
    const auto object = found->second.find(index);
    if (object == found->second.end() || object->second != length)
      c.misuse("damaged variable-length data: element " + std::to_string(i) +
               " names a heap object that is missing or of another size");
  }
}

// Reads all strings of a dataset or attribute, fixed-length or variable-length.
std::vector<std::string> read_strings(const Ctx& c, hid_t obj, bool attr) {
  Handle ftype = c.own(attr ? H5Aget_type(obj) : H5Dget_type(obj), H5Tclose, "get type of");
  Handle space = c.own(attr ? H5Aget_space(obj) : H5Dget_space(obj), H5Sclose, "get dataspace of");
  const auto n = static_cast<std::size_t>(c.ok(H5Sget_simple_extent_npoints(space.get()), "count elements of"));
  std::vector<std::string> out;
  if (n == 0) return out;
  out.reserve(n);
  Handle mem = c.own(H5Tget_native_type(ftype.get(), H5T_DIR_ASCEND), H5Tclose, "get memory type of");
  auto read = [&](void* buf) {
    c.ok(attr ? H5Aread(obj, mem.get(), buf) : H5Dread(obj, mem.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buf), "read");
  };
  if (c.ok(H5Tis_variable_str(ftype.get()), "inspect string type of") > 0) {
    // An attribute's bytes sit in its object header, out of reach of check_heap_references, and a
    // forged heap reference there keeps libhdf5 in H5HG_read for minutes or crashes it
    // (tests/fuzz/regressions/fuzz_h5/h5-attribute-heap-loop). redes writes fixed-length attributes.
    if (attr)
      c.misuse(
          "variable-length string attribute: redes reads only the fixed-length attributes it writes "
          "(files made before 2026-12-02 have the other kind: make the file again with this version; the same "
          "scenario and seed give the same numbers)");
    check_heap_references(c, obj, n);
    std::vector<char*> buf(n, nullptr);
    read(buf.data());
    for (const char* s : buf) out.emplace_back(s != nullptr ? s : "");
    c.ok(H5Dvlen_reclaim(mem.get(), space.get(), H5P_DEFAULT, buf.data()), "free strings read from");
  } else {
    const std::size_t width = H5Tget_size(mem.get());
    if (width == 0) c.fail("get string size of");
    // A forged size must not decide the allocation: an attribute stores exactly its elements, and
    // redes' own strings are far below the cap.
    constexpr std::size_t kMaxStringBytes = std::size_t{1} << 28;
    if (width > kMaxStringBytes / n || (attr && hsize_t(n * width) != H5Aget_storage_size(obj)))
      c.misuse("damaged strings: " + std::to_string(n) + " of " + std::to_string(width) + " bytes");
    std::vector<char> buf(n * width);
    read(buf.data());
    const bool space_padded = H5Tget_strpad(mem.get()) == H5T_STR_SPACEPAD;
    for (std::size_t i = 0; i < n; ++i) {
      std::string s(buf.data() + i * width, width);
      s.resize(std::min(s.size(), s.find('\0')));
      if (space_padded) s.erase(s.find_last_not_of(' ') + 1);
      out.push_back(std::move(s));
    }
  }
  return out;
}

// Reads a one-dimensional dataset stored as redes writes it (chunks, shuffle then deflate, the
// memory type's own byte layout) with its chunks undone in parallel: libhdf5 filters chunks one at
// a time on one thread (it is not thread-safe), and decompressing was two thirds of loading a saved
// population. The raw chunks are read through libhdf5 (H5Dread_chunk), inflated by libdeflate
// (faster than zlib on the same streams) and unshuffled here. Returns false, having read nothing,
// for any other layout; libhdf5 then reads the dataset. A damaged chunk is an IoError.
bool read_chunks_in_parallel(const Ctx& c, hid_t dataset, hid_t ftype, hid_t memtype, hid_t space, void* out,
                             std::size_t n) {
  const std::size_t size = H5Tget_size(memtype);
  if (n == 0 || H5Tequal(ftype, memtype) <= 0 || H5Sget_simple_extent_ndims(space) != 1) return false;
  Handle dcpl = c.own(H5Dget_create_plist(dataset), H5Pclose, "get creation properties of");
  if (H5Pget_layout(dcpl.get()) != H5D_CHUNKED || H5Pget_nfilters(dcpl.get()) != 2) return false;
  for (unsigned k = 0; k < 2; ++k) {
    unsigned flags = 0, name_len = 0;
    std::size_t nvalues = 0;
    const H5Z_filter_t f = H5Pget_filter2(dcpl.get(), k, &flags, &nvalues, nullptr, name_len, nullptr, nullptr);
    if (f != (k == 0 ? H5Z_FILTER_SHUFFLE : H5Z_FILTER_DEFLATE)) return false;
  }
  hsize_t chunk_len = 0;
  if (H5Pget_chunk(dcpl.get(), 1, &chunk_len) != 1 || chunk_len == 0) return false;
  const std::size_t chunk_bytes = std::size_t(chunk_len) * size;
  if (chunk_bytes > (std::size_t{64} << 20)) return false;  // not redes' 1 MiB chunks: leave it to libhdf5
  hsize_t stored = 0;
  const std::size_t chunks = (n + chunk_len - 1) / chunk_len;
  // libhdf5 1.10 does not take H5S_ALL here: the dataset's own dataspace.
  if (H5Dget_num_chunks(dataset, space, &stored) < 0 || stored != chunks) {
    H5Eclear2(H5E_DEFAULT);
    return false;  // chunks never written read as fill values: libhdf5's business
  }
  // Deflate output never exceeds its input by more than about 0.1% (zlib's bound); a larger stored
  // chunk is damaged, and must not decide an allocation.
  const std::size_t max_stored = chunk_bytes + chunk_bytes / 512 + 64;
  auto* bytes = static_cast<unsigned char*>(out);
  tbb::enumerable_thread_specific<std::unique_ptr<libdeflate_decompressor, void (*)(libdeflate_decompressor*)>>
      inflaters([] {
        return std::unique_ptr<libdeflate_decompressor, void (*)(libdeflate_decompressor*)>(
            libdeflate_alloc_decompressor(), libdeflate_free_decompressor);
      });
  tbb::enumerable_thread_specific<std::vector<unsigned char>> scratch(
      [&] { return std::vector<unsigned char>(chunk_bytes); });
  // Batches of raw chunks: read in file order on this thread, then undone in parallel.
  constexpr std::size_t kBatch = 64;
  std::vector<std::vector<unsigned char>> raw(std::min(kBatch, chunks));
  std::vector<std::uint32_t> masks(raw.size());
  std::vector<hsize_t> starts(raw.size());
  std::vector<bool> seen(chunks, false);  // a forged index must not list one chunk twice and skip another
  for (std::size_t first = 0; first < chunks; first += kBatch) {
    const std::size_t count = std::min(kBatch, chunks - first);
    for (std::size_t k = 0; k < count; ++k) {
      hsize_t offset = 0, nbytes = 0;
      haddr_t addr = 0;
      unsigned mask = 0;
      c.ok(H5Dget_chunk_info(dataset, space, first + k, &offset, &mask, &addr, &nbytes), "find chunks of");
      if (offset % chunk_len != 0 || offset >= n || nbytes > max_stored || seen[offset / chunk_len])
        c.misuse("damaged chunk " + std::to_string(first + k) + " (offset " + std::to_string(offset) + ", " +
                 std::to_string(nbytes) + " bytes stored)");
      seen[offset / chunk_len] = true;
      raw[k].resize(nbytes);
      std::uint32_t filters = 0;
      c.ok(H5Dread_chunk(dataset, H5P_DEFAULT, &offset, &filters, raw[k].data()), "read a chunk of");
      masks[k] = filters;
      starts[k] = offset;
    }
    std::atomic<bool> damaged{false};
    // Isolated: while waiting, this thread must not pick up a caller's other tasks, which may need
    // a lock the caller holds or call libhdf5 (not thread-safe) while it is ours.
    tbb::this_task_arena::isolate([&] {
      tbb::parallel_for(std::size_t(0), count, [&](std::size_t k) {
        std::vector<unsigned char>& plain = scratch.local();
        const std::vector<unsigned char>& in = raw[k];
        const bool deflated = (masks[k] & 2u) == 0, shuffled = (masks[k] & 1u) == 0 && size > 1;
        // Decompressed straight into place when nothing else is left to undo and the chunk is whole.
        const std::size_t start = std::size_t(starts[k]), valid = std::min<std::size_t>(chunk_len, n - start) * size;
        unsigned char* target = !shuffled && valid == chunk_bytes ? bytes + start * size : plain.data();
        if (deflated) {
          std::size_t got = 0;
          if (libdeflate_zlib_decompress(inflaters.local().get(), in.data(), in.size(), target, chunk_bytes, &got) !=
                  LIBDEFLATE_SUCCESS ||
              got != chunk_bytes) {
            damaged = true;
            return;
          }
        } else {
          if (in.size() != chunk_bytes) {
            damaged = true;
            return;
          }
          std::copy(in.begin(), in.end(), target);
        }
        if (shuffled) {  // HDF5's shuffle stores byte b of every element together: gather them back
          const std::size_t elements = chunk_len, keep = valid / size;
          unsigned char* to = bytes + start * size;
          for (std::size_t b = 0; b < size; ++b) {
            const unsigned char* from = target + b * elements;
            for (std::size_t i = 0; i < keep; ++i) to[i * size + b] = from[i];
          }
        } else if (target == plain.data()) {
          std::copy(plain.begin(), plain.begin() + std::ptrdiff_t(valid), bytes + start * size);
        }
      });
    });
    if (damaged) c.misuse("damaged chunk in chunks " + std::to_string(first) + "-" + std::to_string(first + count - 1));
  }
  return true;
}

// Reads all values of a numeric dataset or attribute, converted by HDF5 to `memtype`.
template <class T>
std::vector<T> read_numbers(const Ctx& c, hid_t obj, bool attr, hid_t memtype) {
  Handle ftype = c.own(attr ? H5Aget_type(obj) : H5Dget_type(obj), H5Tclose, "get type of");
  const H5T_class_t cls = H5Tget_class(ftype.get());
  if (cls != H5T_INTEGER && cls != H5T_FLOAT) c.misuse("is not numeric");
  Handle space = c.own(attr ? H5Aget_space(obj) : H5Dget_space(obj), H5Sclose, "get dataspace of");
  const auto n = static_cast<std::size_t>(c.ok(H5Sget_simple_extent_npoints(space.get()), "count elements of"));
  std::vector<T> out(n);
  if (n > 0 && (attr || !read_chunks_in_parallel(c, obj, ftype.get(), memtype, space.get(), out.data(), n)))
    c.ok(attr ? H5Aread(obj, memtype, out.data()) : H5Dread(obj, memtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()),
         "read");
  return out;
}

std::string format_double(double v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

// Any string or numeric dataset/attribute as strings (numbers in their shortest decimal form).
std::vector<std::string> read_as_strings(const Ctx& c, hid_t obj, bool attr) {
  Handle ftype = c.own(attr ? H5Aget_type(obj) : H5Dget_type(obj), H5Tclose, "get type of");
  std::vector<std::string> out;
  switch (H5Tget_class(ftype.get())) {
    case H5T_STRING:
      return read_strings(c, obj, attr);
    case H5T_INTEGER:
      for (std::int64_t v : read_numbers<std::int64_t>(c, obj, attr, H5T_NATIVE_INT64))
        out.push_back(std::to_string(v));
      return out;
    case H5T_FLOAT:
      for (double v : read_numbers<double>(c, obj, attr, H5T_NATIVE_DOUBLE)) out.push_back(format_double(v));
      return out;
    default:
      c.misuse("is neither a string nor a number");
  }
}

// Writes (or replaces: the type may change) attribute `name` on `object`.
void put_attribute(const Ctx& c, hid_t file, const std::string& name, hid_t type, const void* value) {
  const std::string what = "attribute '" + name + "' on";
  const char* obj = c.object.c_str();
  if (c.ok(H5Aexists_by_name(file, obj, name.c_str(), H5P_DEFAULT), "look up " + what) > 0)
    c.ok(H5Adelete_by_name(file, obj, name.c_str(), H5P_DEFAULT), "replace " + what);
  Handle space = c.own(H5Screate(H5S_SCALAR), H5Sclose, "create dataspace for " + what);
  Handle attr =
      c.own(H5Acreate_by_name(file, obj, name.c_str(), type, space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
            H5Aclose, "create " + what);
  c.ok(H5Awrite(attr.get(), type, value), "write " + what);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
Handle& Handle::operator=(Handle&& o) noexcept {
  if (this != &o) {
    if (id_ >= 0 && close_ != nullptr) close_(id_);
    id_ = o.id_;
    close_ = o.close_;
    o.id_ = H5I_INVALID_HID;
  }
  return *this;
}

Handle::~Handle() {
  if (id_ >= 0 && close_ != nullptr) close_(id_);
}

// ---------------------------------------------------------------------------------------------
Writer::Writer(std::filesystem::path final_path) : final_(std::move(final_path)) {
  silence_hdf5();
  temp_ = final_;
  temp_ += ".tmp-" + std::to_string(::getpid());
  const std::filesystem::path dir = final_.parent_path();
  std::error_code ec;
  if (!dir.empty() && !std::filesystem::is_directory(dir, ec))
    throw IoError("cannot write HDF5 file '" + final_.string() + "': directory '" + dir.string() + "' does not exist");
  temp_slot_ = io::register_temp(temp_);  // before it exists: a signal at any point removes it
  const Ctx c{temp_, ""};
  Handle fapl = c.own(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "create file access properties for");
  // Strong close: H5Fclose really closes the file before commit() renames it.
  c.ok(H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_STRONG), "set close degree for");
  // The 1.8 format allows attributes over 64 KiB; a scale shared by thousands of datasets
  // (a sweep file) keeps one back-reference per dataset in its REFERENCE_LIST attribute.
  c.ok(H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_V18, H5F_LIBVER_V18), "set format version for");
  const hid_t id = H5Fcreate(temp_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get());
  if (id < 0) {
    std::filesystem::remove(temp_, ec);
    Ctx{final_, temp_.string()}.fail("create temporary file");
  }
  file_ = Handle(id, H5Fclose);
}

Writer::~Writer() {
  io::unregister_temp(temp_slot_);
  if (committed_) return;
  file_ = Handle();  // close before removing
  std::error_code ec;
  std::filesystem::remove(temp_, ec);
}

void Writer::fail(const std::string& object, const std::string& operation) const {
  Ctx{final_, object}.fail(operation);
}

hid_t Writer::file() const {
  if (!file_) throw IoError(final_.string() + ": already committed, cannot write more");
  return file_.get();
}

hid_t Writer::open_dataset(const std::string& path) const {
  const hid_t id = H5Dopen2(file(), path.c_str(), H5P_DEFAULT);
  if (id < 0) fail(path, "open dataset");
  return id;
}

void Writer::group(const std::string& path) {
  const Ctx c{final_, path};
  if (path_exists(file(), path)) {
    c.own(H5Gopen2(file(), absolute(path).c_str(), H5P_DEFAULT), H5Gclose, "open as a group");
    return;
  }
  Handle lcpl = intermediate_lcpl(c);
  c.own(H5Gcreate2(file(), path.c_str(), lcpl.get(), H5P_DEFAULT, H5P_DEFAULT), H5Gclose, "create group");
}

void Writer::attribute(const std::string& object_path, const std::string& name, std::string_view value) {
  const Ctx c{final_, object_path};
  const std::string copy(value);  // NUL-terminated: the type's size counts the NUL
  Handle type = utf8_string_type(c, copy.size() + 1);
  put_attribute(c, file(), name, type.get(), copy.c_str());
}

void Writer::attribute(const std::string& object_path, const std::string& name, std::int64_t value) {
  put_attribute(Ctx{final_, object_path}, file(), name, H5T_NATIVE_INT64, &value);
}

void Writer::attribute(const std::string& object_path, const std::string& name, double value) {
  put_attribute(Ctx{final_, object_path}, file(), name, H5T_NATIVE_DOUBLE, &value);
}

void Writer::ensure_scale(const Axis& axis) {
  if (!has_scale(axis)) return;
  const std::string path = kLabelsGroup + axis.name;
  const Ctx c{final_, path};
  const std::size_t n = axis.size();
  if (path_exists(file(), path)) {
    Handle ds = c.own(H5Dopen2(file(), path.c_str(), H5P_DEFAULT), H5Dclose, "open scale");
    Handle space = c.own(H5Dget_space(ds.get()), H5Sclose, "get dataspace of");
    const auto have = static_cast<std::size_t>(c.ok(H5Sget_simple_extent_npoints(space.get()), "count labels of"));
    bool same = have == n;
    if (same && n > 0) {
      Handle type = c.own(H5Dget_type(ds.get()), H5Tclose, "get type of");
      const H5T_class_t cls = H5Tget_class(type.get());
      if (!axis.values.empty())
        same = cls == H5T_INTEGER && read_numbers<std::int64_t>(c, ds.get(), false, H5T_NATIVE_INT64) == axis.values;
      else
        same = cls == H5T_STRING && read_strings(c, ds.get(), false) == axis.labels;
    }
    if (!same)
      throw IoError(final_.string() + ": axis '" + axis.name + "' redefined with different labels (" + path +
                    (have == n ? " holds other values)"
                               : " holds " + std::to_string(have) + ", the new axis " + std::to_string(n) + ")"));
    return;
  }
  const hsize_t dim = n;
  Handle space = c.own(H5Screate_simple(1, &dim, nullptr), H5Sclose, "create dataspace for");
  Handle lcpl = intermediate_lcpl(c);
  Handle ds;
  if (!axis.values.empty()) {
    ds = c.own(H5Dcreate2(file(), path.c_str(), H5T_NATIVE_INT64, space.get(), lcpl.get(), H5P_DEFAULT, H5P_DEFAULT),
               H5Dclose, "create scale");
    c.ok(H5Dwrite(ds.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, axis.values.data()), "write scale");
  } else {
    Handle type = utf8_string_type(c);
    ds = c.own(H5Dcreate2(file(), path.c_str(), type.get(), space.get(), lcpl.get(), H5P_DEFAULT, H5P_DEFAULT),
               H5Dclose, "create scale");
    std::vector<const char*> ptrs;
    ptrs.reserve(n);
    for (const std::string& s : axis.labels) ptrs.push_back(s.c_str());
    if (n > 0) c.ok(H5Dwrite(ds.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), "write scale");
  }
  c.ok(H5DSset_scale(ds.get(), axis.name.c_str()), "mark as dimension scale");
}

void Writer::attach_axes(const std::string& path, hid_t dataset, const std::vector<Axis>& axes) {
  const std::string group = path.substr(0, path.rfind('/') + 1);
  for (std::size_t i = 0; i < axes.size(); ++i) {
    const Axis& axis = axes[i];
    const auto dim = static_cast<unsigned>(i);
    Ctx c{final_, axis.name};
    c.ok(H5DSset_label(dataset, dim, axis.name.c_str()), "set dimension label");
    if (!has_scale(axis)) continue;
    c.object = kLabelsGroup + axis.name;
    Handle scale = c.own(H5Dopen2(file(), c.object.c_str(), H5P_DEFAULT), H5Dclose, "open scale");
    c.ok(H5DSattach_scale(dataset, scale.get(), dim), "attach scale");
    // netCDF readers (xarray through h5netcdf) look for a dimension's scale in the dataset's own group
    // or its parents, never in a sibling such as /labels: a hard link to the same scale in the group
    // lets them open every group with labelled axes, without a second copy of the labels.
    const std::string local = group + axis.name;
    if (group != kLabelsGroup && !path_exists(file(), local))
      c.ok(H5Lcreate_hard(scale.get(), ".", file(), local.c_str(), H5P_DEFAULT, H5P_DEFAULT), "link scale into group");
  }
  // The dimension-scale attributes above are for other tools. libhdf5 keeps them as
  // variable-length data that it reads unchecked, so redes' own reader names the axes from this
  // fixed-length attribute and finds each scale at /labels/<axis>.
  std::string names;
  for (std::size_t i = 0; i < axes.size(); ++i) names += (i > 0 ? "," : "") + axes[i].name;
  attribute(path, "axes", names);
}

void Writer::create_dataset(const std::string& path, const std::vector<Axis>& axes, hid_t type, std::string_view unit) {
  const Ctx c{final_, path};
  if (axes.empty()) c.misuse("an array needs at least one axis");
  std::vector<hsize_t> dims;
  for (const Axis& a : axes) {
    if (a.name.empty() || a.name.find_first_of("/,") != std::string::npos || a.name == "." || a.name == "..")
      c.misuse("bad axis name '" + a.name + "'");
    if (!a.labels.empty() && !a.values.empty()) c.misuse("axis '" + a.name + "' has both labels and values");
    dims.push_back(a.size());
  }
  // Scales first: a redefined axis fails before anything is created.
  for (const Axis& a : axes) ensure_scale(a);

  Handle space =
      c.own(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose, "create dataspace for");
  Handle dcpl = c.own(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "create dataset properties for");
  // An empty array stays contiguous: chunks may not exceed a fixed zero-size dimension.
  if (product(dims) > 0) {
    const std::vector<hsize_t> chunk = chunk_dims(dims, H5Tget_size(type));
    c.ok(H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()), "set chunks for");
    c.ok(H5Pset_shuffle(dcpl.get()), "set shuffle filter for");
    c.ok(H5Pset_deflate(dcpl.get(), kDeflateLevel), "set deflate filter for");
  }
  // Unwritten cells of a real-valued array read as NaN, never as a plausible 0 (sweep parts hold
  // only their own runs).
  if (H5Tequal(type, H5T_NATIVE_DOUBLE) > 0) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    c.ok(H5Pset_fill_value(dcpl.get(), H5T_NATIVE_DOUBLE, &nan), "set fill value for");
  }
  Handle lcpl = intermediate_lcpl(c);
  Handle ds = c.own(H5Dcreate2(file(), path.c_str(), type, space.get(), lcpl.get(), dcpl.get(), H5P_DEFAULT), H5Dclose,
                    "create dataset");
  attach_axes(path, ds.get(), axes);
  if (!unit.empty()) attribute(path, "unit", unit);
}

void Writer::write_all(const std::string& path, hid_t type, const void* data, std::size_t count) {
  Handle ds(open_dataset(path), H5Dclose);
  if (count > 0) Ctx{final_, path}.ok(H5Dwrite(ds.get(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "write dataset");
}

void Writer::write_row(const std::string& path, std::size_t index, hid_t type, const void* data, std::size_t count) {
  const Ctx c{final_, path};
  Handle ds(open_dataset(path), H5Dclose);
  Handle space = c.own(H5Dget_space(ds.get()), H5Sclose, "get dataspace of");
  const std::vector<hsize_t> dims = extent(c, space.get());
  if (dims.empty()) c.misuse("cannot take a slice of a scalar");
  if (index >= dims[0])
    c.misuse("slice " + std::to_string(index) + " out of range (first dimension has " + std::to_string(dims[0]) + ")");
  const std::size_t row = product(dims, 1);
  if (count != row)
    c.misuse("slice has " + std::to_string(count) + " values, the remaining dimensions hold " + std::to_string(row));
  if (row == 0) return;
  std::vector<hsize_t> start(dims.size(), 0), block = dims;
  start[0] = index;
  block[0] = 1;
  c.ok(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start.data(), nullptr, block.data(), nullptr),
       "select slice of");
  const hsize_t n = row;
  Handle mem = c.own(H5Screate_simple(1, &n, nullptr), H5Sclose, "create memory dataspace for");
  c.ok(H5Dwrite(ds.get(), type, mem.get(), space.get(), H5P_DEFAULT, data), "write slice of");
}

namespace {
template <class T>
void check_size(const std::filesystem::path& file, const std::string& path, const std::vector<Axis>& axes,
                std::span<const T> data) {
  std::size_t n = 1;
  for (const Axis& a : axes) n *= a.size();
  if (data.size() != n)
    Ctx{file, path}.misuse("data has " + std::to_string(data.size()) + " values, the axes give " + std::to_string(n));
}
}  // namespace

void Writer::array(const std::string& path, const std::vector<Axis>& axes, std::span<const std::int32_t> data,
                   std::string_view unit) {
  check_size(final_, path, axes, data);
  create_dataset(path, axes, H5T_NATIVE_INT32, unit);
  write_all(path, H5T_NATIVE_INT32, data.data(), data.size());
}

void Writer::array(const std::string& path, const std::vector<Axis>& axes, std::span<const std::int64_t> data,
                   std::string_view unit) {
  check_size(final_, path, axes, data);
  create_dataset(path, axes, H5T_NATIVE_INT64, unit);
  write_all(path, H5T_NATIVE_INT64, data.data(), data.size());
}

void Writer::array(const std::string& path, const std::vector<Axis>& axes, std::span<const double> data,
                   std::string_view unit) {
  check_size(final_, path, axes, data);
  create_dataset(path, axes, H5T_NATIVE_DOUBLE, unit);
  write_all(path, H5T_NATIVE_DOUBLE, data.data(), data.size());
}

void Writer::array(const std::string& path, const std::vector<Axis>& axes, std::span<const std::uint8_t> data,
                   std::string_view unit) {
  check_size(final_, path, axes, data);
  create_dataset(path, axes, H5T_NATIVE_UINT8, unit);
  write_all(path, H5T_NATIVE_UINT8, data.data(), data.size());
}

void Writer::array(const std::string& path, const std::vector<Axis>& axes, std::span<const std::uint16_t> data,
                   std::string_view unit) {
  check_size(final_, path, axes, data);
  create_dataset(path, axes, H5T_NATIVE_UINT16, unit);
  write_all(path, H5T_NATIVE_UINT16, data.data(), data.size());
}

void Writer::array(const std::string& path, const std::vector<Axis>& axes, std::span<const std::uint32_t> data,
                   std::string_view unit) {
  check_size(final_, path, axes, data);
  create_dataset(path, axes, H5T_NATIVE_UINT32, unit);
  write_all(path, H5T_NATIVE_UINT32, data.data(), data.size());
}

void Writer::array(const std::string& path, const std::vector<Axis>& axes, std::span<const float> data,
                   std::string_view unit) {
  check_size(final_, path, axes, data);
  create_dataset(path, axes, H5T_NATIVE_FLOAT, unit);
  write_all(path, H5T_NATIVE_FLOAT, data.data(), data.size());
}

void Writer::create_array_int32(const std::string& path, const std::vector<Axis>& axes, std::string_view unit) {
  create_dataset(path, axes, H5T_NATIVE_INT32, unit);
}

void Writer::create_array_double(const std::string& path, const std::vector<Axis>& axes, std::string_view unit) {
  create_dataset(path, axes, H5T_NATIVE_DOUBLE, unit);
}

void Writer::write_slice(const std::string& path, std::size_t index, std::span<const std::int32_t> data) {
  write_row(path, index, H5T_NATIVE_INT32, data.data(), data.size());
}

void Writer::write_slice(const std::string& path, std::size_t index, std::span<const double> data) {
  write_row(path, index, H5T_NATIVE_DOUBLE, data.data(), data.size());
}

void Writer::create_table(const std::string& path, std::size_t record_size, const std::vector<Field>& fields) {
  const Ctx c{final_, path};
  if (record_size == 0 || fields.empty()) c.misuse("a table needs a record size and at least one field");
  Handle type = c.own(H5Tcreate(H5T_COMPOUND, record_size), H5Tclose, "create record type for");
  for (const Field& f : fields)
    c.ok(H5Tinsert(type.get(), f.name.c_str(), f.offset, f.type), "add field '" + f.name + "' to record type of");
  const hsize_t zero = 0, unlimited = H5S_UNLIMITED;
  Handle space = c.own(H5Screate_simple(1, &zero, &unlimited), H5Sclose, "create dataspace for");
  Handle dcpl = c.own(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "create dataset properties for");
  const hsize_t chunk = std::clamp<hsize_t>(kChunkBytes / record_size, 1, kTableChunkRecords);
  c.ok(H5Pset_chunk(dcpl.get(), 1, &chunk), "set chunks for");
  c.ok(H5Pset_shuffle(dcpl.get()), "set shuffle filter for");
  c.ok(H5Pset_deflate(dcpl.get(), kDeflateLevel), "set deflate filter for");
  Handle lcpl = intermediate_lcpl(c);
  c.own(H5Dcreate2(file(), path.c_str(), type.get(), space.get(), lcpl.get(), dcpl.get(), H5P_DEFAULT), H5Dclose,
        "create table");
}

void Writer::append_table(const std::string& path, const void* records, std::size_t count) {
  const Ctx c{final_, path};
  Handle ds(open_dataset(path), H5Dclose);
  // The stored compound type is the one given to create_table, so it is also the memory layout.
  Handle type = c.own(H5Dget_type(ds.get()), H5Tclose, "get record type of");
  if (H5Tget_class(type.get()) != H5T_COMPOUND) c.misuse("is not a table");
  if (count == 0) return;
  Handle space = c.own(H5Dget_space(ds.get()), H5Sclose, "get dataspace of");
  const std::vector<hsize_t> dims = extent(c, space.get());
  if (dims.size() != 1) c.misuse("is not a table");
  const hsize_t start = dims[0], n = count, grown = dims[0] + count;
  c.ok(H5Dset_extent(ds.get(), &grown), "extend table");
  Handle fspace = c.own(H5Dget_space(ds.get()), H5Sclose, "get dataspace of");
  c.ok(H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, &start, nullptr, &n, nullptr), "select new records of");
  Handle mem = c.own(H5Screate_simple(1, &n, nullptr), H5Sclose, "create memory dataspace for");
  c.ok(H5Dwrite(ds.get(), type.get(), mem.get(), fspace.get(), H5P_DEFAULT, records), "append to table");
}

void Writer::commit() {
  const hid_t id = file();
  if (H5Fflush(id, H5F_SCOPE_GLOBAL) < 0) fail("", "flush file");
  file_.id_ = H5I_INVALID_HID;  // closed here, so a failing close is reported
  if (H5Fclose(id) < 0) fail("", "close file");
  std::error_code ec;
  std::filesystem::rename(temp_, final_, ec);
  if (ec) throw IoError("cannot rename '" + temp_.string() + "' to '" + final_.string() + "': " + ec.message());
  committed_ = true;
}

// ---------------------------------------------------------------------------------------------
Reader::Reader(const std::filesystem::path& path) : path_(path) {
  silence_hdf5();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path_, ec)) throw IoError("HDF5 file '" + path_.string() + "' does not exist");
  const Ctx c{path_, ""};
  file_ = c.own(H5Fopen(path_.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "open HDF5 file");
}

bool Reader::exists(const std::string& path) const { return path_exists(file_.get(), path); }

namespace {
Handle open_dataset_at(const Ctx& c, hid_t file) {
  return c.own(H5Dopen2(file, c.object.c_str(), H5P_DEFAULT), H5Dclose, "open dataset");
}
}  // namespace

std::vector<std::size_t> Reader::shape(const std::string& dataset) const {
  const Ctx c{path_, dataset};
  Handle ds = open_dataset_at(c, file_.get());
  Handle space = c.own(H5Dget_space(ds.get()), H5Sclose, "get dataspace of");
  const std::vector<hsize_t> dims = extent(c, space.get());
  return {dims.begin(), dims.end()};
}

namespace {
/// The names of an open dataset's `rank` dimensions, from its fixed-length attribute `axes`.
std::vector<std::string> axis_names_of(const Ctx& c, hid_t ds, std::size_t rank) {
  // Not H5DSget_label: DIMENSION_LABELS is variable-length data libhdf5 reads unchecked.
  if (c.ok(H5Aexists(ds, "axes"), "look up attribute 'axes' of") == 0)
    c.misuse(
        "has no 'axes' attribute naming its dimensions (files made before 2026-12-02 lack it: make the file "
        "again with this version)");
  Handle attr = c.own(H5Aopen(ds, "axes", H5P_DEFAULT), H5Aclose, "open attribute 'axes' of");
  const std::vector<std::string> value = read_strings(c, attr.get(), true);
  std::vector<std::string> out;
  if (value.size() == 1)
    for (std::size_t at = 0;;) {
      const std::size_t comma = value[0].find(',', at);
      out.push_back(value[0].substr(at, comma - at));
      if (comma == std::string::npos) break;
      at = comma + 1;
    }
  if (out.size() != rank || std::any_of(out.begin(), out.end(), [](const std::string& a) {
        return a.empty() || a.find('/') != std::string::npos || a == "." || a == "..";
      }))
    c.misuse("its 'axes' attribute does not name its " + std::to_string(rank) + " dimension(s)");
  return out;
}
}  // namespace

std::vector<std::string> Reader::dim_labels(const std::string& dataset) const {
  const Ctx c{path_, dataset};
  Handle ds = open_dataset_at(c, file_.get());
  Handle space = c.own(H5Dget_space(ds.get()), H5Sclose, "get dataspace of");
  return axis_names_of(c, ds.get(), extent(c, space.get()).size());
}

std::vector<std::string> Reader::scale_labels(const std::string& dataset, int dim) const {
  const Ctx c{path_, dataset};
  Handle ds = open_dataset_at(c, file_.get());
  Handle space = c.own(H5Dget_space(ds.get()), H5Sclose, "get dataspace of");
  const std::vector<hsize_t> dims = extent(c, space.get());
  if (dim < 0 || static_cast<std::size_t>(dim) >= dims.size())
    c.misuse("has no dimension " + std::to_string(dim) + " (rank " + std::to_string(dims.size()) + ")");
  // The axis' scale by name, not through DIMENSION_LIST (variable-length references, read unchecked).
  const std::string scale_path = kLabelsGroup + axis_names_of(c, ds.get(), dims.size())[std::size_t(dim)];
  if (!path_exists(file_.get(), scale_path)) return {};
  const Ctx sc{path_, scale_path};
  Handle scale = open_dataset_at(sc, file_.get());
  Handle scale_space = sc.own(H5Dget_space(scale.get()), H5Sclose, "get dataspace of");
  const std::vector<hsize_t> labels = extent(sc, scale_space.get());
  if (labels.size() != 1 || labels[0] != dims[std::size_t(dim)])
    sc.misuse("does not label dimension " + std::to_string(dim) + " of '" + dataset + "' (" +
              std::to_string(labels.empty() ? 0 : labels[0]) + " labels for " + std::to_string(dims[std::size_t(dim)]) +
              " entries)");
  return read_as_strings(sc, scale.get(), false);
}

std::vector<double> Reader::read_double(const std::string& dataset) const {
  const Ctx c{path_, dataset};
  Handle ds = open_dataset_at(c, file_.get());
  return read_numbers<double>(c, ds.get(), false, H5T_NATIVE_DOUBLE);
}

std::vector<std::int64_t> Reader::read_int(const std::string& dataset) const {
  const Ctx c{path_, dataset};
  Handle ds = open_dataset_at(c, file_.get());
  return read_numbers<std::int64_t>(c, ds.get(), false, H5T_NATIVE_INT64);
}

template <class T>
std::vector<T> Reader::read_as(const std::string& dataset) const {
  const Ctx c{path_, dataset};
  Handle ds = open_dataset_at(c, file_.get());
  hid_t mem = H5T_NATIVE_FLOAT;
  if constexpr (std::is_same_v<T, std::uint8_t>)
    mem = H5T_NATIVE_UINT8;
  else if constexpr (std::is_same_v<T, std::uint16_t>)
    mem = H5T_NATIVE_UINT16;
  else if constexpr (std::is_same_v<T, std::uint32_t>)
    mem = H5T_NATIVE_UINT32;
  else if constexpr (std::is_same_v<T, std::int32_t>)
    mem = H5T_NATIVE_INT32;
  else
    static_assert(std::is_same_v<T, float>);
  return read_numbers<T>(c, ds.get(), false, mem);
}
template std::vector<std::uint8_t> Reader::read_as(const std::string&) const;
template std::vector<std::uint16_t> Reader::read_as(const std::string&) const;
template std::vector<std::uint32_t> Reader::read_as(const std::string&) const;
template std::vector<std::int32_t> Reader::read_as(const std::string&) const;
template std::vector<float> Reader::read_as(const std::string&) const;

std::string Reader::attribute_string(const std::string& object_path, const std::string& name) const {
  const Ctx c{path_, object_path};
  Handle attr = c.own(H5Aopen_by_name(file_.get(), object_path.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT),
                      H5Aclose, "open attribute '" + name + "' of");
  const std::vector<std::string> values = read_as_strings(c, attr.get(), true);
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) out += (i > 0 ? "," : "") + values[i];
  return out;
}

std::vector<std::string> Reader::children(const std::string& group) const {
  const Ctx c{path_, group};
  Handle g = c.own(H5Gopen2(file_.get(), absolute(group).c_str(), H5P_DEFAULT), H5Gclose, "open group");
  std::vector<std::string> names;
  auto collect = [](hid_t, const char* name, const H5L_info_t*, void* out) -> herr_t {
    try {
      static_cast<std::vector<std::string>*>(out)->emplace_back(name);
    } catch (...) {
      return -1;  // never unwind through HDF5's C frames
    }
    return 0;
  };
  // Native order walks the group's B-tree one link at a time; we sort below anyway. Name order
  // makes libhdf5 1.10 copy the links into a table sized by the count the file claims, and when a
  // damaged node stops the copy midway it frees entries it never filled: a crash inside
  // H5Literate (tests/fuzz/regressions/fuzz_h5). A count that disagrees with the walk is damage too.
  H5G_info_t info;
  c.ok(H5Gget_info(g.get(), &info), "get link count of group");
  c.ok(H5Literate(g.get(), H5_INDEX_NAME, H5_ITER_NATIVE, nullptr, collect, &names), "list group");
  if (names.size() != info.nlinks)
    c.misuse("damaged group: it claims " + std::to_string(info.nlinks) + " links but holds " +
             std::to_string(names.size()));
  // Dimension scales linked into a data group (for netCDF readers) are axes, not data: hard links
  // to /labels/<name> (same object), told apart without reading their attributes.
  if (absolute(group) + "/" != kLabelsGroup)
    std::erase_if(names, [&](const std::string& name) {
      const std::string scale = kLabelsGroup + name;
      H5O_info_t here, there;
      if (!path_exists(file_.get(), scale) ||
          H5Oget_info_by_name2(g.get(), name.c_str(), &here, H5O_INFO_BASIC, H5P_DEFAULT) < 0 ||
          H5Oget_info_by_name2(file_.get(), scale.c_str(), &there, H5O_INFO_BASIC, H5P_DEFAULT) < 0) {
        H5Eclear2(H5E_DEFAULT);
        return false;
      }
      return here.type == H5O_TYPE_DATASET && here.addr == there.addr;
    });
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace redes::h5
