#include "sim/engine/memory_estimate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace redes {

// Per-person and per-tie costs, measured with `redes population` on the 1:10 Paraguay sample
// (2026-12-01: population 60 MiB for 610,990 persons; graph 172 MiB for 26.2 M tie ends, CSR
// columns and offsets; peak RSS 292 MiB with the build's pair lists) and rounded up, so the
// estimate errs high; tests/cli/memory_estimate_test.cpp holds it between 1x and 2.5x a run's peak.
namespace {
constexpr double kPopulationBytesPerPerson = 112;   // attributes, households, platform user lists
constexpr double kBytesPerTieEnd = 8;               // CSR column and offsets, plus the pair lists while building
constexpr double kReplicateBytesPerPerson = 48;     // per-person state of one running replicate
constexpr double kFixedBytes = 96.0 * 1024 * 1024;  // program, libraries, HDF5 buffers
}  // namespace

MemoryEstimate estimate_memory(const Scenario& sc, int concurrent) {
  const double n = double(sc.population.size);
  double degree = sc.population.mean_household_size + sc.network.school_work_degree + sc.network.neighbourhood_degree;
  // A platform's ties join its users only: at most the largest use share of any age group (device
  // ownership lowers it further, so this errs high).
  for (const auto& p : sc.platforms)
    if (p.enabled) degree += p.mean_degree * *std::max_element(p.use.begin(), p.use.end());
  MemoryEstimate e;
  e.population = n * kPopulationBytesPerPerson;
  e.network = n * degree * kBytesPerTieEnd;
  e.replicates = n * kReplicateBytesPerPerson * std::max(1, concurrent);
  e.fixed = kFixedBytes;
  return e;
}

double memory_limit(const std::string& flag) {
  if (flag.empty()) {
    std::ifstream in("/proc/meminfo");
    std::string key;
    double kib = 0;
    std::string unit;
    while (in >> key >> kib >> unit)
      if (key == "MemAvailable:") return kib * 1024;
    return 0;  // unknown: no limit
  }
  std::size_t used = 0;
  double v = 0;
  try {
    v = std::stod(flag, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  std::string suffix = flag.substr(used);
  double mult = 1;
  if (suffix == "K" || suffix == "KB" || suffix == "KiB")
    mult = 1024;
  else if (suffix == "M" || suffix == "MB" || suffix == "MiB")
    mult = 1024.0 * 1024;
  else if (suffix == "G" || suffix == "GB" || suffix == "GiB")
    mult = 1024.0 * 1024 * 1024;
  else if (suffix == "T" || suffix == "TB" || suffix == "TiB")
    mult = 1024.0 * 1024 * 1024 * 1024;
  else if (!suffix.empty())
    used = 0;
  if (used == 0 || !std::isfinite(v) || v < 0)
    throw std::invalid_argument("--max-memory expects a size such as 8G, 512M or 0 (no limit); got '" + flag + "'");
  return v * mult;
}

std::string format_bytes(double b) {
  char buf[64];
  if (b >= 1024.0 * 1024 * 1024)
    std::snprintf(buf, sizeof buf, "%.1f GiB", b / (1024.0 * 1024 * 1024));
  else
    std::snprintf(buf, sizeof buf, "%.0f MiB", b / (1024.0 * 1024));
  return buf;
}

void check_memory(const Scenario& sc, int concurrent, const std::string& flag, const std::string& file) {
  const double limit = memory_limit(flag);
  const MemoryEstimate e = estimate_memory(sc, concurrent);
  if (limit <= 0 || e.total() <= limit) return;
  throw std::runtime_error(file + ": key 'population.size': " + std::to_string(sc.population.size) +
                           " persons need an estimated " + format_bytes(e.total()) + " (population " +
                           format_bytes(e.population) + ", graph " + format_bytes(e.network) + ", " +
                           std::to_string(concurrent) + " replicate(s) at once " + format_bytes(e.replicates) +
                           "), more than the limit of " + format_bytes(limit) +
                           (flag.empty() ? " (memory available now)" : " (--max-memory)") +
                           "; use a smaller population (population.size with population.represents), fewer "
                           "--threads, or raise --max-memory");
}

}  // namespace redes
