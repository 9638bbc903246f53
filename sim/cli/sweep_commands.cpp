// cli: `redes sweep` and `redes merge`. A sweep is run by sweep_study (sim/study/sweep_study.hpp:
// local, shards, MPI, resume from the journal); here the arguments are parsed and the result printed.
#include <fmt/format.h>

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <optional>

#include "sim/cli/commands.hpp"
#include "sim/cli/console.hpp"
#include "sim/cli/i18n.hpp"
#include "sim/output/h5.hpp"
#include "sim/output/output.hpp"
#include "sim/output/safe_output.hpp"
#include "sim/study/sweep_study.hpp"
#include "sim/sweep/spec.hpp"
#include "sim/sweep/sweep_file.hpp"

namespace redes {
namespace {

namespace fs = std::filesystem;
using namespace sweep;

/// "K/N" -> (K, N). from_chars reports overflow (sscanf's %d wrapped 1/4294967297 into "1 of 1").
std::pair<int, int> parse_shard(const std::string& text) {
  int k = 1, n = 1;
  if (text.empty()) return {k, n};
  const char* const end = text.data() + text.size();
  auto [p1, e1] = std::from_chars(text.data(), end, k);
  bool ok = e1 == std::errc() && p1 < end && *p1 == '/';
  if (ok) {
    auto [p2, e2] = std::from_chars(p1 + 1, end, n);
    ok = e2 == std::errc() && p2 == end;
  }
  if (!ok || n < 1 || k < 1 || k > n)
    throw std::invalid_argument("--shard expects K/N with 1 <= K <= N <= " + std::to_string(INT32_MAX) +
                                ", e.g. --shard 2/8; got '" + text + "'");
  return {k, n};
}

void print_result(const SweepResult& res) {
  const Plan& plan = *res.plan;
  const WriteStats& st = res.stats;
  const double wall = res.wall_seconds, run_phase = res.run_phase_seconds;
  const auto& spec = plan.spec();
  print_tr("sweep.header", fmt::arg("name", spec.name), fmt::arg("points", plan.points()), fmt::arg("replicates", spec.replicates),
           fmt::arg("runs", (long long)plan.runs()), fmt::arg("completed", (long long)st.completed), fmt::arg("out", res.output.string()));
  if (res.ran > 0) {
    print_tr("sweep.ran", fmt::arg("ran", (long long)res.ran), fmt::arg("wall", wall), fmt::arg("ranks", res.ranks),
             fmt::arg("rate", 60.0 * double(res.ran) / wall), fmt::arg("outside", 100.0 * (wall - run_phase) / wall));
    if (res.in_runs_seconds > 0)
      print_tr("sweep.in_runs", fmt::arg("share", 100.0 * (res.in_runs_seconds - res.engine_seconds) / res.in_runs_seconds));
  } else {
    print_tr("sweep.nothing");
  }
  if (!st.complete) print_tr("sweep.incomplete", fmt::arg("missing", (long long)(plan.runs() - st.completed)));
  if (st.sensitivity) {
    h5::Reader in(res.output);
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

}  // namespace

int cmd_sweep(const Options& opt) {
  const auto [shard, shards] = parse_shard(opt.shard);
  // The seed belongs to the sweep file: it is part of the sweep's fingerprint, which resume and
  // merge check against the file, so a command-line seed would be silently ignored or split a sweep.
  if (opt.seed) throw std::invalid_argument("sweep: --seed is not used by sweeps; set `seed:` in the sweep file");
  std::optional<Progress> progress;
  SweepCallbacks cb;
  cb.start = [&](std::int64_t to_run, std::int64_t already_done) {
    if (already_done > 0)
      std::fprintf(stderr, "resuming: %lld of %lld run(s) already done\n", (long long)already_done,
                   (long long)(already_done + to_run));
    return &progress.emplace("sweep", to_run, true).done;
  };
  cb.runs_done = [&] { progress.reset(); };  // the bar's last line before the file is written
  const SweepResult res = sweep_study(SweepRequest{opt.file, opt.output, shard, shards, opt.threads}, cb);
  if (res.wrote) print_result(res);
  return 0;
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
