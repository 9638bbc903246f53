#include "sim/present/analysis.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/i18n/messages.hpp"

namespace redes {
namespace {

namespace fs = std::filesystem;

/// Runs `python -c "import m1, m2"` silently; true when it exits 0.
bool imports_ok(const std::string& python, const std::vector<std::string>& modules) {
  std::string code = "import ";
  for (std::size_t i = 0; i < modules.size(); ++i) code += (i ? ", " : "") + modules[i];
  const pid_t pid = fork();
  if (pid < 0) return false;
  if (pid == 0) {
    if (FILE* null = std::fopen("/dev/null", "w")) {
      dup2(fileno(null), STDOUT_FILENO);
      dup2(fileno(null), STDERR_FILENO);
    }
    execlp(python.c_str(), python.c_str(), "-c", code.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/// `name` as the shell would find it on PATH ("" when it is not there).
std::string on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  if (!path) return "";
  std::string dirs = path;
  std::size_t start = 0;
  while (start <= dirs.size()) {
    const std::size_t end = std::min(dirs.find(':', start), dirs.size());
    const fs::path candidate =
        fs::path(dirs.substr(start, end - start).empty() ? "." : dirs.substr(start, end - start)) / name;
    if (access(candidate.c_str(), X_OK) == 0 && !fs::is_directory(candidate)) return candidate.string();
    start = end + 1;
  }
  return "";
}

/// REDES_PYTHON if set, else /usr/bin/python3 (Debian's, where `make` installs the packages), else
/// python3 on PATH: the first that imports `modules`. Throws naming every candidate and why not.
std::string find_python(const std::vector<std::string>& modules) {
  std::string modules_text;
  for (std::size_t i = 0; i < modules.size(); ++i) modules_text += (i ? ", " : "") + modules[i];
  std::vector<std::pair<std::string, std::string>> candidates;  // (what, interpreter or "")
  if (const char* env = std::getenv("REDES_PYTHON"); env && *env) {
    std::string p = env;
    if (p.find('/') == std::string::npos)
      p = on_path(p);
    else if (access(p.c_str(), X_OK) != 0)
      p.clear();
    candidates.push_back({trf("python.from_env", fmt::arg("value", env)), p});
  }
  candidates.push_back({"/usr/bin/python3", access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : ""});
  const std::string path_python = on_path("python3");
  candidates.push_back(
      {trf("python.from_path", fmt::arg("path", path_python.empty() ? tr("python.none_on_path") : path_python)),
       path_python});
  std::string tried;
  for (const auto& [what, python] : candidates) {
    if (!python.empty() && imports_ok(python, modules)) return python;
    tried += fmt::format(
        "\n  {}: {}", what,
        python.empty() ? tr("python.not_found") : trf("python.cannot_import", fmt::arg("modules", modules_text)));
  }
  throw std::runtime_error(trf("python.none_works", fmt::arg("modules", modules_text), fmt::arg("tried", tried)));
}

/// The folder holding analysis/ (the source tree): next to the build folder the binary is in,
/// else the source tree it was built from.
fs::path analysis_root() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  std::vector<fs::path> roots;
  if (!ec) roots.push_back(exe.parent_path().parent_path());
  roots.push_back(REDES_SOURCE_DIR);
  for (const fs::path& root : roots)
    if (fs::is_regular_file(root / "analysis" / "report.py")) return root;
  throw std::runtime_error(trf("python.no_analysis", fmt::arg("where", roots.back().string())));
}

/// Replaces this process by `python -m module args...` with analysis/ importable; its exit code
/// becomes ours.
[[noreturn]] void exec_analysis(const std::string& module, const std::vector<std::string>& modules,
                                std::vector<std::string> args) {
  const std::string python = find_python(modules);
  const fs::path root = analysis_root();
  const char* old = std::getenv("PYTHONPATH");
  const std::string pythonpath = root.string() + (old && *old ? ":" + std::string(old) : "");
  setenv("PYTHONPATH", pythonpath.c_str(), 1);
  args.insert(args.begin(), {python, "-m", module});
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::fflush(nullptr);
  execv(python.c_str(), argv.data());
  throw std::runtime_error("cannot start " + python + ": " + std::strerror(errno));
}

}  // namespace

void exec_report(const std::string& path, const std::string& output, bool decision) {
  std::vector<std::string> args{path};
  if (!output.empty()) args.insert(args.end(), {"-o", output});
  args.insert(args.end(), {"--lang", language()});
  const std::vector<std::string> needs{"h5py", "numpy", "pandas", "matplotlib"};
  exec_analysis(decision ? "analysis.decision" : "analysis.report", needs, args);
}

void exec_export(const std::string& file, const std::string& format, const std::string& output) {
  std::vector<std::string> args{file, "--format", format};
  if (!output.empty()) args.insert(args.end(), {"-o", output});
  exec_analysis("analysis.export", {"h5py", "numpy"}, args);
}

}  // namespace redes
