// cli: `redes sweep` and `redes merge`. A sweep is run by sweep_study (sim/study/sweep_study.hpp:
// local, shards, MPI, resume from the journal) and a merge by merge_study; here the arguments are
// parsed and the result printed (sim/present/sweep_summary).
#include <fmt/format.h>

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <optional>

#include "sim/cli/commands.hpp"
#include "sim/i18n/messages.hpp"
#include "sim/present/console.hpp"
#include "sim/present/sweep_summary.hpp"
#include "sim/study/sweep_study.hpp"

namespace redes {
namespace {

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
      std::fprintf(stderr, "resuming: %lld of %lld run(s) already done\n", static_cast<long long>(already_done),
                   static_cast<long long>(already_done) + static_cast<long long>(to_run));
    return &progress.emplace("sweep", to_run, true).done;
  };
  cb.runs_done = [&] { progress.reset(); };  // the bar's last line before the file is written
  const SweepResult res = sweep_study(SweepRequest{opt.file, opt.output, shard, shards, opt.threads}, cb);
  if (res.wrote) std::fputs(describe_sweep(res).c_str(), stdout);
  return 0;
}

int cmd_merge(const Options& opt) {
  const MergeResult res = merge_study({opt.files.begin(), opt.files.end()}, opt.file, opt.output, opt.threads);
  const sweep::WriteStats& st = res.stats;
  print_tr("merge.done", fmt::arg("parts", opt.files.size()), fmt::arg("name", res.plan->spec().name),
           fmt::arg("out", opt.output), fmt::arg("completed", (long long)st.completed),
           fmt::arg("runs", (long long)res.plan->runs()),
           fmt::arg("state", st.complete ? (st.sensitivity ? tr("merge.sobol") : "") : tr("merge.incomplete")));
  return 0;
}

}  // namespace redes
