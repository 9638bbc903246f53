// Scale run: builds the population and graph at 100,000, 1 million and 6.1 million persons
// (Paraguay's per-capita rates), saves them as `redes population -o` does and loads them back,
// and simulates one year at each; prints build and load time, ties per second, agent-days per
// second, ties visited per second and peak memory. Not a unit test:
// `make bench` runs it and the README records its figures with the machine and date.
#include <tbb/global_control.h>
#include <tbb/info.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/engine/engine.hpp"
#include "sim/network/network.hpp"
#include "sim/population/population.hpp"
#include "sim/study/study.hpp"
#include "sim/study/world_file.hpp"

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
  // Usage: scale_run [--threads N] [persons ...]
  int threads = tbb::info::default_concurrency();
  std::vector<long> given;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--threads" && i + 1 < argc)
      threads = std::max(1, std::atoi(argv[++i]));
    else
      given.push_back(std::atol(argv[i]));
  }
  if (!given.empty()) sizes = given;
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, std::size_t(threads));
  std::printf("redes scale run: %d threads; one simulated year (after the scenario's warm-up) per size; seed 1\n",
              threads);
  std::printf("%10s %9s %8s %12s %10s %14s %14s %9s %10s\n", "persons", "build s", "load s", "ties", "ties/s",
              "sim s (1 yr)", "agent-days/s", "victims", "peak GiB");
  const std::filesystem::path file =
      std::filesystem::temp_directory_path() / ("redes-scale-run-" + std::to_string(getpid()) + ".h5");
  for (long n : sizes) {
    Scenario sc = load_scenario(std::string(REDES_SOURCE_DIR) + "/scenarios/paraguay/baseline.yaml");
    sc.population.size = n;
    sc.days = 365;
    auto t0 = Clock::now();
    double build = 0, ties = 0;
    {
      World built = build_world(sc, 1);
      build = since(t0);
      ties = double(built.net.total_directed_ties()) / 2;
      write_world_file(file, sc, 1, built, tbb::info::default_concurrency());
    }  // freed before loading, so the peak is the larger of the two, not their sum
    t0 = Clock::now();
    const World w = load_world(file, sc, 1);
    const double load = since(t0);
    std::filesystem::remove(file);
    t0 = Clock::now();
    ReplicateResult r = Simulation(sc, w.pop, w.net).run(1, 0);
    const double sim = since(t0);
    std::printf("%10ld %9.2f %8.2f %12.0f %10.2e %14.2f %14.2e %9zu %10.2f\n", n, build, load, ties, ties / build, sim,
                double(n) * sc.days / sim, r.victims.size(), peak_rss_gib());
    std::printf("%10s ties visited in the year: %.3g (%.2e per second)\n", "", double(r.ties_visited),
                r.ties_visited / sim);
    std::fflush(stdout);
  }
  return 0;
}
