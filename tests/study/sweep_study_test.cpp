// sweep_study, the study-layer entry point of sweeps: it reports progress through its callbacks,
// a cancelled sweep keeps its journal and throws StudyCancelled, and resuming it gives the same
// file as an uninterrupted sweep (metrics compared bit for bit).
#include "sim/study/sweep_study.hpp"

#include <gtest/gtest.h>

#include <atomic>

#include "sim/output/h5.hpp"
#include "tests/support/temp_dir.hpp"

namespace redes {
namespace {

const std::string kSweep = std::string(REDES_SOURCE_DIR) + "/tests/data/sweep_tiny.yaml";  // 12 runs

TEST(SweepStudy, RunsEverythingAndReportsProgress) {
  testing::TempDir dir("redes-sweep-study");
  std::int64_t to_run = -1, already = -1;
  std::atomic<std::int64_t> counter{0};
  int ends = 0;
  SweepCallbacks cb;
  cb.start = [&](std::int64_t t, std::int64_t a) {
    to_run = t, already = a;
    return &counter;
  };
  cb.runs_done = [&] { ++ends; };
  const SweepResult res = sweep_study(SweepRequest{kSweep, dir.file("s.h5"), 1, 1, 2}, cb);
  EXPECT_TRUE(res.wrote);
  EXPECT_EQ(res.plan->runs(), 12);
  EXPECT_EQ(to_run, 12);
  EXPECT_EQ(already, 0);
  EXPECT_EQ(counter.load(), 12);
  EXPECT_EQ(ends, 1);
  EXPECT_EQ(res.ran, 12);
  EXPECT_EQ(res.stats.completed, 12);
  EXPECT_TRUE(res.stats.complete);
  EXPECT_EQ(res.output, dir.path / "s.h5");
  EXPECT_FALSE(std::filesystem::exists(dir.path / "s.h5.journal")) << "the journal is dropped once the file is written";
}

TEST(SweepStudy, ShardWritesItsPartFile) {
  testing::TempDir dir("redes-sweep-study-shard");
  const SweepResult res = sweep_study(SweepRequest{kSweep, dir.file("s.h5"), 2, 3, 1});
  EXPECT_EQ(res.output, dir.path / "s.shard-2-of-3.h5");
  EXPECT_EQ(res.ran, 4);  // runs 1, 4, 7, 10
  EXPECT_EQ(res.stats.completed, 4);
  EXPECT_FALSE(res.stats.complete);
  EXPECT_THROW(sweep_study(SweepRequest{kSweep, dir.file("t.h5"), 4, 3, 1}), std::invalid_argument);
}

TEST(SweepStudy, CancelledSweepKeepsItsJournalAndResumesToTheSameFile) {
  testing::TempDir dir("redes-sweep-study-cancel");
  sweep_study(SweepRequest{kSweep, dir.file("whole.h5"), 1, 1, 1});

  std::atomic<std::int64_t> counter{0};
  SweepCallbacks cb;
  cb.start = [&](std::int64_t, std::int64_t) { return &counter; };
  cb.cancelled = [&] { return counter.load() >= 3; };
  EXPECT_THROW(sweep_study(SweepRequest{kSweep, dir.file("cut.h5"), 1, 1, 1}, cb), StudyCancelled);
  EXPECT_FALSE(std::filesystem::exists(dir.path / "cut.h5"));
  ASSERT_TRUE(std::filesystem::exists(dir.path / "cut.h5.journal"));
  const std::int64_t journaled = counter.load();
  EXPECT_GE(journaled, 3);
  EXPECT_LT(journaled, 12) << "cancellation stopped the runs not yet started";

  std::int64_t already = -1;
  SweepCallbacks resume;
  resume.start = [&](std::int64_t, std::int64_t a) {
    already = a;
    return nullptr;
  };
  const SweepResult res = sweep_study(SweepRequest{kSweep, dir.file("cut.h5"), 1, 1, 1}, resume);
  EXPECT_EQ(already, journaled);
  EXPECT_EQ(res.ran, 12 - journaled);
  EXPECT_TRUE(res.stats.complete);
  const auto a = h5::Reader(dir.path / "whole.h5").read_double("/sweep/runs/metrics");
  const auto b = h5::Reader(dir.path / "cut.h5").read_double("/sweep/runs/metrics");
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i], b[i]) << "metric " << i;
}

}  // namespace
}  // namespace redes
