// The calibration HDF5 file and the calibrated scenario written from a posterior.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>

#include "sim/calibration/calibration.hpp"
#include "sim/core/errors.hpp"
#include "sim/output/h5.hpp"
#include "sim/output/output.hpp"

namespace redes::calib {
namespace fs = std::filesystem;

namespace {

constexpr std::uint32_t kBootstrap = 400;  // resamples for the median's Monte Carlo error

// Weighted quantile of per-particle values (the posterior's simulated outputs), NaN ignored.
double weighted_q(const std::vector<double>& x, const std::vector<double>& w, double q) {
  std::vector<std::pair<double, double>> vw;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (std::isfinite(x[i]) && w[i] > 0) vw.emplace_back(x[i], w[i]);
  return vw.empty() ? std::numeric_limits<double>::quiet_NaN() : weighted_quantile(vw, q);
}

}  // namespace

std::vector<PointCheck> predictive_check(const CalibrationSpec& spec, const CalibrationResult& res) {
  std::vector<PointCheck> out;
  const auto& w = res.abc.posterior().weight;
  std::size_t T = 0;
  for (const auto& t : spec.targets) T += t.points.size();
  std::size_t j = 0;
  for (const auto& t : spec.targets)
    for (const auto& p : t.points) {
      PointCheck c;
      c.label = p.label;
      c.unit = unit_name(t.unit);
      c.observed = p.observed;
      c.fitted = t.fitted;
      c.share = t.share;
      std::vector<double> x(res.one_run.size());
      for (std::size_t i = 0; i < x.size(); ++i) x[i] = res.one_run[i][j];
      c.expected_median = weighted_q(x, w, 0.5), c.expected_lo = weighted_q(x, w, 0.05),
      c.expected_hi = weighted_q(x, w, 0.95);
      // The records: every particle's kRecordDraws draws, each with its particle's weight.
      const std::size_t n = res.record.size();
      const auto records_of = [&](const std::vector<std::size_t>& particles, std::vector<double>& xr,
                                  std::vector<double>& wr) {
        xr.clear(), wr.clear();
        for (std::size_t i : particles)
          for (int m = 0; m < kRecordDraws; ++m)
            xr.push_back(res.record[i][std::size_t(m) * T + j]), wr.push_back(w[i]);
      };
      std::vector<std::size_t> all(n);
      std::iota(all.begin(), all.end(), std::size_t{0});
      std::vector<double> rec, wrec;
      records_of(all, rec, wrec);
      c.median = weighted_q(rec, wrec, 0.5), c.lo = weighted_q(rec, wrec, 0.05), c.hi = weighted_q(rec, wrec, 0.95);
      c.inside = p.observed >= c.lo && p.observed <= c.hi;
      double beyond = 0, total = 0;
      for (std::size_t k = 0; k < rec.size(); ++k)
        if (std::isfinite(rec[k])) {
          total += wrec[k];
          beyond += (p.observed >= c.median ? rec[k] >= p.observed : rec[k] <= p.observed) ? wrec[k] : 0.0;
        }
      c.tail = total > 0 ? beyond / total : std::numeric_limits<double>::quiet_NaN();
      // Monte Carlo error of the median: the particles resampled with replacement (weights and
      // draws kept). It does not rerun the SMC, so it understates the error of a whole new fit.
      std::vector<double> medians;
      std::vector<std::size_t> pick(n);
      for (std::uint32_t b = 0; b < kBootstrap && n > 0; ++b) {
        Draws d(Rng(spec.seed, 0), std::uint32_t(j), b, Stream::Bootstrap);
        for (auto& k : pick) k = d.below(std::uint32_t(n));
        records_of(pick, rec, wrec);
        if (const double m = weighted_q(rec, wrec, 0.5); std::isfinite(m)) medians.push_back(m);
      }
      std::sort(medians.begin(), medians.end());
      const auto at = [&](double q) {
        return medians.empty() ? std::numeric_limits<double>::quiet_NaN()
                               : medians[std::size_t(std::lround(q * double(medians.size() - 1)))];
      };
      c.median_mc_lo = at(0.05), c.median_mc_hi = at(0.95);
      c.reachable = j < res.sim_min.size() && p.observed >= res.sim_min[j] && p.observed <= res.sim_max[j];
      out.push_back(c);
      ++j;
    }
  return out;
}

Interval posterior_interval(const CalibrationResult& res, const std::vector<double>& x) {
  const auto& w = res.abc.posterior().weight;
  return {weighted_q(x, w, 0.5), weighted_q(x, w, 0.05), weighted_q(x, w, 0.95)};
}

std::vector<double> hidden_victims(const CalibrationResult& res) {
  std::vector<double> h(res.true_victims.size());
  for (std::size_t i = 0; i < h.size(); ++i) h[i] = res.true_victims[i] - res.recorded_victims[i];
  return h;
}

void write_calibration_file(const fs::path& out, const CalibrationSpec& spec, const CalibrationResult& res, int threads,
                            const std::string& started_at) {
  const Generation& post = res.abc.posterior();
  const std::size_t N = post.theta.size(), P = spec.parameters.size(), G = res.abc.generations.size();
  std::vector<std::string> keys, labels, target_of;
  for (const auto& p : spec.parameters) keys.push_back(p.key);
  for (const auto& t : spec.targets)
    for (const auto& p : t.points) labels.push_back(p.label), target_of.push_back(t.name);
  const std::size_t T = labels.size();
  const h5::Axis par_ax = axis_named("parameter", keys), tp_ax = axis_named("target_point", labels);
  h5::Axis particle_ax{"particle", {}, {}}, gen_ax{"generation", {}, {}};
  for (std::size_t i = 0; i < N; ++i) particle_ax.values.push_back(std::int64_t(i));
  for (std::size_t g = 0; g < G; ++g) gen_ax.values.push_back(std::int64_t(g));

  if (out.has_parent_path()) fs::create_directories(out.parent_path());
  h5::Writer f(out);
  f.group("/calibration/posterior");
  std::vector<double> theta(N * P), all(G * N * P, std::numeric_limits<double>::quiet_NaN());
  for (std::size_t i = 0; i < N; ++i)
    for (std::size_t k = 0; k < P; ++k) theta[i * P + k] = post.theta[i][k];
  for (std::size_t g = 0; g < G; ++g)
    for (std::size_t i = 0; i < res.abc.generations[g].theta.size(); ++i)
      for (std::size_t k = 0; k < P; ++k) all[(g * N + i) * P + k] = res.abc.generations[g].theta[i][k];
  f.array("/calibration/posterior/theta", {particle_ax, par_ax}, theta);
  f.array("/calibration/posterior/weight", {particle_ax}, post.weight);
  f.array("/calibration/posterior/distance", {particle_ax}, post.distance);
  f.array("/calibration/posterior/true_victims", {particle_ax}, res.true_victims, "persons");
  f.array("/calibration/posterior/recorded_victims", {particle_ax}, res.recorded_victims, "persons");
  f.attribute("/calibration/posterior", "estimate",
              "model estimates: weighted ABC-SMC posterior particles; victims over the whole simulated period, scaled "
              "to the represented population");
  f.array("/calibration/generations/theta", {gen_ax, particle_ax, par_ax}, all);
  std::vector<double> eps, acc, ess, sims;
  for (const auto& g : res.abc.generations)
    eps.push_back(g.epsilon), acc.push_back(g.acceptance), ess.push_back(g.ess), sims.push_back(double(g.simulations));
  f.array("/calibration/generations/epsilon", {gen_ax}, eps);
  f.array("/calibration/generations/acceptance", {gen_ax}, acc, "fraction");
  f.array("/calibration/generations/ess", {gen_ax}, ess, "particles");
  f.array("/calibration/generations/simulations", {gen_ax}, sims);

  // Parameters: prior bounds and posterior median with 5-95% interval.
  std::vector<double> lo(P), hi(P), med(P), q05(P), q95(P);
  for (std::size_t k = 0; k < P; ++k) {
    lo[k] = spec.parameters[k].lo, hi[k] = spec.parameters[k].hi;
    med[k] = weighted_quantile(post, k, 0.5), q05[k] = weighted_quantile(post, k, 0.05),
    q95[k] = weighted_quantile(post, k, 0.95);
  }
  f.group("/calibration/summary");
  f.array("/calibration/summary/prior_min", {par_ax}, lo);
  f.array("/calibration/summary/prior_max", {par_ax}, hi);
  f.array("/calibration/summary/median", {par_ax}, med);
  f.array("/calibration/summary/q05", {par_ax}, q05);
  f.array("/calibration/summary/q95", {par_ax}, q95);
  // Fit: observed vs the posterior's simulated values of every target point.
  // Posterior predictive check of every target point, fitted or left out.
  const auto ppc = predictive_check(spec, res);
  std::vector<double> fitm(N * T), onem(N * T), recm;
  for (std::size_t j = 0; j < T; ++j)
    for (std::size_t i = 0; i < N; ++i) fitm[i * T + j] = res.fit[i][j], onem[i * T + j] = res.one_run[i][j];
  for (std::size_t i = 0; i < N; ++i) recm.insert(recm.end(), res.record[i].begin(), res.record[i].end());
  h5::Axis draw_ax{"record_draw", {}, {}};
  for (int m = 0; m < kRecordDraws; ++m) draw_ax.values.push_back(std::int64_t(m));
  const auto column = [&](double PointCheck::*field) {
    std::vector<double> v;
    for (const auto& c : ppc) v.push_back(c.*field);
    return v;
  };
  f.group("/calibration/fit");
  f.array("/calibration/fit/observed", {tp_ax}, column(&PointCheck::observed));
  f.array("/calibration/fit/model_median", {tp_ax}, column(&PointCheck::median));
  f.array("/calibration/fit/model_q05", {tp_ax}, column(&PointCheck::lo));
  f.array("/calibration/fit/model_q95", {tp_ax}, column(&PointCheck::hi));
  f.array("/calibration/fit/median_mc_q05", {tp_ax}, column(&PointCheck::median_mc_lo));
  f.array("/calibration/fit/median_mc_q95", {tp_ax}, column(&PointCheck::median_mc_hi));
  f.array("/calibration/fit/tail_probability", {tp_ax}, column(&PointCheck::tail), "fraction");
  f.array("/calibration/fit/expected_median", {tp_ax}, column(&PointCheck::expected_median));
  f.array("/calibration/fit/expected_q05", {tp_ax}, column(&PointCheck::expected_lo));
  f.array("/calibration/fit/expected_q95", {tp_ax}, column(&PointCheck::expected_hi));
  f.array("/calibration/fit/model", {particle_ax, tp_ax}, fitm);
  f.array("/calibration/fit/model_one_run", {particle_ax, tp_ax}, onem);
  f.array("/calibration/fit/record", {particle_ax, draw_ax, tp_ax}, recm);
  f.attribute("/calibration/fit", "target_of_point", fmt::format("{}", fmt::join(target_of, "|")));
  std::vector<std::int32_t> inside(T), fitted(T), reachable(T), share(T);
  std::vector<std::string> unit_of;
  for (std::size_t k = 0; k < T; ++k)
    inside[k] = ppc[k].inside, fitted[k] = ppc[k].fitted, reachable[k] = ppc[k].reachable, share[k] = ppc[k].share,
    unit_of.push_back(ppc[k].unit);
  f.array("/calibration/fit/inside", {tp_ax}, inside);
  f.array("/calibration/fit/fitted", {tp_ax}, fitted);
  f.array("/calibration/fit/reachable", {tp_ax}, reachable);
  f.array("/calibration/fit/share", {tp_ax}, share);
  f.array("/calibration/fit/simulated_min", {tp_ax}, res.sim_min);
  f.array("/calibration/fit/simulated_max", {tp_ax}, res.sim_max);
  f.attribute("/calibration/fit", "unit_of_point", fmt::format("{}", fmt::join(unit_of, "|")));
  f.attribute("/calibration/fit", "left_out", fmt::format("{}", fmt::join(spec.leave_out, "|")));
  f.attribute("/calibration/fit", "runs_per_point",
              std::int64_t(spec.replicates));  // model values: mean (counts) or pooled (shares) over these
  f.attribute(
      "/calibration/fit", "check",
      fmt::format(
          "posterior predictive check: inside = observed within the posterior's 5-95% interval of "
          "replicate records (record: one run per particle, a single realisation as the records are, "
          "its expected records model_one_run drawn {} times as a recording: counts Poisson, shares "
          "binomial; each draw weighted as its particle); expected_*: the same quantiles of "
          "model_one_run; median_mc_*: 5-95% of the median over particles resampled; tail_probability: weight of "
          "records at least as far out as the observed value on its side of the median; fitted = 0 for "
          "targets left out of the fit (predicted); reachable = 0 when no simulation of the whole "
          "calibration (design waves and ABC) came within the observed value",
          kRecordDraws));
  if (!res.hm.waves.empty()) {
    const std::size_t W = res.hm.waves.size(), O = res.hm.targets.size();
    std::vector<std::string> out_labels;
    for (const auto& t : res.hm.targets) out_labels.push_back(t.label);
    h5::Axis wave_ax{"wave", {}, {}};
    for (std::size_t w = 0; w < W; ++w) wave_ax.values.push_back(std::int64_t(w + 1));
    const h5::Axis out_ax = axis_named("fitted_point", out_labels);
    std::vector<double> sims, frac, space, rmse(W * O), cover(W * O), maxz(W * O);
    for (std::size_t w = 0; w < W; ++w) {
      const Wave& wv = res.hm.waves[w];
      sims.push_back(wv.simulations), frac.push_back(wv.nonimplausible_fraction), space.push_back(wv.space_fraction);
      for (std::size_t o = 0; o < O; ++o) {
        const bool has = res.hm.emulators[w][o].has_value();
        rmse[w * O + o] = has ? wv.loo[o].rmse : std::nan("");
        cover[w * O + o] = has ? wv.loo[o].coverage : std::nan("");
        maxz[w * O + o] = has ? wv.loo[o].max_abs_z : std::nan("");
      }
    }
    f.group("/calibration/history_matching");
    f.array("/calibration/history_matching/simulations", {wave_ax}, sims);
    f.array("/calibration/history_matching/nonimplausible_fraction", {wave_ax}, frac, "fraction");
    f.array("/calibration/history_matching/space_fraction", {wave_ax}, space, "fraction");
    f.array("/calibration/history_matching/loo_rmse", {wave_ax, out_ax}, rmse);
    f.array("/calibration/history_matching/loo_coverage", {wave_ax, out_ax}, cover, "fraction");
    f.array("/calibration/history_matching/loo_max_abs_z", {wave_ax, out_ax}, maxz);
    f.attribute(
        "/calibration/history_matching", "method",
        "Gaussian-process emulators (linear mean, squared-exponential kernel, nugget; maximum marginal likelihood) "
        "per fitted target value; implausibility |z - E[f(x)]| / sqrt(Var_em + Var_obs + Var_md) (Vernon et al. 2010)");
    f.attribute("/calibration/history_matching", "cutoff", spec.hm.cutoff);
    f.attribute("/calibration/history_matching", "use", spec.hm.rank == 0 ? "max" : "second_max");
    f.attribute("/calibration/history_matching", "model_discrepancy", spec.model_discrepancy);
  }
  const Interval hid = posterior_interval(res, hidden_victims(res)), tru = posterior_interval(res, res.true_victims);
  f.attribute("/calibration/summary", "hidden_victims_median", hid.median);
  f.attribute("/calibration/summary", "hidden_victims_q05", hid.lo);
  f.attribute("/calibration/summary", "hidden_victims_q95", hid.hi);
  f.attribute("/calibration/summary", "true_victims_median", tru.median);
  f.attribute("/calibration/summary", "true_victims_q05", tru.lo);
  f.attribute("/calibration/summary", "true_victims_q95", tru.hi);
  f.attribute(
      "/calibration/summary", "estimate",
      "model estimates: hidden victims = true minus recorded over the simulated period, 5-95% posterior interval "
      "(parameter uncertainty and run-to-run noise, within the model's assumptions)");

  write_metadata(f, load_scenario(spec.baseline), "calibration", spec.seed, 1, threads, started_at);
  f.attribute("/metadata", "calibration_name", spec.name);
  f.attribute("/metadata", "calibration_file", spec.file.string());
  f.attribute("/metadata", "calibration_text", spec.text);
  f.attribute(
      "/metadata", "method",
      std::string(spec.history_matching ? "history matching with Gaussian-process emulators (Vernon et al. 2010), then "
                                        : "") +
          "ABC rejection then ABC-SMC with adaptive tolerances (Toni et al. 2009; Beaumont et al. 2009)");
  f.attribute("/metadata", "stop_reason", res.abc.stop_reason);
  f.attribute("/metadata", "simulations", res.simulations);
  f.attribute("/metadata", "seconds", res.seconds);
  f.commit();
}

std::string calibrated_scenario_yaml(const CalibrationSpec& spec, const CalibrationResult& res,
                                     const fs::path& scenario_path, const fs::path& calib_file) {
  const Generation& post = res.abc.posterior();
  const fs::path target = spec.apply_to.empty() ? spec.baseline : spec.apply_to;
  const fs::path rel = fs::relative(fs::absolute(target), fs::absolute(scenario_path).parent_path());
  std::string y = fmt::format(
      "# Calibrated by `redes calibrate {}` ({} particles, {} simulations of {} run(s) each; {}).\n"
      "# Each fitted parameter is the posterior median; its 90% interval is in the `calibrated:` note.\n"
      "# Written by the program: edit the calibration file and re-run rather than editing this file.\n"
      "include: {}\nname: {} (calibrated)\noverride:\n",
      spec.file.string(), post.theta.size(), res.simulations, spec.replicates, res.abc.stop_reason, rel.string(),
      load_scenario(target).name);
  std::vector<std::string> names;
  for (const auto& t : spec.targets) names.push_back(t.name);
  for (std::size_t k = 0; k < spec.parameters.size(); ++k) {
    const double m = weighted_quantile(post, k, 0.5), lo = weighted_quantile(post, k, 0.05),
                 hi = weighted_quantile(post, k, 0.95);
    const std::string note = fmt::format(
        "ABC-SMC posterior median, 90% interval {:.4g} to {:.4g} (prior {:.4g} to {:.4g}); targets: {}; {}", lo, hi,
        spec.parameters[k].lo, spec.parameters[k].hi, fmt::join(names, ", "), calib_file.filename().string());
    if (spec.parameters[k].key.back() == ']')  // list items take bare numbers
      y += fmt::format("  {}: {:.6g}  # calibrated: {}\n", spec.parameters[k].key, m, note);
    else
      y += fmt::format("  {}: {{value: {:.6g}, calibrated: \"{}\"}}\n", spec.parameters[k].key, m, note);
  }
  return y;
}

void write_calibrated_scenario(const CalibrationSpec& spec, const CalibrationResult& res,
                               const std::filesystem::path& scenario_path, const std::filesystem::path& calib_file) {
  if (scenario_path.has_parent_path()) fs::create_directories(scenario_path.parent_path());
  const fs::path tmp = scenario_path.string() + ".tmp";
  {
    std::ofstream o(tmp);
    o << calibrated_scenario_yaml(spec, res, scenario_path, calib_file);
    if (!o) throw IoError(tmp.string() + ": cannot write the calibrated scenario");
  }
  fs::rename(tmp, scenario_path);
}

}  // namespace redes::calib
