// Fuzz target: the HDF5 reader as `redes inspect` uses it (metadata attributes, group listing,
// shapes, numbers and axis labels) on arbitrary file bytes. Errors must be IoErrors.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "sim/core/errors.hpp"
#include "sim/output/h5.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The pid padded to a fixed width: the same path length on every machine, so that a fixed-seed
  // run takes the same code paths (error messages name the path) and so the same inputs.
  static const std::string path = [] {
    char name[64];
    std::snprintf(name, sizeof name, "/tmp/redes-fuzz-h5-%010d.h5", int(::getpid()));
    return std::string(name);
  }();
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  try {
    redes::h5::Reader in(path);
    if (in.exists("/metadata")) (void)in.attribute_string("/metadata", "kind");
    if (in.exists("/summary"))
      for (const auto& name : in.children("/summary")) {
        const std::string ds = "/summary/" + name;
        auto shape = in.shape(ds);
        auto values = in.read_double(ds);
        (void)in.dim_labels(ds);
        if (shape.size() > 1) (void)in.scale_labels(ds, 1);
        (void)values;
      }
  } catch (const redes::IoError&) {
  }
  return 0;
}
