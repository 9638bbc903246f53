// cli: `redes sweep` and `redes merge`. One process runs its runs in parallel with oneTBB; under
// mpirun, rank 0 hands out runs (dynamic load balance) and is the only writer; `--shard K/N`
// runs every N-th run for job arrays. Every completed run goes to a journal first, so any of
// these can be killed and re-run to resume.
#include <fmt/format.h>

#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <mutex>
#include <set>

#include "sim/cli/commands.hpp"
#include "sim/cli/console.hpp"
#include "sim/cli/i18n.hpp"
#include "sim/io/errors.hpp"
#include "sim/io/h5.hpp"
#include "sim/io/output.hpp"
#include "sim/io/safe_output.hpp"
#include "sim/sweep/journal.hpp"
#include "sim/sweep/run_record.hpp"
#include "sim/sweep/runner.hpp"
#include "sim/sweep/spec.hpp"
#include "sim/sweep/sweep_file.hpp"

#ifdef REDES_WITH_MPI
#include <mpi.h>
#endif

namespace redes {
namespace {

namespace fs = std::filesystem;
using namespace sweep;

struct Shard {
  int k = 1, n = 1;  // 1-based: shard k of n takes runs with run % n == k - 1
};

Shard parse_shard(const std::string& text) {
  Shard s;
  if (text.empty()) return s;
  // from_chars reports overflow (sscanf's %d wrapped 1/4294967297 into "1 of 1").
  const char* const end = text.data() + text.size();
  auto [p1, e1] = std::from_chars(text.data(), end, s.k);
  bool ok = e1 == std::errc() && p1 < end && *p1 == '/';
  if (ok) {
    auto [p2, e2] = std::from_chars(p1 + 1, end, s.n);
    ok = e2 == std::errc() && p2 == end;
  }
  if (!ok || s.n < 1 || s.k < 1 || s.k > s.n)
    throw std::invalid_argument("--shard expects K/N with 1 <= K <= N <= " + std::to_string(INT32_MAX) +
                                ", e.g. --shard 2/8; got '" + text + "'");
  return s;
}

fs::path part_path(const fs::path& out, const Shard& s) {
  if (s.n == 1) return out;
  return out.parent_path() / fmt::format("{}.shard-{}-of-{}{}", out.stem().string(), s.k, s.n, out.extension().string());
}

fs::path journal_path(const fs::path& out) { return fs::path(out.string() + ".journal"); }

/// Runs already done for this output: in an earlier file under the same name, or in the journal.
std::vector<char> completed_runs(const Plan& plan, const fs::path& out) {
  std::vector<char> done(std::size_t(plan.runs()), 0);
  if (fs::exists(out)) read_sweep_runs(out, plan, [&](RunRecord&& r) { done[std::size_t(r.run)] = 1; });
  read_journal(journal_path(out), journal_shape(plan), [&](RunRecord&& r) { done[std::size_t(r.run)] = 1; });
  return done;
}

/// Writes the final file from the earlier file and the journal, then drops the journal.
WriteStats finish(const Plan& plan, const fs::path& out, const FileInfo& info) {
  const fs::path journal = journal_path(out);
  const bool had_file = fs::exists(out);
  auto source = [&](const std::function<void(RunRecord&&)>& each) {
    read_journal(journal, journal_shape(plan), each);
    if (had_file) read_sweep_runs(out, plan, each);
  };
  WriteStats st = write_sweep_file(out, plan, source, info);
  fs::remove(journal);  // every record is now in the file (a kill before this only repeats records)
  return st;
}

/// Where the time went, for the claim that sweeps are limited by simulation, not start-up or writes.
struct Timing {
  double wall = 0, run_phase = 0, engine = 0, in_runs = 0;  // engine, in_runs: summed over runs (CPU-parallel)
  int threads = 1;
};

void print_result(const Plan& plan, const fs::path& out, const WriteStats& st, std::int64_t ran, const Timing& tm, int ranks) {
  const double wall = tm.wall, run_phase = tm.run_phase;
  const auto& spec = plan.spec();
  print_tr("sweep.header", fmt::arg("name", spec.name), fmt::arg("points", plan.points()), fmt::arg("replicates", spec.replicates),
           fmt::arg("runs", (long long)plan.runs()), fmt::arg("completed", (long long)st.completed), fmt::arg("out", out.string()));
  if (ran > 0) {
    print_tr("sweep.ran", fmt::arg("ran", (long long)ran), fmt::arg("wall", wall), fmt::arg("ranks", ranks),
             fmt::arg("rate", 60.0 * double(ran) / wall), fmt::arg("outside", 100.0 * (wall - run_phase) / wall));
    if (tm.in_runs > 0) print_tr("sweep.in_runs", fmt::arg("share", 100.0 * (tm.in_runs - tm.engine) / tm.in_runs));
  } else {
    print_tr("sweep.nothing");
  }
  if (!st.complete) print_tr("sweep.incomplete", fmt::arg("missing", (long long)(plan.runs() - st.completed)));
  if (st.sensitivity) {
    h5::Reader in(out);
    auto first = in.read_double("/sweep/sensitivity/first"), total = in.read_double("/sweep/sensitivity/total");
    auto flo = in.read_double("/sweep/sensitivity/first_lo"), fhi = in.read_double("/sweep/sensitivity/first_hi");
    auto tlo = in.read_double("/sweep/sensitivity/total_lo"), thi = in.read_double("/sweep/sensitivity/total_hi");
    const std::size_t D = spec.parameters.size();
    print_tr("sweep.sobol");
    for (std::size_t o = 0; o < spec.outputs.size(); ++o) {
      std::printf("  %s\n", spec.outputs[o].c_str());
      for (std::size_t k = 0; k < D; ++k) {
        const std::size_t i = o * D + k;
        print_tr("sweep.sobol_row", fmt::arg("parameter", spec.parameters[k].key), fmt::arg("first", first[i]), fmt::arg("flo", flo[i]),
                 fmt::arg("fhi", fhi[i]), fmt::arg("total", total[i]), fmt::arg("tlo", tlo[i]), fmt::arg("thi", thi[i]));
      }
    }
  } else if (spec.design == DesignType::Saltelli && !st.complete) {
    print_tr("sweep.sobol_later");
  }
}

/// One process (or one shard): simulate what is left, journal as we go, then write the file.
int sweep_local(const Plan& plan, const fs::path& out, const Shard& shard, const Options& opt, Clock::time_point t0) {
  const std::string started = now_iso();
  std::vector<char> done = completed_runs(plan, out);
  std::vector<std::int64_t> todo;
  for (std::int64_t r = shard.k - 1; r < plan.runs(); r += shard.n)
    if (!done[std::size_t(r)]) todo.push_back(r);
  const std::int64_t mine = (plan.runs() - (shard.k - 1) + shard.n - 1) / shard.n;
  if (std::int64_t(todo.size()) < mine)
    std::fprintf(stderr, "resuming: %lld of %lld run(s) already done\n", (long long)(mine - std::int64_t(todo.size())),
                 (long long)mine);
  Timing tm;
  {
    Journal journal(journal_path(out), journal_shape(plan));
    WorldCache worlds;
    Progress progress("sweep", std::int64_t(todo.size()), true);
    const auto t_run = Clock::now();
    std::mutex m;
    simulate_runs(plan, todo, worlds, [&](RunRecord&& rec) {
      journal.append(rec);
      ++progress.done;
      std::lock_guard lock(m);
      tm.engine += rec.engine_seconds, tm.in_runs += rec.total_seconds;
    });
    journal.flush();
    tm.run_phase = seconds_since(t_run);
  }
  FileInfo info{started, shard.n > 1 ? fmt::format("shard {} of {}", shard.k, shard.n) : "", opt.threads, 1};
  WriteStats st = finish(plan, out, info);
  tm.wall = seconds_since(t0);
  print_result(plan, out, st, std::int64_t(todo.size()), tm, 1);
  return 0;
}

#ifdef REDES_WITH_MPI
bool launched_by_mpirun() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE") || std::getenv("PMIX_RANK");
}

constexpr int kTagResults = 1, kTagWork = 2;

/// Rank 0: hands out runs on request, journals the results that come back, writes the file.
/// Polls with a short sleep instead of a blocking receive, which in OpenMPI spins a core.
int sweep_coordinator(const Plan& plan, const fs::path& out, int ranks, const Options& opt, Clock::time_point t0) {
  const std::string started = now_iso();
  std::vector<char> done = completed_runs(plan, out);
  std::vector<std::int64_t> todo;
  for (std::int64_t r = 0; r < plan.runs(); ++r)
    if (!done[std::size_t(r)]) todo.push_back(r);
  const RecordShape shape = journal_shape(plan).record();
  Timing tm;
  {
    Journal journal(journal_path(out), journal_shape(plan));
    Progress progress("sweep", std::int64_t(todo.size()), true);
    const auto t_run = Clock::now();
    std::size_t next = 0;
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
      std::int32_t want = 1;
      std::memcpy(&want, buf.data(), 4);
      decode_batch(std::span(buf).subspan(4), shape, [&](RunRecord&& rec) {
        journal.append(rec);
        ++progress.done;
      });
      const std::size_t n = std::min(todo.size() - next, std::size_t(std::max(1, want)));
      MPI_Send(todo.data() + next, int(n), MPI_INT64_T, st.MPI_SOURCE, kTagWork, MPI_COMM_WORLD);
      next += n;
      if (n == 0) --active;
    }
    journal.flush();
    tm.run_phase = seconds_since(t_run);
  }
  WriteStats st = finish(plan, out, FileInfo{started, "", opt.threads, ranks});
  tm.wall = seconds_since(t0);
  print_result(plan, out, st, std::int64_t(todo.size()), tm, ranks);
  return 0;
}

