// output/safe_output: what every writer does before and while writing, so that nothing an earlier
// command produced is lost: refuse an output that is one of the inputs, hold a lock per output
// so two processes never write the same file, and remove temporary files on SIGINT/SIGTERM.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace redes::io {

/// Throws IoError before any work when `output` (or `output` + each of `also`, e.g. ".journal")
/// is one of `inputs`, compared by canonical path and by device and inode (hard links).
void refuse_clobber(const std::filesystem::path& output, const std::vector<std::filesystem::path>& inputs,
                    const std::vector<std::string>& also = {});

/// Every file a composed scenario tree was read from (the file and its includes).
struct Node;
std::vector<std::filesystem::path> source_files(const Node& tree, const std::filesystem::path& file);

/// An exclusive flock on `<output>.lock`, held while the object lives; the lock file is removed
/// on release. A second process on the same output is refused at once with a message (a week-long
/// sweep should not wait silently behind another one).
class OutputLock {
 public:
  explicit OutputLock(const std::filesystem::path& output);
  ~OutputLock();
  OutputLock(const OutputLock&) = delete;
  OutputLock& operator=(const OutputLock&) = delete;

 private:
  std::filesystem::path path_;
  int fd_ = -1, slot_ = -1;
};

/// SIGINT/SIGTERM: remove every registered temporary file, print `resume hint` (if set), exit
/// 130/143. Installed once by main(); registration is async-signal-safe to read.
void install_signal_cleanup();
/// Registers a temporary file to remove on a signal; returns a slot for unregister_temp().
int register_temp(const std::filesystem::path& path);
void unregister_temp(int slot);
/// A line printed on interruption, e.g. how to resume a sweep from its journal.
void set_interrupt_hint(const std::string& text);

}  // namespace redes::io
