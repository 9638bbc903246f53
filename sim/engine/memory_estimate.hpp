// engine/memory_estimate: peak memory of a command, estimated from the scenario before anything
// is allocated, so an impossible run is refused with the estimate and the limit instead of ending
// in a bare std::bad_alloc after minutes of building.
#pragma once
#include <cstdint>
#include <string>

#include "sim/scenario/scenario.hpp"

namespace redes {

struct MemoryEstimate {
  double population = 0, network = 0, replicates = 0, fixed = 0;
  double total() const { return population + network + replicates + fixed; }
};

/// `concurrent`: replicates simulated at once (threads, or arms x threads in compare).
MemoryEstimate estimate_memory(const Scenario& sc, int concurrent);

/// Bytes of "--max-memory" ("8G", "512M", "2e9", "0" = no limit) or, when empty, the memory the
/// machine has available now (MemAvailable). Throws std::invalid_argument on a malformed size.
double memory_limit(const std::string& flag);

/// Throws ResourceError-like std::runtime_error naming the estimate, its parts and the limit
/// when the estimate exceeds the limit.
void check_memory(const Scenario& sc, int concurrent, const std::string& flag, const std::string& file);

std::string format_bytes(double bytes);

}  // namespace redes
