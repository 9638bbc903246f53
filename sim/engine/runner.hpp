// engine/runner: runs many independent simulations (replicates, compare arms) in parallel,
// in batches of about the thread count, handing results to a sink in task order so files are
// written by one thread, in the same order whatever the thread count.
#pragma once
#include <tbb/parallel_for.h>

#include <algorithm>
#include <functional>
#include <vector>

#include "sim/engine/results.hpp"

namespace redes {

inline void run_tasks(int tasks, int batch, const std::function<ReplicateResult(int)>& work,
                      const std::function<void(int, ReplicateResult&&)>& sink) {
  batch = std::max(1, batch);
  for (int first = 0; first < tasks; first += batch) {
    const int n = std::min(batch, tasks - first);
    std::vector<ReplicateResult> out(static_cast<std::size_t>(n));
    tbb::parallel_for(0, n, [&](int k) { out[std::size_t(k)] = work(first + k); });
    for (int k = 0; k < n; ++k) sink(first + k, std::move(out[std::size_t(k)]));
  }
}

}  // namespace redes
