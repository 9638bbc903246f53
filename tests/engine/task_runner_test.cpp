// Tests of engine/runner.hpp: replicates run in a pipeline, at most `in_flight` at once, and
// their results reach the sink in task order on one thread at a time, whatever finishes first.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include "sim/engine/runner.hpp"

namespace redes {
namespace {

TEST(TaskRunner, SinkSeesTasksInOrderWithAtMostInFlightRunning) {
  const tbb::global_control threads(tbb::global_control::max_allowed_parallelism, 4);
  constexpr int kTasks = 40, kInFlight = 2;
  std::atomic<int> running{0}, most{0}, sinks_at_once{0};
  std::vector<int> order;
  run_tasks<int>(
      kTasks, kInFlight,
      [&](int t) {
        const int now = ++running;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        // Later tasks finish sooner, so the sink must wait for the earlier ones.
        std::this_thread::sleep_for(std::chrono::microseconds(200 * (t % 5 == 0 ? 10 : 1)));
        --running;
        return t * t;
      },
      [&](int t, int&& square) {
        EXPECT_EQ(++sinks_at_once, 1);
        EXPECT_EQ(square, t * t);
        order.push_back(t);
        --sinks_at_once;
      });
  ASSERT_EQ(int(order.size()), kTasks);
  for (int t = 0; t < kTasks; ++t) EXPECT_EQ(order[std::size_t(t)], t);
  EXPECT_LE(most.load(), kInFlight);
  EXPECT_GE(most.load(), 1);
}

TEST(TaskRunner, AnErrorInATaskReachesTheCaller) {
  std::vector<int> sunk;
  EXPECT_THROW(run_tasks<int>(
                   10, 2,
                   [](int t) {
                     if (t == 3) throw std::runtime_error("task 3 failed");
                     return t;
                   },
                   [&](int t, int&&) { sunk.push_back(t); }),
               std::runtime_error);
  EXPECT_TRUE(std::find(sunk.begin(), sunk.end(), 3) == sunk.end());
}

TEST(TaskRunner, NoTasksNoCalls) {
  int calls = 0;
  run_tasks<int>(
      0, 2, [&](int) { return ++calls; }, [&](int, int&&) { ++calls; });
  EXPECT_EQ(calls, 0);
}

}  // namespace
}  // namespace redes
