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

#include "sim/core/statistics.hpp"
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

static Scenario one_year(long persons) {
  Scenario sc = load_scenario(std::string(REDES_SOURCE_DIR) + "/scenarios/paraguay/baseline.yaml");
  sc.population.size = persons;
  sc.days = 365;
  return sc;
}

// Speed-up of `threads` threads over one, on one world: the two runs of a pair follow each other
// (one thread first, then many), so a shared machine's slow spells hit both runs of a pair
// rather than one setting's runs; the median of the pairs' ratios is the figure.
static int scaling_pairs(long persons, int threads, int pairs) {
  const Scenario sc = one_year(persons);
  const World w = build_world(sc, 1);
  const Simulation sim(sc, w.pop, w.net);
  std::printf("redes scale run: %d threads against 1, %ld persons, %d pairs of one-year runs (after the warm-up)\n",
              threads, persons, pairs);
  std::printf("%6s %10s %10s %8s\n", "pair", "1 thread s", "N threads s", "ratio");
  std::vector<double> ratios;
  for (int k = 0; k < pairs; ++k) {
    double seconds[2];
    for (int t = 0; t < 2; ++t) {
      tbb::global_control limit(tbb::global_control::max_allowed_parallelism, std::size_t(t == 0 ? 1 : threads));
      const auto t0 = Clock::now();
      sim.run(1, 0);
      seconds[t] = since(t0);
    }
    ratios.push_back(seconds[0] / seconds[1]);
    std::printf("%6d %10.3f %10.3f %8.3f\n", k + 1, seconds[0], seconds[1], ratios.back());
    std::fflush(stdout);
  }
  std::sort(ratios.begin(), ratios.end());
  std::printf("median speed-up of %d threads over 1: %.3f (range %.3f-%.3f)\n", threads, quantile_sorted(ratios, 0.5),
              ratios.front(), ratios.back());
  return 0;
}

int main(int argc, char** argv) {
  std::vector<long> sizes = {100000, 1000000, 6109903};
  // Usage: scale_run [--threads N] [--pairs K] [persons ...]
  int threads = tbb::info::default_concurrency(), pairs = 0;
  std::vector<long> given;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--threads" && i + 1 < argc)
      threads = std::max(1, std::atoi(argv[++i]));
    else if (std::string(argv[i]) == "--pairs" && i + 1 < argc)
      pairs = std::max(1, std::atoi(argv[++i]));
    else
      given.push_back(std::atol(argv[i]));
  }
  if (!given.empty()) sizes = given;
  if (pairs > 0) return scaling_pairs(given.empty() ? 1000000 : given.front(), threads, pairs);
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, std::size_t(threads));
  std::printf("redes scale run: %d threads; one simulated year (after the scenario's warm-up) per size; seed 1\n",
              threads);
  std::printf("%10s %9s %8s %12s %10s %14s %14s %9s %10s\n", "persons", "build s", "load s", "ties", "ties/s",
              "sim s (1 yr)", "agent-days/s", "victims", "peak GiB");
  const std::filesystem::path file =
      std::filesystem::temp_directory_path() / ("redes-scale-run-" + std::to_string(getpid()) + ".h5");
  for (long n : sizes) {
    const Scenario sc = one_year(n);
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
