// Scale run: builds the population and graph at 100,000, 1 million and 6.1 million persons
// (Paraguay's per-capita rates) and simulates one year at each; prints build time, ties per
// second, agent-days per second, ties visited per second and peak memory. Not a unit test:
// `make bench` runs it and the README records its figures with the machine and date.
#include <tbb/global_control.h>
#include <tbb/info.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "sim/engine/engine.hpp"
#include "sim/network/network.hpp"
#include "sim/population/population.hpp"

using namespace redes;
using Clock = std::chrono::steady_clock;

static double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

static double peak_rss_gib() {
  FILE* f = std::fopen("/proc/self/status", "r");
  char line[256];
  std::size_t kb = 0;
  while (f && std::fgets(line, sizeof line, f))
    if (std::sscanf(line, "VmHWM: %zu kB", &kb) == 1) break;
  if (f) std::fclose(f);
  return kb / 1048576.0;
}

int main(int argc, char** argv) {
  std::vector<long> sizes = {100000, 1000000, 6109903};
  if (argc > 1) {
    sizes.clear();
    for (int i = 1; i < argc; ++i) sizes.push_back(std::atol(argv[i]));
  }
  std::printf("redes scale run: %d threads; one simulated year per size; seed 1\n", tbb::info::default_concurrency());
  std::printf("%10s %9s %12s %10s %14s %14s %9s %10s\n", "persons", "build s", "ties", "ties/s", "sim s (1 yr)",
              "agent-days/s", "victims", "peak GiB");
  for (long n : sizes) {
    Scenario sc = load_scenario(std::string(REDES_SOURCE_DIR) + "/scenarios/paraguay/baseline.yaml");
    sc.population.size = n;
    sc.days = 365;
    auto t0 = Clock::now();
    Population pop = build_population(sc, 1);
    Network net = build_network(sc, pop, 1);
    const double build = since(t0);
    const double ties = double(net.total_directed_ties()) / 2;
    t0 = Clock::now();
    ReplicateResult r = Simulation(sc, pop, net).run(1, 0);
    const double sim = since(t0);
    std::printf("%10ld %9.2f %12.0f %10.2e %14.2f %14.2e %9zu %10.2f\n", n, build, ties, ties / build, sim,
                double(n) * sc.days / sim, r.victims.size(), peak_rss_gib());
    std::printf("%10s ties visited in the year: %.3g (%.2e per second)\n", "", double(r.ties_visited),
                r.ties_visited / sim);
    std::fflush(stdout);
  }
  return 0;
}
