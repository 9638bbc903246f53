// study: one run or one comparison of a scenario, from a typed request to a typed result. The CLI
// (run, compare) and the workshop server (serve) both call these, so there is one implementation
// of building the world, simulating replicates and arms, and the paired statistics. Writing files
// and printing stay with the callers (through on_replicate and the result).
#pragma once
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/engine/compare.hpp"
#include "sim/engine/results.hpp"
#include "sim/engine/summary.hpp"
#include "sim/network/network.hpp"
#include "sim/observation/observation.hpp"
#include "sim/population/population.hpp"
#include "sim/scenario/scenario.hpp"

namespace redes {

/// Thrown out of run_study/compare_study when Callbacks::cancelled says so.
class StudyCancelled : public std::runtime_error {
 public:
  StudyCancelled() : std::runtime_error("cancelled") {}
};

struct Callbacks {
  /// Called once the population and graph are built (in build_seconds), before simulating
  /// total_days days in all; may return a counter the engine increments per simulated day
  /// (progress), or nullptr.
  std::function<std::atomic<std::int64_t>*(std::int64_t total_days, double build_seconds)> start;
  /// Polled before each replicate; true stops the study with StudyCancelled.
  std::function<bool()> cancelled;
  /// Set from any thread to stop sooner: running replicates end at their next simulated day
  /// (a day takes milliseconds, a replicate can take minutes) and the study throws StudyCancelled.
  const std::atomic<bool>* stop = nullptr;
  /// Each finished replicate of each arm (arm 0 is the baseline; a run has only arm 0), in task
  /// order on one thread whatever the thread count: writers go here.
  std::function<void(std::size_t arm, int replicate, const ReplicateResult&, const Summary&, const Observed&)>
      on_replicate;
};

struct RunRequest {
  Scenario scenario;
  std::uint32_t seed = 1;
  int replicates = 1;
  int threads = 1;                        // replicates simulated at once
  std::filesystem::path population_file;  // load the world from here (redes population -o) instead of building it
};

struct RunResult {
  std::vector<std::string> intervention_names;
  std::vector<Summary> summaries;                        // per replicate
  std::vector<double> victims, recorded, hidden, costs;  // per replicate
  std::vector<double> cases;  // per replicate: cases (proceedings) opened by all institutions
  // Per replicate, among true victims of the window and among distinct recorded victims (NaN if none).
  std::vector<double> minor_share_true, minor_share_recorded, female_share_true, female_share_recorded;
  std::vector<double> origin_victims;  // [department] true victims by department of origin, all replicates
  std::vector<double> record_cases;    // [department] cases opened by department of record, all replicates
  std::uint64_t ties_visited = 0;
  double build_seconds = 0, sim_seconds = 0, wall_seconds = 0;  // wall: simulation phase
};

struct CompareRequest {
  Scenario baseline;
  std::vector<Scenario> arms;
  std::vector<std::string> arm_names;  // "baseline" first, then one per arm
  std::uint32_t seed = 1;
  int replicates = 1;
  int threads = 1;
  std::filesystem::path population_file;  // as in RunRequest; checked against the baseline
};

struct CompareResult {
  std::vector<std::vector<std::string>> intervention_names;  // per arm, baseline first
  std::vector<ArmOutcome> outcomes;                          // per arm, baseline first
  std::vector<ComparisonRow> rows;                           // per intervention arm
  double build_seconds = 0, wall_seconds = 0;
};

/// The synthetic population and its graph, built once and shared by every replicate and arm.
struct World {
  Population pop;
  Network net;
  double build_seconds = 0;
};
World build_world(const Scenario& sc, std::uint32_t seed);
/// build_world, or load_world (sim/study/world_file.hpp) when `population_file` is not empty.
World build_or_load_world(const Scenario& sc, std::uint32_t seed, const std::filesystem::path& population_file);

std::vector<std::string> intervention_names(const Scenario& sc);

RunResult run_study(const RunRequest& request, const Callbacks& callbacks = {});
CompareResult compare_study(const CompareRequest& request, const Callbacks& callbacks = {});

}  // namespace redes
