#include "sim/present/run_summary.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "sim/i18n/messages.hpp"
#include "sim/present/console.hpp"
#include "sim/present/format.hpp"
#include "sim/study/compare_file.hpp"

namespace redes {
namespace {

std::string interval_line(const std::string& label, const std::vector<double>& v) {
  return trf("run.interval", fmt::arg("label", label), fmt::arg("median", with_commas(quantile(v, 0.5))),
             fmt::arg("lo", with_commas(quantile(v, 0.05))), fmt::arg("hi", with_commas(quantile(v, 0.95))));
}

/// Median and 90% range over replicates of a share, in percent, skipping replicates without victims.
std::string share_cell(const std::vector<double>& share) {
  std::vector<double> pct;
  for (double x : share)
    if (!std::isnan(x)) pct.push_back(100 * x);
  if (pct.empty()) return tr("n_a");
  return trf("run.share_cell", fmt::arg("median", quantile(pct, 0.5)), fmt::arg("lo", quantile(pct, 0.05)),
             fmt::arg("hi", quantile(pct, 0.95)));
}

/// One row of the share table: label, among true victims, among recorded victims (layout only).
std::string share_row(const std::string& label, const std::string& true_cell, const std::string& recorded_cell) {
  return fmt::format("  {:<34} {:<22} {}\n", label, true_cell, recorded_cell);
}

/// The three departments with the largest counts, as "name share%" (all replicates pooled).
std::string top_departments(const Scenario& sc, const std::vector<double>& counts) {
  std::vector<std::size_t> order(counts.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return counts[a] > counts[b]; });
  const double all = std::accumulate(counts.begin(), counts.end(), 0.0);
  std::string list;
  for (std::size_t k = 0; k < std::min<std::size_t>(3, order.size()) && all > 0; ++k)
    list += (k ? ", " : "") + trf("run.top_item", fmt::arg("name", sc.population.departments[order[k]]),
                                  fmt::arg("share", 100 * counts[order[k]] / all));
  return list.empty() ? "-" : list;
}

/// "cost" with thousands separators, or the catalogue's n/a when there is nothing to divide by.
std::string cost_or_na(double cost) { return std::isnan(cost) ? tr("n_a") : with_commas(cost); }

/// Who benefits: the three categories of `dim` with the most victims averted, on one line.
std::string who_benefits(const Scenario& sc, const std::string& dim, const std::vector<Interval>& cis) {
  const auto& labels = compare_axis(sc, dim).labels;
  std::vector<std::size_t> order(cis.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return cis[a].mean > cis[b].mean; });
  const std::string& dim_label = dim == "department"  ? tr("compare.by_department")
                                 : dim == "age_group" ? tr("compare.by_age_group")
                                                      : tr("compare.by_route");
  const std::size_t width =
      std::max({std::size_t(11), tr("compare.by_department").size(), tr("compare.by_age_group").size(),
                tr("compare.by_route").size()});  // bytes >= characters: never too narrow
  std::string out = "    " + fmt::format("{:<{}}", dim_label, width);
  const std::size_t shown = std::min<std::size_t>(3, order.size());
  for (std::size_t k = 0; k < shown; ++k)
    out += cformat(" %s %.1f (%.1f, %.1f)%s", tr_label(labels[order[k]]).c_str(), cis[order[k]].mean, cis[order[k]].lo,
                   cis[order[k]].hi, k + 1 < shown ? ";" : "");
  return out + "\n";
}

}  // namespace

std::string scale_note(const Scenario& sc) {
  const double k = sc.population.represents / double(sc.population.size);
  if (std::abs(k - 1) < 1e-9) return "";
  return trf("scale_note", fmt::arg("size", static_cast<long long>(sc.population.size)),
             fmt::arg("represents", sc.population.represents), fmt::arg("factor", k));
}

