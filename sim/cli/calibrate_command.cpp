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
#include "sim/cli/i18n.hpp"
#include "sim/core/errors.hpp"
#include "sim/output/h5.hpp"
#include "sim/output/output.hpp"
#include "sim/output/safe_output.hpp"

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
  std::size_t points = 0, held_out = 0;
  for (const auto& t : spec.targets) (t.fitted ? points : held_out) += t.points.size();
  std::fprintf(stderr, "calibrating %zu parameter(s) to %zu target value(s) of '%s' (%zu left out, predicted): %d particles, up to %d SMC generation(s), %d run(s) per point...\n",
               spec.parameters.size(), points, spec.name.c_str(), held_out, spec.abc.particles, spec.abc.generations, spec.replicates);
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
  // The stop reason is the calibration library's own text, stored in the file as written.
  print_tr("calibrate.header", fmt::arg("name", spec.name), fmt::arg("sims", (long long)res.simulations), fmt::arg("seconds", res.seconds),
           fmt::arg("stop", res.abc.stop_reason));
  if (!res.hm.waves.empty()) {
    print_tr("calibrate.hm", fmt::arg("cutoff", spec.hm.cutoff),
             fmt::arg("rank", spec.hm.rank == 0 ? tr("calibrate.hm_largest") : tr("calibrate.hm_second")),
             fmt::arg("sims", (long long)res.hm_simulations));
    // fmt pads by characters, so accented headers keep the columns aligned.
    std::printf("%s", fmt::format("{:<5} {:>12} {:>16} {:>14} {:>26}\n", tr("calibrate.col_wave"), tr("calibrate.col_simulations"),
                                  tr("calibrate.col_nonimplausible"), tr("calibrate.col_space"), tr("calibrate.col_loo")).c_str());
    for (std::size_t w = 0; w < res.hm.waves.size(); ++w) {
      const auto& W = res.hm.waves[w];
      double cov = 0, maxz = 0;
      int n = 0;
      for (std::size_t o = 0; o < W.loo.size(); ++o)
        if (res.hm.emulators[w][o]) cov += W.loo[o].coverage, maxz = std::max(maxz, W.loo[o].max_abs_z), ++n;
      print_tr("calibrate.hm_row", fmt::arg("wave", w + 1), fmt::arg("sims", W.simulations),
               fmt::arg("nonimplausible", 100 * W.nonimplausible_fraction), fmt::arg("space", 100 * W.space_fraction),
               fmt::arg("emulators", n), fmt::arg("coverage", n ? 100 * cov / n : 0.0), fmt::arg("maxz", maxz));
    }
    print_tr("calibrate.then_abc");
  }
  std::printf("%s", fmt::format("{:<4} {:>12} {:>12} {:>10} {:>8}\n", tr("calibrate.col_gen"), tr("calibrate.col_tolerance"),
                                tr("calibrate.col_simulations"), tr("calibrate.col_accepted"), tr("calibrate.col_ess")).c_str());
  for (std::size_t g = 0; g < res.abc.generations.size(); ++g) {
    const auto& G = res.abc.generations[g];
    std::printf("%-4zu %12.3f %12lld %9.1f%% %8.1f\n", g, G.epsilon, (long long)G.simulations, 100 * G.acceptance, G.ess);
  }
  print_tr("calibrate.posterior");
  for (std::size_t k = 0; k < spec.parameters.size(); ++k)
    print_tr("calibrate.posterior_row", fmt::arg("key", spec.parameters[k].key), fmt::arg("median", med[k]), fmt::arg("lo", q05[k]),
             fmt::arg("hi", q95[k]), fmt::arg("prior_lo", spec.parameters[k].lo), fmt::arg("prior_hi", spec.parameters[k].hi));
  print_tr("calibrate.check");
  std::printf("%s", fmt::format("  {:<46} {:<8} {:>10} {:>10} {:>22}  {}\n", tr("calibrate.col_target"), tr("calibrate.col_unit"),
                                tr("calibrate.col_reference"), tr("calibrate.col_model"), tr("calibrate.col_interval"),
                                tr("calibrate.col_check")).c_str());
  int fitted = 0, fitted_in = 0;
  for (const auto& c : calib::predictive_check(spec, res)) {
    const std::string verdict = (c.inside ? tr("calibrate.inside") : tr("calibrate.outside")) +
                                (c.fitted ? "" : tr("calibrate.left_out")) + (c.reachable ? "" : tr("calibrate.unreached"));
    print_tr("calibrate.check_row", fmt::arg("target", c.label), fmt::arg("unit", c.unit), fmt::arg("observed", c.observed),
             fmt::arg("median", c.median), fmt::arg("lo", c.lo), fmt::arg("hi", c.hi), fmt::arg("verdict", verdict));
    if (c.fitted) ++fitted, fitted_in += c.inside;
  }
  print_tr("calibrate.fitted_inside", fmt::arg("inside", fitted_in), fmt::arg("n", fitted));
  const auto hid = calib::posterior_interval(res, calib::hidden_victims(res)), tru = calib::posterior_interval(res, res.true_victims);
  print_tr("calibrate.estimates");
  print_tr("calibrate.hidden", fmt::arg("median", with_commas(hid.median)), fmt::arg("lo", with_commas(hid.lo)),
           fmt::arg("hi", with_commas(hid.hi)));
  print_tr("calibrate.true", fmt::arg("median", with_commas(tru.median)), fmt::arg("lo", with_commas(tru.lo)),
           fmt::arg("hi", with_commas(tru.hi)));
  print_tr("wrote", fmt::arg("out", out.string()));
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
    print_tr("calibrate.wrote_scenario", fmt::arg("out", sp.string()));
  }
  return 0;
}

}  // namespace redes
