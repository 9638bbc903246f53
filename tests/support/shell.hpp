// Test support: running a command line through the shell and capturing what it printed, for the
// end-to-end tests of the `redes` executable.
#pragma once
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

extern char** environ;

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

/// Starts `args` (args[0] is the program) in the background with stdout and stderr written to
/// `out` and `err`; returns its pid, or -1 if it could not start. posix_spawn, not fork: the test
/// process is multi-threaded.
inline pid_t spawn_logged(std::vector<std::string> args, const std::string& out, const std::string& err) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

}  // namespace redes::testing