/// Other ranks: ask for runs (as many as they have threads), simulate, send the records back.
void sweep_worker(const Plan& plan, const Options& opt) {
  const RecordShape shape = journal_shape(plan).record();
  const std::size_t record_bytes = record_size(shape);
  WorldCache worlds;
  std::vector<unsigned char> msg(4);
  std::vector<std::int64_t> runs;
  const std::int32_t want = std::max(1, opt.threads);
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
    simulate_runs(plan, runs, worlds, [&](RunRecord&& rec) {
      std::lock_guard lock(m);
      encode_record(rec, shape, std::span(msg).subspan(4 + filled++ * record_bytes, record_bytes));
    });
  }
}

int sweep_mpi(const Plan& plan, const fs::path& out, const Options& opt, Clock::time_point t0, bool& handled) {
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  if (size == 1) return 0;
  handled = true;
  try {
    if (rank == 0) return sweep_coordinator(plan, out, size, opt, t0);
    sweep_worker(plan, opt);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error (rank %d): %s\n", rank, e.what());
    MPI_Abort(MPI_COMM_WORLD, 3);
    return 3;
  }
}
#endif

}  // namespace

int cmd_sweep(const Options& opt) {
  const auto t0 = Clock::now();
  const Shard shard = parse_shard(opt.shard);
  // The seed belongs to the sweep file: it is part of the sweep's fingerprint, which resume and
  // merge check against the file, so a command-line seed would be silently ignored or split a sweep.
  if (opt.seed) throw std::invalid_argument("sweep: --seed is not used by sweeps; set `seed:` in the sweep file");
  Plan plan(load_sweep(opt.file));  // everything is checked before any run
  const fs::path out = opt.output.empty() ? fs::path("out") / (plan.spec().name + ".h5") : fs::path(opt.output);
  if (out.has_parent_path()) fs::create_directories(out.parent_path());
  const fs::path part = part_path(out, shard);
  io::refuse_clobber(part, {opt.file, plan.spec().baseline}, {".journal"});
  // Two sweeps on one output would remove each other's journal. Under mpirun only rank 0 writes.
  std::optional<io::OutputLock> lock;
  const char* rank = std::getenv("OMPI_COMM_WORLD_RANK");
  if (!rank) rank = std::getenv("PMI_RANK");
  if (!rank || std::string(rank) == "0") lock.emplace(part);
  io::set_interrupt_hint("completed runs are kept in '" + journal_path(part).string() +
                         "'; run the same command again to resume");
#ifdef REDES_WITH_MPI
  if (launched_by_mpirun()) {
    if (shard.n > 1) throw std::invalid_argument("--shard and mpirun do not mix: mpirun already splits the runs");
    struct MpiSession {
      MpiSession() { MPI_Init(nullptr, nullptr); }
      ~MpiSession() { MPI_Finalize(); }
    } session;
    bool handled = false;
    const int rc = sweep_mpi(plan, out, opt, t0, handled);
    if (handled) return rc;
  }
#endif
  return sweep_local(plan, part_path(out, shard), shard, opt, t0);
}