std::string describe_population(const Scenario& sc, std::uint32_t seed, const World& w) {
  const auto& pop = w.pop;
  const std::size_t n = pop.size();
  std::string out = cformat("Synthetic population of '%s' (seed %u): %s persons, built with the graph in %.2f s\n",
                            sc.name.c_str(), seed, with_commas(double(n)).c_str(), w.build_seconds);
  out += cformat("\n%-18s %10s %7s %7s %8s\n", "department", "persons", "share", "urban", "poverty");
  for (int d = 0; d < sc.department_count(); ++d) {
    std::size_t lo = pop.dept_begin[d], hi = pop.dept_begin[d + 1];
    double urban = 0, poor = 0;
    for (std::size_t i = lo; i < hi; ++i) urban += pop.urban[i], poor += pop.poverty[i] > 0.5;
    double c = double(hi - lo);
    out += cformat("%-18s %10zu %6.1f%% %6.1f%% %7.1f%%\n", sc.population.departments[d].c_str(), hi - lo, 100 * c / n,
                   c ? 100 * urban / c : 0, c ? 100 * poor / c : 0);
  }
  std::size_t groups[kAgeGroups][kGenders] = {};
  double sums[9] = {};
  double minors = 0, online = 0;
  for (std::size_t i = 0; i < n; ++i) {
    ++groups[int(pop.age_group(PersonId(i), 0))][pop.gender[i]];
    sums[0] += pop.poverty[i], sums[1] += pop.family_conflict[i], sums[2] += pop.job_seeking[i],
        sums[3] += pop.migration_wish[i];
    sums[4] += pop.privacy_exposure[i], sums[5] += pop.digital_literacy[i], sums[6] += pop.awareness[i];
    sums[7] += pop.device[i] ? pop.screen_hours[i] : 0;
    online += pop.device[i];
    if (pop.age_years(PersonId(i), 0) < 18) sums[8] += pop.supervision[i], ++minors;
  }
  out += cformat("\n%-12s %10s %10s\n", "age group", "female", "male");
  for (int a = 0; a < kAgeGroups; ++a)
    out += cformat("%-12s %10zu %10zu\n", std::string(kAgeGroupNames[a]).c_str(), groups[a][0], groups[a][1]);
  out += cformat(
      "\nattribute means: poverty %.3f, family_conflict %.3f, job_seeking %.3f, migration_wish %.3f,\n"
      "  privacy_exposure %.3f, digital_literacy %.3f, awareness %.3f, device %.3f,\n"
      "  screen hours (device owners) %.2f, supervision (minors) %.3f\n",
      sums[0] / n, sums[1] / n, sums[2] / n, sums[3] / n, sums[4] / n, sums[5] / n, sums[6] / n, online / n,
      online ? sums[7] / online : 0, minors ? sums[8] / minors : 0);
  out += cformat("\n%-16s %10s %8s %7s %6s %6s %12s\n", "layer", "members", "mean", "sd", "p99", "max", "ties");
  for (int l = 0; l < kLayers; ++l) {
    const std::vector<std::uint32_t>* members =
        l >= kFirstPlatformLayer ? &pop.users[l - kFirstPlatformLayer + 1] : nullptr;
    DegreeStats s = w.net.degree_stats(l, members);
    out += cformat("%-16s %10zu %8.2f %7.2f %6u %6u %12zu\n", layer_name(l).c_str(), members ? members->size() : n,
                   s.mean, s.sd, s.p99, s.max, s.ties / 2);
  }
  const double ties = double(w.net.total_directed_ties()) / 2;
  out += cformat(
      "\ntotal ties %s (%.1f per person across layers); memory: population %.0f MiB, graph %.0f MiB, peak RSS %.0f "
      "MiB\n",
      with_commas(ties).c_str(), 2 * ties / double(n), pop.memory_bytes() / 1048576.0, w.net.memory_bytes() / 1048576.0,
      peak_rss_bytes() / 1048576.0);
  return out;
}

