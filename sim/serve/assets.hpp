// serve/assets: the web app's files (HTML, script, styles, message catalogues, Debian's Chart.js),
// embedded in the binary at build time (sim/serve/embed.cmake) so the app works with no
// internet and the server never reads a path from a request.
#pragma once
#include <vector>

#include "sim/core/embedded.hpp"

namespace redes {

const std::vector<Asset>& serve_assets();

}  // namespace redes
