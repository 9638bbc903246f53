// cli/commands: one function per subcommand.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace redes {

struct Options {
  std::string file, output, what, shard, write_scenario;
  std::vector<std::string> interventions, files;
  std::optional<std::uint32_t> seed;
  int threads = 0, replicates = 1;
  bool strict = false, markdown = false;
};

int cmd_validate(const Options&);
int cmd_population(const Options&);
int cmd_run(const Options&);
int cmd_compare(const Options&);
int cmd_inspect(const Options&);
int cmd_list(const Options&);
int cmd_sweep(const Options&);  // sim/cli/sweep_commands.cpp
int cmd_merge(const Options&);
int cmd_calibrate(const Options&);  // sim/cli/calibrate_command.cpp

}  // namespace redes
