// core/version: the program version and the git commit it was built from (for output metadata).
#pragma once

namespace redes {
const char* version();
const char* git_commit();
}  // namespace redes
