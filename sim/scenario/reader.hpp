// scenario/reader: a typed, validating view of one YAML map. Every accessor declares the key's type,
// range, default and one-line doc; the declarations double as the key catalogue that documents
// scenarios (scenarios/README.md is checked against it). finish() rejects unknown keys, with a
// "did you mean" suggestion.
#pragma once
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/yaml_tree.hpp"

namespace redes::io {

/// Allowed numeric interval (closed unless stated). `what` names it in messages, e.g. "a probability".
struct Range {
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  bool lo_open = false;
  std::string_view what = "a number";
  static Range probability() { return {0.0, 1.0, false, "a probability in [0, 1]"}; }
  static Range unit() { return {0.0, 1.0, false, "a value in [0, 1]"}; }
  static Range non_negative() { return {0.0, std::numeric_limits<double>::infinity(), false, "a number >= 0"}; }
  static Range positive() { return {0.0, std::numeric_limits<double>::infinity(), true, "a number > 0"}; }
  static Range between(double a, double b) { return {a, b, false, "a number in range"}; }
};

/// One documented key, as declared by the code that reads it. Paths use `*` for user-named map
/// entries and `[]` for list items, e.g. `interventions[].coverage`, `platforms.*.moderation`.
struct KeyInfo {
  std::string path;
  std::string type;          // "number", "integer", "bool", "string", "choice", "map", "list", ...
  std::string range;         // human-readable, may be empty
  std::string default_text;  // empty when required
  std::string doc;
};

/// Every key declared by any Reader in this process, by path (thread-safe).
std::vector<KeyInfo> key_catalogue();
/// Forgets every declared key, so a catalogue collected afterwards holds only the keys of the
/// files read since (a test process has also read hand-written YAML with keys of its own).
void reset_key_catalogue();

/// Where a parameter value came from. Numeric parameters may be written bare (`0.3`) or as
/// `{value: 0.3, source: "..."}` or `{value: 0.3, assumed: "why"}`.
struct Provenance {
  enum class Kind { None, Source, Assumed, Calibrated };
  Kind kind = Kind::None;
  std::string text;
};

class Reader {
 public:
  /// `path` is the dotted key path of `node` ("" for the root). `node` must outlive the Reader.
  /// `strict_provenance`: real-valued parameters must carry source/assumed/calibrated.
  Reader(const Node& node, std::string path, bool strict_provenance = false);

  // Required keys: a missing key is a ScenarioError at the map's position naming the key.
  double number(std::string_view key, Range range, std::string_view doc);
  std::int64_t integer(std::string_view key, Range range, std::string_view doc);
  bool boolean(std::string_view key, std::string_view doc);
  std::string string(std::string_view key, std::string_view doc);
  /// One of `options`; a wrong value gets a suggestion and the list of valid values.
  std::string choice(std::string_view key, const std::vector<std::string>& options, std::string_view doc);

  // Optional keys with a documented default.
  double number(std::string_view key, double fallback, Range range, std::string_view doc);
  std::int64_t integer(std::string_view key, std::int64_t fallback, Range range, std::string_view doc);
  bool boolean(std::string_view key, bool fallback, std::string_view doc);
  std::string string(std::string_view key, std::string_view fallback, std::string_view doc);
  std::string choice(std::string_view key, const std::vector<std::string>& options, std::string_view fallback,
                     std::string_view doc);

  /// A list of numbers, each in `range`; `size` (if not 0) is the exact length required.
  std::vector<double> numbers(std::string_view key, Range range, std::size_t size, std::string_view doc);
  std::vector<double> numbers(std::string_view key, const std::vector<double>& fallback, Range range, std::size_t size,
                              std::string_view doc);
  /// A list of strings each in `options` (any string when `options` is empty).
  std::vector<std::string> strings(std::string_view key, const std::vector<std::string>& options, std::string_view doc);
  std::vector<std::string> strings(std::string_view key, const std::vector<std::string>& options,
                                   const std::vector<std::string>& fallback, std::string_view doc);

  /// Nested map, required or optional.
  Reader section(std::string_view key, std::string_view doc);
  std::optional<Reader> optional_section(std::string_view key, std::string_view doc);
  /// A list of maps (e.g. `interventions:`); empty when absent and !required.
  std::vector<Reader> list(std::string_view key, bool required, std::string_view doc);
  /// A map whose keys are names chosen from `allowed_names` (any name when empty), each a value
  /// read by the caller through the returned Readers' node(); e.g. per-department tables.
  std::vector<std::pair<std::string, Reader>> named(std::string_view key, const std::vector<std::string>& allowed_names,
                                                    bool required, std::string_view doc);
  /// Per-name numbers: `{Asuncion: 0.07, Central: 0.3}` (each value may carry provenance).
  std::map<std::string, double> named_numbers(std::string_view key, const std::vector<std::string>& allowed_names,
                                              Range range, bool required, std::string_view doc);

  bool has(std::string_view key) const;
  /// Whether real-valued parameters must carry provenance (shipped files are read so).
  bool strict() const { return strict_; }
  /// Provenance of a numeric key read earlier (Kind::None when written bare).
  Provenance provenance(std::string_view key) const;
  const Node& node() const { return *node_; }
  const std::string& path() const { return path_; }
  /// Throws a ScenarioError at `key`'s position (or the map's) with `detail`.
  [[noreturn]] void fail(std::string_view key, const std::string& detail) const;
  /// Rejects keys that no accessor has read; suggests the closest declared key.
  void finish() const;

 private:
  // Registers `key` in the catalogue and as declared here; returns its node or nullptr.
  const Node* declare(std::string_view key, std::string type, std::string range, std::string default_text,
                      std::string_view doc);
  [[noreturn]] void missing(std::string_view key, const std::string& expected) const;
  void require_map() const;
  std::string key_path(std::string_view key) const;     // concrete, for messages
  std::string key_pattern(std::string_view key) const;  // normalised, for the catalogue
  double read_number(std::string_view key, const Node& value, const Range& range, std::int64_t* as_integer);
  std::vector<double> read_numbers(std::string_view key, const Node& value, const Range& range, std::size_t size);
  std::vector<std::string> read_strings(std::string_view key, const Node& value,
                                        const std::vector<std::string>& options) const;
  Reader child(const Node& value, std::string concrete, std::string pattern) const;

  const Node* node_;
  std::string path_;
  bool strict_;
  std::vector<std::string> declared_;
  std::map<std::string, Provenance, std::less<>> provenance_;
  std::string pattern_;  // path_ with list indices as `[]` and named entries as `*`
};

/// Closest candidate by edit distance, or "" when none is close (for "did you mean").
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace redes::io
