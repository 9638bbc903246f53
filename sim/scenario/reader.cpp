// scenario/reader: typed, validating access to scenario maps, and the process-wide key catalogue that
// those accesses build.
// Over 500 lines: one Reader class (every typed accessor) and the catalogue it fills.
#include "sim/scenario/reader.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <mutex>

namespace redes::io {
namespace {

std::mutex& catalogue_mutex() {
  static std::mutex m;
  return m;
}

std::map<std::string, KeyInfo>& catalogue() {
  static std::map<std::string, KeyInfo> c;
  return c;
}

void register_key(const KeyInfo& info) {
  std::lock_guard lock(catalogue_mutex());
  catalogue().try_emplace(info.path, info);  // first declaration wins
}

std::string join(std::string_view base, std::string_view key) {
  std::string out(base);
  if (!out.empty()) out += '.';
  out += key;
  return out;
}

// "interventions[2].x" -> "interventions[].x", for Readers built directly on a list item.
std::string normalise(const std::string& path) {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    out += path[i];
    if (path[i] != '[') continue;
    std::size_t j = i + 1;
    while (j < path.size() && std::isdigit(static_cast<unsigned char>(path[j]))) ++j;
    if (j > i + 1 && j < path.size() && path[j] == ']') i = j - 1;
  }
  return out;
}

std::string got(const Node& n) { return describe(n); }

std::string comma_list(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string fmt_num(double x) {
  char buf[128];
  const double a = std::abs(x);
  auto r = (x == 0 || (a >= 1e-4 && a < 1e15)) ? std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed)
                                               : std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}

std::string fmt_list(const std::vector<double>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + fmt_num(v[i]);
  return out + "]";
}

std::string fmt_list(const std::vector<std::string>& v) { return "[" + comma_list(v) + "]"; }

std::string interval_text(const Range& r) {
  const bool lo = std::isfinite(r.lo), hi = std::isfinite(r.hi);
  if (lo && hi) return std::string(r.lo_open ? "(" : "[") + fmt_num(r.lo) + ", " + fmt_num(r.hi) + "]";
  if (lo) return std::string(r.lo_open ? "> " : ">= ") + fmt_num(r.lo);
  if (hi) return "<= " + fmt_num(r.hi);
  return "";
}

// What a value must be, for messages: `what` when it states its bounds, else with them added.
std::string describe(const Range& r, bool integral) {
  std::string what(r.what);
  const std::string iv = interval_text(r);
  if (what == "a number" || what == "a number in range" || what.empty())
    what = integral ? "an integer" : "a number";
  else if (integral && what.rfind("a number", 0) == 0)
    what = "an integer" + what.substr(8);  // Range::positive() etc.
  if (std::any_of(what.begin(), what.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
    return what;
  if (iv.empty()) return what;
  return what + (iv[0] == '[' || iv[0] == '(' ? " in " : " ") + iv;
}

// Catalogue text: empty for an unbounded number.
std::string range_text(const Range& r, bool integral) {
  return interval_text(r).empty() && r.what == "a number" ? "" : describe(r, integral);
}

std::string clean_number(std::string_view t) {
  std::string s;
  if (!t.empty() && t[0] == '+') t.remove_prefix(1);
  for (std::size_t i = 0; i < t.size(); ++i) {
    // YAML 1.1 digit separators: 6_100_000
    if (t[i] == '_' && i > 0 && i + 1 < t.size() && std::isdigit(static_cast<unsigned char>(t[i - 1])) &&
        std::isdigit(static_cast<unsigned char>(t[i + 1])))
      continue;
    s += t[i];
  }
  return s;
}

bool non_finite_literal(const std::string& t) {
  std::string s;
  for (char c : t) s += char(std::tolower(static_cast<unsigned char>(c)));
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.erase(0, 1);
  if (!s.empty() && s[0] == '.') s.erase(0, 1);
  return s == "inf" || s == "infinity" || s == "nan";
}

std::optional<double> parse_double(const std::string& s) {
  double v = 0;
  const char* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, v);
  if (p != end || s.empty()) return std::nullopt;
  if (ec == std::errc::result_out_of_range) return std::numeric_limits<double>::infinity();
  if (ec != std::errc()) return std::nullopt;
  return v;
}

std::optional<std::int64_t> parse_int(const std::string& s) {
  std::int64_t v = 0;
  const char* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, v);
  if (ec != std::errc() || p != end || s.empty()) return std::nullopt;
  return v;
}

// One numeric scalar; `as_integer` non-null asks for an integral value.
double scalar_number(const Node& n, const std::string& path, const Range& range, std::int64_t* as_integer) {
  const std::string expected = as_integer ? "an integer" : "a number";
  if (!n.is_scalar()) throw ScenarioError(n.loc, path, "expected " + expected + ", got " + got(n));
  const std::string clean = clean_number(n.scalar);
  std::optional<double> x;
  if (as_integer) {
    if (auto i = parse_int(clean)) {
      *as_integer = *i;
      x = double(*i);
    }
  }
  if (!x) {
    x = parse_double(clean);
    if (!x && !non_finite_literal(n.scalar))
      throw ScenarioError(n.loc, path, "expected " + expected + ", got " + got(n));
    if (!x || !std::isfinite(*x)) throw ScenarioError(n.loc, path, "expected a finite number, got " + got(n));
    if (as_integer) {
      if (*x != std::trunc(*x)) throw ScenarioError(n.loc, path, "expected an integer, got " + got(n));
      if (std::abs(*x) >= 9.2e18) throw ScenarioError(n.loc, path, n.scalar + " is too large for an integer");
      *as_integer = std::int64_t(*x);
    }
  }
  if (*x < range.lo || *x > range.hi || (range.lo_open && *x == range.lo))
    throw ScenarioError(n.loc, path, n.scalar + " is out of range: expected " + describe(range, as_integer != nullptr));
  return *x;
}

// "; did you mean 'x'? " or "; ", to be followed by the list of valid values.
std::string suggestion(const std::string& word, const std::vector<std::string>& candidates) {
  const std::string guess = closest_match(word, candidates);
  return guess.empty() ? "; " : "; did you mean '" + guess + "'? ";
}

std::string unknown_key_text(const std::string& key, const std::vector<std::string>& suggest_from,
                             const std::vector<std::string>& valid) {
  return "unknown key '" + key + "'" + suggestion(key, suggest_from) +
         (valid.empty() ? "no keys are valid here" : "valid keys: " + comma_list(valid));
}

const std::vector<std::string> kProvenanceKeys = {"value", "source", "assumed", "calibrated"};

// `{value: X, source|assumed|calibrated: text}` -> X's node, filling `prov`; bare values pass through.
const Node& unwrap(const Node& n, const std::string& path, const std::string& expected, Provenance& prov) {
  prov = {};
  if (!n.is_map()) return n;
  const Node* value = n.find("value");
  if (!value && !n.find("source") && !n.find("assumed") && !n.find("calibrated"))
    throw ScenarioError(n.loc, path, "expected " + expected + ", got a map");
  for (const auto& [k, v] : n.map)
    if (std::find(kProvenanceKeys.begin(), kProvenanceKeys.end(), k) == kProvenanceKeys.end())
      throw ScenarioError(v.key_loc, join(path, k), unknown_key_text(k, kProvenanceKeys, kProvenanceKeys));
  if (!value)
    throw ScenarioError(n.loc, join(path, "value"),
                        "missing required key 'value' (expected " + expected + " beside its provenance)");
  const Node* kind_node = nullptr;
  std::string kind_key;
  for (const auto& [k, v] : n.map) {
    if (k == "value") continue;
    if (kind_node)
      throw ScenarioError(
          v.key_loc, join(path, k),
          "'" + kind_key + "' and '" + k + "' both given; write exactly one of source, assumed or calibrated");
    kind_node = &v;
    kind_key = k;
  }
  if (!kind_node)
    throw ScenarioError(n.loc, path, "a {value: ...} map needs one of 'source', 'assumed' or 'calibrated'");
  const std::string kpath = join(path, kind_key);
  if (!kind_node->is_scalar() || kind_node->scalar.empty())
    throw ScenarioError(kind_node->loc, kpath,
                        "expected a text saying where the value comes from, got " + got(*kind_node));
  const std::string& text = kind_node->scalar;
  prov.kind = kind_key == "source"    ? Provenance::Kind::Source
              : kind_key == "assumed" ? Provenance::Kind::Assumed
                                      : Provenance::Kind::Calibrated;
  if (kind_key == "assumed" && (text == "true" || text == "yes")) return *value;  // `assumed: true`, no reason given
  if (kind_key == "assumed" && (text == "false" || text == "no"))
    throw ScenarioError(kind_node->loc, kpath,
                        "'assumed: " + text + "' says nothing; write source: \"...\" or assumed: \"why\"");
  prov.text = text;
  return *value;
}

[[noreturn]] void no_provenance(const Node& n, const std::string& path) {
  throw ScenarioError(n.loc, path,
                      "parameter has no provenance: write {value: X, source: ...} or {value: X, assumed: ...}");
}

bool parse_bool(const Node& n, const std::string& path) {
  if (n.is_scalar()) {
    static const std::vector<std::string> yes = {"true", "True", "TRUE", "yes", "Yes", "YES"};
    static const std::vector<std::string> no = {"false", "False", "FALSE", "no", "No", "NO"};
    if (std::find(yes.begin(), yes.end(), n.scalar) != yes.end()) return true;
    if (std::find(no.begin(), no.end(), n.scalar) != no.end()) return false;
  }
  throw ScenarioError(n.loc, path, "expected true or false, got " + got(n));
}

std::string parse_string(const Node& n, const std::string& path) {
  if (!n.is_scalar()) throw ScenarioError(n.loc, path, "expected a string, got " + got(n));
  return n.scalar;
}

std::string parse_choice(const Node& n, const std::string& path, const std::vector<std::string>& options) {
  std::string s = parse_string(n, path);
  if (options.empty() || std::find(options.begin(), options.end(), s) != options.end()) return s;
  throw ScenarioError(n.loc, path,
                      "'" + s + "' is not valid" + suggestion(s, options) + "valid: " + comma_list(options));
}

void check_name(const std::string& name, const Node& entry, const std::string& path,
                const std::vector<std::string>& allowed) {
  if (allowed.empty() || std::find(allowed.begin(), allowed.end(), name) != allowed.end()) return;
  throw ScenarioError(
      entry.key_loc, path,
      "unknown name '" + name + "'" + suggestion(name, allowed) + "valid names: " + comma_list(allowed));
}

// Optimal string alignment distance (Levenshtein plus adjacent transpositions), ASCII case-folded.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return char(std::tolower(static_cast<unsigned char>(c))); };
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i)
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1]))
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[n][m];
}

}  // namespace

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
  std::string best;
  std::size_t best_distance = limit + 1;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    // `d < max length` keeps short, wholly different words from "matching".
    if (d < best_distance && d < std::max(word.size(), c.size())) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

