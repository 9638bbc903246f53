#include "sim/sweep/mpi_runner.hpp"

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <span>
#include <thread>

#include "sim/sweep/run_record.hpp"
#include "sim/sweep/runner.hpp"
#include "sim/sweep/sweep_file.hpp"

namespace redes::sweep {
namespace {
// A results message: i32 "runs wanted next", then a batch of run records. A work message: i64 runs.
constexpr int kTagResults = 1, kTagWork = 2;
}  // namespace

bool launched_by_mpirun() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE") || std::getenv("PMIX_RANK");
}

MpiSession::MpiSession() {
  MPI_Init(nullptr, nullptr);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiSession::~MpiSession() { MPI_Finalize(); }

// Polls with a short sleep instead of a blocking receive, which in OpenMPI spins a core.
bool coordinate_runs(const RecordShape& shape, const std::vector<std::int64_t>& todo,
                     const std::function<void(RunRecord&&)>& received, int ranks,
                     const std::function<bool()>& cancelled) {
  std::size_t next = 0;
  bool stopped = false;
  int active = ranks - 1;
  std::vector<unsigned char> buf;
  while (active > 0) {
    int flag = 0;
    MPI_Status st;
    MPI_Iprobe(MPI_ANY_SOURCE, kTagResults, MPI_COMM_WORLD, &flag, &st);
    if (!flag) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      continue;
    }
    int bytes = 0;
    MPI_Get_count(&st, MPI_BYTE, &bytes);
    buf.resize(std::size_t(bytes));
    MPI_Recv(buf.data(), bytes, MPI_BYTE, st.MPI_SOURCE, kTagResults, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (buf.size() < 4)
      throw std::runtime_error("MPI results message of " + std::to_string(bytes) + " bytes, under its 4-byte header");
    std::int32_t want = 1;
    std::memcpy(&want, buf.data(), 4);
    decode_batch(std::span(buf).subspan(4), shape, received);
    if (!stopped && cancelled && cancelled()) stopped = true;
    const std::size_t n = stopped ? 0 : std::min(todo.size() - next, std::size_t(std::max(1, want)));
    MPI_Send(todo.data() + next, int(n), MPI_INT64_T, st.MPI_SOURCE, kTagWork, MPI_COMM_WORLD);
    next += n;
    if (n == 0) --active;
  }
  return next == todo.size();
}

bool coordinate_runs(const Plan& plan, const std::vector<std::int64_t>& todo, Journal& journal, int ranks,
                     std::atomic<std::int64_t>* done, const std::function<bool()>& cancelled) {
  return coordinate_runs(
      journal_shape(plan).record(), todo,
      [&](RunRecord&& rec) {
        journal.append(rec);
        if (done) ++*done;
      },
      ranks, cancelled);
}

void work_runs(const RecordShape& shape, int threads, const SimulateBatch& simulate) {
  const std::size_t record_bytes = record_size(shape);
  std::vector<unsigned char> msg(4);
  std::vector<std::int64_t> runs;
  const std::int32_t want = std::max(1, threads);
  for (;;) {
    std::memcpy(msg.data(), &want, 4);
    MPI_Send(msg.data(), int(msg.size()), MPI_BYTE, 0, kTagResults, MPI_COMM_WORLD);
    MPI_Status st;
    MPI_Probe(0, kTagWork, MPI_COMM_WORLD, &st);
    int n = 0;
    MPI_Get_count(&st, MPI_INT64_T, &n);
    runs.resize(std::size_t(n));
    MPI_Recv(runs.data(), n, MPI_INT64_T, 0, kTagWork, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (n == 0) return;
    msg.assign(4 + record_bytes * std::size_t(n), 0);
    std::mutex m;
    std::size_t filled = 0;
    simulate(runs, [&](RunRecord&& rec) {
      std::lock_guard lock(m);
      encode_record(rec, shape, std::span(msg).subspan(4 + filled++ * record_bytes, record_bytes));
    });
  }
}

void work_runs(const Plan& plan, int threads) {
  WorldCache worlds;
  work_runs(journal_shape(plan).record(), threads,
            [&](const std::vector<std::int64_t>& runs, const std::function<void(RunRecord &&)>& each) {
              simulate_runs(plan, runs, worlds, each);
            });
}

void announce_batch(bool more) {
  int flag = more ? 1 : 0;
  MPI_Bcast(&flag, 1, MPI_INT, 0, MPI_COMM_WORLD);
}

bool next_batch() {
  int flag = 0;
  MPI_Bcast(&flag, 1, MPI_INT, 0, MPI_COMM_WORLD);
  return flag != 0;
}

void abort_all_ranks(int rank, const std::exception& e, int code) {
  std::fprintf(stderr, "error (rank %d): %s\n", rank, e.what());
  MPI_Abort(MPI_COMM_WORLD, code);
  std::abort();  // MPI_Abort does not return
}

}  // namespace redes::sweep
