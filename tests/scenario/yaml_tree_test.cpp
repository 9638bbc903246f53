// Tests for io/yaml_tree: positions, malformed input, include/override composition, to_yaml.
#include "sim/scenario/yaml_tree.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/support/scenario_error.hpp"
#include "tests/support/temp_dir.hpp"

namespace redes::io {
namespace {

namespace fs = std::filesystem;

using redes::testing::error_of;

void expect_at(const Location& loc, const std::string& file, int line, int column) {
  EXPECT_EQ(loc.file, file);
  EXPECT_EQ(loc.line, line);
  EXPECT_EQ(loc.column, column);
}

// Each test gets its own directory of scenario files.
class YamlTreeLoad : public ::testing::Test {
 protected:
  fs::path write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  const redes::testing::TempDir tmp_{"redes-yaml-tree"};
  const fs::path& dir_ = tmp_.path;
};

// --- parse_yaml -------------------------------------------------------------------------------

TEST(YamlTreeParse, RecordsOneBasedPositionsOfKeysAndValues) {
  const Node root = parse_yaml(
      "name: demo\n"             // 1
      "population:\n"            // 2
      "  size: 100\n"            // 3
      "  shares: [0.5, 0.25]\n"  // 4
      "list:\n"                  // 5
      "  - a\n"                  // 6
      "  -\n"                    // 7
      "empty:\n"                 // 8
      "tilde: ~\n",              // 9
      "s.yaml");
  ASSERT_TRUE(root.is_map());
  expect_at(root.loc, "s.yaml", 1, 1);
  const Node* name = root.find("name");
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(name->scalar, "demo");
  expect_at(name->key_loc, "s.yaml", 1, 1);
  expect_at(name->loc, "s.yaml", 1, 7);

  const Node* pop = root.find("population");
  ASSERT_NE(pop, nullptr);
  expect_at(pop->key_loc, "s.yaml", 2, 1);
  expect_at(pop->loc, "s.yaml", 3, 3);
  const Node* size = pop->find("size");
  ASSERT_NE(size, nullptr);
  expect_at(size->key_loc, "s.yaml", 3, 3);
  expect_at(size->loc, "s.yaml", 3, 9);

  const Node* shares = pop->find("shares");
  ASSERT_TRUE(shares && shares->is_seq());
  ASSERT_EQ(shares->seq.size(), 2u);
  expect_at(shares->loc, "s.yaml", 4, 11);
  expect_at(shares->seq[1].loc, "s.yaml", 4, 17);
  EXPECT_EQ(shares->seq[1].scalar, "0.25");

  const Node* list = root.find("list");
  ASSERT_TRUE(list && list->is_seq());
  ASSERT_EQ(list->seq.size(), 2u);
  expect_at(list->seq[0].loc, "s.yaml", 6, 5);
  EXPECT_TRUE(list->seq[1].is_null());
  expect_at(list->seq[1].loc, "s.yaml", 7, 3);  // the dash, not the next token

  const Node* empty = root.find("empty");
  ASSERT_TRUE(empty && empty->is_null());
  expect_at(empty->loc, "s.yaml", 8, 1);  // an implicit null sits at its key
  const Node* tilde = root.find("tilde");
  ASSERT_TRUE(tilde && tilde->is_null());
  expect_at(tilde->loc, "s.yaml", 9, 8);

  EXPECT_EQ(root.find("absent"), nullptr);
  EXPECT_EQ(size->find("x"), nullptr);  // find on a scalar
}

TEST(YamlTreeParse, ImplicitNullBeforeAKeyNamedNullSomething) {
  const Node root = parse_yaml("a:\nnull_rate: 1\n", "n.yaml");
  ASSERT_TRUE(root.find("a")->is_null());
  expect_at(root.find("a")->loc, "n.yaml", 1, 1);
}

TEST(YamlTreeParse, ColumnsCountCharactersNotBytes) {
  const Node root = parse_yaml("departamento: {Alto Paraná: 1, Itapúa: x}\n", "u.yaml");
  const Node* itapua = root.find("departamento")->find("Itapúa");
  ASSERT_NE(itapua, nullptr);
  expect_at(itapua->key_loc, "u.yaml", 1, 32);
  expect_at(itapua->loc, "u.yaml", 1, 40);
}

TEST(YamlTreeParse, UnclosedBracketPointsAtTheBracket) {
  const auto e = error_of([] { parse_yaml("a: 1\nb: [1, 2\nc: 3\n", "x.yaml"); });
  expect_at(e.where(), "x.yaml", 2, 4);
  EXPECT_EQ(e.detail(), "malformed YAML: this '[' is never closed (no matching ']' before line 3)");
  EXPECT_STREQ(e.what(), "x.yaml:2:4: malformed YAML: this '[' is never closed (no matching ']' before line 3)");
}

TEST(YamlTreeParse, UnclosedBraceIgnoresBracketsInQuotesAndComments) {
  const auto e = error_of([] { parse_yaml("a: '[x'  # [ignored\nb: {c: 1\n", "x.yaml"); });
  expect_at(e.where(), "x.yaml", 2, 4);
  EXPECT_EQ(e.detail(), "malformed YAML: this '{' is never closed (no matching '}' before line 3)");
}

TEST(YamlTreeParse, BadIndentationGivesTheLine) {
  const auto e = error_of([] { parse_yaml("a:\n  b: 1\n c: 2\n", "x.yaml"); });
  expect_at(e.where(), "x.yaml", 3, 2);
  EXPECT_EQ(e.detail(), "malformed YAML: end of map not found (check the indentation)");

  const auto e2 = error_of([] { parse_yaml("a:\n  b: 1\n    c: 2\n", "x.yaml"); });
  expect_at(e2.where(), "x.yaml", 3, 6);
  EXPECT_EQ(e2.detail(),
            "malformed YAML: illegal map value (check the indentation, or quote a value that contains ': ')");
}

TEST(YamlTreeParse, EmptyOrCommentOnlyInputIsAnError) {
  for (const char* text : {"", "# only a comment\n\n  # another\n", "\n\n"}) {
    const auto e = error_of([&] { parse_yaml(text, "empty.yaml"); });
    expect_at(e.where(), "empty.yaml", 1, 1);
    EXPECT_EQ(e.key_path(), "");
    EXPECT_STREQ(e.what(), "empty.yaml:1:1: the file is empty; expected a map of scenario keys");
  }
}

TEST(YamlTreeParse, DuplicateKeyIsAnError) {
  const auto e = error_of([] { parse_yaml("a: 1\nb:\n  c: 1\n  c: 2\n", "d.yaml"); });
  expect_at(e.where(), "d.yaml", 4, 3);
  EXPECT_EQ(e.key_path(), "c");
  EXPECT_EQ(e.detail(), "duplicate key 'c' (first written at line 3, column 3)");
}

// Many aliases of one long scalar: few nodes, but each copies the scalar. Found by the scenario
// fuzzer (past 1 GiB under ASan); the budget now charges characters as well as nodes.
TEST(YamlTreeParse, AliasesOfALongScalarAreBoundedByCharacters) {
  std::string text = "long: &s \"" + std::string(20000, 'x') + "\"\nrefs: [";
  for (int k = 0; k < 2000; ++k) text += k ? ", *s" : "*s";
  text += "]\n";  // about 28 KB of text that would copy 40 MB
  const auto e = error_of([&] { parse_yaml(text, "s.yaml"); });
  EXPECT_NE(e.detail().find("aliases (*name) expand the file past"), std::string::npos) << e.detail();
  // One alias of it still loads (the budget is twice the text).
  std::string fine = "long: &s \"" + std::string(20000, 'x') + "\"\nrefs: [*s]\n";
  EXPECT_NO_THROW(parse_yaml(fine, "f.yaml"));
}

TEST(YamlTreeParse, SecondDocumentIsAnError) {
  const auto e = error_of([] { parse_yaml("a: 1\n---\nb: 2\n", "m.yaml"); });
  expect_at(e.where(), "m.yaml", 3, 1);
  EXPECT_EQ(e.detail(), "the file holds more than one YAML document ('---'); expected one");
}

// yaml-cpp 0.7 never consumes a ',' left outside brackets after a document's node, and LoadAll
// then adds empty documents until memory runs out (the scenario fuzzer's finding, 2026-12-01:
// the one-byte file "," took over 2 GB). Now an error at the comma.
TEST(YamlTreeParse, StrayCommaIsAnErrorAtTheComma) {
  struct Case {
    const char* text;
    int line, column;
  };
  for (const Case& c : {Case{",", 1, 1}, Case{"- a\n,", 2, 1}, Case{"[1, 2]\n,\n", 2, 1}, Case{"a: 1\n...\n,", 3, 1}}) {
    const auto e = error_of([&] { parse_yaml(c.text, "c.yaml"); });
    expect_at(e.where(), "c.yaml", c.line, c.column);
    EXPECT_EQ(e.detail(), "malformed YAML: a ',' outside [ ] or { } (list items start with '- ')") << c.text;
  }
  // Commas inside brackets and plain scalars are still fine.
  const Node ok = parse_yaml("a: [1, 2]\nb: x, y\nc: {d: 1, e: 2}\n", "ok.yaml");
  EXPECT_EQ(ok.find("b")->scalar, "x, y");
}

TEST(YamlTreeParse, NonMapDocumentsParse) {
  const Node seq = parse_yaml("- 1\n- two\n", "l.yaml");
  ASSERT_TRUE(seq.is_seq());
  EXPECT_EQ(seq.seq[1].scalar, "two");
}

// --- load_scenario_tree -----------------------------------------------------------------------

TEST_F(YamlTreeLoad, MissingTopLevelFile) {
  const std::string missing = path("nope.yaml");
  const auto e = error_of([&] { load_scenario_tree(missing); });
  EXPECT_EQ(e.where().line, 0);
  EXPECT_EQ(e.where().file, missing);
  EXPECT_EQ(std::string(e.what()), missing + ": cannot read the scenario: no such file");
}

TEST_F(YamlTreeLoad, EmptyFile) {
  const auto f = write("empty.yaml", "# nothing here yet\n");
  const auto e = error_of([&] { load_scenario_tree(f); });
  EXPECT_EQ(std::string(e.what()), f.string() + ":1:1: the file is empty; expected a map of scenario keys");
}

TEST_F(YamlTreeLoad, TopLevelMustBeAMap) {
  const auto f = write("list.yaml", "# a list\n- a\n- b\n");
  const auto e = error_of([&] { load_scenario_tree(f); });
  expect_at(e.where(), f.string(), 2, 1);
  EXPECT_EQ(e.detail(), "expected a map of scenario keys at the top level, got a list");
}

TEST_F(YamlTreeLoad, PlainFileLoadsUnchanged) {
  const auto f = write("s.yaml", "name: x\nseed: 3\n");
  const Node root = load_scenario_tree(f);
  ASSERT_EQ(root.map.size(), 2u);
  EXPECT_EQ(root.map[0].first, "name");
  EXPECT_EQ(root.map[1].second.scalar, "3");
  expect_at(root.map[1].second.loc, f.string(), 2, 7);
}

TEST_F(YamlTreeLoad, IncludeDeepMergesMapsAndReplacesScalarsAndLists) {
  write("base.yaml",
        "name: base\n"
        "population:\n"
        "  size: 100\n"
        "  shares: [0.5, 0.5]\n"
        "  attributes: {a: 1, b: 2}\n"
        "seed: 1\n");
  const auto f = write("main.yaml",
                       "include: base.yaml\n"
                       "name: main\n"
                       "population:\n"
                       "  shares: [1]\n"
                       "  attributes: {b: 3, c: 4}\n"
                       "extra: yes\n");
  const Node root = load_scenario_tree(f);
  EXPECT_EQ(root.find("include"), nullptr);
  ASSERT_EQ(root.map.size(), 4u);  // base order first, then new keys
  EXPECT_EQ(root.map[0].first, "name");
  EXPECT_EQ(root.map[1].first, "population");
  EXPECT_EQ(root.map[2].first, "seed");
  EXPECT_EQ(root.map[3].first, "extra");
  EXPECT_EQ(root.find("name")->scalar, "main");
  const Node* pop = root.find("population");
  EXPECT_EQ(pop->find("size")->scalar, "100");
  ASSERT_EQ(pop->find("shares")->seq.size(), 1u);  // lists replace
  const Node* attrs = pop->find("attributes");
  ASSERT_EQ(attrs->map.size(), 3u);
  EXPECT_EQ(attrs->find("a")->scalar, "1");
  EXPECT_EQ(attrs->find("b")->scalar, "3");
  EXPECT_EQ(attrs->find("c")->scalar, "4");
  // Positions still name the file each value came from.
  expect_at(pop->find("size")->loc, path("base.yaml"), 3, 9);
  expect_at(pop->find("shares")->loc, f.string(), 4, 11);
  expect_at(root.find("name")->key_loc, f.string(), 2, 1);
}

TEST_F(YamlTreeLoad, IncludeListMergesInOrderRelativeToTheIncludingFile) {
  write("common/defaults.yaml", "a: 1\nb: 1\nc: 1\n");
  write("common/all.yaml", "include: defaults.yaml\nb: 2\n");  // relative to common/
  write("site.yaml", "c: 3\nb: 3\n");
  const auto f = write("run/main.yaml", "include: [../common/all.yaml, ../site.yaml]\nd: 4\n");
  const Node root = load_scenario_tree(f);
  EXPECT_EQ(root.find("a")->scalar, "1");
  EXPECT_EQ(root.find("b")->scalar, "3");  // site.yaml comes after all.yaml
  EXPECT_EQ(root.find("c")->scalar, "3");
  EXPECT_EQ(root.find("d")->scalar, "4");
  expect_at(root.find("a")->loc, path("common/defaults.yaml"), 1, 4);
  expect_at(root.find("b")->loc, path("site.yaml"), 2, 4);
}

TEST_F(YamlTreeLoad, MissingIncludeNamesWrittenAndResolvedPath) {
  const auto f = write("sub/main.yaml",
                       "name: x\n"
                       "include: [ok.yaml, ../basee.yaml]\n");
  write("sub/ok.yaml", "a: 1\n");
  const auto e = error_of([&] { load_scenario_tree(f); });
  expect_at(e.where(), f.string(), 2, 20);
  EXPECT_EQ(e.key_path(), "include[1]");
  EXPECT_EQ(e.detail(),
            "cannot read included file '../basee.yaml' (resolved to '" + path("basee.yaml") + "'): no such file");
}

TEST_F(YamlTreeLoad, IncludeOfWrongTypeIsAnError) {
  const auto f = write("main.yaml", "include:\n  file: a.yaml\n");
  const auto e = error_of([&] { load_scenario_tree(f); });
  expect_at(e.where(), f.string(), 2, 3);
  EXPECT_EQ(e.key_path(), "include");
  EXPECT_EQ(e.detail(), "expected a file name or a list of file names, got a map");
}

TEST_F(YamlTreeLoad, IncludeCycleIsAnError) {
  const auto a = write("a.yaml", "include: b.yaml\nx: 1\n");
  write("b.yaml", "y: 2\ninclude: a.yaml\n");
  const auto e = error_of([&] { load_scenario_tree(a); });
  expect_at(e.where(), path("b.yaml"), 2, 10);
  EXPECT_EQ(e.key_path(), "include");
  EXPECT_EQ(e.detail(), "include cycle: " + path("a.yaml") + " -> " + path("b.yaml") + " -> " + path("a.yaml"));
}

TEST_F(YamlTreeLoad, SelfIncludeIsACycle) {
  const auto a = write("a.yaml", "x: 1\ninclude: ./a.yaml\n");
  const auto e = error_of([&] { load_scenario_tree(a); });
  expect_at(e.where(), a.string(), 2, 10);
  EXPECT_EQ(e.detail(), "include cycle: " + a.string() + " -> " + a.string());
}

TEST_F(YamlTreeLoad, DiamondIncludeIsNotACycle) {
  write("d.yaml", "v: 1\n");
  write("b.yaml", "include: d.yaml\nb: 1\n");
  write("c.yaml", "include: d.yaml\nc: 1\n");
  const auto a = write("a.yaml", "include: [b.yaml, c.yaml]\n");
  const Node root = load_scenario_tree(a);
  EXPECT_EQ(root.map.size(), 3u);
}

// calibrated.yaml and pandemic.yaml both include the baseline; composing them must keep the
// calibrated value and its provenance (the old loader merged the baseline back in over it, and
// mixed `calibrated` with the baseline's `assumed` in one map).
TEST_F(YamlTreeLoad, DiamondIncludeAppliesTheSharedBaseOnceSoLaterLayersKeepTheirValues) {
  write("baseline.yaml",
        "name: base\n"
        "rate: {value: 5, assumed: guess}\n"
        "size: 100\n");
  write("calibrated.yaml",
        "include: baseline.yaml\nname: calibrated\noverride:\n  rate: {value: 8, calibrated: fit}\n");
  write("pandemic.yaml", "include: baseline.yaml\nname: pandemic\nshocks: [covid]\n");
  const auto top = write("top.yaml", "include: [calibrated.yaml, pandemic.yaml]\n");
  const Node root = load_scenario_tree(top);
  const Node* rate = root.find("rate");
  ASSERT_NE(rate, nullptr);
  ASSERT_TRUE(rate->is_map());
  EXPECT_EQ(rate->map.size(), 2u);
  EXPECT_EQ(rate->find("value")->scalar, "8");
  EXPECT_EQ(rate->find("calibrated")->scalar, "fit");
  EXPECT_EQ(rate->find("assumed"), nullptr);
  ASSERT_NE(root.find("shocks"), nullptr);
  EXPECT_EQ(root.find("shocks")->seq.at(0).scalar, "covid");
  EXPECT_EQ(root.find("name")->scalar, "pandemic");  // the later layer's own keys win
  EXPECT_EQ(root.find("size")->scalar, "100");
}

TEST_F(YamlTreeLoad, ALaterLayersProvenanceMapReplacesAnEarlierOneWhole) {
  write("a.yaml", "rate: {value: 5, assumed: guess}\nother: {x: 1, y: 2}\n");
  write("b.yaml", "rate: {value: 6, source: census}\nother: {y: 3}\n");
  const auto top = write("top.yaml", "include: [a.yaml, b.yaml]\n");
  const Node root = load_scenario_tree(top);
  const Node* rate = root.find("rate");
  EXPECT_EQ(rate->map.size(), 2u);
  EXPECT_EQ(rate->find("value")->scalar, "6");
  EXPECT_EQ(rate->find("source")->scalar, "census");
  EXPECT_EQ(rate->find("assumed"), nullptr);
  // plain maps still merge key by key
  EXPECT_EQ(root.find("other")->find("x")->scalar, "1");
  EXPECT_EQ(root.find("other")->find("y")->scalar, "3");
  // and a bare value replaces a provenance map
  write("c.yaml", "include: a.yaml\nrate: 7\n");
  EXPECT_EQ(load_scenario_tree(path("c.yaml")).find("rate")->scalar, "7");
}

TEST_F(YamlTreeLoad, DiamondLayersApplyInDepthFirstOrder) {
  write("d.yaml", "v: 1\nw: 1\n");
  write("b.yaml", "include: d.yaml\nv: 2\n");
  write("c.yaml", "include: d.yaml\nw: 3\n");
  const Node root = load_scenario_tree(write("a.yaml", "include: [b.yaml, c.yaml]\n"));
  EXPECT_EQ(root.find("v")->scalar, "2");  // c's copy of d no longer resets b's value
  EXPECT_EQ(root.find("w")->scalar, "3");
}

TEST_F(YamlTreeLoad, ErrorsInsideAnIncludedFileNameThatFile) {
  write("base.yaml", "a: 1\nb: [1, 2\n");
  const auto f = write("main.yaml", "include: base.yaml\n");
  const auto e = error_of([&] { load_scenario_tree(f); });
  expect_at(e.where(), path("base.yaml"), 2, 4);
}

TEST_F(YamlTreeLoad, OverrideAppliesLastAfterIncludes) {
  write("base.yaml",
        "population:\n"
        "  size: 100\n"
        "  rate: {value: 0.3, source: census}\n"
        "interventions:\n"
        "  - {type: a, coverage: 0.1}\n"
        "  - {type: b, coverage: 0.2}\n");
  const auto f = write("sweep.yaml",
                       "override:\n"
                       "  population.size: 5000\n"
                       "  interventions[1].coverage: 0.9\n"
                       "  interventions.0.type: c\n"
                       "  population.rate: {value: 0.5, assumed: test}\n"
                       "include: base.yaml\n"
                       "population:\n"
                       "  size: 200\n");
  const Node root = load_scenario_tree(f);
  EXPECT_EQ(root.find("override"), nullptr);
  const Node* pop = root.find("population");
  EXPECT_EQ(pop->find("size")->scalar, "5000");  // override beats the file's own 200
  expect_at(pop->find("size")->loc, f.string(), 2, 20);
  expect_at(pop->find("size")->key_loc, f.string(), 2, 3);
  const Node* rate = pop->find("rate");
  ASSERT_TRUE(rate->is_map());
  EXPECT_EQ(rate->map.size(), 2u);  // replaced, not merged: no leftover `source`
  EXPECT_EQ(rate->find("assumed")->scalar, "test");
  const Node* ivs = root.find("interventions");
  EXPECT_EQ(ivs->seq[0].find("type")->scalar, "c");
  EXPECT_EQ(ivs->seq[1].find("coverage")->scalar, "0.9");
  EXPECT_EQ(ivs->seq[0].find("coverage")->scalar, "0.1");
}

TEST_F(YamlTreeLoad, OverrideInAnIncludedFileAppliesBeforeTheIncluder) {
  write("base.yaml", "a: 1\nb: 1\n");
  write("mid.yaml", "include: base.yaml\noverride: {a: 2, b: 2}\n");
  const auto f = write("top.yaml", "include: mid.yaml\nb: 3\n");
  const Node root = load_scenario_tree(f);
  EXPECT_EQ(root.find("a")->scalar, "2");
  EXPECT_EQ(root.find("b")->scalar, "3");
}

TEST_F(YamlTreeLoad, OverrideOfMissingKeySuggestsTheClosest) {
  write("base.yaml", "population:\n  size: 100\n  departments: [a]\n");
  const auto f = write("o.yaml",
                       "include: base.yaml\n"
                       "override:\n"
                       "  population.size: 10\n"
                       "  population.sise: 20\n");
  const auto e = error_of([&] { load_scenario_tree(f); });
  expect_at(e.where(), f.string(), 4, 3);
  EXPECT_EQ(e.key_path(), "population.sise");
  EXPECT_EQ(e.detail(), "cannot override: there is no key 'sise' in 'population'; did you mean 'size'?");
  EXPECT_EQ(std::string(e.what()), f.string() +
                                       ":4:3: key 'population.sise': cannot override: there is no key 'sise' in "
                                       "'population'; did you mean 'size'?");
}

TEST_F(YamlTreeLoad, OverrideErrorsForTopLevelIndexAndScalarPaths) {
  const auto top = write("t.yaml", "population: {size: 1}\nlist: [1, 2]\noverride: {popluation.size: 2}\n");
  auto e = error_of([&] { load_scenario_tree(top); });
  expect_at(e.where(), top.string(), 3, 12);
  EXPECT_EQ(e.detail(), "cannot override: there is no key 'popluation' at the top level; did you mean 'population'?");

  const auto far = write("f.yaml", "population: {size: 1}\noverride: {zzz: 2}\n");
  e = error_of([&] { load_scenario_tree(far); });
  EXPECT_EQ(e.detail(), "cannot override: there is no key 'zzz' at the top level");

  const auto idx = write("i.yaml", "list: [1, 2]\noverride: {'list[2]': 3}\n");
  e = error_of([&] { load_scenario_tree(idx); });
  expect_at(e.where(), idx.string(), 2, 12);
  EXPECT_EQ(e.detail(), "cannot override: 'list' has 2 items; index 2 does not exist");

  const auto deep = write("s.yaml", "population: {size: 1}\noverride: {population.size.value: 3}\n");
  e = error_of([&] { load_scenario_tree(deep); });
  EXPECT_EQ(e.detail(), "cannot override: 'population.size' is '1', not a map");

  const auto bad = write("b.yaml", "a: 1\noverride: {a..b: 3}\n");
  e = error_of([&] { load_scenario_tree(bad); });
  EXPECT_EQ(e.key_path(), "a..b");
  EXPECT_NE(e.detail().find("malformed key path"), std::string::npos);

  const auto notmap = write("n.yaml", "a: 1\noverride: [a]\n");
  e = error_of([&] { load_scenario_tree(notmap); });
  expect_at(e.where(), notmap.string(), 2, 11);
  EXPECT_EQ(e.detail(), "expected a map of dotted key paths to values, got a list");
}

// --- to_yaml ----------------------------------------------------------------------------------

bool same_tree(const Node& a, const Node& b) {
  if (a.kind != b.kind || a.scalar != b.scalar || a.map.size() != b.map.size() || a.seq.size() != b.seq.size())
    return false;
  for (std::size_t i = 0; i < a.map.size(); ++i)
    if (a.map[i].first != b.map[i].first || !same_tree(a.map[i].second, b.map[i].second)) return false;
  for (std::size_t i = 0; i < a.seq.size(); ++i)
    if (!same_tree(a.seq[i], b.seq[i])) return false;
  return true;
}

TEST(YamlTreeToYaml, EmitsReadableYamlThatParsesBackToTheSameTree) {
  const Node t = parse_yaml(
      "a: 1\nb: [1, 2]\nc:\n  d: x\n  e: {}\n  f: []\n  g:\nl:\n  - {x: 1, y: 2}\n  - [1, 2]\nq: \"a: b\"\n", "t.yaml");
  const std::string text = to_yaml(t);
  EXPECT_EQ(text,
            "a: 1\nb: [1, 2]\nc:\n  d: x\n  e: {}\n  f: []\n  g: ~\nl:\n  - x: 1\n    y: 2\n  - [1, 2]\nq: \"a: b\"\n");
  EXPECT_TRUE(same_tree(t, parse_yaml(text, "again.yaml")));
}

}  // namespace
}  // namespace redes::io
