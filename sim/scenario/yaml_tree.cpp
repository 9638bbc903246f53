// scenario/yaml_tree: yaml-cpp parses; this file converts its nodes into Node (adding file names and
// character columns) and composes scenario files through `include:` and `override:`.
// Over 500 lines: conversion and composition share the location-keeping Node builder.
#include "sim/scenario/yaml_tree.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>
#include <unordered_map>

#include "sim/scenario/reader.hpp"  // closest_match

namespace redes::io {

namespace fs = std::filesystem;

Node::Node() = default;
Node::Node(const Node&) = default;
Node::Node(Node&&) noexcept = default;
Node& Node::operator=(const Node&) = default;
Node& Node::operator=(Node&&) noexcept = default;
Node::~Node() = default;

const Node* Node::find(std::string_view key) const {
  if (kind != Kind::Map) return nullptr;
  for (const auto& entry : map)
    if (entry.first == key) return &entry.second;
  return nullptr;
}

Node* Node::find(std::string_view key) { return const_cast<Node*>(std::as_const(*this).find(key)); }

std::string describe(const Node& n) {
  switch (n.kind) {
    case Node::Kind::Null:
      return "nothing (an empty value)";
    case Node::Kind::Scalar:
      return "'" + n.scalar + "'";
    case Node::Kind::Sequence:
      return "a list";
    case Node::Kind::Map:
      return "a map";
  }
  return "?";
}

namespace {

constexpr int kMaxDepth = 200;
constexpr std::size_t kMaxYamlBytes = std::size_t{8} << 20;  // guards against alias loops and runaway nesting

// Turns yaml-cpp marks (0-based, columns in bytes) into 1-based locations with columns in
// characters, as editors show them.
class Positions {
 public:
  Positions(std::string_view text, std::string file) : text_(text), file_(std::move(file)) {
    starts_.push_back(0);
    for (std::size_t i = 0; i < text.size(); ++i)
      if (text[i] == '\n') starts_.push_back(i + 1);
  }

  Location at(const YAML::Mark& m) const {
    if (m.is_null() || m.line < 0) return {file_, 0, 0};
    return {file_, m.line + 1, char_column(std::size_t(m.line), std::size_t(std::max(m.column, 0)))};
  }

  // yaml-cpp marks an implicit null at the next token; `~`/`null` written out are marked right.
  bool explicit_null(const YAML::Mark& m) const {
    if (m.is_null() || m.pos < 0 || std::size_t(m.pos) >= text_.size()) return false;
    std::string_view rest = text_.substr(std::size_t(m.pos));
    for (std::string_view word : {"~", "null", "Null", "NULL"}) {
      if (rest.substr(0, word.size()) != word) continue;
      if (rest.size() == word.size() ||
          std::string_view(" \t\r\n,]}#").find(rest[word.size()]) != std::string_view::npos)
        return true;  // not the start of a longer word such as the next key `null_rate`
    }
    return false;
  }

  // For an empty list item: the `-` before the next token, skipping blank and comment text.
  Location dash_before(const YAML::Mark& m) const {
    if (m.is_null() || m.line < 0 || std::size_t(m.line) >= starts_.size()) return at(m);
    for (int line = m.line; line >= 0; --line) {
      std::size_t begin = starts_[std::size_t(line)];
      std::size_t end = line == m.line
                            ? begin + std::size_t(std::max(m.column, 0))
                            : (std::size_t(line) + 1 < starts_.size() ? starts_[std::size_t(line) + 1] : text_.size());
      std::string_view s = text_.substr(begin, end - begin);
      if (auto hash = s.find('#');
          hash != std::string_view::npos && (hash == 0 || s[hash - 1] == ' ' || s[hash - 1] == '\t'))
        s = s.substr(0, hash);
      while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
        s.remove_suffix(1);
      if (s.empty()) continue;
      if (s.back() == '-' && (s.size() == 1 || s[s.size() - 2] == ' ' || s[s.size() - 2] == '\t'))
        return {file_, line + 1, char_column(std::size_t(line), s.size() - 1)};
      break;
    }
    return at(m);
  }

