#include "sim/study/sweep_study.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <stdexcept>

#include "sim/output/h5.hpp"
#include "sim/output/output.hpp"
#include "sim/output/safe_output.hpp"
#include "sim/sweep/journal.hpp"
#include "sim/sweep/mpi_runner.hpp"
#include "sim/sweep/runner.hpp"

namespace redes {
namespace {

namespace fs = std::filesystem;
using namespace sweep;
using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

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
  auto source = [&](const std::function<void(RunRecord &&)>& each) {
    read_journal(journal, journal_shape(plan), each);
    if (had_file) read_sweep_runs(out, plan, each);
  };
  WriteStats st = write_sweep_file(out, plan, source, info);
  fs::remove(journal);  // every record is now in the file (a kill before this only repeats records)
  return st;
}

/// Runs k-1, k-1+n, ... of the plan that `out` and its journal do not hold yet.
std::vector<std::int64_t> runs_to_do(const Plan& plan, const fs::path& out, int k, int n) {
  std::vector<char> done = completed_runs(plan, out);
  std::vector<std::int64_t> todo;
  for (std::int64_t r = k - 1; r < plan.runs(); r += n)
    if (!done[std::size_t(r)]) todo.push_back(r);
  return todo;
}

std::atomic<std::int64_t>* start(const SweepCallbacks& cb, const Plan& plan, std::size_t todo, int k, int n) {
  const std::int64_t mine = (plan.runs() - (k - 1) + n - 1) / n;
  return cb.start ? cb.start(std::int64_t(todo), mine - std::int64_t(todo)) : nullptr;
}

/// One process (or one shard): simulate what is left, journal as we go, then write the file.
void sweep_local(const Plan& plan, const SweepRequest& req, SweepResult& res, const SweepCallbacks& cb) {
  const std::string started = now_iso();
  const std::vector<std::int64_t> todo = runs_to_do(plan, res.output, req.shard, req.shards);
  std::size_t skipped = 0;
  {
    Journal journal(journal_path(res.output), journal_shape(plan));
    WorldCache worlds;
    std::atomic<std::int64_t>* done = start(cb, plan, todo.size(), req.shard, req.shards);
    const auto t_run = Clock::now();
    std::mutex m;
    skipped = simulate_runs(
        plan, todo, worlds,
        [&](RunRecord&& rec) {
          journal.append(rec);
          if (done) ++*done;
          std::lock_guard lock(m);
          res.engine_seconds += rec.engine_seconds, res.in_runs_seconds += rec.total_seconds;
        },
        cb.cancelled);
    journal.flush();
    res.run_phase_seconds = seconds_since(t_run);
    if (cb.runs_done) cb.runs_done();
  }
  if (skipped > 0) throw StudyCancelled();
  res.ran = std::int64_t(todo.size());
  const std::string part = req.shards > 1 ? fmt::format("shard {} of {}", req.shard, req.shards) : "";
  res.stats = finish(plan, res.output, FileInfo{started, part, req.threads, 1});
  res.wrote = true;
}

#ifdef REDES_WITH_MPI
/// Rank 0 of an MPI job: hands out runs, journals the results that come back, writes the file.
void sweep_coordinator(const Plan& plan, const SweepRequest& req, int ranks, SweepResult& res,
                       const SweepCallbacks& cb) {
  const std::string started = now_iso();
  const std::vector<std::int64_t> todo = runs_to_do(plan, res.output, 1, 1);
  bool all = true;
  {
    Journal journal(journal_path(res.output), journal_shape(plan));
    std::atomic<std::int64_t>* done = start(cb, plan, todo.size(), 1, 1);
    const auto t_run = Clock::now();
    all = coordinate_runs(plan, todo, journal, ranks, done, cb.cancelled);
    journal.flush();
    res.run_phase_seconds = seconds_since(t_run);
    if (cb.runs_done) cb.runs_done();
  }
  if (!all) throw StudyCancelled();
  res.ran = std::int64_t(todo.size());
  res.ranks = ranks;
  res.stats = finish(plan, res.output, FileInfo{started, "", req.threads, ranks});
  res.wrote = true;
}
#endif

}  // namespace

fs::path shard_path(const fs::path& out, int k, int n) {
  if (n == 1) return out;
  return out.parent_path() / fmt::format("{}.shard-{}-of-{}{}", out.stem().string(), k, n, out.extension().string());
}

SweepResult sweep_study(const SweepRequest& req, const SweepCallbacks& cb) {
  const auto t0 = Clock::now();
  if (req.shards < 1 || req.shard < 1 || req.shard > req.shards)
    throw std::invalid_argument(fmt::format("shard {} of {}: need 1 <= shard <= shards", req.shard, req.shards));
  SweepResult res;
  auto plan = std::make_shared<const Plan>(load_sweep(req.sweep_file));  // everything is checked before any run
  res.plan = plan;
  const fs::path out = req.output.empty() ? fs::path("out") / (plan->spec().name + ".h5") : req.output;
  if (out.has_parent_path()) fs::create_directories(out.parent_path());
  res.output = shard_path(out, req.shard, req.shards);
  io::refuse_clobber(res.output, {req.sweep_file, plan->spec().baseline}, {".journal"});
  // Two sweeps on one output would remove each other's journal. Under mpirun only rank 0 writes.
  std::optional<io::OutputLock> lock;
  const char* rank = std::getenv("OMPI_COMM_WORLD_RANK");
  if (!rank) rank = std::getenv("PMI_RANK");
  if (!rank || std::string(rank) == "0") lock.emplace(res.output);
  io::set_interrupt_hint("completed runs are kept in '" + journal_path(res.output).string() +
                         "'; run the same command again to resume");
#ifdef REDES_WITH_MPI
  if (launched_by_mpirun()) {
    if (req.shards > 1) throw std::invalid_argument("--shard and mpirun do not mix: mpirun already splits the runs");
    MpiSession session;
    if (session.size() > 1) {
      try {
        if (session.rank() == 0)
          sweep_coordinator(*plan, req, session.size(), res, cb);
        else
          work_runs(*plan, req.threads);
      } catch (const StudyCancelled&) {
        throw;  // rank 0 stopped handing out runs and every worker has returned: finalise normally
      } catch (const std::exception& e) {
        abort_all_ranks(session.rank(), e, 3);
      }
      res.wall_seconds = seconds_since(t0);
      return res;
    }
  }
#endif
  sweep_local(*plan, req, res, cb);
  res.wall_seconds = seconds_since(t0);
  return res;
}

MergeResult merge_study(const std::vector<fs::path>& parts, fs::path sweep_file, const fs::path& output, int threads) {
  if (parts.empty()) throw std::invalid_argument("merge: name the part files to merge");
  if (sweep_file.empty()) sweep_file = h5::Reader(parts.front()).attribute_string("/metadata", "sweep_file");
  auto plan = std::make_shared<const sweep::Plan>(sweep::load_sweep(sweep_file));
  if (output.empty()) throw std::invalid_argument("merge: give the merged file with -o");
  std::vector<fs::path> inputs = parts;
  inputs.push_back(sweep_file);
  io::refuse_clobber(output, inputs);
  io::OutputLock lock(output);
  auto source = [&](const std::function<void(sweep::RunRecord &&)>& each) {
    for (const auto& part : parts) sweep::read_sweep_runs(part, *plan, each);
  };
  const sweep::WriteStats stats =
      sweep::write_sweep_file(output, *plan, source, sweep::FileInfo{now_iso(), "", threads, 1});
  return {plan, stats};
}

}  // namespace redes