std::vector<KeyInfo> key_catalogue() {
  std::lock_guard lock(catalogue_mutex());
  std::vector<KeyInfo> out;
  out.reserve(catalogue().size());
  for (const auto& entry : catalogue()) out.push_back(entry.second);
  return out;
}

void reset_key_catalogue() {
  std::lock_guard lock(catalogue_mutex());
  catalogue().clear();
}

Reader::Reader(const Node& node, std::string path, bool strict_provenance)
    : node_(&node), path_(std::move(path)), strict_(strict_provenance), pattern_(normalise(path_)) {}

std::string Reader::key_path(std::string_view key) const { return join(path_, key); }
std::string Reader::key_pattern(std::string_view key) const { return join(pattern_, key); }

void Reader::require_map() const {
  if (!node_->is_map()) throw ScenarioError(node_->loc, path_, "expected a map, got " + got(*node_));
}

const Node* Reader::declare(std::string_view key, std::string type, std::string range, std::string default_text,
                            std::string_view doc) {
  register_key({key_pattern(key), std::move(type), std::move(range), std::move(default_text), std::string(doc)});
  if (std::find(declared_.begin(), declared_.end(), key) == declared_.end()) declared_.emplace_back(key);
  require_map();
  return node_->find(key);
}

void Reader::missing(std::string_view key, const std::string& expected) const {
  const std::string detail = "missing required key '" + std::string(key) + "' (expected " + expected + ")";
  // A misspelt required key is the usual cause, and finish() would come too late to say so.
  for (const auto& [k, v] : node_->map) {
    if (std::find(declared_.begin(), declared_.end(), k) != declared_.end()) continue;
    if (!closest_match(k, {std::string(key)}).empty())
      throw ScenarioError(v.key_loc, key_path(key), detail + "; is '" + k + "' a misspelling of it?");
  }
  throw ScenarioError(node_->loc, key_path(key), detail);
}

