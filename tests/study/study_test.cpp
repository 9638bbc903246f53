// The study layer (run_study, compare_study) that `redes run`, `redes compare` and `redes serve`
// share: its results are the engine's own replicates, handed over in order; an arm identical to
// the baseline averts exactly nothing (common random numbers); cancellation stops it.
#include "sim/study/study.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <thread>

#include "sim/engine/engine.hpp"
#include "sim/output/output.hpp"
#include "sim/scenario/yaml_tree.hpp"
#include "sim/study/compare_file.hpp"
#include "sim/study/run_file.hpp"
#include "tests/support/temp_dir.hpp"

namespace redes {
namespace {

Scenario small() {
  Scenario sc = load_scenario(std::string(REDES_SOURCE_DIR) + "/scenarios/workshop/small.yaml");
  sc.days = 365;
  return sc;
}

TEST(Study, RunHandsOverTheEnginesReplicatesInOrder) {
  RunRequest req{small(), 5, 3, 2, {}};
  World w = build_world(req.scenario, req.seed);
  std::vector<int> order;
  std::atomic<std::int64_t> days{0};
  std::int64_t total = 0;
  Callbacks cb;
  cb.start = [&](std::int64_t t, double) { return total = t, &days; };
  cb.on_replicate = [&](std::size_t arm, int r, const ReplicateResult& res, const Summary& s, const Observed&) {
    EXPECT_EQ(arm, 0u);
    EXPECT_EQ(res.replicate, r);
    order.push_back(r);
  };
  RunResult out = run_study(req, cb);
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(total, 365 * 3);
  EXPECT_EQ(days.load(), total);
  ASSERT_EQ(out.summaries.size(), 3u);
  for (int r = 0; r < 3; ++r) {
    Summary direct = summarise(req.scenario, Simulation(req.scenario, w.pop, w.net).run(req.seed, r));
    EXPECT_EQ(out.summaries[std::size_t(r)].victims, direct.victims);
    EXPECT_EQ(out.summaries[std::size_t(r)].by_route, direct.by_route);
    EXPECT_EQ(out.victims[std::size_t(r)], direct.victims);
  }
}

TEST(Study, AnArmEqualToTheBaselineAvertsNothing) {
  Scenario base = small();
  CompareRequest req{base, {base}, {"baseline", "same"}, 9, 3, 2, {}};
  CompareResult out = compare_study(req);
  ASSERT_EQ(out.rows.size(), 1u);
  for (double a : out.rows[0].averted) EXPECT_EQ(a, 0.0);
  EXPECT_EQ(out.rows[0].averted_ci.lo, 0.0);
  EXPECT_EQ(out.rows[0].averted_ci.hi, 0.0);
  EXPECT_GT(out.outcomes[0].summaries[0].victims, 0);  // there was something to avert
}

// What a replicate of an arm leaves behind, for comparing two ways of running it.
struct Fingerprint {
  std::int32_t victims, rescued, arrested;
  std::int64_t exploited_days;
  std::vector<std::int32_t> by_year, by_department, exits, attempts, recorded;
  bool operator==(const Fingerprint&) const = default;
};
Fingerprint fingerprint(const Summary& s, const Observed& o) {
  return {s.victims,       s.rescued, s.recruiters_arrested, s.exploited_days, s.by_year,
          s.by_department, s.exits,   s.attempts_by_route,   o.recorded_cases};
}

// Compare arms continue each replicate's warm-up, simulated once (interventions start on day 0):
// every arm's replicates are exactly those of the arm run on its own, for 1 and 2 threads (3
// replicates in blocks of 2: a full block and a partial one).
TEST(Study, ArmsContinuingASharedWarmUpGiveTheRunsOfTheirOwn) {
  const std::string dir = std::string(REDES_SOURCE_DIR) + "/scenarios/workshop/";
  Scenario base = small();
  base.days = 2 * 365;  // the arms' interventions start in the second year
  ASSERT_GT(base.warmup_days, 0);
  auto [arms, names] = load_arms(io::load_scenario_tree(dir + "small.yaml"), dir + "small.yaml",
                                 {dir + "literacy.yaml", dir + "reporting.yaml"});
  for (auto& a : arms) a.days = base.days;
  std::vector<const Scenario*> all{&base};
  for (const auto& a : arms) all.push_back(&a);
  std::vector<std::vector<Fingerprint>> alone(all.size());
  for (std::size_t k = 0; k < all.size(); ++k) {
    Callbacks cb;
    cb.on_replicate = [&](std::size_t, int, const ReplicateResult&, const Summary& s, const Observed& o) {
      alone[k].push_back(fingerprint(s, o));
    };
    run_study(RunRequest{*all[k], 9, 3, 1, {}}, cb);
  }
  EXPECT_TRUE(alone[1] != alone[0] || alone[2] != alone[0]);  // interventions change runs: the check can fail
  for (int threads : {1, 2}) {
    std::vector<std::vector<Fingerprint>> shared(all.size());
    Callbacks cb;
    cb.on_replicate = [&](std::size_t arm, int, const ReplicateResult&, const Summary& s, const Observed& o) {
      shared[arm].push_back(fingerprint(s, o));
    };
    compare_study(CompareRequest{base, arms, names, 9, 3, threads, {}}, cb);
    for (std::size_t k = 0; k < all.size(); ++k)
      EXPECT_TRUE(shared[k] == alone[k]) << names[k] << ", " << threads << " threads";
  }
}

TEST(Study, CancellationStopsBeforeTheNextReplicate) {
  RunRequest req{small(), 5, 6, 1, {}};
  int seen = 0;
  Callbacks cb;
  cb.cancelled = [&] { return seen >= 2; };
  cb.on_replicate = [&](std::size_t, int, const ReplicateResult&, const Summary&, const Observed&) { ++seen; };
  EXPECT_THROW(run_study(req, cb), StudyCancelled);
  EXPECT_EQ(seen, 2);
}

TEST(Study, TheStopFlagEndsARunningReplicateWithinADayAndLeavesNoFile) {
  RunRequest req{small(), 5, 2, 1, {}};
  const redes::testing::TempDir dir("redes-study-stop");
  const std::filesystem::path out = dir.path / "run.h5";
  std::atomic<bool> stop{false};
  std::atomic<std::int64_t> days{0};
  int finished = 0;
  Callbacks cb;
  cb.stop = &stop;
  cb.start = [&](std::int64_t, double) { return &days; };
  // Set the flag from the engine's own progress: on day 100 of the first replicate.
  std::thread watcher([&] {
    while (days.load() < 100) std::this_thread::yield();
    stop = true;
  });
  cb.on_replicate = [&](std::size_t, int, const ReplicateResult&, const Summary&, const Observed&) { ++finished; };
  EXPECT_THROW(run_to_file(req, out, cb, now_iso()), StudyCancelled);
  watcher.join();
  EXPECT_EQ(finished, 0) << "the first replicate was stopped, not run to its end";
  EXPECT_LT(days.load(), 365) << "stopped within the replicate";
  EXPECT_FALSE(std::filesystem::exists(out));
  for (const auto& e : std::filesystem::directory_iterator(dir.path))  // no temporary file either
    ADD_FAILURE() << "left behind: " << e.path();
}

}  // namespace
}  // namespace redes
