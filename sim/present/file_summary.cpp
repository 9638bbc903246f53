#include "sim/present/file_summary.hpp"

#include <fmt/format.h>

#include <cmath>
#include <vector>

#include "sim/core/errors.hpp"
#include "sim/engine/summary.hpp"
#include "sim/i18n/messages.hpp"
#include "sim/output/h5.hpp"
#include "sim/present/format.hpp"

namespace redes {
namespace {

/// Every table under `prefix`/summary: median and 90% range over replicates, per column.
std::string summary_tables(const h5::Reader& f, const std::string& file, const std::string& prefix) {
  const std::string s = prefix + "/summary/";
  std::string out;
  for (const auto& name : f.children(prefix + "/summary")) {
    auto shape = f.shape(s + name);
    auto values = f.read_double(s + name);
    // Check shape and labels before indexing with them.
    if (shape.empty() || shape.size() > 2 || shape[0] == 0 ||
        values.size() != shape[0] * (shape.size() > 1 ? shape[1] : 1))
      throw IoError(file + ": '" + s + name + "' is not a non-empty 1- or 2-d table");
    const std::size_t R = shape[0], C = shape.size() > 1 ? shape[1] : 1;
    auto labels = shape.size() > 1 ? f.scale_labels(s + name, 1) : std::vector<std::string>{};
    if (C > 1 && labels.size() != C)
      throw IoError(file + ": '" + s + name + "' has " + std::to_string(C) + " columns but " +
                    std::to_string(labels.size()) + " labels on its second axis");
    out += "\n" + name + "\n";
    for (std::size_t c = 0; c < C; ++c) {
      if (name == "exits" && c < std::size_t(kActiveStages)) continue;  // only the exits are ever non-zero
      std::vector<double> col;
      for (std::size_t r = 0; r < R; ++r) col.push_back(values[r * C + c]);
      out += trf("inspect.row", fmt::arg("label", C > 1 ? labels[c] : tr("inspect.total")),
                 fmt::arg("median", with_commas(quantile(col, 0.5))), fmt::arg("lo", with_commas(quantile(col, 0.05))),
                 fmt::arg("hi", with_commas(quantile(col, 0.95))));
    }
  }
  return out;
}

std::string compare_table(const h5::Reader& f, const std::string& file) {
  auto names = f.scale_labels("/compare/averted_mean", 0);
  auto m = f.read_double("/compare/averted_mean"), lo = f.read_double("/compare/averted_lo"),
       hi = f.read_double("/compare/averted_hi");
  auto cost = f.read_double("/compare/cost"), cpa = f.read_double("/compare/cost_per_victim_averted");
  for (auto* v : {&m, &lo, &hi, &cost, &cpa})
    if (v->size() != names.size())
      throw IoError(file + ": the /compare tables do not match the " + std::to_string(names.size()) +
                    " intervention labels of /compare/averted_mean");
  std::string out = fmt::format("\n{:<32} {:>24} {:>14} {:>16}\n", tr("compare.col_intervention"),
                                tr("inspect.col_averted"), tr("compare.col_cost"), tr("compare.col_cost_per"));
  for (std::size_t i = 0; i < names.size(); ++i)
    out += cformat("%-32s %10.1f (%5.1f, %5.1f) %14s %16s\n", names[i].c_str(), m[i], lo[i], hi[i],
                   with_commas(cost[i]).c_str(), std::isnan(cpa[i]) ? tr("n_a").c_str() : with_commas(cpa[i]).c_str());
  return out;
}

}  // namespace

std::string describe_file(const std::string& file) {
  h5::Reader f(file);
  if (!f.exists("/metadata")) throw IoError(file + ": no /metadata group: not a file written by redes");
  const std::string kind = f.attribute_string("/metadata", "kind");
  std::string out = trf("inspect.header", fmt::arg("file", file), fmt::arg("kind", kind),
                        fmt::arg("name", f.attribute_string("/metadata", "scenario_name")),
                        fmt::arg("seed", f.attribute_string("/metadata", "seed")),
                        fmt::arg("replicates", f.attribute_string("/metadata", "replicates")),
                        fmt::arg("days", f.attribute_string("/metadata", "days")),
                        fmt::arg("start", f.attribute_string("/metadata", "start_date")));
  out += tr("inspect.estimates");
  if (kind == "run") {
    out += summary_tables(f, file, "");
    if (f.exists("/observed/hidden_ratio")) {
      auto h = f.read_double("/observed/hidden_ratio");
      out += trf("inspect.hidden", fmt::arg("median", quantile(h, 0.5)), fmt::arg("lo", quantile(h, 0.05)),
                 fmt::arg("hi", quantile(h, 0.95)));
    }
  } else if (kind == "compare") {
    out += compare_table(f, file);  // checked before the baseline's tables are read
    out += summary_tables(f, file, "/arms/baseline");
  } else {
    out += trf("inspect.unknown_kind", fmt::arg("kind", kind));
  }
  return out;
}

}  // namespace redes
