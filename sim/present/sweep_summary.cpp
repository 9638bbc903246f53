#include "sim/present/sweep_summary.hpp"

#include <fmt/format.h>

#include "sim/i18n/messages.hpp"
#include "sim/output/h5.hpp"

namespace redes {

std::string describe_sweep(const SweepResult& res) {
  const sweep::Plan& plan = *res.plan;
  const sweep::WriteStats& st = res.stats;
  const double wall = res.wall_seconds, run_phase = res.run_phase_seconds;
  const auto& spec = plan.spec();
  std::string out = trf("sweep.header", fmt::arg("name", spec.name), fmt::arg("points", plan.points()),
                        fmt::arg("replicates", spec.replicates), fmt::arg("runs", (long long)plan.runs()),
                        fmt::arg("completed", (long long)st.completed), fmt::arg("out", res.output.string()));
  if (res.ran > 0) {
    out += trf("sweep.ran", fmt::arg("ran", (long long)res.ran), fmt::arg("wall", wall), fmt::arg("ranks", res.ranks),
               fmt::arg("rate", 60.0 * double(res.ran) / wall), fmt::arg("outside", 100.0 * (wall - run_phase) / wall));
    if (res.in_runs_seconds > 0)
      out += trf("sweep.in_runs",
                 fmt::arg("share", 100.0 * (res.in_runs_seconds - res.engine_seconds) / res.in_runs_seconds));
  } else {
    out += tr("sweep.nothing");
  }
  if (!st.complete) out += trf("sweep.incomplete", fmt::arg("missing", (long long)(plan.runs() - st.completed)));
  if (st.sensitivity) {
    h5::Reader in(res.output);
    auto first = in.read_double("/sweep/sensitivity/first"), total = in.read_double("/sweep/sensitivity/total");
    auto flo = in.read_double("/sweep/sensitivity/first_lo"), fhi = in.read_double("/sweep/sensitivity/first_hi");
    auto tlo = in.read_double("/sweep/sensitivity/total_lo"), thi = in.read_double("/sweep/sensitivity/total_hi");
    const std::size_t D = spec.parameters.size();
    out += tr("sweep.sobol");
    for (std::size_t o = 0; o < spec.outputs.size(); ++o) {
      out += "  " + spec.outputs[o] + "\n";
      for (std::size_t k = 0; k < D; ++k) {
        const std::size_t i = o * D + k;
        out += trf("sweep.sobol_row", fmt::arg("parameter", spec.parameters[k].key), fmt::arg("first", first[i]),
                   fmt::arg("flo", flo[i]), fmt::arg("fhi", fhi[i]), fmt::arg("total", total[i]),
                   fmt::arg("tlo", tlo[i]), fmt::arg("thi", thi[i]));
      }
    }
  } else if (spec.design == sweep::DesignType::Saltelli && !st.complete) {
    out += tr("sweep.sobol_later");
  }
  return out;
}

}  // namespace redes