int cmd_merge(const Options& opt) {
  if (opt.files.empty()) throw std::invalid_argument("merge: name the part files to merge");
  std::string sweep_file = opt.file;
  if (sweep_file.empty()) sweep_file = h5::Reader(opt.files.front()).attribute_string("/metadata", "sweep_file");
  Plan plan(load_sweep(sweep_file));
  if (opt.output.empty()) throw std::invalid_argument("merge: give the merged file with -o");
  std::vector<fs::path> inputs(opt.files.begin(), opt.files.end());
  inputs.push_back(sweep_file);
  io::refuse_clobber(opt.output, inputs);
  io::OutputLock lock(opt.output);
  auto source = [&](const std::function<void(RunRecord&&)>& each) {
    for (const auto& part : opt.files) read_sweep_runs(part, plan, each);
  };
  WriteStats st = write_sweep_file(opt.output, plan, source, FileInfo{now_iso(), "", opt.threads, 1});
  print_tr("merge.done", fmt::arg("parts", opt.files.size()), fmt::arg("name", plan.spec().name), fmt::arg("out", opt.output),
           fmt::arg("completed", (long long)st.completed), fmt::arg("runs", (long long)plan.runs()),
           fmt::arg("state", st.complete ? (st.sensitivity ? tr("merge.sobol") : "") : tr("merge.incomplete")));
  return 0;
}

}  // namespace redes
