// sweep/runner: simulates runs of a plan. Runs of points that share a population and graph (same
// seed, same population/network/platform-use parameters) share one built world, so a sweep over
// recruitment or intervention parameters builds it once. Many small runs go in parallel (oneTBB);
// each run is also parallel inside, and oneTBB balances the two levels.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "sim/network/network.hpp"
#include "sim/population/population.hpp"
#include "sim/sweep/journal.hpp"
#include "sim/sweep/spec.hpp"

namespace redes::sweep {

struct World {
  Population pop;
  Network net;
};

/// Worlds by what determines them; built once, freed when no run holds them.
class WorldCache {
 public:
  std::shared_ptr<const World> get(const Scenario& sc, std::uint32_t seed);

 private:
  std::mutex mutex_;
  std::map<std::string, std::weak_ptr<const World>> worlds_;
};

/// Everything that shapes the population and graph, as text (the WorldCache key).
std::string world_key(const Scenario& sc, std::uint32_t seed);

/// Simulates one run (point, replicate) of the plan and returns its metrics.
RunRecord simulate_run(const Plan& plan, std::int64_t run, WorldCache& worlds);

/// Simulates `runs` in parallel, handing each record to `done` as it finishes (any order; called
/// from worker threads, serialise inside). `cancelled` (optional, thread-safe) is polled before
/// each run; once it says true the runs not yet started are skipped. Returns the number skipped.
std::size_t simulate_runs(const Plan& plan, const std::vector<std::int64_t>& runs, WorldCache& worlds,
                          const std::function<void(RunRecord&&)>& done, const std::function<bool()>& cancelled = {});

}  // namespace redes::sweep
