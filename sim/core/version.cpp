// Only this file sees the commit hash, so a new commit recompiles one file, not the library.
#include "sim/core/version.hpp"

namespace redes {
const char* version() { return REDES_VERSION; }
const char* git_commit() { return REDES_GIT_COMMIT; }
}  // namespace redes
