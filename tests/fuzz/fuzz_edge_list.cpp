// Fuzz target: the CSV edge-list reader, on a population of 1000 persons.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "sim/core/errors.hpp"
#include "sim/network/network.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = "/tmp/redes-fuzz-edges-" + std::to_string(::getpid()) + ".csv";
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  try {
    auto pairs = redes::read_edge_list(path, 1000);
    for (auto p : pairs)
      if ((p >> 32) >= 1000 || (p & 0xffffffffu) >= 1000) __builtin_trap();  // the reader must bound indices
  } catch (const redes::IoError&) {
  }
  return 0;
}
