// cli: `redes calibrate`. Fits parameters by ABC (sim/calibration), writes the posterior to HDF5 and
// prints the summary of sim/present/calibration_summary: the fit of every target and the implied
// hidden victims, each a model estimate with its interval.
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "sim/calibration/calibration.hpp"
#include "sim/cli/commands.hpp"
#include "sim/i18n/messages.hpp"
#include "sim/output/output.hpp"
#include "sim/output/safe_output.hpp"
#include "sim/present/calibration_summary.hpp"
#include "sim/present/console.hpp"

namespace redes {

int cmd_calibrate(const Options& opt) {
  namespace fs = std::filesystem;
  // The seed belongs to the calibration file (`seed:`), recorded with it in the output.
  if (opt.seed)
    throw std::invalid_argument("calibrate: --seed is not used by calibrations; set `seed:` in the calibration file");
  calib::CalibrationSpec spec = calib::load_calibration(opt.file);  // all checked before any run
  calib::leave_out(spec, opt.leave_out);
  const fs::path out = opt.output.empty() ? fs::path("out") / (spec.name + ".h5") : fs::path(opt.output);
  io::refuse_clobber(out, {opt.file});
  if (!opt.write_scenario.empty()) io::refuse_clobber(opt.write_scenario, {opt.file, out});
  io::OutputLock lock(out);
  const std::string started = now_iso();
  std::size_t points = 0, held_out = 0;
  for (const auto& t : spec.targets) (t.fitted ? points : held_out) += t.points.size();
  std::fprintf(stderr,
               "calibrating %zu parameter(s) to %zu target value(s) of '%s' (%zu left out, predicted): %d particles, "
               "up to %d SMC generation(s), %d run(s) per point...\n",
               spec.parameters.size(), points, spec.name.c_str(), held_out, spec.abc.particles, spec.abc.generations,
               spec.replicates);
  if (spec.history_matching)
    std::fprintf(stderr, "history matching first: up to %d wave(s) of %d simulations, cutoff %.1f\n", spec.hm.waves,
                 spec.hm.design, spec.hm.cutoff);
  const auto t0 = Clock::now();
  double last = 0;
  const calib::CalibrationResult res = calib::calibrate(spec, [&](std::int64_t sims) {
    const double el = seconds_since(t0);
    if (el - last < 10) return;
    last = el;
    std::fprintf(stderr, "calibrating: %lld simulations, %.0f s, %.1f simulations/min\n", (long long)sims, el,
                 60.0 * double(sims) / el);
  });
  calib::write_calibration_file(out, spec, res, opt.threads, started);

  std::fputs(describe_calibration(spec, res, out).c_str(), stdout);
  if (!opt.write_scenario.empty()) {
    calib::write_calibrated_scenario(spec, res, opt.write_scenario, out);
    print_tr("calibrate.wrote_scenario", fmt::arg("out", opt.write_scenario));
  }
  return 0;
}

}  // namespace redes
