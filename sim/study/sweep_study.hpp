// study/sweep_study: a sweep from a typed request to a typed result, as run_study is for one run;
// the CLI's `sweep` parses arguments, calls it and prints. It lives in sim/study, not sim/sweep,
// so data flows one way: cli -> study -> sweep (plan, runner, journal, MPI runner, file writer);
// nothing in sim/sweep knows the study layer. One process runs its runs in parallel with oneTBB;
// under mpirun rank 0 hands out runs and is the only writer; a shard K/N runs every N-th run for
// job arrays. Every completed run goes to the journal first, so any of these resumes after a kill.
#pragma once
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <vector>

#include "sim/study/study.hpp"
#include "sim/sweep/spec.hpp"
#include "sim/sweep/sweep_file.hpp"

namespace redes {

struct SweepRequest {
  std::filesystem::path sweep_file;
  std::filesystem::path output;  // "" = out/<sweep name>.h5
  int shard = 1, shards = 1;     // 1-based: shard k of n takes runs with run % n == k - 1
  int threads = 0;               // recorded in the file (the caller sizes the thread pool)
};

struct SweepCallbacks {
  /// Called once what is left is known, before simulating: `to_run` runs now, `already_done` of
  /// this process's share found in the journal or an earlier file. May return a counter that is
  /// incremented per finished run (progress), or nullptr. Not called on MPI worker ranks.
  std::function<std::atomic<std::int64_t>*(std::int64_t to_run, std::int64_t already_done)> start;
  /// Called when simulating is over, before the file is written (or StudyCancelled is thrown).
  std::function<void()> runs_done;
  /// Polled before each run (thread-safe); true stops the sweep with StudyCancelled once the runs
  /// under way are journaled. The journal stays: the same request resumes.
  std::function<bool()> cancelled;
};

struct SweepResult {
  bool wrote = false;  // false on MPI worker ranks: rank 0 writes and reports
  std::shared_ptr<const sweep::Plan> plan;
  std::filesystem::path output;  // the file written (a shard's part file)
  sweep::WriteStats stats;
  std::int64_t ran = 0;  // runs simulated now
  int ranks = 1;
  // wall: the whole call; run_phase: simulating; engine, in_runs: summed over runs (CPU-parallel).
  double wall_seconds = 0, run_phase_seconds = 0, engine_seconds = 0, in_runs_seconds = 0;
};

/// The part file shard k of n writes for `output` (itself for n = 1).
std::filesystem::path shard_path(const std::filesystem::path& output, int shard, int shards);

/// Throws std::invalid_argument on a bad shard or shard under mpirun, IoError on files it may not
/// touch or a journal of another sweep, ScenarioError on a bad sweep file, StudyCancelled.
SweepResult sweep_study(const SweepRequest& request, const SweepCallbacks& callbacks = {});

struct MergeResult {
  std::shared_ptr<const sweep::Plan> plan;
  sweep::WriteStats stats;
};

/// `redes merge`: the runs of sweep part files (shards or partial sweep files) into one sweep file
/// `output`, checked against `sweep_file` ("" = the one recorded in the first part). No part is
/// overwritten; the output is locked and written under a temporary name.
MergeResult merge_study(const std::vector<std::filesystem::path>& parts, std::filesystem::path sweep_file,
                        const std::filesystem::path& output, int threads);

}  // namespace redes
