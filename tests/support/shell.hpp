// Test support: running a command line through the shell and capturing what it printed, for the
// end-to-end tests of the `redes` executable.
#pragma once
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace redes::testing {

struct ShellResult {
  int code = -1;  // exit status, -1 when killed by a signal
  std::string out, err;
};

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::string quote(const std::string& s) { return "'" + s + "'"; }

/// Runs a shell command line (a `{ ...; }` group, so pipes and `&&` work), capturing stdout and
/// stderr through scratch files in `dir`.
inline ShellResult run_shell(const std::string& cmd, const std::filesystem::path& dir) {
  const auto o = dir / "stdout.txt", e = dir / "stderr.txt";
  const int status = std::system(("{ " + cmd + "; } >" + quote(o.string()) + " 2>" + quote(e.string())).c_str());
  ShellResult r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(o);
  r.err = slurp(e);
  std::filesystem::remove(o);
  std::filesystem::remove(e);
  return r;
}

}  // namespace redes::testing
