// scenario/yaml_tree: YAML parsed into a tree that remembers where every node came from, after
// `include:` and `override:` composition. yaml-cpp parses; this tree adds file names (yaml-cpp
// marks carry only line and column) and a composition step yaml-cpp does not have.
#pragma once
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/core/errors.hpp"

namespace redes::io {

struct Node {
  // Declared, defined in the .cpp: clang with libstdc++ cannot check the implicit ones of a type
  // holding pair<string, Node> while Node is incomplete (the fuzz build uses clang).
  Node();
  Node(const Node&);
  Node(Node&&) noexcept;
  Node& operator=(const Node&);
  Node& operator=(Node&&) noexcept;
  ~Node();

  enum class Kind { Null, Scalar, Sequence, Map };
  Kind kind = Kind::Null;
  std::string scalar;                             // Scalar: the text as written
  std::vector<std::pair<std::string, Node>> map;  // Map: entries in file order
  std::vector<Node> seq;                          // Sequence
  Location loc;                                   // where the value starts
  Location key_loc;                               // where its key starts, for map entries

  bool is_map() const { return kind == Kind::Map; }
  bool is_seq() const { return kind == Kind::Sequence; }
  bool is_scalar() const { return kind == Kind::Scalar; }
  bool is_null() const { return kind == Kind::Null; }
  const Node* find(std::string_view key) const;  // nullptr when absent (maps only)
  Node* find(std::string_view key);
};

/// Parses one YAML document from text. Throws ScenarioError on malformed YAML or empty input.
Node parse_yaml(std::string_view text, const std::string& filename);

/// Loads a scenario file and composes it:
///  - `include: path` or `include: [a, b]` at the top level loads those files (relative to the
///    including file), deep-merges them in order, then this file's own keys on top. Maps merge
///    key by key; scalars, sequences and `{value, source|assumed|calibrated}` maps replace (a later
///    layer's value and provenance replace an earlier one's). Layers apply depth-first, each file
///    once: a file included again (a diamond) is not re-applied. Include cycles are errors.
///  - `override: {dotted.key.path: value, ...}` at the top level is applied last; each path must
///    already exist in the composed tree (else an error with a suggestion).
/// The returned tree has neither `include` nor `override` keys. Throws ScenarioError.
Node load_scenario_tree(const std::filesystem::path& file);

/// Replaces the node at a dotted key path ("population.size", "interventions[0].coverage"), which
/// must exist, by `value`. Errors (ScenarioError at value.key_loc) name the path and suggest keys.
void apply_override(Node& root, const std::string& path, Node value);

/// The node at a dotted key path, or nullptr when the path does not exist or is malformed.
const Node* find_path(const Node& root, const std::string& path);

/// How a node reads in an error message: "'abc'", "a list", "a map", "nothing (an empty value)".
std::string describe(const Node& node);

/// YAML text of a tree (for the scenario-as-loaded metadata in outputs).
std::string to_yaml(const Node& node);

}  // namespace redes::io
