// Tests for io/reader: typed access, precise errors, provenance, and the key catalogue.
#include "sim/scenario/reader.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/support/scenario_error.hpp"

namespace redes::io {
namespace {

using redes::testing::error_of;

void expect_at(const ScenarioError& e, int line, int column, const std::string& key_path) {
  EXPECT_EQ(e.where().file, "t.yaml");
  EXPECT_EQ(e.where().line, line);
  EXPECT_EQ(e.where().column, column);
  EXPECT_EQ(e.key_path(), key_path);
}

Node yaml(const std::string& text) { return parse_yaml(text, "t.yaml"); }

// --- errors ------------------------------------------------------------------------------------

TEST(IoErrors, FormatsFileLineColumnKeyAndDetail) {
  const ScenarioError e({"a/b.yaml", 3, 7}, "population.size", "bad");
  EXPECT_STREQ(e.what(), "a/b.yaml:3:7: key 'population.size': bad");
  EXPECT_EQ(e.where().str(), "a/b.yaml:3:7");
  EXPECT_EQ(e.detail(), "bad");
  const ScenarioError no_key({"x.yaml", 1, 1}, "", "empty");
  EXPECT_STREQ(no_key.what(), "x.yaml:1:1: empty");
  EXPECT_EQ((Location{"f.yaml", 0, 0}).str(), "f.yaml");
}

TEST(ReaderClosestMatch, FindsNearWordsOnly) {
  const std::vector<std::string> keys = {"size", "departments", "awareness", "seed"};
  EXPECT_EQ(closest_match("sise", keys), "size");
  EXPECT_EQ(closest_match("szie", keys), "size");  // transposition counts as one edit
  EXPECT_EQ(closest_match("awarness", keys), "awareness");
  EXPECT_EQ(closest_match("departmnets", keys), "departments");
  EXPECT_EQ(closest_match("Size", keys), "size");
  EXPECT_EQ(closest_match("population", keys), "");
  EXPECT_EQ(closest_match("x", {"y"}), "");
  EXPECT_EQ(closest_match("abc", {}), "");
}

// --- required keys, types and ranges -----------------------------------------------------------

TEST(ReaderTest, ReadsTypedValues) {
  const Node root = yaml(
      "n: 0.25\n"
      "i: 12\n"
      "big: 6_100_000\n"
      "whole: 3.0\n"
      "sci: 1e3\n"
      "plus: +2\n"
      "b1: true\n"
      "b2: no\n"
      "s: hello world\n"
      "c: awareness\n"
      "v: [1, 2.5, 3]\n"
      "w: [x, y]\n");
  Reader r(root, "");
  EXPECT_DOUBLE_EQ(r.number("n", Range::probability(), "d"), 0.25);
  EXPECT_EQ(r.integer("i", Range::non_negative(), "d"), 12);
  EXPECT_EQ(r.integer("big", Range::positive(), "d"), 6100000);
  EXPECT_EQ(r.integer("whole", Range{}, "d"), 3);
  EXPECT_EQ(r.integer("sci", Range{}, "d"), 1000);
  EXPECT_DOUBLE_EQ(r.number("plus", Range{}, "d"), 2.0);
  EXPECT_TRUE(r.boolean("b1", "d"));
  EXPECT_FALSE(r.boolean("b2", "d"));
  EXPECT_EQ(r.string("s", "d"), "hello world");
  EXPECT_EQ(r.choice("c", {"awareness", "literacy"}, "d"), "awareness");
  EXPECT_EQ(r.numbers("v", Range::non_negative(), 3, "d"), (std::vector<double>{1, 2.5, 3}));
  EXPECT_EQ(r.strings("w", {}, "d"), (std::vector<std::string>{"x", "y"}));
  EXPECT_TRUE(r.has("n"));
  EXPECT_FALSE(r.has("zz"));
  EXPECT_NO_THROW(r.finish());
}

TEST(ReaderTest, DefaultsApplyOnlyWhenAbsent) {
  const Node root = yaml("present: 0.5\n");
  Reader r(root, "");
  EXPECT_DOUBLE_EQ(r.number("present", 0.1, Range::unit(), "d"), 0.5);
  EXPECT_DOUBLE_EQ(r.number("x", 0.1, Range::unit(), "d"), 0.1);
  EXPECT_EQ(r.integer("i", 7, Range{}, "d"), 7);
  EXPECT_TRUE(r.boolean("b", true, "d"));
  EXPECT_EQ(r.string("s", "def", "d"), "def");
  EXPECT_EQ(r.choice("c", {"a", "b"}, "b", "d"), "b");
  EXPECT_EQ(r.numbers("v", {1, 2}, Range{}, 2, "d"), (std::vector<double>{1, 2}));
  EXPECT_EQ(r.strings("w", {}, {"q"}, "d"), (std::vector<std::string>{"q"}));
  EXPECT_FALSE(r.optional_section("sec", "d").has_value());
  EXPECT_TRUE(r.list("items", false, "d").empty());
  EXPECT_TRUE(r.named("names", {}, false, "d").empty());
  EXPECT_TRUE(r.named_numbers("nn", {}, Range{}, false, "d").empty());
  EXPECT_EQ(r.provenance("x").kind, Provenance::Kind::None);
}

TEST(ReaderTest, PresentNullIsATypeErrorNotTheDefault) {
  const Node root = yaml("name: x\nrate:\n");
  Reader r(root, "");
  const auto e = error_of([&] { r.number("rate", 0.5, Range::unit(), "d"); });
  expect_at(e, 2, 1, "rate");
  EXPECT_EQ(e.detail(), "expected a number, got nothing (an empty value)");
}

TEST(ReaderTest, MissingRequiredKeyIsReportedAtTheParentMap) {
  const Node root = yaml(
      "name: x\n"
      "population:\n"
      "  departments: [a, b]\n");
  Reader r(root, "");
  Reader pop = r.section("population", "d");
  const auto e = error_of([&] { pop.integer("size", {1, 1e9, false, "an integer >= 1"}, "d"); });
  expect_at(e, 3, 3, "population.size");
  EXPECT_EQ(e.detail(), "missing required key 'size' (expected an integer >= 1)");
  EXPECT_STREQ(e.what(), "t.yaml:3:3: key 'population.size': missing required key 'size' (expected an integer >= 1)");

  const auto top = error_of([&] { r.section("calendar", "d"); });
  expect_at(top, 1, 1, "calendar");
  EXPECT_EQ(top.detail(), "missing required key 'calendar' (expected a map)");

  const auto rng = error_of([&] { pop.number("rate", Range::probability(), "d"); });
  EXPECT_EQ(rng.detail(), "missing required key 'rate' (expected a probability in [0, 1])");
  const auto b = error_of([&] { pop.boolean("flag", "d"); });
  EXPECT_EQ(b.detail(), "missing required key 'flag' (expected true or false)");
  const auto c = error_of([&] { pop.choice("kind", {"x", "y"}, "d"); });
  EXPECT_EQ(c.detail(), "missing required key 'kind' (expected one of: x, y)");
}

TEST(ReaderTest, MisspeltRequiredKeyPointsAtTheMisspelling) {
  const Node root = yaml(
      "population:\n"
      "  departments: [a]\n"
      "  sise: 100\n");
  Reader pop = Reader(root, "").section("population", "d");
  pop.strings("departments", {}, "d");
  const auto e = error_of([&] { pop.integer("size", Range::positive(), "d"); });
  expect_at(e, 3, 3, "population.size");
  EXPECT_EQ(e.detail(), "missing required key 'size' (expected an integer > 0); is 'sise' a misspelling of it?");
}

TEST(ReaderTest, WrongTypesAreReportedAtTheValue) {
  const Node root = yaml(
      "n: abc\n"              // 1
      "i: 3.5\n"              // 2
      "b: maybe\n"            // 3
      "s: [a]\n"              // 4
      "sec: [1, 2]\n"         // 5
      "nb: true\n"            // 6
      "inf: .inf\n"           // 7
      "nan: .nan\n"           // 8
      "m: {a: 1}\n"           // 9
      "hex: 0x10\n"           // 10
      "on: on\n"              // 11
      "l: {x: 1}\n"           // 12
      "items: [{a: 1}, 2]\n"  // 13
      "nums: [1, two]\n"      // 14
      "huge: 1e30\n");        // 15
  Reader r(root, "");
  auto e = error_of([&] { r.number("n", Range{}, "d"); });
  expect_at(e, 1, 4, "n");
  EXPECT_EQ(e.detail(), "expected a number, got 'abc'");
  e = error_of([&] { r.integer("i", Range{}, "d"); });
  expect_at(e, 2, 4, "i");
  EXPECT_EQ(e.detail(), "expected an integer, got '3.5'");
  e = error_of([&] { r.boolean("b", "d"); });
  expect_at(e, 3, 4, "b");
  EXPECT_EQ(e.detail(), "expected true or false, got 'maybe'");
  e = error_of([&] { r.string("s", "d"); });
  expect_at(e, 4, 4, "s");
  EXPECT_EQ(e.detail(), "expected a string, got a list");
  e = error_of([&] { r.section("sec", "d"); });
  expect_at(e, 5, 6, "sec");
  EXPECT_EQ(e.detail(), "expected a map, got a list");
  e = error_of([&] { r.number("nb", Range{}, "d"); });
  expect_at(e, 6, 5, "nb");
  EXPECT_EQ(e.detail(), "expected a number, got 'true'");
  e = error_of([&] { r.number("inf", Range{}, "d"); });
  expect_at(e, 7, 6, "inf");
  EXPECT_EQ(e.detail(), "expected a finite number, got '.inf'");
  e = error_of([&] { r.number("nan", Range{}, "d"); });
  expect_at(e, 8, 6, "nan");
  EXPECT_EQ(e.detail(), "expected a finite number, got '.nan'");
  e = error_of([&] { r.number("m", Range{}, "d"); });
  expect_at(e, 9, 4, "m");
  EXPECT_EQ(e.detail(), "expected a number, got a map");
  e = error_of([&] { r.integer("hex", Range{}, "d"); });
  expect_at(e, 10, 6, "hex");
  EXPECT_EQ(e.detail(), "expected an integer, got '0x10'");
  e = error_of([&] { r.boolean("on", "d"); });
  expect_at(e, 11, 5, "on");
  EXPECT_EQ(e.detail(), "expected true or false, got 'on'");
  e = error_of([&] { r.list("l", true, "d"); });
  expect_at(e, 12, 4, "l");
  EXPECT_EQ(e.detail(), "expected a list, got a map");
  e = error_of([&] { r.list("items", true, "d"); });
  expect_at(e, 13, 17, "items[1]");
  EXPECT_EQ(e.detail(), "expected a map, got '2'");
  e = error_of([&] { r.numbers("nums", Range{}, 0, "d"); });
  expect_at(e, 14, 11, "nums[1]");
  EXPECT_EQ(e.detail(), "expected a number, got 'two'");
  e = error_of([&] { r.integer("huge", Range{}, "d"); });
  expect_at(e, 15, 7, "huge");
  EXPECT_EQ(e.detail(), "1e30 is too large for an integer");
}

TEST(ReaderTest, OutOfRangeValues) {
  const Node root = yaml(
      "p: 1.5\n"
      "pos: 0\n"
      "age: 111\n"
      "between: -3\n"
      "shares: [0.5, 1.2]\n"
      "count: 0\n");
  Reader r(root, "");
  auto e = error_of([&] { r.number("p", Range::probability(), "d"); });
  expect_at(e, 1, 4, "p");
  EXPECT_EQ(e.detail(), "1.5 is out of range: expected a probability in [0, 1]");
  EXPECT_STREQ(e.what(), "t.yaml:1:4: key 'p': 1.5 is out of range: expected a probability in [0, 1]");
  e = error_of([&] { r.number("pos", Range::positive(), "d"); });
  expect_at(e, 2, 6, "pos");
  EXPECT_EQ(e.detail(), "0 is out of range: expected a number > 0");
  e = error_of([&] { r.integer("age", {0, 110, false, "an age in years"}, "d"); });
  expect_at(e, 3, 6, "age");
  EXPECT_EQ(e.detail(), "111 is out of range: expected an age in years in [0, 110]");
  e = error_of([&] { r.number("between", Range::between(-1, 1), "d"); });
  EXPECT_EQ(e.detail(), "-3 is out of range: expected a number in [-1, 1]");
  e = error_of([&] { r.numbers("shares", Range::unit(), 2, "d"); });
  expect_at(e, 5, 15, "shares[1]");
  EXPECT_EQ(e.detail(), "1.2 is out of range: expected a value in [0, 1]");
  e = error_of([&] { r.integer("count", {1, std::numeric_limits<double>::infinity()}, "d"); });
  EXPECT_EQ(e.detail(), "0 is out of range: expected an integer >= 1");
}

TEST(ReaderTest, ListLengthIsChecked) {
  const Node root = yaml("by_age: [0.1, 0.2, 0.3]\n");
  Reader r(root, "");
  const auto e = error_of([&] { r.numbers("by_age", Range::unit(), 4, "d"); });
  expect_at(e, 1, 9, "by_age");
  EXPECT_EQ(e.detail(), "expected 4 numbers, got 3");
}

// --- unknown keys and choices ------------------------------------------------------------------

TEST(ReaderTest, FinishRejectsUnknownKeysWithASuggestion) {
  const Node root = yaml(
      "population:\n"
      "  size: 10\n"
      "  seeed: 3\n"
      "  zzzz: 1\n");
  Reader pop = Reader(root, "").section("population", "d");
  pop.integer("size", Range{}, "d");
  pop.integer("seed", 1, Range{}, "d");
  pop.number("rate", 0.5, Range{}, "d");
  const auto e = error_of([&] { pop.finish(); });
  expect_at(e, 3, 3, "population.seeed");
  EXPECT_EQ(e.detail(), "unknown key 'seeed'; did you mean 'seed'? valid keys: size, seed, rate");
  EXPECT_STREQ(
      e.what(),
      "t.yaml:3:3: key 'population.seeed': unknown key 'seeed'; did you mean 'seed'? valid keys: size, seed, rate");
}

TEST(ReaderTest, FinishWithoutCloseKeyGivesNoSuggestion) {
  const Node root = yaml("size: 10\ncolour: red\n");
  Reader r(root, "");
  r.integer("size", Range{}, "d");
  const auto e = error_of([&] { r.finish(); });
  expect_at(e, 2, 1, "colour");
  EXPECT_EQ(e.detail(), "unknown key 'colour'; valid keys: size");
}

TEST(ReaderTest, ChoiceSuggestsAndListsValidValues) {
  const Node root = yaml("type: awarness\nother: zebra\n");
  Reader r(root, "");
  const std::vector<std::string> types = {"awareness", "digital_literacy"};
  auto e = error_of([&] { r.choice("type", types, "d"); });
  expect_at(e, 1, 7, "type");
  EXPECT_EQ(e.detail(), "'awarness' is not valid; did you mean 'awareness'? valid: awareness, digital_literacy");
  e = error_of([&] { r.choice("other", types, "awareness", "d"); });
  expect_at(e, 2, 8, "other");
  EXPECT_EQ(e.detail(), "'zebra' is not valid; valid: awareness, digital_literacy");
}

TEST(ReaderTest, StringsChecksEachItem) {
  const Node root = yaml("platforms: [facebook, tiktokk]\n");
  Reader r(root, "");
  const auto e = error_of([&] { r.strings("platforms", {"facebook", "tiktok"}, "d"); });
  expect_at(e, 1, 23, "platforms[1]");
  EXPECT_EQ(e.detail(), "'tiktokk' is not valid; did you mean 'tiktok'? valid: facebook, tiktok");
}

TEST(ReaderTest, AccessorsOnANonMapReportTheNode) {
  const Node root = yaml("x:\n  - 1\n");
  Reader r(root.find("x")->seq[0], "x[0]");
  const auto e = error_of([&] { r.number("y", Range{}, "d"); });
  expect_at(e, 2, 5, "x[0]");
  EXPECT_EQ(e.detail(), "expected a map, got '1'");
}

TEST(ReaderTest, FailPointsAtTheKey) {
  const Node root = yaml("network:\n  degree: 3\n");
  Reader nb = Reader(root, "").section("network", "d");
  nb.integer("degree", Range{}, "d");
  auto e = error_of([&] { nb.fail("degree", "must be even"); });
  expect_at(e, 2, 3, "network.degree");
  EXPECT_EQ(e.detail(), "must be even");
  e = error_of([&] { nb.fail("absent", "needed"); });
  expect_at(e, 2, 3, "network.absent");  // the map's position
  e = error_of([&] { nb.fail("", "whole map"); });
  expect_at(e, 2, 3, "network");
}

// --- lists and named maps -----------------------------------------------------------------------

TEST(ReaderTest, ListItemsUseConcretePathsInErrors) {
  const Node root = yaml(
      "interventions:\n"
      "  - {type: a, coverage: 0.5}\n"
      "  - type: b\n"
      "    coverage: 0.1\n"
      "  - type: c\n"
      "    coverage: 2\n");
  Reader r(root, "");
  auto items = r.list("interventions", true, "d");
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[2].path(), "interventions[2]");
  EXPECT_DOUBLE_EQ(items[0].number("coverage", Range::probability(), "d"), 0.5);
  EXPECT_DOUBLE_EQ(items[1].number("coverage", Range::probability(), "d"), 0.1);
  const auto e = error_of([&] { items[2].number("coverage", Range::probability(), "d"); });
  expect_at(e, 6, 15, "interventions[2].coverage");
  EXPECT_EQ(e.detail(), "2 is out of range: expected a probability in [0, 1]");
  const auto m = error_of([&] { items[1].string("name", "d"); });
  expect_at(m, 3, 5, "interventions[1].name");
}

TEST(ReaderTest, NamedMapsCheckNamesAndGiveConcretePaths) {
  const Node root = yaml(
      "platforms:\n"
      "  facebook: {moderation: 0.1}\n"
      "  tiktok:\n"
      "    moderation: 1.5\n");
  Reader r(root, "");
  auto named = r.named("platforms", {"facebook", "tiktok", "whatsapp"}, true, "d");
  ASSERT_EQ(named.size(), 2u);
  EXPECT_EQ(named[0].first, "facebook");
  EXPECT_EQ(named[1].second.path(), "platforms.tiktok");
  EXPECT_DOUBLE_EQ(named[0].second.number("moderation", Range::probability(), "d"), 0.1);
  const auto e = error_of([&] { named[1].second.number("moderation", Range::probability(), "d"); });
  expect_at(e, 4, 17, "platforms.tiktok.moderation");

  const Node bad = yaml("platforms:\n  facebook: {}\n  tiktokk: {}\n");
  Reader rb(bad, "");
  const auto u = error_of([&] { rb.named("platforms", {"facebook", "tiktok"}, true, "d"); });
  expect_at(u, 3, 3, "platforms.tiktokk");
  EXPECT_EQ(u.detail(), "unknown name 'tiktokk'; did you mean 'tiktok'? valid names: facebook, tiktok");
}

TEST(ReaderTest, NamedNumbers) {
  const Node root = yaml(
      "share:\n"
      "  Asuncion: 0.07\n"
      "  Central: {value: 0.3, source: census 2022}\n"
      "mix: {value: {a: 1, b: 2}, assumed: equal effort}\n"
      "bad: {Asuncion: 0.1, Centrl: 0.2}\n"
      "neg: {Asuncion: -1}\n");
  Reader r(root, "");
  const std::vector<std::string> depts = {"Asuncion", "Central"};
  const auto m = r.named_numbers("share", depts, Range::unit(), true, "d");
  EXPECT_EQ(m, (std::map<std::string, double>{{"Asuncion", 0.07}, {"Central", 0.3}}));
  EXPECT_EQ(r.provenance("share.Central").kind, Provenance::Kind::Source);
  EXPECT_EQ(r.provenance("share.Central").text, "census 2022");
  EXPECT_EQ(r.provenance("share.Asuncion").kind, Provenance::Kind::None);

  const auto mix = r.named_numbers("mix", {}, Range::non_negative(), true, "d");
  EXPECT_EQ(mix.at("b"), 2.0);
  EXPECT_EQ(r.provenance("mix").kind, Provenance::Kind::Assumed);
  EXPECT_EQ(r.provenance("mix.a").text, "equal effort");

  auto e = error_of([&] { r.named_numbers("bad", depts, Range::unit(), true, "d"); });
  expect_at(e, 5, 22, "bad.Centrl");
  EXPECT_EQ(e.detail(), "unknown name 'Centrl'; did you mean 'Central'? valid names: Asuncion, Central");
  e = error_of([&] { r.named_numbers("neg", depts, Range::unit(), true, "d"); });
  expect_at(e, 6, 17, "neg.Asuncion");
  EXPECT_EQ(e.detail(), "-1 is out of range: expected a value in [0, 1]");
  e = error_of([&] { r.named_numbers("absent", depts, Range::unit(), true, "d"); });
  expect_at(e, 1, 1, "absent");
}

// --- provenance ---------------------------------------------------------------------------------

TEST(ReaderTest, ProvenanceForms) {
  const Node root = yaml(
      "a: {value: 0.3, source: \"EPH 2022, table 4\"}\n"
      "b: {value: 0.2, assumed: no data}\n"
      "c: {value: 0.1, assumed: true}\n"
      "d: {value: 0.05, calibrated: abc run 7}\n"
      "e: 0.4\n"
      "f: {value: 12, source: census}\n"
      "g: {value: [1, 2], source: survey}\n");
  Reader r(root, "");
  EXPECT_DOUBLE_EQ(r.number("a", Range::unit(), "d"), 0.3);
  EXPECT_DOUBLE_EQ(r.number("b", Range::unit(), "d"), 0.2);
  EXPECT_DOUBLE_EQ(r.number("c", Range::unit(), "d"), 0.1);
  EXPECT_DOUBLE_EQ(r.number("d", 0.9, Range::unit(), "d"), 0.05);
  EXPECT_DOUBLE_EQ(r.number("e", Range::unit(), "d"), 0.4);
  EXPECT_EQ(r.integer("f", Range{}, "d"), 12);
  EXPECT_EQ(r.numbers("g", Range{}, 2, "d"), (std::vector<double>{1, 2}));
  EXPECT_EQ(r.provenance("a").kind, Provenance::Kind::Source);
  EXPECT_EQ(r.provenance("a").text, "EPH 2022, table 4");
  EXPECT_EQ(r.provenance("b").kind, Provenance::Kind::Assumed);
  EXPECT_EQ(r.provenance("b").text, "no data");
  EXPECT_EQ(r.provenance("c").kind, Provenance::Kind::Assumed);
  EXPECT_EQ(r.provenance("c").text, "");
  EXPECT_EQ(r.provenance("d").kind, Provenance::Kind::Calibrated);
  EXPECT_EQ(r.provenance("d").text, "abc run 7");
  EXPECT_EQ(r.provenance("e").kind, Provenance::Kind::None);
  EXPECT_EQ(r.provenance("f").kind, Provenance::Kind::Source);
  EXPECT_EQ(r.provenance("g").text, "survey");
  EXPECT_NO_THROW(r.finish());
}

TEST(ReaderTest, BadProvenanceMaps) {
  const Node root = yaml(
      "a: {value: 0.3, sorce: x}\n"               // 1
      "b: {value: 0.3, source: x, assumed: y}\n"  // 2
      "c: {value: 0.3}\n"                         // 3
      "d: {source: x}\n"                          // 4
      "e: {value: 0.3, source: }\n"               // 5
      "f: {value: 2, source: x}\n"                // 6
      "g:\n"                                      // 7
      "  value: 0.5\n"                            // 8
      "  assumed: false\n");                      // 9
  Reader r(root, "");
  auto e = error_of([&] { r.number("a", Range::unit(), "d"); });
  expect_at(e, 1, 17, "a.sorce");
  EXPECT_EQ(e.detail(), "unknown key 'sorce'; did you mean 'source'? valid keys: value, source, assumed, calibrated");
  e = error_of([&] { r.number("b", Range::unit(), "d"); });
  expect_at(e, 2, 28, "b.assumed");
  EXPECT_EQ(e.detail(), "'source' and 'assumed' both given; write exactly one of source, assumed or calibrated");
  e = error_of([&] { r.number("c", Range::unit(), "d"); });
  expect_at(e, 3, 4, "c");
  EXPECT_EQ(e.detail(), "a {value: ...} map needs one of 'source', 'assumed' or 'calibrated'");
  e = error_of([&] { r.number("d", Range::unit(), "d"); });
  expect_at(e, 4, 4, "d.value");
  EXPECT_EQ(e.detail(), "missing required key 'value' (expected a number beside its provenance)");
  e = error_of([&] { r.number("e", Range::unit(), "d"); });
  expect_at(e, 5, 17, "e.source");
  EXPECT_EQ(e.detail(), "expected a text saying where the value comes from, got nothing (an empty value)");
  e = error_of([&] { r.number("f", Range::unit(), "d"); });
  expect_at(e, 6, 12, "f");
  EXPECT_EQ(e.detail(), "2 is out of range: expected a value in [0, 1]");
  e = error_of([&] { r.number("g", Range::unit(), "d"); });
  expect_at(e, 9, 12, "g.assumed");
}

TEST(ReaderTest, StrictProvenanceRejectsBareNumbers) {
  const Node root = yaml(
      "population:\n"
      "  size: {value: 100, source: census}\n"
      "  rate: 0.3\n"
      "  shares: [0.5, 0.5]\n"
      "  by_dept: {a: {value: 1, assumed: x}, b: 2}\n"
      "  name: free text\n");
  Reader pop = Reader(root, "", true).section("population", "d");
  EXPECT_EQ(pop.integer("size", Range{}, "d"), 100);
  EXPECT_EQ(pop.string("name", "d"), "free text");                 // only numbers need provenance
  EXPECT_DOUBLE_EQ(pop.number("absent", 0.2, Range{}, "d"), 0.2);  // code defaults are not checked here
  auto e = error_of([&] { pop.number("rate", Range::unit(), "d"); });
  expect_at(e, 3, 9, "population.rate");
  EXPECT_EQ(e.detail(), "parameter has no provenance: write {value: X, source: ...} or {value: X, assumed: ...}");
  e = error_of([&] { pop.numbers("shares", Range::unit(), 2, "d"); });
  expect_at(e, 4, 11, "population.shares");
  e = error_of([&] { pop.named_numbers("by_dept", {}, Range{}, true, "d"); });
  expect_at(e, 5, 43, "population.by_dept.b");
}

// --- catalogue ----------------------------------------------------------------------------------

const KeyInfo* find_key(const std::vector<KeyInfo>& cat, const std::string& path) {
  auto it = std::find_if(cat.begin(), cat.end(), [&](const KeyInfo& k) { return k.path == path; });
  return it == cat.end() ? nullptr : &*it;
}

TEST(ReaderCatalogue, RecordsNormalisedPatternsOnce) {
  const Node root = yaml(
      "cat_interventions:\n"
      "  - {coverage: 0.1}\n"
      "  - {coverage: 0.2, cost: 3}\n"
      "cat_platforms:\n"
      "  tiktok: {moderation: 0.1}\n"
      "  facebook:\n"
      "    moderation: 0.2\n"
      "    ads:\n"
      "      - {rate: 1}\n"
      "cat_section: {x: 1}\n");
  Reader r(root, "");
  for (auto& iv : r.list("cat_interventions", true, "prevention measures")) {
    iv.number("coverage", Range::probability(), "share reached");
    iv.number("cost", 0, Range::non_negative(), "cost per person");
  }
  for (auto& [name, p] : r.named("cat_platforms", {}, true, "per platform")) {
    EXPECT_EQ(p.path(), "cat_platforms." + name);
    p.number("moderation", Range::probability(), "removal rate");
    for (auto& ad : p.list("ads", false, "ads")) ad.integer("rate", 1, Range{}, "ads per day");
  }
  auto sec = r.section("cat_section", "a section");
  sec.integer("x", Range{}, "x doc");
  Reader direct(root.find("cat_interventions")->seq[1], "cat_interventions[1]");
  direct.number("cost", 0, Range::non_negative(), "another doc");  // same pattern: first wins

  const auto cat = key_catalogue();
  EXPECT_TRUE(
      std::is_sorted(cat.begin(), cat.end(), [](const KeyInfo& a, const KeyInfo& b) { return a.path < b.path; }));
  EXPECT_EQ(
      std::count_if(cat.begin(), cat.end(), [](const KeyInfo& k) { return k.path == "cat_interventions[].coverage"; }),
      1);

  const KeyInfo* cov = find_key(cat, "cat_interventions[].coverage");
  ASSERT_NE(cov, nullptr);
  EXPECT_EQ(cov->type, "number");
  EXPECT_EQ(cov->range, "a probability in [0, 1]");
  EXPECT_EQ(cov->default_text, "");
  EXPECT_EQ(cov->doc, "share reached");
  const KeyInfo* cost = find_key(cat, "cat_interventions[].cost");
  ASSERT_NE(cost, nullptr);
  EXPECT_EQ(cost->default_text, "0");
  EXPECT_EQ(cost->doc, "cost per person");
  const KeyInfo* list = find_key(cat, "cat_interventions");
  ASSERT_NE(list, nullptr);
  EXPECT_EQ(list->type, "list");
  const KeyInfo* mod = find_key(cat, "cat_platforms.*.moderation");
  ASSERT_NE(mod, nullptr);
  EXPECT_EQ(mod->doc, "removal rate");
  const KeyInfo* rate = find_key(cat, "cat_platforms.*.ads[].rate");
  ASSERT_NE(rate, nullptr);
  EXPECT_EQ(rate->type, "integer");
  EXPECT_EQ(rate->default_text, "1");
  EXPECT_NE(find_key(cat, "cat_section.x"), nullptr);
  EXPECT_EQ(find_key(cat, "cat_platforms.tiktok.moderation"), nullptr);
  EXPECT_EQ(find_key(cat, "cat_interventions[1].cost"), nullptr);
}

}  // namespace
}  // namespace redes::io
