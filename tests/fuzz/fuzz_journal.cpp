// Fuzz target: the sweep journal reader. The first 8 bytes choose the expected shape, the rest is
// the journal; every record handed out must have that shape and an in-range run index.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#include "sim/core/errors.hpp"
#include "sim/sweep/journal.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 8) return 0;
  redes::sweep::JournalShape shape;
  shape.metrics = data[0] % 8, shape.trajectory = data[1] % 16, shape.runs = 1 + data[2];
  std::uint32_t fp32;
  std::memcpy(&fp32, data + 4, 4);
  shape.fingerprint = fp32;
  static const std::string path = "/tmp/redes-fuzz-journal-" + std::to_string(::getpid());
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  std::fwrite(data + 8, 1, size - 8, f);
  std::fclose(f);
  try {
    redes::sweep::read_journal(path, shape, [&](redes::sweep::RunRecord&& r) {
      if (r.run < 0 || r.run >= shape.runs || r.metrics.size() != shape.metrics ||
          r.trajectory.size() != shape.trajectory)
        __builtin_trap();
    });
  } catch (const redes::IoError&) {
  }
  return 0;
}
