// sweep/mpi_runner: a sweep's runs spread over MPI ranks. Rank 0 hands out runs on request
// (dynamic load balance), journals the records that come back and is the only writer; the other
// ranks simulate. Records travel in the run-record codec (sim/sweep/run_record.hpp), the one the
// journal uses. Compiled only when CMake finds MPI (REDES_WITH_MPI).
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

/// Rank 0: hands `todo` out to ranks 1..ranks-1, appends each record that comes back to `journal`
/// and counts it in `done` (may be null). Once `cancelled` says so it hands out no more runs, but
/// still journals what is under way. Returns when every worker has been told to stop; true if all
/// of `todo` was handed out.
bool coordinate_runs(const Plan& plan, const std::vector<std::int64_t>& todo, Journal& journal, int ranks,
                     std::atomic<std::int64_t>* done, const std::function<bool()>& cancelled);

/// Other ranks: ask rank 0 for runs (`threads` at a time), simulate them, send the records back,
/// until rank 0 sends none.
void work_runs(const Plan& plan, int threads);

/// Prints "error (rank R): ..." and aborts every rank with `code`: one rank's failure would
/// otherwise leave the others waiting for it.
[[noreturn]] void abort_all_ranks(int rank, const std::exception& error, int code);

}  // namespace redes::sweep
#endif
