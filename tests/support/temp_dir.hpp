// Test support: the one temporary directory of the test suite, removed when it goes out of scope.
// Named after the stem, the process and the running test, so that tests of one binary run in
// parallel by ctest (one process per test) never share a directory.
#pragma once
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

namespace redes::testing {

struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const std::string& stem) {
    std::string name = stem + "-" + std::to_string(::getpid());
    if (const auto* test = ::testing::UnitTest::GetInstance()->current_test_info())
      name += "-" + std::string(test->name());
    for (char& c : name)
      if (c == '/') c = '_';  // parameterised tests are named "Case/0"
    path = std::filesystem::temp_directory_path() / name;
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;  // a destructor must not throw; a leftover directory is harmless
    std::filesystem::remove_all(path, ignored);
  }
  /// Path of `name` inside the directory, written with `text` when it is not empty.
  std::string file(const std::string& name, const std::string& text = "") const {
    const auto p = path / name;
    if (!text.empty()) std::ofstream(p) << text;
    return p.string();
  }
};

}  // namespace redes::testing
