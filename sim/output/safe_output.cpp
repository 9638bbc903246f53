#include "sim/output/safe_output.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <csignal>
#include <cstring>
#include <set>

#include "sim/core/errors.hpp"
#include "sim/scenario/yaml_tree.hpp"

namespace redes::io {
namespace fs = std::filesystem;

namespace {

bool same_file(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  const fs::path ca = fs::weakly_canonical(a, ec);
  if (!ec && ca == fs::weakly_canonical(b, ec) && !ec) return true;
  struct stat sa {
  }, sb{};
  return ::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

void collect_files(const Node& n, std::set<std::string>& out) {
  if (!n.loc.file.empty()) out.insert(n.loc.file);
  for (const auto& [key, child] : n.map) collect_files(child, out);
  for (const auto& child : n.seq) collect_files(child, out);
}

}  // namespace

void refuse_clobber(const fs::path& output, const std::vector<fs::path>& inputs, const std::vector<std::string>& also) {
  std::vector<fs::path> outs{output};
  for (const auto& suffix : also) outs.push_back(output.string() + suffix);
  for (const auto& out : outs)
    for (const auto& in : inputs)
      if (!in.empty() && same_file(out, in))
        throw IoError("the output '" + out.string() + "' is the input '" + in.string() +
                      "'; writing it would destroy the input: choose another output name (-o)");
}

std::vector<fs::path> source_files(const Node& tree, const fs::path& file) {
  std::set<std::string> names;
  collect_files(tree, names);
  std::vector<fs::path> out{file};
  out.insert(out.end(), names.begin(), names.end());
  return out;
}

// ---------------------------------------------------------------------------------------------
// The signal registry: fixed slots of plain chars and atomics, because a signal handler may only
// read memory that is never reallocated and call async-signal-safe functions (unlink, write, _exit).
namespace {

constexpr std::size_t kSlots = 64, kPathMax = 4096;
struct Slot {
  std::atomic<int> state{0};  // 0 free, 1 being filled, 2 registered
  char path[kPathMax];
};
std::array<Slot, kSlots> g_slots;
std::atomic<int> g_hint_ready{0};
char g_hint[kPathMax];

void write_all(const char* s) {
  std::size_t n = std::strlen(s);
  while (n > 0) {
    const ssize_t w = ::write(STDERR_FILENO, s, n);
    if (w <= 0) return;
    s += w, n -= std::size_t(w);
  }
}

extern "C" void on_signal(int sig) {
  for (auto& slot : g_slots)
    if (slot.state.load() == 2) ::unlink(slot.path);
  write_all(sig == SIGINT ? "\ninterrupted (SIGINT): " : "\nterminated (SIGTERM): ");
  write_all("temporary files removed; no output was written under its final name\n");
  if (g_hint_ready.load() == 1) write_all(g_hint);
  ::_exit(128 + sig);
}

}  // namespace

void install_signal_cleanup() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaddset(&sa.sa_mask, SIGINT);
  sigaddset(&sa.sa_mask, SIGTERM);
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
}

int register_temp(const fs::path& path) {
  const std::string s = path.string();
  if (s.size() >= kPathMax) return -1;  // cannot be that long on Linux anyway
  for (std::size_t i = 0; i < kSlots; ++i) {
    int expected = 0;
    if (!g_slots[i].state.compare_exchange_strong(expected, 1)) continue;
    std::memcpy(g_slots[i].path, s.c_str(), s.size() + 1);
    g_slots[i].state.store(2);
    return int(i);
  }
  return -1;  // more than 64 files open for writing at once: never the case in redes
}

void unregister_temp(int slot) {
  if (slot >= 0 && std::size_t(slot) < kSlots) g_slots[std::size_t(slot)].state.store(0);
}

void set_interrupt_hint(const std::string& text) {
  g_hint_ready.store(0);
  const std::size_t n = std::min(text.size(), kPathMax - 2);
  std::memcpy(g_hint, text.data(), n);
  g_hint[n] = '\n', g_hint[n + 1] = '\0';
  g_hint_ready.store(1);
}

// ---------------------------------------------------------------------------------------------
OutputLock::OutputLock(const fs::path& output) : path_(output.string() + ".lock") {
  // Lock, then check the name still points at the locked inode: a releasing process unlinks the
  // lock file, and a lock on an unlinked file would exclude nobody.
  std::error_code ec;
  if (path_.has_parent_path()) fs::create_directories(path_.parent_path(), ec);
  for (int attempt = 0; attempt < 100; ++attempt) {
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0)
      throw IoError("cannot create the lock file '" + path_.string() + "': " + std::strerror(errno) +
                    " (is the output folder writable?)");
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd_);
      fd_ = -1;
      throw IoError("another redes process is writing '" + output.string() + "' (it holds '" + path_.string() +
                    "'); wait for it to finish or choose another output name (-o)");
    }
    struct stat by_fd {
    }, by_name{};
    if (::fstat(fd_, &by_fd) == 0 && ::stat(path_.c_str(), &by_name) == 0 && by_fd.st_ino == by_name.st_ino &&
        by_fd.st_dev == by_name.st_dev) {
      slot_ = register_temp(path_);
      return;
    }
    ::close(fd_);
    fd_ = -1;
  }
  throw IoError("cannot lock '" + path_.string() + "': it keeps being replaced");
}

OutputLock::~OutputLock() {
  if (fd_ < 0) return;
  unregister_temp(slot_);
  ::unlink(path_.c_str());  // while still locked, so no one else holds a lock on this name
  ::close(fd_);
}

}  // namespace redes::io
