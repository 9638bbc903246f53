// Test support: run a callable that must throw a ScenarioError and return the error, and check
// where the error says it is.
#pragma once
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <utility>

#include "sim/core/errors.hpp"

namespace redes::testing {

template <class F>
ScenarioError error_of(F&& f) {
  try {
    f();
  } catch (const ScenarioError& e) {
    return e;
  }
  ADD_FAILURE() << "expected a ScenarioError";
  return ScenarioError({}, "", "(none thrown)");
}

/// 1-based line and column of the first occurrence of `needle` in `text`.
inline std::pair<int, int> position_of(const std::string& text, const std::string& needle) {
  const auto at = text.find(needle);
  EXPECT_NE(at, std::string::npos) << needle;
  const auto line_start = text.rfind('\n', at);
  const int line = 1 + int(std::count(text.begin(), text.begin() + std::ptrdiff_t(at), '\n'));
  const int column = int(at - (line_start == std::string::npos ? 0 : line_start + 1)) + 1;
  return {line, column};
}

/// The error is at `needle` in `file` (whose contents are `text`), names `key_path`, and its
/// message starts with file:line:column.
inline void expect_error_at(const ScenarioError& e, const std::filesystem::path& file, const std::string& text,
                            const std::string& needle, const std::string& key_path) {
  const auto [line, column] = position_of(text, needle);
  EXPECT_EQ(e.where().file, file.string()) << e.what();
  EXPECT_EQ(e.where().line, line) << e.what();
  EXPECT_EQ(e.where().column, column) << e.what();
  EXPECT_EQ(e.key_path(), key_path) << e.what();
  const std::string prefix = file.string() + ":" + std::to_string(line) + ":" + std::to_string(column) + ":";
  EXPECT_EQ(std::string(e.what()).rfind(prefix, 0), 0u) << e.what();
}

inline bool contains(const ScenarioError& e, const std::string& s) {
  return std::string(e.what()).find(s) != std::string::npos;
}

}  // namespace redes::testing
