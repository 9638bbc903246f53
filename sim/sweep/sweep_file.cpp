#include "sim/sweep/sweep_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/core/errors.hpp"
#include "sim/output/h5.hpp"
#include "sim/output/output.hpp"
#include "sim/sweep/sensitivity.hpp"

namespace redes::sweep {
namespace fs = std::filesystem;

std::string fingerprint_hex(std::uint64_t fp) { return fmt::format("{:016x}", fp); }

JournalShape journal_shape(const Plan& plan) {
  return {plan.fingerprint(), std::uint32_t(plan.metric_names().size()),
          plan.spec().trajectories ? std::uint32_t(plan.baseline().days) : 0u, plan.runs()};
}

namespace {

h5::Axis index_axis(const std::string& name, std::size_t n) {
  h5::Axis a{name, {}, {}};
  a.values.resize(n);
  for (std::size_t i = 0; i < n; ++i) a.values[i] = std::int64_t(i);
  return a;
}

const char* design_name(DesignType t) {
  return t == DesignType::Grid ? "grid" : t == DesignType::LatinHypercube ? "latin_hypercube" : "saltelli";
}

}  // namespace

WriteStats write_sweep_file(const fs::path& out, const Plan& plan, const RecordSource& records, const FileInfo& info) {
  const auto& spec = plan.spec();
  const std::size_t P = plan.points(), D = spec.parameters.size(), M = plan.metric_names().size();
  const std::size_t R = std::size_t(plan.runs());
  std::vector<std::string> keys;
  for (const auto& p : spec.parameters) keys.push_back(p.key);
  const h5::Axis run_ax = index_axis("run", R), point_ax = index_axis("point", P);
  const h5::Axis par_ax = axis_named("parameter", keys), metric_ax = axis_named("metric", plan.metric_names());

  if (out.has_parent_path()) fs::create_directories(out.parent_path());
  h5::Writer f(out);
  f.group("/sweep/design");
  f.array("/sweep/design/unit", {point_ax, par_ax}, plan.unit().u);
  f.array("/sweep/design/values", {point_ax, par_ax}, plan.values());
  f.attribute("/sweep/design", "type", design_name(spec.design));
  f.attribute("/sweep/design", "samples", std::int64_t(spec.samples));
  std::vector<std::int64_t> point(R), replicate(R), seed(R);
  for (std::size_t r = 0; r < R; ++r) {
    point[r] = std::int64_t(plan.point_of(std::int64_t(r)));
    replicate[r] = plan.replicate_of(std::int64_t(r));
    seed[r] = plan.seed_of(std::size_t(point[r]));
  }
  f.group("/sweep/runs");
  f.array("/sweep/runs/point", {run_ax}, point);
  f.array("/sweep/runs/replicate", {run_ax}, replicate);
  f.array("/sweep/runs/seed", {run_ax}, seed);
  f.create_array_double("/sweep/runs/metrics", {run_ax, metric_ax});
  f.attribute("/sweep/runs/metrics", "estimate",
              "model estimates, one run each; NaN where the run is not in this file");
  if (spec.trajectories)
    f.create_array_int32("/sweep/runs/new_victims", {run_ax, axis_day(plan.baseline().days)}, "persons/day");

  // Stream records to their rows. Point sums are taken afterwards in run order: records arrive in
  // completion order, which differs between a resumed and an uninterrupted sweep, and floating-point
  // addition is not associative.
  std::vector<std::int32_t> completed(R, 0);
  std::vector<double> run_metrics(R * M, 0.0);
  WriteStats stats;
  records([&](RunRecord&& rec) {
    if (rec.run < 0 || std::size_t(rec.run) >= R || rec.metrics.size() != M)
      throw IoError("a run record does not fit this sweep");
    if (completed[std::size_t(rec.run)]) return;
    completed[std::size_t(rec.run)] = 1;
    ++stats.completed;
    f.write_slice("/sweep/runs/metrics", std::size_t(rec.run), rec.metrics);
    if (spec.trajectories) f.write_slice("/sweep/runs/new_victims", std::size_t(rec.run), rec.trajectory);
    std::copy(rec.metrics.begin(), rec.metrics.end(), run_metrics.begin() + std::ptrdiff_t(std::size_t(rec.run) * M));
  });
  std::vector<double> sum(P * M, 0.0);
  std::vector<std::int32_t> count(P, 0);
  for (std::size_t r = 0; r < R; ++r) {
    if (!completed[r]) continue;
    const std::size_t p = plan.point_of(std::int64_t(r));
    ++count[p];
    for (std::size_t m = 0; m < M; ++m) sum[p * M + m] += run_metrics[r * M + m];
  }
  f.array("/sweep/runs/completed", {run_ax}, completed);
  stats.complete = stats.completed == std::int64_t(R);

  std::vector<double> mean(P * M, std::numeric_limits<double>::quiet_NaN());
  for (std::size_t p = 0; p < P; ++p)
    if (count[p] > 0)
      for (std::size_t m = 0; m < M; ++m) mean[p * M + m] = sum[p * M + m] / count[p];
  f.group("/sweep/points");
  f.array("/sweep/points/mean", {point_ax, metric_ax}, mean);
  f.attribute("/sweep/points/mean", "estimate", "model estimates: mean over the point's replicates in this file");

  if (spec.design == DesignType::Saltelli && stats.complete) {
    const std::size_t O = spec.outputs.size();
    std::vector<double> first(O * D), total(O * D), flo(O * D), fhi(O * D), tlo(O * D), thi(O * D), var(O);
    for (std::size_t o = 0; o < O; ++o) {
      const auto it = std::find(plan.metric_names().begin(), plan.metric_names().end(), spec.outputs[o]);
      const std::size_t m = std::size_t(it - plan.metric_names().begin());
      std::vector<double> y(P);
      for (std::size_t p = 0; p < P; ++p) y[p] = mean[p * M + m];
      SobolIndices s = sobol_indices(plan.unit().base, D, y, spec.bootstrap, 0.95, spec.seed);
      for (std::size_t k = 0; k < D; ++k) {
        first[o * D + k] = s.first[k], total[o * D + k] = s.total[k];
        flo[o * D + k] = s.first_lo[k], fhi[o * D + k] = s.first_hi[k];
        tlo[o * D + k] = s.total_lo[k], thi[o * D + k] = s.total_hi[k];
      }
      var[o] = s.variance;
    }
    const h5::Axis out_ax = axis_named("output", spec.outputs);
    f.group("/sweep/sensitivity");
    f.attribute("/sweep/sensitivity", "method",
                "Saltelli (2010) first-order and Jansen (1999) total Sobol indices of the mean over replicates; "
                "95% bootstrap percentile intervals over base rows");
    f.attribute("/sweep/sensitivity", "bootstrap", std::int64_t(spec.bootstrap));
    f.array("/sweep/sensitivity/first", {out_ax, par_ax}, first);
    f.array("/sweep/sensitivity/total", {out_ax, par_ax}, total);
    f.array("/sweep/sensitivity/first_lo", {out_ax, par_ax}, flo);
    f.array("/sweep/sensitivity/first_hi", {out_ax, par_ax}, fhi);
    f.array("/sweep/sensitivity/total_lo", {out_ax, par_ax}, tlo);
    f.array("/sweep/sensitivity/total_hi", {out_ax, par_ax}, thi);
    f.array("/sweep/sensitivity/variance", {out_ax}, var);
    stats.sensitivity = true;
  }

  write_metadata(f, plan.baseline(), "sweep", spec.seed, spec.replicates, info.threads, info.started_at);
  f.attribute("/metadata", "sweep_name", spec.name);
  // Absolute: `redes merge` reopens the sweep file from here by default, often from another directory.
  f.attribute("/metadata", "sweep_file", fs::absolute(spec.file).lexically_normal().string());
  f.attribute("/metadata", "sweep_text", spec.text);
  f.attribute("/metadata", "sweep_fingerprint", fingerprint_hex(plan.fingerprint()));
  f.attribute("/metadata", "design", design_name(spec.design));
  f.attribute("/metadata", "points", std::int64_t(P));
  f.attribute("/metadata", "runs", std::int64_t(R));
  f.attribute("/metadata", "runs_completed", stats.completed);
  f.attribute("/metadata", "common_random_numbers", std::int64_t(spec.common_random_numbers));
  f.attribute("/metadata", "part", info.part.empty() ? "whole sweep" : info.part);
  f.attribute("/metadata", "ranks", std::int64_t(info.ranks));
  f.commit();
  return stats;
}

void read_sweep_runs(const fs::path& file, const Plan& plan, const std::function<void(RunRecord&&)>& each) {
  h5::Reader in(file);
  if (!in.exists("/metadata") || in.attribute_string("/metadata", "kind") != "sweep")
    throw IoError(file.string() + ": not a redes sweep file");
  const std::string fp = in.attribute_string("/metadata", "sweep_fingerprint");
  if (fp != fingerprint_hex(plan.fingerprint()))
    throw IoError(file.string() + ": holds another sweep (fingerprint " + fp + ", expected " +
                  fingerprint_hex(plan.fingerprint()) +
                  "): the sweep file, its baseline, the design or the program version changed. Remove it or choose "
                  "another output name");
  const auto completed = in.read_int("/sweep/runs/completed");
  const auto metrics = in.read_double("/sweep/runs/metrics");
  const std::size_t M = plan.metric_names().size();
  std::vector<std::int64_t> traj;
  const std::size_t days = plan.spec().trajectories ? std::size_t(plan.baseline().days) : 0;
  if (days) traj = in.read_int("/sweep/runs/new_victims");
  if (completed.size() != std::size_t(plan.runs()) || metrics.size() != completed.size() * M ||
      traj.size() != completed.size() * days)
    throw IoError(file.string() + ": run tables do not match the sweep's shape");
  for (std::size_t r = 0; r < completed.size(); ++r) {
    if (!completed[r]) continue;
    RunRecord rec;
    rec.run = std::int64_t(r);
    rec.metrics.assign(metrics.begin() + std::ptrdiff_t(r * M), metrics.begin() + std::ptrdiff_t((r + 1) * M));
    for (std::size_t d = 0; d < days; ++d) rec.trajectory.push_back(std::int32_t(traj[r * days + d]));
    each(std::move(rec));
  }
}

}  // namespace redes::sweep