  Location at_offset(std::size_t offset) const {
    const std::size_t line =
        std::size_t(std::upper_bound(starts_.begin(), starts_.end(), offset) - starts_.begin()) - 1;
    return {file_, int(line) + 1, char_column(line, offset - starts_[line])};
  }

 private:
  int char_column(std::size_t line, std::size_t byte_col) const {
    if (line >= starts_.size()) return int(byte_col) + 1;
    std::size_t begin = starts_[line];
    int col = 1;
    for (std::size_t i = begin; i < begin + byte_col && i < text_.size(); ++i)
      if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++col;  // skip UTF-8 continuation bytes
    return col;
  }

  std::string_view text_;
  std::string file_;
  std::vector<std::size_t> starts_;
};

// Aliases share nodes in yaml-cpp but are copied here, so nested aliases ("billion laughs") could
// expand exponentially, and many aliases of one long scalar copy it each time. Every node costs
// one unit and every scalar its length, from a budget of two per byte of text plus a margin: text
// without aliases never needs more (a node and its characters take at least that much text), so
// only alias expansion can exhaust it.
struct Budget {
  std::size_t left, limit;
};

Node convert(const YAML::Node& y, const Positions& pos, int depth, Budget& budget) {
  Node n;
  n.loc = pos.at(y.Mark());
  if (depth > kMaxDepth) throw ScenarioError(n.loc, "", "the YAML is nested too deeply (or an alias refers to itself)");
  const std::size_t cost = 1 + (y.Type() == YAML::NodeType::Scalar ? y.Scalar().size() : 0);
  if (cost > budget.left)
    throw ScenarioError(n.loc, "",
                        "aliases (*name) expand the file past " + std::to_string(budget.limit) +
                            " values and characters; write the values out or share them with include:");
  budget.left -= cost;
  switch (y.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      n.kind = Node::Kind::Null;
      break;
    case YAML::NodeType::Scalar:
      n.kind = Node::Kind::Scalar;
      n.scalar = y.Scalar();
      break;
    case YAML::NodeType::Sequence:
      n.kind = Node::Kind::Sequence;
      for (const auto& item : y) {
        Node child = convert(item, pos, depth + 1, budget);
        if (child.is_null() && !pos.explicit_null(item.Mark())) child.loc = pos.dash_before(item.Mark());
        n.seq.push_back(std::move(child));
      }
      break;
    case YAML::NodeType::Map: {
      n.kind = Node::Kind::Map;
      // Duplicate check by hash: a linear scan made parsing quadratic in the keys of one map.
      std::unordered_map<std::string, std::size_t> seen;
      for (auto it = y.begin(); it != y.end(); ++it) {
        const Location key_loc = pos.at(it->first.Mark());
        if (!it->first.IsScalar() || it->first.Scalar().empty())
          throw ScenarioError(key_loc, "", "a map key must be plain, non-empty text");
        const std::string key = it->first.Scalar();
        if (auto [at, fresh] = seen.emplace(key, n.map.size()); !fresh) {
          const Node& first = n.map[at->second].second;
          throw ScenarioError(key_loc, key,
                              "duplicate key '" + key + "' (first written at line " +
                                  std::to_string(first.key_loc.line) + ", column " +
                                  std::to_string(first.key_loc.column) + ")");
        }
        Node child = convert(it->second, pos, depth + 1, budget);
        child.key_loc = key_loc;
        if (child.is_null() && !pos.explicit_null(it->second.Mark())) child.loc = key_loc;
        n.map.emplace_back(key, std::move(child));
      }
      break;
    }
  }
  return n;
}

// The unclosed '[' or '{' before `end`, which yaml-cpp reports only where it gave up. Skips quoted
// text and comments; an opener counts only where a flow collection may start.
std::optional<std::size_t> unclosed_bracket(std::string_view text, std::size_t end, char open) {
  std::vector<std::size_t> stack;
  char prev = '\n';  // last significant character
  for (std::size_t i = 0; i < std::min(end, text.size()); ++i) {
    const char c = text[i];
    if (c == '\'' || c == '"') {
      const std::size_t close = text.find(c, i + 1);
      if (close == std::string_view::npos || close >= end) break;
      i = close;
      prev = c;
      continue;
    }
    if (c == '#' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t' || text[i - 1] == '\n')) {
      while (i < end && text[i] != '\n') ++i;
      prev = '\n';
      continue;
    }
    if ((c == '[' || c == '{') && std::string_view(":-,[{\n").find(prev) != std::string_view::npos) {
      stack.push_back(i);
    } else if ((c == ']' || c == '}') && !stack.empty()) {
      stack.pop_back();
    }
    if (c != ' ' && c != '\t' && c != '\r') prev = c;
  }
  if (stack.empty() || text[stack.back()] != open) return std::nullopt;
  return stack.back();
}

std::string parse_hint(const std::string& msg) {
  if (msg.find("end of sequence flow") != std::string::npos) return " (a '[' is not closed)";
  if (msg.find("end of map flow") != std::string::npos) return " (a '{' is not closed)";
  if (msg.find("end of map not found") != std::string::npos) return " (check the indentation)";
  if (msg.find("illegal map value") != std::string::npos)
    return " (check the indentation, or quote a value that contains ': ')";
  return "";
}

// A `{value: X, source|assumed|calibrated: text}` map: one value with its provenance, a unit.
bool is_provenance_map(const Node& n) {
  return n.is_map() && n.find("value") && (n.find("source") || n.find("assumed") || n.find("calibrated"));
}

// Maps merge key by key; anything else replaces. A value with provenance is replaced whole, so a
// later layer's `{value, source}` never mixes with an earlier `{value, assumed}`.
void merge(Node& base, Node&& over) {
  if (base.is_map() && over.is_map() && !is_provenance_map(base) && !is_provenance_map(over)) {
    base.loc = over.loc;
    if (over.key_loc.line > 0) base.key_loc = over.key_loc;
    for (auto& [key, value] : over.map) {
      if (Node* existing = base.find(key))
        merge(*existing, std::move(value));
      else
        base.map.emplace_back(key, std::move(value));
    }
  } else {
    base = std::move(over);
  }
}

struct Step {
  std::string key;  // empty for an index step
  std::size_t index = 0;
};

// "a.b[2].c" -> a, b, [2], c. Returns false when malformed.
bool split_path(const std::string& path, std::vector<Step>& steps) {
  std::size_t i = 0;
  while (i <= path.size()) {
    std::size_t end = path.find_first_of(".[", i);
    if (end == std::string::npos) end = path.size();
    if (end == i) return false;  // empty segment
    steps.push_back({path.substr(i, end - i), 0});
    i = end;
    while (i < path.size() && path[i] == '[') {
      std::size_t close = path.find(']', i);
      if (close == std::string::npos || close == i + 1) return false;
      std::string digits = path.substr(i + 1, close - i - 1);
      if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
      steps.push_back({"", std::stoul(digits)});
      i = close + 1;
    }
    if (i == path.size()) return true;
    if (path[i] != '.') return false;
    ++i;
    if (i == path.size()) return false;  // trailing dot
  }
  return true;
}

}  // namespace

const Node* find_path(const Node& root, const std::string& path) {
  std::vector<Step> steps;
  if (!split_path(path, steps)) return nullptr;
  const Node* cur = &root;
  for (const Step& step : steps) {
    const bool digits =
        !step.key.empty() && std::all_of(step.key.begin(), step.key.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (step.key.empty() || (cur->is_seq() && digits)) {
      const std::size_t index = step.key.empty() ? step.index : std::stoul(step.key);
      if (!cur->is_seq() || index >= cur->seq.size()) return nullptr;
      cur = &cur->seq[index];
    } else {
      cur = cur->is_map() ? cur->find(step.key) : nullptr;
      if (!cur) return nullptr;
    }
  }
  return cur;
}

// Maps are replaced, not merged, so an override of a `{value:, source:}` map does not mix two provenances.
void apply_override(Node& root, const std::string& path, Node value) {
  const Location at = value.key_loc;
  auto fail = [&](const std::string& why) -> void { throw ScenarioError(at, path, "cannot override: " + why); };
  std::vector<Step> steps;
  if (!split_path(path, steps))
    fail("malformed key path; write dotted keys such as 'population.size' or 'interventions[0].coverage'");
  Node* cur = &root;
  std::string walked;
  for (const Step& step : steps) {
    bool is_index = step.key.empty();
    std::size_t index = step.index;
    if (!is_index && cur->is_seq() &&
        std::all_of(step.key.begin(), step.key.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      is_index = true;
      index = std::stoul(step.key);
    }
    if (is_index) {
      if (!cur->is_seq()) fail("'" + walked + "' is " + describe(*cur) + ", not a list");
      if (index >= cur->seq.size())
        fail("'" + walked + "' has " + std::to_string(cur->seq.size()) + " items; index " + std::to_string(index) +
             " does not exist");
      cur = &cur->seq[index];
      walked += '[';
      walked += std::to_string(index);
      walked += ']';
      continue;
    }
    const std::string where = walked.empty() ? "at the top level" : "in '" + walked + "'";
    if (!cur->is_map()) fail("'" + walked + "' is " + describe(*cur) + ", not a map");
    Node* next = cur->find(step.key);
    if (!next) {
      std::vector<std::string> keys;
      for (const auto& entry : cur->map) keys.push_back(entry.first);
      const std::string guess = closest_match(step.key, keys);
      fail("there is no key '" + step.key + "' " + where + (guess.empty() ? "" : "; did you mean '" + guess + "'?"));
    }
    cur = next;
    walked += (walked.empty() ? "" : ".") + step.key;
  }
  const Location key_loc = cur->key_loc.line > 0 ? at : cur->key_loc;
  *cur = std::move(value);
  cur->key_loc = key_loc;
}

namespace {

class Loader {
 public:
  // Layers are applied in depth-first order, each file once: in a diamond (top includes
  // [calibrated, pandemic], both include baseline) the baseline is applied once, first, so the
  // second branch cannot silently restore the baseline's values over the first branch's.
  Node load(const fs::path& file) {
    Node composed;
    composed.kind = Node::Kind::Map;
    apply(file, composed);
    return composed;
  }

  void enter(const fs::path& file) {
    stack_.push_back(identity(file));
    names_.push_back(file.string());
  }
  void leave() {
    stack_.pop_back();
    names_.pop_back();
  }

 private:
  void apply(const fs::path& file, Node& composed) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw ScenarioError({file.string(), 0, 0}, "", "cannot open the file");
    std::ostringstream text;
    text << in.rdbuf();
    Node root = parse_yaml(text.str(), file.string());
    if (!root.is_map())
      throw ScenarioError(root.loc, "", "expected a map of scenario keys at the top level, got " + describe(root));

    applied_.push_back(identity(file));
    if (composed.map.empty()) composed.loc = root.loc;
    if (const Node* inc = root.find("include")) {
      for (const auto& [item, key_path] : include_items(*inc)) apply_included(file, *item, key_path, composed);
    }
    Node own;
    own.kind = Node::Kind::Map;
    own.loc = root.loc;
    for (auto& [key, value] : root.map)
      if (key != "include" && key != "override") own.map.emplace_back(key, std::move(value));
    merge(composed, std::move(own));

    if (const Node* ov = root.find("override")) {
      if (!ov->is_map())
        throw ScenarioError(ov->loc, "override", "expected a map of dotted key paths to values, got " + describe(*ov));
      for (const auto& [path, value] : ov->map) apply_override(composed, path, value);
    }
  }

  // Same file, however it was reached (symlinks, `..`), for cycle detection.
  static fs::path identity(const fs::path& file) {
    std::error_code ec;
    fs::path p = fs::weakly_canonical(file, ec);
    return ec ? fs::absolute(file, ec).lexically_normal() : p;
  }

  static std::vector<std::pair<const Node*, std::string>> include_items(const Node& inc) {
    std::vector<std::pair<const Node*, std::string>> items;
    if (inc.is_scalar()) {
      items.emplace_back(&inc, "include");
    } else if (inc.is_seq()) {
      for (std::size_t i = 0; i < inc.seq.size(); ++i) {
        const std::string key_path = "include[" + std::to_string(i) + "]";
        if (!inc.seq[i].is_scalar())
          throw ScenarioError(inc.seq[i].loc, key_path, "expected a file name, got " + describe(inc.seq[i]));
        items.emplace_back(&inc.seq[i], key_path);
      }
    } else {
      throw ScenarioError(inc.loc, "include", "expected a file name or a list of file names, got " + describe(inc));
    }
    return items;
  }

  void apply_included(const fs::path& from, const Node& item, const std::string& key_path, Node& composed) {
    const fs::path resolved = (from.parent_path() / item.scalar).lexically_normal();
    std::error_code ec;
    if (!fs::is_regular_file(resolved, ec)) {
      const bool exists = fs::exists(resolved, ec);
      throw ScenarioError(item.loc, key_path,
                          "cannot read included file '" + item.scalar + "' (resolved to '" + resolved.string() +
                              "'): " + (exists ? "not a regular file" : "no such file"));
    }
    if (auto it = std::find(stack_.begin(), stack_.end(), identity(resolved)); it != stack_.end()) {
      std::string chain;
      for (auto n = names_.begin() + (it - stack_.begin()); n != names_.end(); ++n) chain += *n + " -> ";
      throw ScenarioError(item.loc, key_path, "include cycle: " + chain + resolved.string());
    }
    if (std::find(applied_.begin(), applied_.end(), identity(resolved)) != applied_.end())
      return;  // diamond: already a layer
    enter(resolved);
    apply(resolved, composed);
    leave();
  }

  std::vector<fs::path> applied_;   // canonical paths of the files already applied as layers
  std::vector<fs::path> stack_;     // canonical paths of the files being loaded, outermost first
  std::vector<std::string> names_;  // the same, as shown in messages
};

void emit(YAML::Emitter& out, const Node& n) {
  switch (n.kind) {
    case Node::Kind::Null:
      out << YAML::Null;
      break;
    case Node::Kind::Scalar:
      out << n.scalar;
      break;
    case Node::Kind::Sequence: {
      // Short lists of scalars read best on one line.
      const bool flat =
          !n.seq.empty() && n.seq.size() <= 12 &&
          std::all_of(n.seq.begin(), n.seq.end(), [](const Node& c) { return c.is_scalar() && c.scalar.size() < 24; });
      if (flat || n.seq.empty()) out << YAML::Flow;
      out << YAML::BeginSeq;
      for (const Node& c : n.seq) emit(out, c);
      out << YAML::EndSeq;
      break;
    }
    case Node::Kind::Map:
      if (n.map.empty()) out << YAML::Flow;
      out << YAML::BeginMap;
      for (const auto& [key, value] : n.map) {
        out << YAML::Key << key << YAML::Value;
        emit(out, value);
      }
      out << YAML::EndMap;
      break;
  }
}

// Where each YAML document starts (its first node, else its start), from the parser's events; no
// nodes are built.
struct DocumentStarts : YAML::EventHandler {
  std::vector<YAML::Mark> marks;
  bool before_first_node = false;
  void node(const YAML::Mark& mark) {
    if (before_first_node) marks.back() = mark;
    before_first_node = false;
  }
  void OnDocumentStart(const YAML::Mark& mark) override {
    marks.push_back(mark);
    before_first_node = true;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { node(mark); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { node(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string&) override { node(mark); }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    node(mark);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    node(mark);
  }
  void OnMapEnd() override {}
};

}  // namespace

Node parse_yaml(std::string_view text, const std::string& filename) {
  // yaml-cpp needs about 1 s and 100 MB per 2 MB of keys; hand-written scenarios are kilobytes,
  // and bulk data (edge lists) lives in CSV files the scenario names.
  if (text.size() > kMaxYamlBytes)
    throw ScenarioError({filename, 1, 1}, "",
                        "the file is " + std::to_string(text.size() >> 20) + " MiB; YAML files are limited to " +
                            std::to_string(kMaxYamlBytes >> 20) +
                            " MiB (put bulk data such as edge lists in CSV files)");
  const Positions pos(text, filename);
  const std::string owned(text);
  DocumentStarts starts;
  YAML::Node doc;
  try {
    // yaml-cpp 0.7 never consumes a ',' outside brackets after a document's node: LoadAll then
    // adds empty documents until memory runs out (fuzzer finding; the one-byte file "," does it).
    // So documents are counted from parser events, at most two, and only the first is built.
    std::istringstream in(owned);
    YAML::Parser parser(in);
    while (starts.marks.size() < 2 && parser.HandleNextDocument(starts)) {
    }
    doc = YAML::Load(owned);
  } catch (const YAML::Exception& e) {
    const bool seq = e.msg.find("end of sequence flow") != std::string::npos;
    if (seq || e.msg.find("end of map flow") != std::string::npos) {
      if (e.mark.pos >= 0)
        if (auto at = unclosed_bracket(text, std::size_t(e.mark.pos), seq ? '[' : '{'))
          throw ScenarioError(pos.at_offset(*at), "",
                              std::string("malformed YAML: this '") + (seq ? "[" : "{") +
                                  "' is never closed (no matching '" + (seq ? "]" : "}") + "' before line " +
                                  std::to_string(e.mark.line + 1) + ")");
    }
    throw ScenarioError(pos.at(e.mark), "", "malformed YAML: " + e.msg + parse_hint(e.msg));
  }
  if (starts.marks.size() > 1) {
    const YAML::Mark& at = starts.marks[1];
    if (at.pos >= 0 && std::size_t(at.pos) < text.size() && text[std::size_t(at.pos)] == ',')
      throw ScenarioError(pos.at(at), "", "malformed YAML: a ',' outside [ ] or { } (list items start with '- ')");
    throw ScenarioError(pos.at(at), "", "the file holds more than one YAML document ('---'); expected one");
  }
  if (starts.marks.empty() || doc.IsNull())
    throw ScenarioError({filename, 1, 1}, "", "the file is empty; expected a map of scenario keys");
  Budget budget{2 * text.size() + 1000, 2 * text.size() + 1000};
  return convert(doc, pos, 0, budget);
}

Node load_scenario_tree(const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec))
    throw ScenarioError({file.string(), 0, 0}, "",
                        fs::exists(file, ec) ? "cannot read the scenario: not a regular file"
                                             : "cannot read the scenario: no such file");
  Loader loader;
  loader.enter(file);
  return loader.load(file);
}

std::string to_yaml(const Node& node) {
  YAML::Emitter out;
  out.SetIndent(2);
  emit(out, node);
  std::string text = out.c_str();
  if (!out.good()) throw IoError("cannot write the scenario as YAML: " + out.GetLastError());
  return text + "\n";
}

}  // namespace redes::io
