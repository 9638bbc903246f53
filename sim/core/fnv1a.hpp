// core/fnv1a: a 64-bit FNV-1a hash of text. Hand-written (four lines) because fingerprints are
// stored in files and compared across processes and machines, which std::hash does not promise.
#pragma once
#include <cstdint>
#include <string_view>

namespace redes {

inline std::uint64_t fnv1a(std::string_view text, std::uint64_t h = 0xcbf29ce484222325ULL) {
  for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

}  // namespace redes
