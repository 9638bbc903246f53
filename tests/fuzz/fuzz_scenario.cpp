// Fuzz target: YAML text through the tree (yaml-cpp, positions, aliases) and the scenario reader.
// Any input must end in a Scenario or a ScenarioError/IoError, never a crash or a leak.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sim/core/errors.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/yaml_tree.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const redes::io::Node tree = redes::io::parse_yaml(text, "fuzz.yaml");
    (void)redes::io::to_yaml(tree);
    (void)redes::scenario_from_tree(tree, "fuzz.yaml");
  } catch (const redes::ScenarioError&) {
  } catch (const redes::IoError&) {
  } catch (const std::invalid_argument&) {  // rejections the scenario reader raises outside a key
  }
  return 0;
}
