// Test support: a temporary directory, removed when the test ends.
#pragma once
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace redes::testing {

struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const std::string& stem) {
    path = std::filesystem::temp_directory_path() / (stem + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  /// Path of `name` inside the directory, written with `text` when it is not empty.
  std::string file(const std::string& name, const std::string& text = "") const {
    const auto p = path / name;
    if (!text.empty()) std::ofstream(p) << text;
    return p.string();
  }
};

}  // namespace redes::testing
