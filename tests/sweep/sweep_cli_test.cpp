// End-to-end tests of `redes sweep` and `redes merge` (REDES_BINARY) on a tiny scenario
// (tests/data/sweep_tiny_scenario.yaml: 2,000 persons, one year): MPI ranks, thread counts and
// shards give the same runs bit for bit as one uninterrupted process; a sweep killed with
// SIGKILL, or resumed from a torn journal, ends identical; any run can be redone alone with
// `redes run`; bad sweep files fail before any work; grid and Saltelli designs have the
// documented layout. The reference is tests/data/sweep_tiny.yaml (3 x 2 grid, 2 replicates, 12
// runs), run once per test process with 2 threads.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <memory>
#include <numeric>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "sim/output/h5.hpp"
#include "sim/sweep/journal.hpp"
#include "sim/sweep/spec.hpp"
#include "sim/sweep/sweep_file.hpp"
#include "tests/support/same_datasets.hpp"
#include "tests/support/shell.hpp"
#include "tests/support/temp_dir.hpp"

extern char** environ;

namespace redes {
namespace {

namespace fs = std::filesystem;

const std::string kData = std::string(REDES_SOURCE_DIR) + "/tests/data/";
const std::string kTiny = kData + "sweep_tiny.yaml";  // 3 x 2 grid, 2 replicates, seed 7: 12 runs
const std::string kTinyScenario = kData + "sweep_tiny_scenario.yaml";

// Everything that holds a sweep's results; equal bytes in these means the same sweep.
const std::vector<std::string> kResultDatasets = {
    "/sweep/design/unit", "/sweep/design/values",  "/sweep/runs/point",   "/sweep/runs/replicate",
    "/sweep/runs/seed",   "/sweep/runs/completed", "/sweep/runs/metrics", "/sweep/points/mean"};

using Result = testing::ShellResult;
using testing::quote;
using testing::same_datasets;
using testing::slurp;

Result run_shell(const std::string& cmd, const fs::path& dir) { return testing::run_shell(cmd, dir); }

// A hung command is stopped after 3 minutes (exit code 124) instead of hanging the test suite.
const std::string kTimeout = "timeout -k 5 180 ";

std::string redes_cmd(const std::string& args) { return kTimeout + quote(REDES_BINARY) + " " + args; }

std::size_t index_of(const std::vector<std::string>& v, const std::string& s) {
  return std::size_t(std::find(v.begin(), v.end(), s) - v.begin());
}

/// The valid records of a journal, as the sweep itself reads them.
std::map<std::int64_t, sweep::RunRecord> journal_records(const fs::path& journal, const sweep::Plan& plan) {
  std::map<std::int64_t, sweep::RunRecord> out;
  sweep::read_journal(journal, sweep::journal_shape(plan), [&](sweep::RunRecord&& r) { out[r.run] = std::move(r); });
  return out;
}

class SweepCliTest : public ::testing::Test {
 protected:
  // The suite directory holds the reference sweep that every test of the process reuses.
  static void SetUpTestSuite() { suite_ = std::make_unique<redes::testing::TempDir>("redes-sweep-cli"); }
  static void TearDownTestSuite() { suite_.reset(); }

  Result sh(const std::string& cmd) const { return run_shell(cmd, dir_); }
  Result redes(const std::string& args) const { return sh(redes_cmd(args)); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  /// Writes a sweep file into the test directory; `baseline:` should be absolute.
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ / name) << text;
    return path(name);
  }

  /// The tiny sweep, uninterrupted, 2 threads; run once per test suite (per process).
  static fs::path reference() {
    const fs::path f = suite_->path / "reference.h5";
    if (!fs::exists(f)) {
      const Result r =
          run_shell(redes_cmd("sweep " + quote(kTiny) + " -o " + quote(f.string()) + " --threads 2"), suite_->path);
      if (r.code != 0) ADD_FAILURE() << "reference sweep failed (" << r.code << "):\n" << r.out << r.err;
    }
    return f;
  }