std::string describe_run(const RunRequest& request, const RunResult& result, const std::filesystem::path& out_file) {
  const Scenario& sc = request.scenario;
  const double wall = result.wall_seconds;
  std::string out = trf("run.header", fmt::arg("name", sc.name), fmt::arg("replicates", request.replicates),
                        fmt::arg("seed", request.seed), fmt::arg("days", sc.days), fmt::arg("start", sc.start_date));
  out += tr("run.estimates") + scale_note(sc);
  out += interval_line(tr("run.recruited"), result.victims);
  out += interval_line(tr("run.recorded"), result.recorded);
  out += interval_line(tr("run.cases"), result.cases);
  out += cformat("  %s %10.1f\n", fmt::format("{:<34}", tr("run.hidden")).c_str(), quantile(result.hidden, 0.5));
  out += share_row(tr("run.share_title"), tr("run.true_victims"), tr("run.recorded_victims"));
  out += share_row(tr("run.minors"), share_cell(result.minor_share_true), share_cell(result.minor_share_recorded));
  out += share_row(tr("run.women"), share_cell(result.female_share_true), share_cell(result.female_share_recorded));
  out += trf("run.top_origin", fmt::arg("list", top_departments(sc, result.origin_victims)));
  out += trf("run.top_record", fmt::arg("list", top_departments(sc, result.record_cases)));
  out += trf("run.speed", fmt::arg("rate", double(sc.population.size) * sc.days * request.replicates / wall),
             fmt::arg("wall", wall), fmt::arg("out", out_file.string()));
  return out;
}

std::string describe_compare(const CompareRequest& request, const CompareResult& result,
                             const std::filesystem::path& out_file) {
  const Scenario& base = request.baseline;
  std::vector<double> base_victims;
  for (auto& s : result.outcomes[0].summaries) base_victims.push_back(s.victims);
  std::string out = trf("compare.header", fmt::arg("name", base.name), fmt::arg("replicates", request.replicates),
                        fmt::arg("seed", request.seed));
  out += trf("compare.baseline", fmt::arg("median", with_commas(quantile(base_victims, 0.5))),
             fmt::arg("lo", with_commas(quantile(base_victims, 0.05))),
             fmt::arg("hi", with_commas(quantile(base_victims, 0.95))));
  out += scale_note(base) + tr("compare.averted_note");
  // fmt pads by characters (printf by bytes), so accented headers keep the columns aligned.
  out += fmt::format("{:<32} {:>20} {:>18} {:>14} {:>16}\n", tr("compare.col_intervention"), tr("compare.col_averted"),
                     tr("compare.col_share"), tr("compare.col_cost"), tr("compare.col_cost_per"));
  for (const auto& r : result.rows) {
    const std::string averted = cformat("%.1f (%.1f, %.1f)", r.averted_ci.mean, r.averted_ci.lo, r.averted_ci.hi);
    const std::string share =
        cformat("%.1f%% (%.1f, %.1f)", 100 * r.share_ci.mean, 100 * r.share_ci.lo, 100 * r.share_ci.hi);
    out += cformat("%-32s %20s %18s %14s %16s\n", r.name.c_str(), averted.c_str(), share.c_str(),
                   with_commas(r.cost).c_str(), cost_or_na(r.cost_per_averted).c_str());
    // Rescue and shorter exploitation count too, not only recruitments prevented.
    out += trf("compare.benefits", fmt::arg("days", r.days_averted_ci.mean), fmt::arg("dlo", r.days_averted_ci.lo),
               fmt::arg("dhi", r.days_averted_ci.hi), fmt::arg("rescued", r.rescued_ci.mean),
               fmt::arg("rlo", r.rescued_ci.lo), fmt::arg("rhi", r.rescued_ci.hi),
               fmt::arg("cost", cost_or_na(r.cost_per_year_averted)));
    for (const auto& [dim, cis] : r.by)
      if (dim == "department" || dim == "age_group" || dim == "route") out += who_benefits(base, dim, cis);
  }
  return out + "\n" + trf("wrote", fmt::arg("out", out_file.string()));
}

}  // namespace redes
