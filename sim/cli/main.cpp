// cli: the redes command. Parses arguments (CLI11), loads and validates the scenario before any
// work, runs, and writes HDF5 through output/. Errors go to stderr with the file, line, column and key.
#include <tbb/global_control.h>
#include <tbb/info.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <thread>
#include <utility>
#include <vector>

#include "sim/cli/commands.hpp"
#include "sim/core/errors.hpp"
#include "sim/core/version.hpp"
#include "sim/i18n/messages.hpp"
#include "sim/output/safe_output.hpp"

using namespace redes;

// The commands run inside the try below; what is outside declares options, which throws only on a
// programming error that every test run would show.
// NOLINTNEXTLINE(bugprone-exception-escape)
int main(int argc, char** argv) {
  CLI::App app{
      "redes: Recruitment Dynamics on Social networks.\n"
      "An agent-based model of recruitment into trafficking and sexual exploitation through social media,\n"
      "for comparing prevention. Synthetic populations only; every victim count is a model estimate."};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(redes::version()) + " (" + redes::git_commit() + ")");
  Options opt;
  // Words of the printed summaries; accepted before or after the subcommand (fallthrough).
  std::string ui_lang = language_from_environment();
  app.add_option("--lang", ui_lang,
                 "language of the printed summaries: es or en (default: es when LC_ALL, LC_MESSAGES or LANG "
                 "starts with es, else en)")
      ->check(CLI::IsMember({"es", "en"}));
  app.fallthrough();
  // Each subcommand with the function that runs it (sim/cli/commands.hpp).
  std::vector<std::pair<CLI::App*, int (*)(const Options&)>> commands;
  auto command = [&](int (*handler)(const Options&), const char* name, const std::string& about) {
    commands.emplace_back(app.add_subcommand(name, about), handler);
    return commands.back().first;
  };
  auto population_file = [&](CLI::App* c) {
    c->add_option("--population", opt.population,
                  "load population and graph from this file (redes population -o) instead of building them")
        ->check(CLI::ExistingFile);
  };
  auto common = [&](CLI::App* c, bool replicates) {
    c->add_option("--seed", opt.seed, "random seed (default: the scenario's seed)");
    c->add_option("--threads", opt.threads, "worker threads (default: all cores)")->check(CLI::PositiveNumber);
    if (replicates)
      c->add_option("--replicates", opt.replicates, "independent replicates")->check(CLI::Range(1, 100000));
    c->add_option("--max-memory", opt.max_memory,
                  "refuse when the estimated peak memory exceeds this (8G, 512M; 0: no "
                  "limit; default: the memory available now)");
  };

  auto* validate = command(cmd_validate, "validate", "check a scenario file without running it");
  validate->add_option("file", opt.file, "scenario YAML")->required();
  validate->add_option("interventions", opt.interventions, "intervention YAML files to check on the scenario");
  validate->add_flag("--strict", opt.strict, "require source:/assumed:/calibrated: on every numeric parameter");
  validate->add_option("--threads", opt.threads, "threads the estimate of peak memory assumes (default: all cores)")
      ->check(CLI::PositiveNumber);

  auto* population =
      command(cmd_population, "population", "build the synthetic population and social graph and describe them");
  population->add_option("file", opt.file, "scenario YAML")->required();
  population->add_option("-o,--output", opt.output, "write population and graph to this HDF5 file");
  common(population, false);

  auto* run = command(cmd_run, "run", "simulate a scenario and write trajectories, events and a summary to HDF5");
  run->add_option("file", opt.file, "scenario YAML")->required();
  run->add_option("-o,--output", opt.output, "HDF5 output (default: out/<scenario>.h5)");
  population_file(run);
  common(run, true);

  auto* compare = command(cmd_compare, "compare", "baseline vs interventions on common random numbers");
  compare->add_option("baseline", opt.file, "baseline scenario YAML")->required();
  compare->add_option("interventions", opt.interventions, "intervention YAML files")->required();
  compare->add_option("-o,--output", opt.output, "HDF5 output (default: out/compare.h5)");
  population_file(compare);
  compare->add_option("--draws", opt.draws, "draws of uncertain inputs (effects, costs, posterior); writes /decision")
      ->check(CLI::Range(1, 100000));
  compare
      ->add_option("--posterior", opt.posterior, "calibration file: each draw resamples a posterior particle by weight")
      ->check(CLI::ExistingFile);
  compare->add_option("--wtp", opt.wtp, "willingness to pay per victim averted (USD) for the decision")
      ->check(CLI::PositiveNumber);
  common(compare, true);

  auto* optimize = command(cmd_optimize, "optimize",
                           "which coverages of which interventions avert the most victims within a budget,\n"
                           "over draws of uncertain effects and costs (common random numbers)");
  optimize->add_option("baseline", opt.file, "baseline scenario YAML")->required();
  optimize->add_option("--budget", opt.budget, "budget in USD (mean cost over draws must fit)")
      ->required()
      ->check(CLI::NonNegativeNumber);
  optimize->add_option("--options", opt.options_file, "options YAML: intervention files and coverage levels")
      ->required();
  optimize->add_option("-o,--output", opt.output, "HDF5 output (default: out/optimize.h5)");
  optimize->add_option("--draws", opt.draws, "draws of uncertain inputs (effects, costs)")
      ->check(CLI::Range(1, 100000));
  common(optimize, true);

  auto* sweep = command(cmd_sweep, "sweep",
                        "run a sweep file's design (grid, latin hypercube or saltelli) with Sobol sensitivity;\n"
                        "re-running resumes; works under mpirun and as a job array with --shard");
  sweep->add_option("file", opt.file, "sweep YAML")->required();
  sweep->add_option("-o,--output", opt.output, "HDF5 output (default: out/<sweep name>.h5)");
  sweep->add_option("--shard", opt.shard,
                    "K/N: run only every N-th run starting at K (1-based) into <output>.shard-K-of-N.h5");
  common(sweep, false);

  auto* merge = command(cmd_merge, "merge", "merge sweep shards (or partial sweep files) into one sweep file");
  merge->add_option("parts", opt.files, "sweep part files")->required();
  merge->add_option("-o,--output", opt.output, "merged HDF5 file")->required();
  merge->add_option("--sweep", opt.file, "sweep YAML (default: the one recorded in the parts)");

  auto* calibrate = command(cmd_calibrate, "calibrate",
                            "fit scenario parameters to recorded cases and victims: history matching with\n"
                            "Gaussian-process emulators (optional), then approximate Bayesian computation\n"
                            "(rejection, then sequential Monte Carlo with adaptive tolerances)");
  calibrate->add_option("file", opt.file, "calibration YAML")->required();
  calibrate->add_option("-o,--output", opt.output, "HDF5 output (default: out/<calibration name>.h5)");
  calibrate->add_option("--write-scenario", opt.write_scenario,
                        "also write a scenario with the posterior medians, marked calibrated:");
  calibrate
      ->add_option("--leave-out", opt.leave_out,
                   "target group (or name) to leave out of the fit and predict; repeat for several")
      ->delimiter(',');
  common(calibrate, false);

  auto* inspect = command(cmd_inspect, "inspect", "print the headline numbers of a run or compare file");
  inspect->add_option("file", opt.file, "HDF5 file written by redes")->required();

  auto* report = command(cmd_report, "report",
                         "one HTML report from a redes file or a folder of them (analysis/, run with a\n"
                         "Python that has h5py: REDES_PYTHON, else /usr/bin/python3, else python3 on PATH)");
  report->add_option("path", opt.file, "a redes .h5 file, or a folder of them")->required();
  report->add_option("-o,--output", opt.output,
                     "HTML file to write (default: report.html; out/decision.html with --decision)");
  report->add_flag("--decision", opt.decision, "the decision page of a `compare --draws` file (analysis.decision)");

  auto* export_ = command(cmd_export, "export",
                          "every summary dataset of a redes file as a tidy table, its axis labels as columns\n"
                          "(run with the same Python as report)");
  export_->add_option("file", opt.file, "HDF5 file written by redes")->required();
  export_->add_option("--format", opt.format, "csv (parquet needs pyarrow, which Debian 12 does not package)")
      ->check(CLI::IsMember({"csv", "parquet"}));
  export_->add_option("-o,--output", opt.output, "folder for the tables (default: <file stem>-csv next to the file)");

  auto* list = command(cmd_list, "list",
                       "list intervention types, recruitment routes, scenario keys or the datasets of a run file");
  list->add_option("what", opt.what, "interventions | routes | keys | outputs")
      ->required()
      ->check(CLI::IsMember({"interventions", "routes", "keys", "outputs"}));
  list->add_option("files", opt.files, "scenario files whose keys to list (keys)");
  list->add_flag("--markdown", opt.markdown, "print keys as a Markdown table (scenarios/README.md)");

  auto* serve = command(cmd_serve, "serve",
                        "the workshop app in a browser (Spanish and English): runs and paired comparisons\n"
                        "of the workshop pack; listens on this machine only unless --host says otherwise");
  serve->add_option("folder", opt.file, "workshop scenario folder (default: scenarios/workshop)");
  serve->add_option("--port", opt.port, "TCP port (0: any free port, printed)")->check(CLI::Range(0, 65535));
  serve->add_option("--host", opt.host, "address to listen on; 0.0.0.0 lets a room on the same network join");
  serve->add_option("--lang", opt.lang, "language of the app by default")->check(CLI::IsMember({"es", "en"}));
  serve->add_option("--threads", opt.threads, "worker threads (default: all cores)")->check(CLI::PositiveNumber);

  CLI11_PARSE(app, argc, argv);
  set_language(ui_lang);
  io::install_signal_cleanup();
  std::unique_ptr<tbb::global_control> limit;
  if (opt.threads > 0)
    limit = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism, opt.threads);
  else
    opt.threads = tbb::info::default_concurrency();
  try {
    for (const auto& [subcommand, handler] : commands)
      if (*subcommand) return handler(opt);
  } catch (const ScenarioError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  } catch (const IoError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    // After a failed write (a full disk) HDF5 keeps the file open with unwritable dirty blocks
    // and crashes flushing them in its atexit shutdown; the temporary file is already removed,
    // so leave without running HDF5's shutdown.
    std::fflush(nullptr);
    std::_Exit(3);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