  static inline std::unique_ptr<redes::testing::TempDir> suite_;
  const redes::testing::TempDir tmp_{"redes-sweep-cli"};
  const fs::path& dir_ = tmp_.path;
};

// 1. Under mpirun with 3 ranks (rank 0 hands out runs and writes, ranks 1-2 simulate) the file
// holds the same design, seeds and metrics, bit for bit, as one process.
TEST_F(SweepCliTest, MpiRanksGiveTheSameRunsAsOneProcess) {
  if (!REDES_MPI) GTEST_SKIP() << "redes was built without MPI (REDES_MPI=0)";
  if (std::system("command -v mpirun >/dev/null 2>&1") != 0) GTEST_SKIP() << "mpirun is not on PATH";
  const fs::path ref = reference();
  ASSERT_TRUE(fs::exists(ref));
  const std::string out = path("mpi.h5");
  // --allow-run-as-root: CI runs as root; oversubscribe: 3 ranks on 2 cores.
  const Result r =
      sh(kTimeout + "env OMPI_MCA_rmaps_base_oversubscribe=1 mpirun --allow-run-as-root --oversubscribe -np 3 " +
         quote(REDES_BINARY) + " sweep " + quote(kTiny) + " -o " + quote(out) + " --threads 1");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("12 run(s)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("on 3 process(es)"), std::string::npos) << r.out;
  EXPECT_TRUE(same_datasets(ref, out, kResultDatasets));
  h5::Reader f(out);
  EXPECT_EQ(f.attribute_string("/metadata", "ranks"), "3");
  EXPECT_EQ(f.attribute_string("/metadata", "part"), "whole sweep");
  EXPECT_FALSE(fs::exists(out + ".journal"));
}

// 1b. The thread count changes nothing in the results.
TEST_F(SweepCliTest, ThreadCountDoesNotChangeResults) {
  const fs::path ref = reference();
  ASSERT_TRUE(fs::exists(ref));
  const std::string out = path("one-thread.h5");
  const Result r = redes("sweep " + quote(kTiny) + " -o " + quote(out) + " --threads 1");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_TRUE(same_datasets(ref, out, kResultDatasets));
  EXPECT_EQ(h5::Reader(out).attribute_string("/metadata", "threads"), "1");
  EXPECT_EQ(h5::Reader(ref).attribute_string("/metadata", "threads"), "2");
}

// 2. Three shards hold only their own runs (NaN elsewhere); merged they are the full sweep, bit
// for bit; two of three merge into a file that says it is incomplete.
TEST_F(SweepCliTest, ShardsHoldTheirRunsAndMergeToTheFullSweep) {
  const fs::path ref = reference();
  ASSERT_TRUE(fs::exists(ref));
  h5::Reader rf(ref);
  const auto ref_metrics = rf.read_double("/sweep/runs/metrics");
  const std::size_t R = 12, M = rf.shape("/sweep/runs/metrics")[1];
  ASSERT_EQ(rf.shape("/sweep/runs/metrics")[0], R);

  std::vector<std::string> parts;
  for (int k = 1; k <= 3; ++k) {
    SCOPED_TRACE("shard " + std::to_string(k));
    // Run from the sweep file's directory with a relative name, as job arrays often do.
    const Result r =
        sh("cd " + quote(kData) + " && " +
           redes_cmd("sweep sweep_tiny.yaml -o " + quote(path("s.h5")) + " --shard " + std::to_string(k) + "/3"));
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("incomplete: 8 run(s) missing"), std::string::npos) << r.out;
    const std::string part = path("s.shard-" + std::to_string(k) + "-of-3.h5");
    ASSERT_TRUE(fs::exists(part));
    EXPECT_FALSE(fs::exists(part + ".journal"));
    parts.push_back(part);

    h5::Reader f(part);
    EXPECT_EQ(f.attribute_string("/metadata", "part"), "shard " + std::to_string(k) + " of 3");
    EXPECT_EQ(f.attribute_string("/metadata", "runs_completed"), "4");
    const auto completed = f.read_int("/sweep/runs/completed");
    const auto metrics = f.read_double("/sweep/runs/metrics");
    ASSERT_EQ(completed.size(), R);
    ASSERT_EQ(metrics.size(), R * M);
    for (std::size_t run = 0; run < R; ++run) {
      const bool mine = run % 3 == std::size_t(k - 1);
      EXPECT_EQ(completed[run], mine ? 1 : 0) << "run " << run;
      for (std::size_t m = 0; m < M; ++m) {
        const double v = metrics[run * M + m];
        if (mine) {
          EXPECT_EQ(std::memcmp(&v, &ref_metrics[run * M + m], sizeof v), 0) << "run " << run << " metric " << m;
        } else {
          EXPECT_TRUE(std::isnan(v)) << "run " << run << " metric " << m << " = " << v;
        }
      }
    }
    EXPECT_FALSE(f.exists("/sweep/sensitivity"));
  }
  EXPECT_FALSE(fs::exists(path("s.h5"))) << "a shard must not write the whole sweep's file";

  // The sweep file is found from the parts' metadata (no --sweep), from another directory.
  const std::string merged = path("merged.h5");
  Result r = sh(
      "cd " + quote(dir_.string()) + " && " +
      redes_cmd("merge " + quote(parts[0]) + " " + quote(parts[1]) + " " + quote(parts[2]) + " -o " + quote(merged)));
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("merged 3 part(s)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("12 of 12 run(s)"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("incomplete"), std::string::npos) << r.out;
  EXPECT_TRUE(same_datasets(ref, merged, kResultDatasets));
  EXPECT_EQ(h5::Reader(merged).attribute_string("/metadata", "part"), "whole sweep");

  const std::string two = path("two.h5");
  r = redes("merge " + quote(parts[0]) + " " + quote(parts[2]) + " -o " + quote(two) + " --sweep " + quote(kTiny));
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("8 of 12 run(s)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("still incomplete"), std::string::npos) << r.out;
  const auto completed = h5::Reader(two).read_int("/sweep/runs/completed");
  EXPECT_EQ(std::accumulate(completed.begin(), completed.end(), std::int64_t(0)), 8);
  EXPECT_EQ(h5::Reader(two).attribute_string("/metadata", "runs_completed"), "8");
}

// 3. A sweep killed with SIGKILL mid-run leaves its journal but no file under the final name;
// the same command resumes from the journal and ends bit-identical to an uninterrupted sweep.
TEST_F(SweepCliTest, KilledSweepResumesToTheSameResult) {
  // 4 x 3 points x 4 replicates = 48 runs: about 2 s on 2 cores, long enough to be caught midway.
  const std::string sweep_file = write("long.yaml",
                                       "name: long\n"
                                       "baseline: " +
                                           kTinyScenario +
                                           "\n"
                                           "seed: 3\n"
                                           "replicates: 4\n"
                                           "design: {type: grid}\n"
                                           "parameters:\n"
                                           "  - {key: recruitment.recruiters.per_100k, min: 100, max: 200, levels: 4}\n"
                                           "  - {key: recruitment.fishing.ad_rate, min: 0.1, max: 0.4, levels: 3}\n");
  const sweep::Plan plan(sweep::load_sweep(sweep_file));
  ASSERT_EQ(plan.runs(), 48);
  const std::string out = path("long.h5"), journal = out + ".journal";

  // Start it in the background.
  const std::string bin = REDES_BINARY, log_out = path("killed.out"), log_err = path("killed.err");
  const pid_t pid = testing::spawn_logged({bin, "sweep", sweep_file, "-o", out, "--threads", "2"}, log_out, log_err);
  ASSERT_GT(pid, 0);

  // Kill it once the journal holds a few completed runs.
  bool exited = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      exited = true;
      break;
    }
    if (fs::exists(journal) && journal_records(journal, plan).size() >= 3) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (!exited) {
    ::kill(pid, SIGKILL);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  }
  ASSERT_FALSE(exited) << "the sweep ended before it could be killed; make it longer\n"
                       << slurp(log_out) << slurp(log_err);

  const std::size_t done = journal_records(journal, plan).size();
  EXPECT_GE(done, 3u);
  EXPECT_LT(done, 48u) << "every run finished before the kill";
  EXPECT_FALSE(fs::exists(out)) << "a killed sweep must leave nothing under the final name";
  for (const auto& e : fs::directory_iterator(dir_)) {
    // The journal stays (to resume); so does the lock file, which kill -9 cannot remove but which
    // holds no lock once its process is gone (flock is released by the kernel).
    if (e.path().filename().string().rfind("long.h5", 0) == 0 && e.path().extension() != ".lock") {
      EXPECT_EQ(e.path().string(), journal) << "left behind: " << e.path();
    }
  }

  const std::string cmd = "sweep " + quote(sweep_file) + " -o " + quote(out) + " --threads 2";
  const Result resumed = redes(cmd);
  ASSERT_EQ(resumed.code, 0) << resumed.out << resumed.err;
  EXPECT_NE(resumed.err.find("resuming: " + std::to_string(done) + " of 48 run(s) already done"), std::string::npos)
      << resumed.err;
  EXPECT_NE(resumed.out.find("ran " + std::to_string(48 - done) + " run(s)"), std::string::npos) << resumed.out;
  EXPECT_FALSE(fs::exists(journal));

  const std::string full = path("full.h5");
  const Result whole = redes("sweep " + quote(sweep_file) + " -o " + quote(full) + " --threads 2");
  ASSERT_EQ(whole.code, 0) << whole.out << whole.err;
  EXPECT_EQ(whole.err.find("resuming"), std::string::npos) << whole.err;
  EXPECT_TRUE(same_datasets(full, out, kResultDatasets));
}

// 3b. Re-running a finished sweep runs nothing and leaves the same results.
TEST_F(SweepCliTest, RerunningACompleteSweepRunsNothing) {
  const fs::path ref = reference();
  ASSERT_TRUE(fs::exists(ref));
  const std::string out = path("again.h5");
  fs::copy_file(ref, out);
  const Result r = redes("sweep " + quote(kTiny) + " -o " + quote(out));
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("nothing to run"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("resuming: 12 of 12 run(s) already done"), std::string::npos) << r.err;
  EXPECT_TRUE(same_datasets(ref, out, kResultDatasets));
  EXPECT_FALSE(fs::exists(out + ".journal"));
}

// 4. A journal whose last record is torn (cut short, or with bytes that fail the CRC, then
// garbage) resumes from the valid records only and ends identical to the uninterrupted sweep.
TEST_F(SweepCliTest, TornJournalRecordIsDroppedOnResume) {
  const fs::path ref = reference();
  ASSERT_TRUE(fs::exists(ref));
  const sweep::Plan plan(sweep::load_sweep(kTiny));
  std::map<std::int64_t, sweep::RunRecord> runs;
  sweep::read_sweep_runs(ref, plan, [&](sweep::RunRecord&& r) { runs[r.run] = std::move(r); });
  ASSERT_EQ(runs.size(), 12u);

  for (const std::string how : {"cut", "crc"}) {
    SCOPED_TRACE(how);
    const std::string out = path(how + ".h5"), journal = out + ".journal";
    std::uintmax_t before_last = 0;
    {
      sweep::Journal j(journal, sweep::journal_shape(plan));
      for (std::int64_t r : {0, 3, 4, 9, 10}) j.append(runs[r]);
      j.flush();
      before_last = fs::file_size(journal);
      j.append(runs[5]);  // to be torn below
      j.flush();
    }
    const std::uintmax_t record = fs::file_size(journal) - before_last;
    if (how == "cut") {
      fs::resize_file(journal, before_last + record / 2);  // the write a kill interrupted
    } else {
      std::fstream f(journal, std::ios::in | std::ios::out | std::ios::binary);
      f.seekg(std::streamoff(before_last + record / 2));  // inside the metrics: the CRC must catch it
      char c = 0;
      f.get(c);
      f.seekp(std::streamoff(before_last + record / 2));
      f.put(char(c ^ 0x5a));
      f.seekp(0, std::ios::end);
      f << "garbage after a torn record";
    }
    ASSERT_EQ(journal_records(journal, plan).size(), 5u);

    const Result r = redes("sweep " + quote(kTiny) + " -o " + quote(out));
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    EXPECT_NE(r.err.find("resuming: 5 of 12 run(s) already done"), std::string::npos) << r.err;
    EXPECT_NE(r.out.find("ran 7 run(s)"), std::string::npos) << r.out;
    EXPECT_TRUE(same_datasets(ref, out, kResultDatasets));
    EXPECT_FALSE(fs::exists(journal));
  }
}

/// Redoes run `run` of a sweep file alone with `redes run` on the point's scenario (baseline
/// plus the point's values as overrides), its seed and `--replicates r+1`, and checks replicate
/// r's numbers against the sweep's metrics.
void expect_redo_matches(const fs::path& sweep_h5, const std::string& baseline, std::size_t run, const fs::path& dir) {
  SCOPED_TRACE("run " + std::to_string(run) + " of " + sweep_h5.string());
  h5::Reader s(sweep_h5);
  const auto keys = s.scale_labels("/sweep/design/values", 1);
  const auto values = s.read_double("/sweep/design/values");
  const auto metric = s.scale_labels("/sweep/runs/metrics", 1);
  const auto metrics = s.read_double("/sweep/runs/metrics");
  const auto point = std::size_t(s.read_int("/sweep/runs/point")[run]);
  const auto replicate = std::size_t(s.read_int("/sweep/runs/replicate")[run]);
  const auto seed = s.read_int("/sweep/runs/seed")[run];
  const std::size_t D = keys.size(), M = metric.size();
  ASSERT_EQ(s.read_int("/sweep/runs/completed")[run], 1);

  std::ostringstream yaml;
  yaml << std::setprecision(17) << "include: " << baseline << "\noverride:\n";
  for (std::size_t k = 0; k < D; ++k)
    yaml << "  " << keys[k] << ": {value: " << values[point * D + k] << ", assumed: \"sweep point " << point << "\"}\n";
  const fs::path scenario = dir / ("point-" + std::to_string(point) + ".yaml"), out = dir / "redo.h5";
  std::ofstream(scenario) << yaml.str();
  fs::remove(out);
  const Result r = run_shell(redes_cmd("run " + quote(scenario.string()) + " --seed " + std::to_string(seed) +
                                       " --replicates " + std::to_string(replicate + 1) + " -o " + quote(out.string())),
                             dir);
  ASSERT_EQ(r.code, 0) << yaml.str() << r.out << r.err;

  h5::Reader f(out);
  const auto victims = f.read_double("/summary/victims");
  ASSERT_EQ(victims.size(), replicate + 1);
  const auto routes = f.read_double("/summary/attempts_by_route");
  const std::size_t nr = f.shape("/summary/attempts_by_route")[1];
  const auto recorded = f.read_double("/observed/recorded_victims");
  const std::size_t ny = f.shape("/observed/recorded_victims")[1];
  const double attempts = std::accumulate(routes.begin() + std::ptrdiff_t(replicate * nr),
                                          routes.begin() + std::ptrdiff_t((replicate + 1) * nr), 0.0);
  const double rec = std::accumulate(recorded.begin() + std::ptrdiff_t(replicate * ny),
                                     recorded.begin() + std::ptrdiff_t((replicate + 1) * ny), 0.0);
  const double* m = &metrics[run * M];
  EXPECT_GT(m[index_of(metric, "victims")], 0) << "pick a run with victims, or the check is weak";
  EXPECT_EQ(victims[replicate], m[index_of(metric, "victims")]);
  EXPECT_EQ(attempts, m[index_of(metric, "attempts")]);
  EXPECT_EQ(rec, m[index_of(metric, "recorded_victims")]);
}

// 5. Any run of a sweep can be redone alone with `redes run`, with the common seed (default)
// and with per-point seeds (common_random_numbers: false).
TEST_F(SweepCliTest, OneRunRedoneAloneWithRedesRun) {
  const fs::path ref = reference();
  ASSERT_TRUE(fs::exists(ref));
  expect_redo_matches(ref, kTinyScenario, 7, dir_);  // point 3, replicate 1

  const std::string own_seeds =
      write("own-seeds.yaml",
            "name: own-seeds\n"
            "baseline: " +
                kTinyScenario +
                "\n"
                "seed: 11\n"
                "replicates: 2\n"
                "common_random_numbers: false\n"
                "design: {type: grid}\n"
                "parameters:\n"
                "  - {key: recruitment.recruiters.per_100k, min: 150, max: 300, levels: 2}\n");
  const std::string out = path("own-seeds.h5");
  const Result r = redes("sweep " + quote(own_seeds) + " -o " + quote(out));
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  const auto seeds = h5::Reader(out).read_int("/sweep/runs/seed");
  ASSERT_EQ(seeds.size(), 4u);
  EXPECT_EQ(seeds[0], seeds[1]);  // replicates of a point share its seed
  EXPECT_EQ(seeds[2], seeds[3]);
  EXPECT_NE(seeds[0], seeds[2]);  // points do not
  EXPECT_NE(seeds[0], 11);
  expect_redo_matches(out, kTinyScenario, 3, dir_);  // point 1, replicate 1
}

// 6. Bad sweep files fail with exit code 2 and the sweep file's line:column, before any output.
TEST_F(SweepCliTest, BadSweepFilesFailBeforeAnyWork) {
  const std::string head = "name: bad\nbaseline: " + kTinyScenario + "\ndesign: {type: grid}\n";
  struct Case {
    std::string file, text, where, what;
    int code;
  };
  const std::vector<Case> cases = {
      {"bad_key.yaml",
       head + "parameters:\n"
              "  - {key: recruitment.recruiters.per_100k, min: 100, max: 400}\n"
              "  - {key: recruitment.fishing.ad_rat, min: 0.1, max: 0.4}\n",
       "bad_key.yaml:6:5: key 'recruitment.fishing.ad_rat'", "did you mean 'ad_rate'?", 2},
      {"min_max.yaml",
       head + "parameters:\n"
              "  - {key: recruitment.recruiters.per_100k, min: 400, max: 400}\n",
       "min_max.yaml:5:", "max (400) must be greater than min (400)", 2},
      {"bad_output.yaml",
       head + "parameters:\n"
              "  - {key: recruitment.recruiters.per_100k, min: 100, max: 400}\n"
              "outputs: [victims, victims.route.huntin]\n",
       "bad_output.yaml:6:", "did you mean 'victims.route.hunting'?", 2},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    const Result r = redes("sweep " + quote(write(c.file, c.text)) + " -o " + quote(path("out/x.h5")));
    EXPECT_EQ(r.code, c.code) << r.out << r.err;
    EXPECT_NE(r.err.find(c.where), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(c.what), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(path("out"))) << "no output (not even its directory) before the sweep is checked";
  }

  // Command-line mistakes: a shard outside 1..N, and --seed (the seed is the sweep file's).
  Result r = redes("sweep " + quote(kTiny) + " -o " + quote(path("out/x.h5")) + " --shard 4/3");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("--shard expects K/N"), std::string::npos) << r.err;
  r = redes("sweep " + quote(kTiny) + " -o " + quote(path("out/x.h5")) + " --seed 5");
  EXPECT_NE(r.code, 0) << "--seed would be silently ignored";
  EXPECT_NE(r.err.find("seed:"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(path("out")));
}

// 6b. Resuming into a file written by another sweep (here: another seed) fails, names the file,
// and leaves it byte for byte as it was.
TEST_F(SweepCliTest, ResumingIntoAnotherSweepsFileFailsAndLeavesItUntouched) {
  const fs::path ref = reference();
  ASSERT_TRUE(fs::exists(ref));
  const std::string out = path("taken.h5");
  fs::copy_file(ref, out);
  const std::string before = slurp(out);
  std::string text = slurp(kTiny);
  text = std::regex_replace(text, std::regex("\nseed: 7\n"), "\nseed: 8\n");
  text = std::regex_replace(text, std::regex("\nbaseline: .*\n"), "\nbaseline: " + kTinyScenario + "\n");
  ASSERT_NE(text.find("seed: 8"), std::string::npos);
  const std::string other = write("other-seed.yaml", text);

  const Result r = redes("sweep " + quote(other) + " -o " + quote(out));
  EXPECT_EQ(r.code, 3) << r.out << r.err;
  EXPECT_NE(r.err.find(out), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("holds another sweep"), std::string::npos) << r.err;
  EXPECT_TRUE(slurp(out) == before) << "the other sweep's file was changed";
  for (const auto& e : fs::directory_iterator(dir_))
    EXPECT_TRUE(e.path().extension() == ".yaml" || e.path().string() == out) << "left behind: " << e.path();
}

// 7. A 3 x 2 grid with 2 replicates: 12 runs (run = point * 2 + replicate), every combination
// of the levels with the endpoints exact, means per point, no Sobol indices.
TEST_F(SweepCliTest, GridDesignHasEveryCombinationAndNoSensitivity) {
  const fs::path ref = reference();
  ASSERT_TRUE(fs::exists(ref));
  h5::Reader f(ref);
  EXPECT_EQ(f.shape("/sweep/design/values"), (std::vector<std::size_t>{6, 2}));
  EXPECT_EQ(f.dim_labels("/sweep/design/values"), (std::vector<std::string>{"point", "parameter"}));
  EXPECT_EQ(f.scale_labels("/sweep/design/values", 1),
            (std::vector<std::string>{"recruitment.recruiters.per_100k", "recruitment.fishing.ad_rate"}));
  // The last parameter varies fastest.
  EXPECT_EQ(f.read_double("/sweep/design/values"),
            (std::vector<double>{100, 0.1, 100, 0.4, 250, 0.1, 250, 0.4, 400, 0.1, 400, 0.4}));
  EXPECT_EQ(f.read_double("/sweep/design/unit"), (std::vector<double>{0, 0, 0, 1, 0.5, 0, 0.5, 1, 1, 0, 1, 1}));

  EXPECT_EQ(f.shape("/sweep/runs/metrics")[0], 12u);
  EXPECT_EQ(f.dim_labels("/sweep/runs/metrics"), (std::vector<std::string>{"run", "metric"}));
  EXPECT_EQ(f.read_int("/sweep/runs/point"), (std::vector<std::int64_t>{0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5}));
  EXPECT_EQ(f.read_int("/sweep/runs/replicate"), (std::vector<std::int64_t>{0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1}));
  EXPECT_EQ(f.read_int("/sweep/runs/seed"), std::vector<std::int64_t>(12, 7));
  EXPECT_EQ(f.read_int("/sweep/runs/completed"), std::vector<std::int64_t>(12, 1));
  EXPECT_EQ(f.attribute_string("/metadata", "design"), "grid");
  EXPECT_EQ(f.attribute_string("/metadata", "points"), "6");
  EXPECT_EQ(f.attribute_string("/metadata", "runs"), "12");
  EXPECT_EQ(f.attribute_string("/metadata", "kind"), "sweep");

  const auto metrics = f.read_double("/sweep/runs/metrics"), mean = f.read_double("/sweep/points/mean");
  const std::size_t M = f.shape("/sweep/runs/metrics")[1];
  ASSERT_EQ(f.shape("/sweep/points/mean"), (std::vector<std::size_t>{6, M}));
  for (std::size_t p = 0; p < 6; ++p)
    for (std::size_t m = 0; m < M; ++m) {
      const double expected = (metrics[(2 * p) * M + m] + metrics[(2 * p + 1) * M + m]) / 2;
      if (std::isnan(expected)) {
        EXPECT_TRUE(std::isnan(mean[p * M + m])) << p << " " << m;
      } else {
        EXPECT_DOUBLE_EQ(mean[p * M + m], expected) << p << " " << m;
      }
    }
  // More recruiters, more victims (means over replicates at the lowest and highest density).
  const std::size_t v = index_of(f.scale_labels("/sweep/runs/metrics", 1), "victims");
  EXPECT_LT(mean[0 * M + v] + mean[1 * M + v], mean[4 * M + v] + mean[5 * M + v]);

  EXPECT_FALSE(f.exists("/sweep/sensitivity")) << "only complete saltelli designs have Sobol indices";
}

// 7b. A Saltelli design: N (d + 2) points; log-scale integer parameters are integers on the log
// scale; shards have no indices; their merge has /sweep/sensitivity/first as [output][parameter].
// With `trajectories: true` every run keeps its new victims per day, through shards and merge.
TEST_F(SweepCliTest, SaltelliDesignComputesIndicesOnceComplete) {
  const std::string file =
      write("saltelli.yaml",
            "name: saltelli\n"
            "baseline: " +
                kTinyScenario +
                "\n"
                "seed: 5\n"
                "design: {type: saltelli, samples: 2}\n"
                "bootstrap: 50\n"
                "trajectories: true\n"
                "parameters:\n"
                "  - {key: recruitment.recruiters.per_100k, min: 100, max: 400}\n"
                "  - {key: recruitment.recruiters.capacity, min: 2, max: 8, scale: log, integer: true}\n"
                "outputs: [victims, attempts]\n");
  std::vector<std::string> parts;
  for (int k = 1; k <= 2; ++k) {
    const Result r =
        redes("sweep " + quote(file) + " -o " + quote(path("sal.h5")) + " --shard " + std::to_string(k) + "/2");
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("Sobol indices are computed once every run is present"), std::string::npos) << r.out;
    parts.push_back(path("sal.shard-" + std::to_string(k) + "-of-2.h5"));
    EXPECT_FALSE(h5::Reader(parts.back()).exists("/sweep/sensitivity"));
  }
  const std::string merged = path("sal.h5");
  const Result r = redes("merge " + quote(parts[0]) + " " + quote(parts[1]) + " -o " + quote(merged));
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("8 of 8 run(s); Sobol indices computed"), std::string::npos) << r.out;