Reader Reader::child(const Node& value, std::string concrete, std::string pattern) const {
  Reader r(value, std::move(concrete), strict_);
  r.pattern_ = std::move(pattern);
  return r;
}

double Reader::read_number(std::string_view key, const Node& value, const Range& range, std::int64_t* as_integer) {
  const std::string path = key_path(key);
  Provenance prov;
  const Node& inner = unwrap(value, path, as_integer ? "an integer" : "a number", prov);
  const double x = scalar_number(inner, path, range, as_integer);
  // Strict provenance covers real-valued parameters; integers (sizes, counts, band limits) may
  // carry it but need not.
  if (strict_ && !as_integer && prov.kind == Provenance::Kind::None) no_provenance(value, path);
  provenance_.insert_or_assign(std::string(key), std::move(prov));
  return x;
}

std::vector<double> Reader::read_numbers(std::string_view key, const Node& value, const Range& range,
                                         std::size_t size) {
  const std::string path = key_path(key);
  Provenance prov;
  const Node& list = unwrap(value, path, "a list of numbers", prov);
  if (!list.is_seq()) throw ScenarioError(list.loc, path, "expected a list of numbers, got " + got(list));
  if (size != 0 && list.seq.size() != size)
    throw ScenarioError(list.loc, path,
                        "expected " + std::to_string(size) + " numbers, got " + std::to_string(list.seq.size()));
  std::vector<double> out;
  for (std::size_t i = 0; i < list.seq.size(); ++i)
    out.push_back(scalar_number(list.seq[i], path + "[" + std::to_string(i) + "]", range, nullptr));
  if (strict_ && prov.kind == Provenance::Kind::None) no_provenance(value, path);
  provenance_.insert_or_assign(std::string(key), std::move(prov));
  return out;
}

