// scenarios/README.md documents every key the code reads, and nothing else (docs cannot drift).
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "sim/interventions/intervention.hpp"
#include "sim/scenario/reader.hpp"
#include "sim/scenario/scenario.hpp"

namespace redes {
namespace {

TEST(KeyDocs, ReadmeTableMatchesTheKeyCatalogue) {
  const std::string root = REDES_SOURCE_DIR;
  // The catalogue is per process: without the reset, keys of other tests' YAML (run earlier in the
  // same process, e.g. under --gtest_shuffle) would count as undocumented.
  io::reset_key_catalogue();
  Scenario sc = load_scenario(root + "/tests/data/all_keys.yaml");
  build_interventions(sc);  // intervention keys are declared when the objects are built
  std::set<std::string> code;
  for (const auto& k : io::key_catalogue()) code.insert(k.path);

  std::ifstream in(root + "/scenarios/README.md");
  ASSERT_TRUE(in) << "scenarios/README.md missing";
  std::set<std::string> documented;
  std::string line;
  const std::regex row(R"(^\| `([^`]+)` \|)");
  std::smatch m;
  bool in_key_table = false;  // other tables (files, intervention types) also use backticks
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) in_key_table = line == "## Every key";
    if (in_key_table && std::regex_search(line, m, row)) documented.insert(m[1]);
  }

  for (const auto& key : code) EXPECT_TRUE(documented.count(key)) << "undocumented key: " << key << " (run make docs)";
  for (const auto& key : documented) EXPECT_TRUE(code.count(key)) << "documented key the code does not read: " << key;
  EXPECT_GT(code.size(), 150u);  // the catalogue really was filled
}

}  // namespace
}  // namespace redes
