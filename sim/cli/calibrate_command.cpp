// cli: `redes calibrate`. Fits parameters by ABC, writes the posterior to HDF5 and prints the fit
// of every target and the implied hidden victims, each a model estimate with its interval.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "sim/calibration/calibration.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/console.hpp"
#include "sim/io/errors.hpp"
#include "sim/io/h5.hpp"
#include "sim/io/output.hpp"
#include "sim/io/safe_output.hpp"

namespace redes {

int cmd_calibrate(const Options& opt) {
  namespace fs = std::filesystem;
  // The seed belongs to the calibration file (`seed:`), recorded with it in the output.
  if (opt.seed) throw std::invalid_argument("calibrate: --seed is not used by calibrations; set `seed:` in the calibration file");
  calib::CalibrationSpec spec = calib::load_calibration(opt.file);  // all checked before any run
  calib::leave_out(spec, opt.leave_out);
  const fs::path out = opt.output.empty() ? fs::path("out") / (spec.name + ".h5") : fs::path(opt.output);
  io::refuse_clobber(out, {opt.file});
  if (!opt.write_scenario.empty()) io::refuse_clobber(opt.write_scenario, {opt.file, out});
  io::OutputLock lock(out);
  const std::string started = now_iso();
  std::size_t points = 0;
  for (const auto& t : spec.targets) points += t.points.size();
  std::fprintf(stderr, "calibrating %zu parameter(s) to %zu target value(s) of '%s': %d particles, up to %d SMC generation(s)...\n",
               spec.parameters.size(), points, spec.name.c_str(), spec.abc.particles, spec.abc.generations);
  if (spec.history_matching)
    std::fprintf(stderr, "history matching first: up to %d wave(s) of %d simulations, cutoff %.1f\n", spec.hm.waves, spec.hm.design,
                 spec.hm.cutoff);
  const auto t0 = Clock::now();
  double last = 0;
  const calib::CalibrationResult res = calib::calibrate(spec, [&](std::int64_t sims) {
    const double el = seconds_since(t0);
    if (el - last < 10) return;
    last = el;
    std::fprintf(stderr, "calibrating: %lld simulations, %.0f s, %.1f simulations/min\n", (long long)sims, el, 60.0 * double(sims) / el);
  });
  calib::write_calibration_file(out, spec, res, opt.threads, started);

  h5::Reader in(out);
  const auto med = in.read_double("/calibration/summary/median"), q05 = in.read_double("/calibration/summary/q05"),
             q95 = in.read_double("/calibration/summary/q95");
  std::printf("\nredes calibrate '%s': %lld simulations in %.0f s; %s\n", spec.name.c_str(), (long long)res.simulations,
              res.seconds, res.abc.stop_reason.c_str());
  if (!res.hm.waves.empty()) {
    std::printf("history matching (cutoff %.1f on the %s implausibility; %lld simulations):\n", spec.hm.cutoff,
                spec.hm.rank == 0 ? "largest" : "second largest", (long long)res.hm_simulations);
    std::printf("%-5s %12s %16s %14s %26s\n", "wave", "simulations", "non-implausible", "of the space", "emulators' leave-one-out");
    for (std::size_t w = 0; w < res.hm.waves.size(); ++w) {
      const auto& W = res.hm.waves[w];
      double cov = 0, maxz = 0;
      int n = 0;
      for (std::size_t o = 0; o < W.loo.size(); ++o)
        if (res.hm.emulators[w][o]) cov += W.loo[o].coverage, maxz = std::max(maxz, W.loo[o].max_abs_z), ++n;
      std::printf("%-5zu %12d %15.1f%% %13.2f%%   %d emulators, coverage %.0f%%, max |z| %.1f\n", w + 1, W.simulations,
                  100 * W.nonimplausible_fraction, 100 * W.space_fraction, n, n ? 100 * cov / n : 0.0, maxz);
    }
    std::printf("then ABC-SMC inside the non-implausible space:\n");
  }
  std::printf("%-4s %12s %12s %10s %8s\n", "gen", "tolerance", "simulations", "accepted", "ESS");
  for (std::size_t g = 0; g < res.abc.generations.size(); ++g) {
    const auto& G = res.abc.generations[g];
    std::printf("%-4zu %12.3f %12lld %9.1f%% %8.1f\n", g, G.epsilon, (long long)G.simulations, 100 * G.acceptance, G.ess);
  }
  std::printf("\nposterior (median and 90%% interval; prior range in brackets):\n");
  for (std::size_t k = 0; k < spec.parameters.size(); ++k)
    std::printf("  %-40s %10.4g  (%.4g to %.4g)  [%g, %g]\n", spec.parameters[k].key.c_str(), med[k], q05[k], q95[k],
                spec.parameters[k].lo, spec.parameters[k].hi);
  std::printf("\nposterior predictive check (model: posterior median and 90%% interval of simulated values; model estimates):\n");
  std::printf("  %-46s %-8s %10s %10s %22s  %s\n", "target", "unit", "reference", "model", "interval", "check");
  int fitted = 0, fitted_in = 0;
  for (const auto& c : calib::predictive_check(spec, res)) {
    const std::string verdict = std::string(c.inside ? "inside" : "OUTSIDE") + (c.fitted ? "" : " (left out: predicted)") +
                                (c.reachable ? "" : "; no simulation reached it");
    std::printf("  %-46s %-8s %10.1f %10.1f %10.1f to %9.1f  %s\n", c.label.c_str(), c.unit.c_str(), c.observed, c.median, c.lo,
                c.hi, verdict.c_str());
    if (c.fitted) ++fitted, fitted_in += c.inside;
  }
  std::printf("  fitted values inside their interval: %d of %d\n", fitted_in, fitted);
  const auto hid = calib::posterior_interval(res, calib::hidden_victims(res)), tru = calib::posterior_interval(res, res.true_victims);
  std::printf("\nMODEL ESTIMATES over the simulated period (posterior median and 90%% interval; within the model's assumptions):\n");
  std::printf("  victims never recorded  %10s  (%s to %s)\n", with_commas(hid.median).c_str(), with_commas(hid.lo).c_str(),
              with_commas(hid.hi).c_str());
  std::printf("  true victims            %10s  (%s to %s)\n", with_commas(tru.median).c_str(), with_commas(tru.lo).c_str(),
              with_commas(tru.hi).c_str());
  std::printf("wrote %s\n", out.c_str());
  if (!opt.write_scenario.empty()) {
    const fs::path sp = opt.write_scenario;
    if (sp.has_parent_path()) fs::create_directories(sp.parent_path());
    const fs::path tmp = sp.string() + ".tmp";
    {
      std::ofstream o(tmp);
      o << calib::calibrated_scenario_yaml(spec, res, sp, out);
      if (!o) throw IoError(tmp.string() + ": cannot write the calibrated scenario");
    }
    fs::rename(tmp, sp);
    std::printf("wrote %s (posterior medians, marked calibrated:)\n", sp.c_str());
  }
  return 0;
}

}  // namespace redes