std::vector<std::string> Reader::read_strings(std::string_view key, const Node& value,
                                              const std::vector<std::string>& options) const {
  const std::string path = key_path(key);
  if (!value.is_seq()) throw ScenarioError(value.loc, path, "expected a list of strings, got " + got(value));
  std::vector<std::string> out;
  for (std::size_t i = 0; i < value.seq.size(); ++i)
    out.push_back(parse_choice(value.seq[i], path + "[" + std::to_string(i) + "]", options));
  return out;
}

double Reader::number(std::string_view key, Range range, std::string_view doc) {
  const Node* v = declare(key, "number", range_text(range, false), "", doc);
  if (!v) missing(key, describe(range, false));
  return read_number(key, *v, range, nullptr);
}

std::int64_t Reader::integer(std::string_view key, Range range, std::string_view doc) {
  const Node* v = declare(key, "integer", range_text(range, true), "", doc);
  if (!v) missing(key, describe(range, true));
  std::int64_t out = 0;
  read_number(key, *v, range, &out);
  return out;
}

bool Reader::boolean(std::string_view key, std::string_view doc) {
  const Node* v = declare(key, "bool", "", "", doc);
  if (!v) missing(key, "true or false");
  return parse_bool(*v, key_path(key));
}

std::string Reader::string(std::string_view key, std::string_view doc) {
  const Node* v = declare(key, "string", "", "", doc);
  if (!v) missing(key, "a string");
  return parse_string(*v, key_path(key));
}

