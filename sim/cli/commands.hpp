// cli/commands: one function per subcommand.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace redes {

struct Options {
  std::string file, output, what, shard, write_scenario;
  std::string max_memory;  // "" = the memory available now; "0" = no limit
  std::vector<std::string> interventions, files, leave_out;
  std::string host = "127.0.0.1", lang = "es";  // serve
  int port = 8080;
  std::optional<std::uint32_t> seed;
  int threads = 0, replicates = 1;
  bool strict = false, markdown = false;
  std::string population;      // run, compare: load the population and graph from this file (redes population -o)
  std::string posterior;       // compare --draws: calibration file to draw parameters from
  int draws = 0;               // compare: draws of the uncertain inputs (0 = today's comparison)
  double wtp = 50000;          // compare --draws: willingness to pay per victim averted (USD)
  double budget = -1;          // optimize: USD
  std::string options_file;    // optimize: interventions and coverage levels to consider
  bool decision = false;       // report: the decision page of a `compare --draws` file (analysis.decision)
  std::string format = "csv";  // export: csv or parquet
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
int cmd_optimize(const Options&);   // sim/cli/optimize_command.cpp
int cmd_serve(const Options&);      // sim/serve/server.cpp
int cmd_report(const Options&);     // report, export: the Python analysis (sim/present/analysis)
int cmd_export(const Options&);

}  // namespace redes
