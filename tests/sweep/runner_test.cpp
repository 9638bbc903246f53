// The in-process sweep runner: runs simulated in parallel (sharing one world cache and one
// journal) equal the same runs simulated one at a time, and the journal keeps every completed
// record, drops a torn one and refuses another sweep's. Part of the TSan run (make sanitize-tsan).
#include "sim/sweep/runner.hpp"

#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include <cstring>
#include <fstream>
#include <map>

#include "sim/core/errors.hpp"
#include "sim/sweep/sweep_file.hpp"
#include "tests/support/temp_dir.hpp"

namespace redes::sweep {
namespace {

Plan tiny_plan() { return Plan(load_sweep(std::string(REDES_SOURCE_DIR) + "/tests/data/sweep_tiny.yaml")); }

std::map<std::int64_t, std::vector<double>> run_all(const Plan& plan, int threads) {
  std::vector<std::int64_t> runs;
  for (std::int64_t r = 0; r < plan.runs(); ++r) runs.push_back(r);
  std::map<std::int64_t, std::vector<double>> out;
  std::mutex m;
  WorldCache worlds;
  tbb::task_arena arena(threads);
  arena.execute([&] {
    simulate_runs(plan, runs, worlds, [&](RunRecord&& rec) {
      std::lock_guard lock(m);
      out[rec.run] = rec.metrics;
    });
  });
  return out;
}

TEST(SweepRunner, ParallelRunsEqualSerialRuns) {
  const Plan plan = tiny_plan();
  const auto one = run_all(plan, 1), two = run_all(plan, 2);
  ASSERT_EQ(one.size(), std::size_t(plan.runs()));
  ASSERT_EQ(two.size(), one.size());
  for (const auto& [run, metrics] : one) {
    ASSERT_EQ(metrics.size(), plan.metric_names().size());
    EXPECT_EQ(0, std::memcmp(metrics.data(), two.at(run).data(), 8 * metrics.size())) << "run " << run;
  }
  // The design varies recruiter density 100..400 per 100k: more recruiters, more victims on average.
  double low = 0, high = 0;  // summed victims at the lowest and highest density
  for (const auto& [run, metrics] : one) {
    const double per_100k = plan.value(plan.point_of(run), 0);
    if (per_100k == 100) low += metrics[0];
    if (per_100k == 400) high += metrics[0];
  }
  EXPECT_GT(high, low);
}

TEST(SweepJournal, KeepsCompleteRecordsDropsATornOneRefusesAnotherSweep) {
  testing::TempDir dir("redes-journal");
  const auto path = dir.path / "j.journal";
  const JournalShape shape{42, 3, 2};
  {
    Journal j(path, shape);
    for (std::int64_t r = 0; r < 5; ++r) j.append(RunRecord{r, {double(r), 1.5, -2}, {int(r), 7}});
  }
  {  // a kill in the middle of a write leaves a partial record
    std::ofstream f(path, std::ios::app | std::ios::binary);
    f.write("RUN1\x05\x00\x00", 7);
  }
  std::vector<RunRecord> got;
  read_journal(path, shape, [&](RunRecord&& r) { got.push_back(std::move(r)); });
  ASSERT_EQ(got.size(), 5u);
  EXPECT_EQ(got[3].run, 3);
  EXPECT_EQ(got[3].metrics, (std::vector<double>{3, 1.5, -2}));
  EXPECT_EQ(got[3].trajectory, (std::vector<std::int32_t>{3, 7}));
  {  // reopening truncates the torn tail, so new records follow valid ones
    Journal j(path, shape);
    j.append(RunRecord{9, {9, 9, 9}, {9, 9}});
  }
  got.clear();
  read_journal(path, shape, [&](RunRecord&& r) { got.push_back(std::move(r)); });
  ASSERT_EQ(got.size(), 6u);
  EXPECT_EQ(got.back().run, 9);
  // A flipped byte inside a record fails its CRC: that record and what follows are not trusted.
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(24 + 2 * (4 + 8 + 24 + 8 + 4) + 14);
    f.put('\x7f');
  }
  got.clear();
  read_journal(path, shape, [&](RunRecord&& r) { got.push_back(std::move(r)); });
  EXPECT_EQ(got.size(), 2u);
  EXPECT_THROW(read_journal(path, JournalShape{43, 3, 2}, [](RunRecord&&) {}), IoError);
}

}  // namespace
}  // namespace redes::sweep
