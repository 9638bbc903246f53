// engine/runner: runs many independent simulations (replicates, compare arms) in parallel, at
// most `in_flight` at once, handing results to a sink in task order on one thread, so files are
// written by one thread, in the same order whatever the thread count. A pipeline, not batches:
// a thread that finishes starts the next task at once instead of waiting for its batch, and the
// sink of one task overlaps the simulation of the next.
#pragma once
#include <tbb/parallel_pipeline.h>

#include <algorithm>
#include <cstddef>
#include <functional>
#include <utility>

namespace redes {

template <class Result>
void run_tasks(int tasks, int in_flight, const std::function<Result(int)>& work,
               const std::function<void(int, Result&&)>& sink) {
  int next = 0;
  tbb::parallel_pipeline(
      std::size_t(std::max(1, in_flight)),
      tbb::make_filter<void, int>(tbb::filter_mode::serial_in_order,
                                  [&](tbb::flow_control& fc) {
                                    if (next >= tasks) fc.stop();
                                    return next++;
                                  }) &
          tbb::make_filter<int, std::pair<int, Result>>(tbb::filter_mode::parallel,
                                                        [&](int t) { return std::pair<int, Result>(t, work(t)); }) &
          tbb::make_filter<std::pair<int, Result>, void>(
              tbb::filter_mode::serial_in_order,
              [&](std::pair<int, Result> r) { sink(r.first, std::move(r.second)); }));
}

}  // namespace redes
