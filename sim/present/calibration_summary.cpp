#include "sim/present/calibration_summary.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/i18n/messages.hpp"
#include "sim/output/h5.hpp"
#include "sim/present/format.hpp"

namespace redes {
namespace {

// What a left-out prediction is judged by: within a factor of 2 of a recorded count, or 10
// percentage points of a recorded share, of the model median.
constexpr double kLeftOutFactor = 2.0, kLeftOutPoints = 10.0;

std::string history_matching(const calib::CalibrationSpec& spec, const calib::CalibrationResult& res) {
  std::string out = trf("calibrate.hm", fmt::arg("cutoff", spec.hm.cutoff),
                        fmt::arg("rank", spec.hm.rank == 0 ? tr("calibrate.hm_largest") : tr("calibrate.hm_second")),
                        fmt::arg("sims", (long long)res.hm_simulations));
  // fmt pads by characters, so accented headers keep the columns aligned.
  out += fmt::format("{:<5} {:>12} {:>16} {:>14} {:>26}\n", tr("calibrate.col_wave"), tr("calibrate.col_simulations"),
                     tr("calibrate.col_nonimplausible"), tr("calibrate.col_space"), tr("calibrate.col_loo"));
  for (std::size_t w = 0; w < res.hm.waves.size(); ++w) {
    const auto& W = res.hm.waves[w];
    double cov = 0, maxz = 0;
    int n = 0;
    for (std::size_t o = 0; o < W.loo.size(); ++o)
      if (res.hm.emulators[w][o]) cov += W.loo[o].coverage, maxz = std::max(maxz, W.loo[o].max_abs_z), ++n;
    out += trf("calibrate.hm_row", fmt::arg("wave", w + 1), fmt::arg("sims", W.simulations),
               fmt::arg("nonimplausible", 100 * W.nonimplausible_fraction), fmt::arg("space", 100 * W.space_fraction),
               fmt::arg("emulators", n), fmt::arg("coverage", n ? 100 * cov / n : 0.0), fmt::arg("maxz", maxz));
  }
  return out + tr("calibrate.then_abc");
}

std::string fit_table(const calib::CalibrationSpec& spec, const calib::CalibrationResult& res) {
  std::string out = tr("calibrate.check");
  out += fmt::format("  {:<46} {:<8} {:>10} {:>10} {:>22}  {}\n", tr("calibrate.col_target"), tr("calibrate.col_unit"),
                     tr("calibrate.col_reference"), tr("calibrate.col_model"), tr("calibrate.col_interval"),
                     tr("calibrate.col_check"));
  int fitted = 0, fitted_in = 0, left = 0, left_near = 0;
  for (const auto& c : calib::predictive_check(spec, res)) {
    std::string verdict = (c.inside ? tr("calibrate.inside") : tr("calibrate.outside")) +
                          (c.fitted ? "" : tr("calibrate.left_out")) + (c.reachable ? "" : tr("calibrate.unreached"));
    if (!c.fitted) {
      // How far the prediction is, in the terms the validation judges it: a factor for counts,
      // points for shares; with the median's Monte Carlo range, since a check's margin can be
      // smaller than the fit's own noise.
      const std::string dir = c.median < c.observed ? tr("calibrate.low") : tr("calibrate.high");
      const double off = c.share ? std::abs(c.median - c.observed)
                                 : std::max(c.median, c.observed) / std::max(std::min(c.median, c.observed), 1e-9);
      const bool near = c.share ? off <= kLeftOutPoints : off <= kLeftOutFactor;
      verdict += c.share ? trf("calibrate.off_points", fmt::arg("off", off), fmt::arg("dir", dir),
                               fmt::arg("lo", c.median_mc_lo), fmt::arg("hi", c.median_mc_hi))
                         : trf("calibrate.off_factor", fmt::arg("off", off), fmt::arg("dir", dir),
                               fmt::arg("lo", c.median_mc_lo), fmt::arg("hi", c.median_mc_hi));
      if (std::isfinite(c.tail) && c.observed >= c.median)
        verdict += trf("calibrate.tail_above", fmt::arg("observed", c.observed), fmt::arg("p", c.tail));
      else if (std::isfinite(c.tail))
        verdict += trf("calibrate.tail_below", fmt::arg("observed", c.observed), fmt::arg("p", c.tail));
      ++left, left_near += near;
    }
    out += trf("calibrate.check_row", fmt::arg("target", c.label), fmt::arg("unit", c.unit),
               fmt::arg("observed", c.observed), fmt::arg("median", c.median), fmt::arg("lo", c.lo),
               fmt::arg("hi", c.hi), fmt::arg("verdict", verdict));
    if (c.fitted) ++fitted, fitted_in += c.inside;
  }
  out += trf("calibrate.fitted_inside", fmt::arg("inside", fitted_in), fmt::arg("n", fitted));
  if (left > 0)
    out += trf("calibrate.left_out_near", fmt::arg("near", left_near), fmt::arg("n", left),
               fmt::arg("factor", kLeftOutFactor), fmt::arg("points", kLeftOutPoints));
  return out;
}

}  // namespace

std::string describe_calibration(const calib::CalibrationSpec& spec, const calib::CalibrationResult& res,
                                 const std::filesystem::path& file) {
  h5::Reader in(file);
  const auto med = in.read_double("/calibration/summary/median"), q05 = in.read_double("/calibration/summary/q05"),
             q95 = in.read_double("/calibration/summary/q95");
  // The stop reason is the calibration library's own text, stored in the file as written.
  std::string out = trf("calibrate.header", fmt::arg("name", spec.name), fmt::arg("sims", (long long)res.simulations),
                        fmt::arg("seconds", res.seconds), fmt::arg("stop", res.abc.stop_reason));
  if (!res.hm.waves.empty()) out += history_matching(spec, res);
  out += fmt::format("{:<4} {:>12} {:>12} {:>10} {:>8}\n", tr("calibrate.col_gen"), tr("calibrate.col_tolerance"),
                     tr("calibrate.col_simulations"), tr("calibrate.col_accepted"), tr("calibrate.col_ess"));
  for (std::size_t g = 0; g < res.abc.generations.size(); ++g) {
    const auto& G = res.abc.generations[g];
    out += cformat("%-4zu %12.3f %12lld %9.1f%% %8.1f\n", g, G.epsilon, (long long)G.simulations, 100 * G.acceptance,
                   G.ess);
  }
  out += tr("calibrate.posterior");
  for (std::size_t k = 0; k < spec.parameters.size(); ++k)
    out += trf("calibrate.posterior_row", fmt::arg("key", spec.parameters[k].key), fmt::arg("median", med[k]),
               fmt::arg("lo", q05[k]), fmt::arg("hi", q95[k]), fmt::arg("prior_lo", spec.parameters[k].lo),
               fmt::arg("prior_hi", spec.parameters[k].hi));
  out += fit_table(spec, res);
  const auto hid = calib::posterior_interval(res, calib::hidden_victims(res)),
             tru = calib::posterior_interval(res, res.true_victims);
  out += tr("calibrate.estimates");
  out += trf("calibrate.hidden", fmt::arg("median", with_commas(hid.median)), fmt::arg("lo", with_commas(hid.lo)),
             fmt::arg("hi", with_commas(hid.hi)));
  out += trf("calibrate.true", fmt::arg("median", with_commas(tru.median)), fmt::arg("lo", with_commas(tru.lo)),
             fmt::arg("hi", with_commas(tru.hi)));
  return out + trf("wrote", fmt::arg("out", file.string()));
}

}  // namespace redes
