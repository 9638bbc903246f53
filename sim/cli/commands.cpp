// cli: the commands that run or describe one scenario (validate, population, run, compare,
// inspect, list) and report/export. Each checks its inputs and guards its output before any
// work, calls the study layer (sim/study) and prints the summary built in sim/present.
#include "sim/cli/commands.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <optional>

#include "sim/engine/memory_estimate.hpp"
#include "sim/i18n/messages.hpp"
#include "sim/interventions/intervention.hpp"
#include "sim/output/output.hpp"
#include "sim/output/safe_output.hpp"
#include "sim/present/analysis.hpp"
#include "sim/present/console.hpp"
#include "sim/present/decision_summary.hpp"
#include "sim/present/file_summary.hpp"
#include "sim/present/format.hpp"
#include "sim/present/lists.hpp"
#include "sim/present/run_summary.hpp"
#include "sim/scenario/reader.hpp"
#include "sim/study/compare_file.hpp"
#include "sim/study/decision_files.hpp"
#include "sim/study/run_file.hpp"
#include "sim/study/world_file.hpp"

namespace redes {
namespace {

namespace fs = std::filesystem;

fs::path default_output(const Options& opt, const std::string& stem) {
  if (!opt.output.empty()) return opt.output;
  return fs::path("out") / (stem + ".h5");
}

/// The scenario files (with includes) a run or comparison reads, and its population file: the output may not be one of
/// them.
std::vector<fs::path> inputs_of(const io::Node& base_tree, const Options& opt) {
  std::vector<fs::path> inputs = io::source_files(base_tree, opt.file);
  if (!opt.population.empty()) inputs.push_back(opt.population);
  for (const auto& file : opt.interventions) {
    auto more = io::source_files(io::load_scenario_tree(file), file);
    inputs.insert(inputs.end(), more.begin(), more.end());
  }
  return inputs;
}

}  // namespace

int cmd_validate(const Options& opt) {
  const Scenario sc = load_scenario(opt.file, opt.strict);  // its interventions are parsed with it
  if (!opt.interventions.empty()) {  // intervention files, each checked as an arm on this scenario
    const io::Node base_tree = io::load_scenario_tree(opt.file);
    for (const auto& file : opt.interventions) {
      const Arm arm = arm_from_files(base_tree, opt.file, file);
      if (opt.strict) build_interventions(arm.scenario, true);  // the arm's effects and costs need provenance too
      const std::size_t count = arm.scenario.interventions.size() - sc.interventions.size();
      print_tr("validate.arm", fmt::arg("file", file), fmt::arg("name", arm.name), fmt::arg("count", count),
               fmt::arg("strict", opt.strict ? tr("validate.arm_strict") : ""));
    }
  }
  print_tr("validate.scenario", fmt::arg("file", opt.file), fmt::arg("name", sc.name),
           fmt::arg("persons", with_commas(double(sc.population.size))), fmt::arg("departments", sc.department_count()),
           fmt::arg("days", sc.days), fmt::arg("start", sc.start_date),
           fmt::arg("interventions", sc.interventions.size()), fmt::arg("shocks", sc.shocks.size()),
           fmt::arg("strict", opt.strict ? tr("validate.scenario_strict") : ""));
  const MemoryEstimate mem = estimate_memory(sc, opt.threads);
  print_tr("validate.memory", fmt::arg("threads", opt.threads), fmt::arg("total", format_bytes(mem.total())),
           fmt::arg("population", format_bytes(mem.population)), fmt::arg("graph", format_bytes(mem.network)),
           fmt::arg("replicates", format_bytes(mem.replicates)), fmt::arg("available", format_bytes(memory_limit(""))));
  return 0;
}

int cmd_population(const Options& opt) {
  const io::Node tree = io::load_scenario_tree(opt.file);
  Scenario sc = scenario_from_tree(tree, opt.file);
  std::optional<io::OutputLock> lock;
  if (!opt.output.empty()) io::refuse_clobber(opt.output, io::source_files(tree, opt.file)), lock.emplace(opt.output);
  check_memory(sc, 1, opt.max_memory, opt.file);
  const std::uint32_t seed = opt.seed.value_or(sc.seed);
  const World w = build_world(sc, seed);
  std::fputs(describe_population(sc, seed, w).c_str(), stdout);
  if (!opt.output.empty()) {
    write_world_file(opt.output, sc, seed, w, opt.threads);
    std::printf("wrote %s\n", opt.output.c_str());
  }
  return 0;
}

int cmd_run(const Options& opt) {
  const io::Node tree = io::load_scenario_tree(opt.file);
  RunRequest req{scenario_from_tree(tree, opt.file), 0, opt.replicates, opt.threads, opt.population};
  const Scenario& sc = req.scenario;
  req.seed = opt.seed.value_or(sc.seed);
  if (!opt.population.empty()) check_world_file(opt.population, sc, req.seed);  // before any lock or work
  const fs::path out = default_output(opt, fs::path(opt.file).stem().string());
  io::refuse_clobber(out, inputs_of(tree, opt));
  if (out.has_parent_path()) fs::create_directories(out.parent_path());
  io::OutputLock lock(out);
  check_memory(sc, std::min(opt.threads, opt.replicates), opt.max_memory, opt.file);
  const std::string started = now_iso();
  std::fprintf(stderr, "%s population and graph of '%s' (%s persons)...\n",
               opt.population.empty() ? "building" : "loading", sc.name.c_str(),
               with_commas(double(sc.population.size)).c_str());
  std::optional<Progress> progress;
  Callbacks cb;
  cb.start = [&](std::int64_t total, double build_seconds) {
    std::fprintf(stderr, "%s in %.1f s; simulating %d replicate(s) of %d days\n",
                 opt.population.empty() ? "built" : "loaded", build_seconds, opt.replicates, sc.days);
    return &progress.emplace("simulating", total).done;
  };
  const RunResult result = run_to_file(req, out, cb, started);
  progress.reset();
  std::fputs(describe_run(req, result, out).c_str(), stdout);
  return 0;
}

int cmd_compare_draws(const Options& opt) {
  if (!opt.population.empty())
    throw std::invalid_argument(
        "compare --draws does not take --population yet (each draw may change the scenario); leave it out");
  decision::DrawsOptions d;
  d.baseline = opt.file;
  d.interventions = opt.interventions;
  d.posterior = opt.posterior;
  d.draws = std::max(1, opt.draws);
  d.replicates = opt.replicates;
  d.threads = opt.threads;
  d.seed_given = opt.seed.has_value();
  d.seed = opt.seed.value_or(0);
  d.wtp = opt.wtp;
  const fs::path out = default_output(opt, "compare");
  const auto res = draws_to_file(d, out);
  if (res.worker) return 0;  // another MPI rank: rank 0 reports
  std::printf("%s%s", describe_draws(d, res).c_str(), trf("wrote", fmt::arg("out", out.string())).c_str());
  return 0;
}

int cmd_compare(const Options& opt) {
  if (opt.draws > 0 || !opt.posterior.empty()) return cmd_compare_draws(opt);
  io::Node base_tree = io::load_scenario_tree(opt.file);
  Scenario base = scenario_from_tree(base_tree, opt.file);
  auto [arms, arm_names] = load_arms(base_tree, opt.file, opt.interventions);  // checked before any work
  const std::uint32_t seed = opt.seed.value_or(base.seed);
  if (!opt.population.empty()) check_world_file(opt.population, base, seed);  // before any lock or work
  const fs::path out = default_output(opt, "compare");
  io::refuse_clobber(out, inputs_of(base_tree, opt));
  if (out.has_parent_path()) fs::create_directories(out.parent_path());
  io::OutputLock lock(out);
  check_memory(base, std::min(opt.threads, opt.replicates * int(opt.interventions.size() + 1)), opt.max_memory,
               opt.file);
  const std::string started = now_iso();
  std::fprintf(stderr, "%s population and graph of '%s' (%s persons)...\n",
               opt.population.empty() ? "building" : "loading", base.name.c_str(),
               with_commas(double(base.population.size)).c_str());
  CompareRequest req{std::move(base), std::move(arms), arm_names, seed, opt.replicates, opt.threads, opt.population};
  std::optional<Progress> progress;
  Callbacks cb;
  cb.start = [&](std::int64_t total, double) { return &progress.emplace("simulating arms", total).done; };
  const CompareResult result = compare_to_file(req, out, cb, started);
  progress.reset();
  std::fputs(describe_compare(req, result, out).c_str(), stdout);
  return 0;
}

int cmd_inspect(const Options& opt) {
  std::fputs(describe_file(opt.file).c_str(), stdout);
  return 0;
}

int cmd_report(const Options& opt) { exec_report(opt.file, opt.output, opt.decision); }

int cmd_export(const Options& opt) { exec_export(opt.file, opt.format, opt.output); }

int cmd_list(const Options& opt) {
  if (opt.what == "keys") {  // keys are declared by the code that reads them: load the files to collect them
    if (opt.files.empty())
      throw std::invalid_argument(
          "list keys needs scenario files, e.g. redes list keys scenarios/paraguay/baseline.yaml");
    for (const auto& f : opt.files) load_scenario(f);  // the interventions' keys too: they are parsed at load
  }
  std::fputs(describe_list(opt.what, opt.markdown).c_str(), stdout);
  return 0;
}

}  // namespace redes