  h5::Reader f(merged);
  EXPECT_EQ(f.attribute_string("/metadata", "design"), "saltelli");
  EXPECT_EQ(f.shape("/sweep/design/values"), (std::vector<std::size_t>{8, 2}));  // N (d + 2) = 2 * 4
  const auto unit = f.read_double("/sweep/design/unit"), values = f.read_double("/sweep/design/values");
  for (std::size_t p = 0; p < 8; ++p) {
    const double capacity = values[p * 2 + 1];
    EXPECT_EQ(capacity, std::round(std::exp(std::log(2.0) + unit[p * 2 + 1] * (std::log(8.0) - std::log(2.0)))));
    EXPECT_GE(capacity, 2);
    EXPECT_LE(capacity, 8);
    EXPECT_GE(values[p * 2], 100);
    EXPECT_LE(values[p * 2], 400);
  }
  for (const char* d : {"first", "total", "first_lo", "first_hi", "total_lo", "total_hi"}) {
    const std::string ds = std::string("/sweep/sensitivity/") + d;
    ASSERT_TRUE(f.exists(ds)) << ds;
    EXPECT_EQ(f.shape(ds), (std::vector<std::size_t>{2, 2})) << ds;
    EXPECT_EQ(f.dim_labels(ds), (std::vector<std::string>{"output", "parameter"})) << ds;
  }
  EXPECT_EQ(f.scale_labels("/sweep/sensitivity/first", 0), (std::vector<std::string>{"victims", "attempts"}));
  EXPECT_EQ(f.scale_labels("/sweep/sensitivity/first", 1),
            (std::vector<std::string>{"recruitment.recruiters.per_100k", "recruitment.recruiters.capacity"}));
  EXPECT_EQ(f.shape("/sweep/sensitivity/variance"), (std::vector<std::size_t>{2}));

  ASSERT_TRUE(f.exists("/sweep/runs/new_victims"));
  EXPECT_EQ(f.dim_labels("/sweep/runs/new_victims"), (std::vector<std::string>{"run", "day"}));
  const auto shape = f.shape("/sweep/runs/new_victims");
  ASSERT_EQ(shape, (std::vector<std::size_t>{8, 365}));
  const auto daily = f.read_int("/sweep/runs/new_victims");
  const auto metrics = f.read_double("/sweep/runs/metrics");
  const std::size_t M = f.shape("/sweep/runs/metrics")[1],
                    v = index_of(f.scale_labels("/sweep/runs/metrics", 1), "victims");
  double all = 0;
  for (std::size_t run = 0; run < 8; ++run) {
    const auto first = daily.begin() + std::ptrdiff_t(run * 365);
    EXPECT_EQ(double(std::accumulate(first, first + 365, std::int64_t(0))), metrics[run * M + v]) << "run " << run;
    all += metrics[run * M + v];
  }
  EXPECT_GT(all, 0);
}

}  // namespace
}  // namespace redes
