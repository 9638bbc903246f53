// engine: the daily loop. One step is one day, in phases (MODEL.md section 3): calendar
// (interventions, shocks), recruiters act and exposure and response (each recruitment route of
// sim/recruitment/registry.cpp), conflict resolution, pipelines advance, enforcement. Work happens only where something
// happens: ads reach users by geometric skips, hunters browse a few profiles, and only persons in a pipeline are
// visited daily. Parallel phases write to per-item slots that are merged in index order, and every random draw is keyed
// by (seed, replicate, entity, day, stream): results are identical for any thread count.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>

#include "sim/engine/results.hpp"
#include "sim/network/network.hpp"
#include "sim/population/population.hpp"
#include "sim/recruitment/route.hpp"
#include "sim/scenario/scenario.hpp"

namespace redes {

/// Thrown out of Simulation::run when its `stop` flag is set (checked once a day).
class SimulationStopped : public std::runtime_error {
 public:
  SimulationStopped() : std::runtime_error("simulation stopped") {}
};

class Simulation {
 public:
  Simulation(const Scenario& scenario, const Population& pop, const Network& net)
      : sc_(scenario), pop_(pop), net_(net), routes_(recruitment_routes()) {}
  /// Runs these routes instead of the built-in list (a test registers an extra route this way).
  void set_routes(std::vector<RouteType> routes) { routes_ = std::move(routes); }
  /// Runs one replicate. `days_done` (optional) is incremented once per simulated day; when
  /// `stop` (optional) becomes true, the replicate ends at the next day with SimulationStopped.
  ReplicateResult run(std::uint32_t seed, int replicate, std::atomic<std::int64_t>* days_done = nullptr,
                      const std::atomic<bool>* stop = nullptr) const;

  /// A replicate's state at day 0, after its warm-up (opaque).
  class Warm;
  /// Simulates one replicate's warm-up only (the days before day 0).
  std::shared_ptr<const Warm> warm_up(std::uint32_t seed, int replicate, const std::atomic<bool>* stop = nullptr) const;
  /// Continues `warm` through the window under this simulation's scenario, which must differ from
  /// the warmed one only in its interventions (none acts before day 0): the result is bit for bit
  /// that of run() with the same seed and replicate. Compare arms share one warm-up this way.
  ReplicateResult run_from(const Warm& warm, std::atomic<std::int64_t>* days_done = nullptr,
                           const std::atomic<bool>* stop = nullptr) const;

 private:
  const Scenario& sc_;
  const Population& pop_;
  const Network& net_;
  std::vector<RouteType> routes_;
};

}  // namespace redes
