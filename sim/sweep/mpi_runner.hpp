// sweep/mpi_runner: runs spread over MPI ranks. Rank 0 hands out run numbers on request (dynamic
// load balance), takes the records that come back (journals them) and is the only writer; the
// other ranks simulate. Records travel in the run-record codec (sim/sweep/run_record.hpp), the one
// the journal uses. What a run number means is the caller's: a sweep's plan, or a decision
// study's (arm, draw, replicate). A study that asks for runs in several batches (optimize's
// search) announces each batch, and the end, to the other ranks. Compiled only when CMake finds
// MPI (REDES_WITH_MPI).
#pragma once
#ifdef REDES_WITH_MPI
#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <vector>

#include "sim/sweep/journal.hpp"
#include "sim/sweep/spec.hpp"

namespace redes::sweep {

/// True when mpirun (OpenMPI, MPICH or PMIx) started this process.
bool launched_by_mpirun();

/// MPI_Init for its lifetime, MPI_Finalize after.
class MpiSession {
 public:
  MpiSession();
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  int rank() const { return rank_; }
  int size() const { return size_; }

 private:
  int rank_ = 0, size_ = 1;
};

/// Rank 0: hands `todo` out to ranks 1..ranks-1 and passes each record of `shape` that comes back
/// to `received` (on this thread). Once `cancelled` (may be empty) says so it hands out no more
/// runs, but still takes what is under way. Returns when every worker has been told to stop; true
/// if all of `todo` was handed out.
bool coordinate_runs(const RecordShape& shape, const std::vector<std::int64_t>& todo,
                     const std::function<void(RunRecord&&)>& received, int ranks,
                     const std::function<bool()>& cancelled = {});
/// A sweep's runs: each record is appended to `journal` and counted in `done` (may be null).
bool coordinate_runs(const Plan& plan, const std::vector<std::int64_t>& todo, Journal& journal, int ranks,
                     std::atomic<std::int64_t>* done, const std::function<bool()>& cancelled);

/// How a worker simulates a batch of runs: `each` once per run, from any thread (serialised inside).
using SimulateBatch =
    std::function<void(const std::vector<std::int64_t>& runs, const std::function<void(RunRecord&&)>& each)>;
/// Other ranks: ask rank 0 for runs (`threads` at a time), simulate them, send the records back,
/// until rank 0 sends none.
void work_runs(const RecordShape& shape, int threads, const SimulateBatch& simulate);
/// A sweep's runs.
void work_runs(const Plan& plan, int threads);

/// Rank 0 of a study that hands out runs in batches: tells the other ranks whether another batch
/// follows (true, then coordinate_runs) or the study is over (false). Collective: every rank
/// must be waiting in next_batch().
void announce_batch(bool more);
/// Other ranks: waits for rank 0's announce_batch(); true when a batch of runs follows.
bool next_batch();

/// Prints "error (rank R): ..." and aborts every rank with `code`: one rank's failure would
/// otherwise leave the others waiting for it.
[[noreturn]] void abort_all_ranks(int rank, const std::exception& error, int code);

}  // namespace redes::sweep
#endif