std::string Reader::choice(std::string_view key, const std::vector<std::string>& options, std::string_view doc) {
  const Node* v = declare(key, "choice", "one of: " + comma_list(options), "", doc);
  if (!v) missing(key, "one of: " + comma_list(options));
  return parse_choice(*v, key_path(key), options);
}

double Reader::number(std::string_view key, double fallback, Range range, std::string_view doc) {
  const Node* v = declare(key, "number", range_text(range, false), fmt_num(fallback), doc);
  if (!v) return fallback;
  return read_number(key, *v, range, nullptr);
}

std::int64_t Reader::integer(std::string_view key, std::int64_t fallback, Range range, std::string_view doc) {
  const Node* v = declare(key, "integer", range_text(range, true), std::to_string(fallback), doc);
  if (!v) return fallback;
  std::int64_t out = 0;
  read_number(key, *v, range, &out);
  return out;
}

bool Reader::boolean(std::string_view key, bool fallback, std::string_view doc) {
  const Node* v = declare(key, "bool", "", fallback ? "true" : "false", doc);
  return v ? parse_bool(*v, key_path(key)) : fallback;
}

std::string Reader::string(std::string_view key, std::string_view fallback, std::string_view doc) {
  const Node* v = declare(key, "string", "", fallback.empty() ? "\"\"" : std::string(fallback), doc);
  return v ? parse_string(*v, key_path(key)) : std::string(fallback);
}

std::string Reader::choice(std::string_view key, const std::vector<std::string>& options, std::string_view fallback,
                           std::string_view doc) {
  const Node* v = declare(key, "choice", "one of: " + comma_list(options), std::string(fallback), doc);
  return v ? parse_choice(*v, key_path(key), options) : std::string(fallback);
}

std::vector<double> Reader::numbers(std::string_view key, Range range, std::size_t size, std::string_view doc) {
  const Node* v = declare(key, "numbers", range_text(range, false), "", doc);
  if (!v)
    missing(key, "a list of " + (size ? std::to_string(size) + " " : std::string()) + "numbers, each " +
                     describe(range, false));
  return read_numbers(key, *v, range, size);
}

std::vector<double> Reader::numbers(std::string_view key, const std::vector<double>& fallback, Range range,
                                    std::size_t size, std::string_view doc) {
  const Node* v = declare(key, "numbers", range_text(range, false), fmt_list(fallback), doc);
  return v ? read_numbers(key, *v, range, size) : fallback;
}

std::vector<std::string> Reader::strings(std::string_view key, const std::vector<std::string>& options,
                                         std::string_view doc) {
  const Node* v = declare(key, "strings", options.empty() ? "" : "each one of: " + comma_list(options), "", doc);
  if (!v) missing(key, "a list of strings");
  return read_strings(key, *v, options);
}

std::vector<std::string> Reader::strings(std::string_view key, const std::vector<std::string>& options,
                                         const std::vector<std::string>& fallback, std::string_view doc) {
  const Node* v =
      declare(key, "strings", options.empty() ? "" : "each one of: " + comma_list(options), fmt_list(fallback), doc);
  return v ? read_strings(key, *v, options) : fallback;
}

Reader Reader::section(std::string_view key, std::string_view doc) {
  const Node* v = declare(key, "map", "", "", doc);
  if (!v) missing(key, "a map");
  if (!v->is_map()) throw ScenarioError(v->loc, key_path(key), "expected a map, got " + got(*v));
  return child(*v, key_path(key), key_pattern(key));
}

std::optional<Reader> Reader::optional_section(std::string_view key, std::string_view doc) {
  const Node* v = declare(key, "map", "", "optional", doc);
  if (!v) return std::nullopt;
  if (!v->is_map()) throw ScenarioError(v->loc, key_path(key), "expected a map, got " + got(*v));
  return child(*v, key_path(key), key_pattern(key));
}

