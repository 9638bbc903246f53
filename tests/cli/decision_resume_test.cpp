// End-to-end tests of resuming `redes optimize` and `redes compare --draws` from their journal
// (`<output>.journal`): interrupted by SIGINT once some runs are journaled, the process exits 130
// leaving the journal and nothing under the final name; the same command then simulates only what
// is left and writes a file equal bit for bit to an uninterrupted run's, and removes the journal.
// A journal of another request (another seed, budget) is refused and left as it was. Runs the
// tiny decision scenario (2,000 persons, 2 years), 2 draws x 2 replicates. Under mpirun the same
// holds with the runs spread over ranks.
#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "sim/output/h5.hpp"
#include "tests/support/same_datasets.hpp"
#include "tests/support/shell.hpp"
#include "tests/support/temp_dir.hpp"

namespace redes {
namespace {

namespace fs = std::filesystem;
using testing::quote;
using testing::same_datasets;
using testing::slurp;

const std::string kRoot = REDES_SOURCE_DIR;
const std::string kBase = kRoot + "/tests/data/decision_tiny.yaml";

/// Every dataset under `group` (recursively), from the names children() lists.
std::vector<std::string> datasets_under(const fs::path& file, const std::string& group) {
  h5::Reader r(file);
  std::vector<std::string> out, todo{group};
  while (!todo.empty()) {
    const std::string g = todo.back();
    todo.pop_back();
    for (const auto& name : r.children(g)) {
      const std::string p = g + "/" + name;
      bool is_group = false;
      try {
        r.children(p);
        is_group = true;
      } catch (const std::exception&) {
      }
      (is_group ? todo : out).push_back(p);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct Exit {
  int code = -1, signal = 0;
  std::string out, err;
};

class DecisionResumeCli : public ::testing::Test {
 protected:
  testing::ShellResult redes(const std::vector<std::string>& args) const {
    std::string cmd = "timeout -k 5 300 " + quote(REDES_BINARY);
    for (const auto& a : args) cmd += " " + quote(a);
    return testing::run_shell(cmd, dir_);
  }

  /// Starts `redes args` and sends it SIGINT once `journal` holds at least `bytes` (the header
  /// and a few records); fails the test if it ends first.
  Exit interrupt_once_journaled(std::vector<std::string> args, const fs::path& journal, std::uintmax_t bytes) const {
    const std::string bin = REDES_BINARY, out = (dir_ / "run.out").string(), err = (dir_ / "run.err").string();
    args.insert(args.begin(), bin);
    Exit e;
    const pid_t pid = testing::spawn_logged(args, out, err);
    if (pid < 0) return e;
    int status = 0;
    bool ended = false;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(240);
    while (std::chrono::steady_clock::now() < deadline) {
      if (::waitpid(pid, &status, WNOHANG) == pid) {
        ended = true;
        break;
      }
      std::error_code ec;
      if (fs::file_size(journal, ec) >= bytes && !ec) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (!ended) {
      ::kill(pid, SIGINT);
      ::waitpid(pid, &status, 0);
    }
    e.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    e.signal = ended ? -1 : SIGINT;  // -1: it ended before it could be interrupted
    e.out = slurp(out), e.err = slurp(err);
    return e;
  }

  /// Interrupts `args` + `-o out`, checks what an interruption leaves, resumes it and checks the
  /// result against an uninterrupted run into `full`. Returns the journal's bytes at the interruption.
  std::string interrupt_and_resume(const std::vector<std::string>& args, const fs::path& out, const fs::path& full,
                                   int total_runs) {
    const fs::path journal = out.string() + ".journal";
    std::vector<std::string> with_out = args;
    with_out.insert(with_out.end(), {"-o", out.string()});
    const Exit killed = interrupt_once_journaled(with_out, journal, 1500);
    EXPECT_EQ(killed.signal, SIGINT) << "it ended before it could be interrupted; make it longer\n"
                                     << killed.out << killed.err;
    EXPECT_EQ(killed.code, 130) << killed.err;  // as `redes sweep`: 128 + SIGINT
    EXPECT_NE(killed.err.find("completed runs are kept in '" + journal.string() + "'"), std::string::npos)
        << killed.err;
    EXPECT_FALSE(fs::exists(out)) << "an interrupted study must leave nothing under the final name";
    EXPECT_TRUE(fs::exists(journal));
    for (const auto& e : fs::directory_iterator(dir_))  // no temporary or lock file stays behind
      if (e.path().filename().string().rfind(out.filename().string(), 0) == 0) {
        EXPECT_EQ(e.path(), journal) << "left behind: " << e.path();
      }
    const std::string kept = slurp(journal);

    const auto resumed = redes(with_out);
    EXPECT_EQ(resumed.code, 0) << resumed.err << resumed.out;
    std::smatch m;
    const std::regex said("resuming: ([0-9]+) run\\(s\\) already done");
    EXPECT_TRUE(std::regex_search(resumed.err, m, said)) << resumed.err;
    if (!m.empty()) {
      EXPECT_GE(std::stoi(m[1]), 2);           // the header and a few records were there ...
      EXPECT_LT(std::stoi(m[1]), total_runs);  // ... but not every run
    }
    EXPECT_FALSE(fs::exists(journal)) << "the journal is removed once the file is written";

    std::vector<std::string> whole = args;
    whole.insert(whole.end(), {"-o", full.string()});
    const auto uninterrupted = redes(whole);
    EXPECT_EQ(uninterrupted.code, 0) << uninterrupted.err;
    EXPECT_EQ(uninterrupted.err.find("resuming"), std::string::npos) << uninterrupted.err;
    // Same numbers printed, same datasets bit for bit.
    EXPECT_EQ(resumed.out.substr(0, resumed.out.rfind("wrote")),
              uninterrupted.out.substr(0, uninterrupted.out.rfind("wrote")));
    return kept;
  }

  const redes::testing::TempDir tmp_{"redes-resume"};
  const fs::path& dir_ = tmp_.path;
};

// 6 allocations (baseline included) x 2 draws x 2 replicates = 24 runs.
TEST_F(DecisionResumeCli, InterruptedOptimizeResumesToTheSameFileAndRefusesAnotherBudgetsJournal) {
  const std::vector<std::string> args = {
      "optimize",     kBase,    "--options", kRoot + "/tests/data/optimize_tiny.yaml",
      "--budget",     "500000", "--draws",   "2",
      "--replicates", "2",      "--seed",    "5",
      "--threads",    "2"};
  const fs::path out = dir_ / "opt.h5", full = dir_ / "full.h5";
  const std::string journal_bytes = interrupt_and_resume(args, out, full, 24);
  const auto names = datasets_under(full, "/optimize");
  EXPECT_EQ(names, datasets_under(out, "/optimize"));
  EXPECT_GE(names.size(), 20u);  // allocations (11), best coverage, equity by 3 dimensions x 3
  EXPECT_TRUE(same_datasets(full, out, names));
  EXPECT_EQ(h5::Reader(full).attribute_string("/optimize", "best_allocation"),
            h5::Reader(out).attribute_string("/optimize", "best_allocation"));

  // The journal of this request, left by an interruption, is refused by another budget, untouched.
  const fs::path other = dir_ / "other.h5", other_journal = dir_ / "other.h5.journal";
  { std::ofstream(other_journal, std::ios::binary) << journal_bytes; }
  auto changed = args;
  changed[5] = "400000";
  changed.insert(changed.end(), {"-o", other.string()});
  const auto refused = redes(changed);
  EXPECT_EQ(refused.code, 3) << refused.err;
  EXPECT_NE(refused.err.find(other_journal.string() + ": this journal was written for another request"),
            std::string::npos)
      << refused.err;
  EXPECT_FALSE(fs::exists(other));
  EXPECT_EQ(slurp(other_journal), journal_bytes);
}

// 3 arms x 2 draws x 2 replicates = 12 runs.
TEST_F(DecisionResumeCli, InterruptedCompareDrawsResumesToTheSameFileAndRefusesAnotherSeedsJournal) {
  const std::vector<std::string> args = {"compare",
                                         kBase,
                                         kRoot + "/scenarios/workshop/literacy.yaml",
                                         kRoot + "/scenarios/workshop/reporting.yaml",
                                         "--draws",
                                         "2",
                                         "--replicates",
                                         "2",
                                         "--seed",
                                         "5",
                                         "--threads",
                                         "2"};
  const fs::path out = dir_ / "cmp.h5", full = dir_ / "full.h5";
  const std::string journal_bytes = interrupt_and_resume(args, out, full, 12);
  const auto names = datasets_under(full, "/decision");
  EXPECT_EQ(names, datasets_under(out, "/decision"));
  EXPECT_GE(names.size(), 15u);  // the CE plane, summaries, frontier, CEAC, EVPI, EVPPI, inputs
  EXPECT_TRUE(same_datasets(full, out, names));

  // Another seed is another request: its journal is refused (in Spanish too), and left as it was.
  const fs::path other = dir_ / "other.h5", other_journal = dir_ / "other.h5.journal";
  { std::ofstream(other_journal, std::ios::binary) << journal_bytes; }
  auto changed = args;
  changed[9] = "6";
  changed.insert(changed.end(), {"-o", other.string()});
  auto refused = redes(changed);
  EXPECT_EQ(refused.code, 3) << refused.err;
  EXPECT_NE(refused.err.find(other_journal.string() + ": this journal was written for another request"),
            std::string::npos)
      << refused.err;
  changed.insert(changed.begin(), {"--lang", "es"});
  refused = redes(changed);
  EXPECT_EQ(refused.code, 3) << refused.err;
  EXPECT_NE(refused.err.find(other_journal.string() + ": este diario se escribió para otro pedido"), std::string::npos)
      << refused.err;
  EXPECT_FALSE(fs::exists(other));
  EXPECT_EQ(slurp(other_journal), journal_bytes);
}

// Under mpirun with 3 ranks (rank 0 hands runs out, journals and writes; ranks 1-2 simulate):
// an optimize interrupted in one process resumes under MPI, and a compare --draws runs under MPI,
// each to the file one uninterrupted process writes, bit for bit.
TEST_F(DecisionResumeCli, MpiRanksResumeAndRunToTheSameFilesAsOneProcess) {
  if (!REDES_MPI) GTEST_SKIP() << "redes was built without MPI (REDES_MPI=0)";
  if (std::system("command -v mpirun >/dev/null 2>&1") != 0) GTEST_SKIP() << "mpirun is not on PATH";
  // --allow-run-as-root: CI runs as root; oversubscribe: 3 ranks on 2 cores.
  const std::string mpirun =
      "timeout -k 5 300 env OMPI_MCA_rmaps_base_oversubscribe=1 mpirun --allow-run-as-root --oversubscribe -np 3 " +
      quote(REDES_BINARY);
  auto line = [](const std::vector<std::string>& args) {
    std::string s;
    for (const auto& a : args) s += " " + quote(a);
    return s;
  };

  const std::vector<std::string> opt = {"optimize",     kBase,    "--options", kRoot + "/tests/data/optimize_tiny.yaml",
                                        "--budget",     "500000", "--draws",   "2",
                                        "--replicates", "2",      "--seed",    "5",
                                        "--threads",    "1"};
  const fs::path out = dir_ / "opt.h5", full = dir_ / "full.h5", journal = dir_ / "opt.h5.journal";
  auto with = [](std::vector<std::string> args, const fs::path& o) {
    args.insert(args.end(), {"-o", o.string()});
    return args;
  };
  const Exit killed = interrupt_once_journaled(with(opt, out), journal, 1500);
  ASSERT_EQ(killed.signal, SIGINT) << killed.err;
  ASSERT_TRUE(fs::exists(journal));
  auto r = testing::run_shell(mpirun + line(with(opt, out)), dir_);
  ASSERT_EQ(r.code, 0) << r.err << r.out;
  EXPECT_NE(r.err.find("resuming: "), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(journal));
  ASSERT_EQ(redes(with(opt, full)).code, 0);
  EXPECT_TRUE(same_datasets(full, out, datasets_under(full, "/optimize")));

  const std::vector<std::string> cmp = {"compare",   kBase,    kRoot + "/scenarios/workshop/literacy.yaml",
                                        "--draws",   "2",      "--replicates",
                                        "2",         "--seed", "5",
                                        "--threads", "1"};
  const fs::path mpi = dir_ / "cmp-mpi.h5", one = dir_ / "cmp-one.h5";
  r = testing::run_shell(mpirun + line(with(cmp, mpi)), dir_);
  ASSERT_EQ(r.code, 0) << r.err << r.out;
  const auto alone = redes(with(cmp, one));
  ASSERT_EQ(alone.code, 0) << alone.err;
  EXPECT_EQ(r.out.substr(0, r.out.rfind("wrote")),
            alone.out.substr(0, alone.out.rfind("wrote")));  // printed once, by rank 0
  EXPECT_TRUE(same_datasets(one, mpi, datasets_under(one, "/decision")));
  EXPECT_FALSE(fs::exists(mpi.string() + ".journal"));
}

}  // namespace
}  // namespace redes
