// core/embedded: a file embedded in the binary at build time (sim/serve/embed.cmake): the web app's
// assets and the message catalogues, so the binary stands alone and never reads them from disk.
#pragma once
#include <cstddef>

namespace redes {

struct Asset {
  const char* url;   // exact request path (the file name for the catalogues)
  const char* type;  // Content-Type
  const char* data;
  std::size_t size;
};

}  // namespace redes