std::vector<Reader> Reader::list(std::string_view key, bool required, std::string_view doc) {
  const Node* v = declare(key, "list", "", required ? "" : "[]", doc);
  if (!v) {
    if (required) missing(key, "a list of maps");
    return {};
  }
  const std::string path = key_path(key);
  if (!v->is_seq()) throw ScenarioError(v->loc, path, "expected a list, got " + got(*v));
  std::vector<Reader> out;
  for (std::size_t i = 0; i < v->seq.size(); ++i) {
    const Node& item = v->seq[i];
    const std::string item_path = path + "[" + std::to_string(i) + "]";
    if (!item.is_map()) throw ScenarioError(item.loc, item_path, "expected a map, got " + got(item));
    out.push_back(child(item, item_path, key_pattern(key) + "[]"));
  }
  return out;
}

std::vector<std::pair<std::string, Reader>> Reader::named(std::string_view key,
                                                          const std::vector<std::string>& allowed_names, bool required,
                                                          std::string_view doc) {
  const Node* v = declare(key, "named map", allowed_names.empty() ? "" : "names: " + comma_list(allowed_names),
                          required ? "" : "{}", doc);
  if (!v) {
    if (required) missing(key, "a map of names");
    return {};
  }
  const std::string path = key_path(key);
  if (!v->is_map()) throw ScenarioError(v->loc, path, "expected a map, got " + got(*v));
  std::vector<std::pair<std::string, Reader>> out;
  for (const auto& [name, entry] : v->map) {
    check_name(name, entry, join(path, name), allowed_names);
    out.emplace_back(name, child(entry, join(path, name), key_pattern(key) + ".*"));
  }
  return out;
}

std::map<std::string, double> Reader::named_numbers(std::string_view key, const std::vector<std::string>& allowed_names,
                                                    Range range, bool required, std::string_view doc) {
  const Node* v = declare(key, "named numbers", range_text(range, false), required ? "" : "{}", doc);
  if (!v) {
    if (required) missing(key, "a map of names to numbers, each " + describe(range, false));
    return {};
  }
  const std::string path = key_path(key);
  // `{value: {a: 1, b: 2}, source: ...}` gives the whole table one provenance.
  Provenance whole;
  const Node* table = v;
  if (const Node* inner = v->find("value"); inner && inner->is_map())
    table = &unwrap(*v, path, "a map of names to numbers", whole);
  if (!table->is_map()) throw ScenarioError(table->loc, path, "expected a map of names to numbers, got " + got(*table));
  std::map<std::string, double> out;
  for (const auto& [name, entry] : table->map) {
    const std::string entry_path = join(path, name);
    check_name(name, entry, entry_path, allowed_names);
    Provenance prov;
    const Node& inner = unwrap(entry, entry_path, "a number", prov);
    out[name] = scalar_number(inner, entry_path, range, nullptr);
    if (prov.kind == Provenance::Kind::None) prov = whole;
    if (strict_ && prov.kind == Provenance::Kind::None) no_provenance(entry, entry_path);
    provenance_.insert_or_assign(join(key, name), std::move(prov));
  }
  provenance_.insert_or_assign(std::string(key), std::move(whole));
  return out;
}

bool Reader::has(std::string_view key) const { return node_->find(key) != nullptr; }

Provenance Reader::provenance(std::string_view key) const {
  auto it = provenance_.find(key);
  return it == provenance_.end() ? Provenance{} : it->second;
}

void Reader::fail(std::string_view key, const std::string& detail) const {
  const Node* v = key.empty() ? nullptr : node_->find(key);
  const Location at = v ? (v->key_loc.line > 0 ? v->key_loc : v->loc) : node_->loc;
  throw ScenarioError(at, key.empty() ? path_ : key_path(key), detail);
}

void Reader::finish() const {
  if (!node_->is_map()) return;
  for (const auto& [k, v] : node_->map) {
    if (std::find(declared_.begin(), declared_.end(), k) != declared_.end()) continue;
    // Suggest among every declared key, present or not: with `include:` the intended key is often
    // already there (from the included file) next to the misspelt one.
    throw ScenarioError(v.key_loc, key_path(k), unknown_key_text(k, declared_, declared_));
  }
}

}  // namespace redes::io
