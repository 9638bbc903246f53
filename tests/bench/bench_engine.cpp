// Google Benchmark micro-benchmarks: population + graph build and simulated days at workshop
// scale, the hot submodels, and the RNG. Figures go to the README's performance section.
#include <benchmark/benchmark.h>

#include "sim/core/rng.hpp"
#include "sim/engine/engine.hpp"
#include "sim/network/network.hpp"
#include "sim/population/population.hpp"
#include "sim/recruitment/model.hpp"

using namespace redes;

namespace {
Scenario workshop(std::int64_t size) {
  Scenario sc = load_scenario(std::string(REDES_SOURCE_DIR) + "/scenarios/workshop/small.yaml");
  sc.population.size = size;
  return sc;
}
}  // namespace

static void BM_Philox(benchmark::State& state) {
  Rng rng(1, 0);
  std::uint32_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(rng.words(i++, 7, Stream::Test, 0, 0));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Philox);

static void BM_Vulnerability(benchmark::State& state) {
  Scenario sc = workshop(1000);
  PersonView v{0.3, 0.2, 0.1, 0.1, 0.4, 0.2, 0.3, 0.5, 3.0, 1, 0};
  for (auto _ : state) {
    v.poverty += 1e-9;
    benchmark::DoNotOptimize(vulnerability(sc.vulnerability, v));
  }
}
BENCHMARK(BM_Vulnerability);

static void BM_BuildPopulationAndGraph(benchmark::State& state) {
  Scenario sc = workshop(state.range(0));
  for (auto _ : state) {
    Population pop = build_population(sc, 1);
    Network net = build_network(sc, pop, 1);
    benchmark::DoNotOptimize(net.layers.data());
    state.counters["ties"] = double(net.total_directed_ties() / 2);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_BuildPopulationAndGraph)->Arg(20000)->Arg(200000)->Unit(benchmark::kMillisecond);

static void BM_SimulateYear(benchmark::State& state) {
  Scenario sc = workshop(state.range(0));
  sc.days = 365;
  Population pop = build_population(sc, 1);
  Network net = build_network(sc, pop, 1);
  int replicate = 0;
  for (auto _ : state) {
    ReplicateResult r = Simulation(sc, pop, net).run(1, replicate++);
    benchmark::DoNotOptimize(r.victims.data());
  }
  state.counters["agent_days_per_s"] =
      benchmark::Counter(double(state.range(0)) * sc.days * state.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SimulateYear)->Arg(20000)->Arg(200000)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();
