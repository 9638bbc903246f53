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
