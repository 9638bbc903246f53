#include "sim/cli/commands.hpp"
#include "sim/cli/console.hpp"
#include "sim/cli/decision_summary.hpp"
#include "sim/cli/i18n.hpp"

#include <tbb/global_control.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <numeric>
#include <optional>
#include <thread>

#include "sim/engine/compare.hpp"
#include "sim/engine/engine.hpp"
#include "sim/engine/memory_estimate.hpp"
#include "sim/engine/runner.hpp"
#include "sim/decision/study.hpp"
#include "sim/interventions/intervention.hpp"
#include "sim/recruitment/route.hpp"
#include "sim/output/output.hpp"
#include "sim/scenario/reader.hpp"
#include "sim/output/safe_output.hpp"
#include "sim/network/network.hpp"
#include "sim/observation/observation.hpp"
#include "sim/study/compare_file.hpp"
#include "sim/study/run_file.hpp"
#include "sim/study/study.hpp"
#include "sim/study/world_file.hpp"

namespace redes {
namespace {

namespace fs = std::filesystem;

fs::path default_output(const Options& opt, const std::string& stem) {
  if (!opt.output.empty()) return opt.output;
  return fs::path("out") / (stem + ".h5");
}

void ensure_parent(const fs::path& p) {
  if (p.has_parent_path()) fs::create_directories(p.parent_path());
}

/// A line saying how sample counts scale to the population represented, or "" at full scale.
std::string scale_note(const Scenario& sc) {
  const double k = sc.population.represents / double(sc.population.size);
  if (std::abs(k - 1) < 1e-9) return "";
  return trf("scale_note", fmt::arg("size", static_cast<long long>(sc.population.size)),
             fmt::arg("represents", sc.population.represents), fmt::arg("factor", k));
}

}  // namespace

int cmd_validate(const Options& opt) {
  Scenario sc = load_scenario(opt.file, opt.strict);
  auto ivs = build_interventions(sc, opt.strict);
  if (!opt.interventions.empty()) {  // intervention files, each checked as an arm on this scenario
    const io::Node base_tree = io::load_scenario_tree(opt.file);
    for (const auto& file : opt.interventions) {
      const Arm arm = arm_from_files(base_tree, opt.file, file);
      const auto arm_ivs = build_interventions(arm.scenario, opt.strict);
      print_tr("validate.arm", fmt::arg("file", file), fmt::arg("name", arm.name), fmt::arg("count", arm_ivs.size() - ivs.size()),
               fmt::arg("strict", opt.strict ? tr("validate.arm_strict") : ""));
    }
  }
  print_tr("validate.scenario", fmt::arg("file", opt.file), fmt::arg("name", sc.name),
           fmt::arg("persons", with_commas(double(sc.population.size))), fmt::arg("departments", sc.department_count()),
           fmt::arg("days", sc.days), fmt::arg("start", sc.start_date), fmt::arg("interventions", ivs.size()),
           fmt::arg("shocks", sc.shocks.size()), fmt::arg("strict", opt.strict ? tr("validate.scenario_strict") : ""));
  const MemoryEstimate mem = estimate_memory(sc, opt.threads);
  print_tr("validate.memory", fmt::arg("threads", opt.threads), fmt::arg("total", format_bytes(mem.total())),
           fmt::arg("population", format_bytes(mem.population)), fmt::arg("graph", format_bytes(mem.network)),
           fmt::arg("replicates", format_bytes(mem.replicates)), fmt::arg("available", format_bytes(memory_limit(""))));
  return 0;
}

int cmd_population(const Options& opt) {
  const io::Node tree = io::load_scenario_tree(opt.file);
  Scenario sc = scenario_from_tree(tree, opt.file);
  std::optional<io::OutputLock> lock;
  if (!opt.output.empty()) io::refuse_clobber(opt.output, io::source_files(tree, opt.file)), lock.emplace(opt.output);
  check_memory(sc, 1, opt.max_memory, opt.file);
  const std::uint32_t seed = opt.seed.value_or(sc.seed);
  World w = build_world(sc, seed);
  const auto& pop = w.pop;
  const std::size_t n = pop.size();
  std::printf("Synthetic population of '%s' (seed %u): %s persons, built with the graph in %.2f s\n", sc.name.c_str(), seed,
              with_commas(double(n)).c_str(), w.build_seconds);
  std::printf("\n%-18s %10s %7s %7s %8s\n", "department", "persons", "share", "urban", "poverty");
  for (int d = 0; d < sc.department_count(); ++d) {
    std::size_t lo = pop.dept_begin[d], hi = pop.dept_begin[d + 1];
    double urban = 0, poor = 0;
    for (std::size_t i = lo; i < hi; ++i) urban += pop.urban[i], poor += pop.poverty[i] > 0.5;
    double c = double(hi - lo);
    std::printf("%-18s %10zu %6.1f%% %6.1f%% %7.1f%%\n", sc.population.departments[d].c_str(), hi - lo, 100 * c / n,
                c ? 100 * urban / c : 0, c ? 100 * poor / c : 0);
  }
  std::size_t groups[kAgeGroups][kGenders] = {};
  double sums[9] = {};
  double minors = 0, online = 0;
  for (std::size_t i = 0; i < n; ++i) {
    ++groups[int(pop.age_group(PersonId(i), 0))][pop.gender[i]];
    sums[0] += pop.poverty[i], sums[1] += pop.family_conflict[i], sums[2] += pop.job_seeking[i], sums[3] += pop.migration_wish[i];
    sums[4] += pop.privacy_exposure[i], sums[5] += pop.digital_literacy[i], sums[6] += pop.awareness[i];
    sums[7] += pop.device[i] ? pop.screen_hours[i] : 0;
    online += pop.device[i];
    if (pop.age_years(PersonId(i), 0) < 18) sums[8] += pop.supervision[i], ++minors;
  }
  std::printf("\n%-12s %10s %10s\n", "age group", "female", "male");
  for (int a = 0; a < kAgeGroups; ++a)
    std::printf("%-12s %10zu %10zu\n", std::string(kAgeGroupNames[a]).c_str(), groups[a][0], groups[a][1]);
  std::printf("\nattribute means: poverty %.3f, family_conflict %.3f, job_seeking %.3f, migration_wish %.3f,\n"
              "  privacy_exposure %.3f, digital_literacy %.3f, awareness %.3f, device %.3f,\n"
              "  screen hours (device owners) %.2f, supervision (minors) %.3f\n",
              sums[0] / n, sums[1] / n, sums[2] / n, sums[3] / n, sums[4] / n, sums[5] / n, sums[6] / n, online / n,
              online ? sums[7] / online : 0, minors ? sums[8] / minors : 0);
  std::printf("\n%-16s %10s %8s %7s %6s %6s %12s\n", "layer", "members", "mean", "sd", "p99", "max", "ties");
  for (int l = 0; l < kLayers; ++l) {
    const std::vector<std::uint32_t>* members = l >= kFirstPlatformLayer ? &pop.users[l - kFirstPlatformLayer + 1] : nullptr;
    DegreeStats s = w.net.degree_stats(l, members);
    std::printf("%-16s %10zu %8.2f %7.2f %6u %6u %12zu\n", layer_name(l).c_str(), members ? members->size() : n, s.mean,
                s.sd, s.p99, s.max, s.ties / 2);
  }
  const double ties = double(w.net.total_directed_ties()) / 2;
  std::printf("\ntotal ties %s (%.1f per person across layers); memory: population %.0f MiB, graph %.0f MiB, peak RSS %.0f MiB\n",
              with_commas(ties).c_str(), 2 * ties / double(n), pop.memory_bytes() / 1048576.0, w.net.memory_bytes() / 1048576.0,
              peak_rss_bytes() / 1048576.0);
  if (!opt.output.empty()) {
    fs::path out = opt.output;
    ensure_parent(out);
    h5::Writer f(out);
    write_metadata(f, sc, "population", seed, 0, opt.threads, now_iso());
    write_world(f, sc, seed, w);
    f.commit();
    std::printf("wrote %s\n", out.c_str());
  }
  return 0;
}

namespace {

void print_interval_line(const std::string& label, const std::vector<double>& v) {
  print_tr("run.interval", fmt::arg("label", label), fmt::arg("median", with_commas(quantile(v, 0.5))),
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
void print_share_row(const std::string& label, const std::string& true_cell, const std::string& recorded_cell) {
  std::printf("%s", fmt::format("  {:<34} {:<22} {}\n", label, true_cell, recorded_cell).c_str());
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

}  // namespace

int cmd_run(const Options& opt) {
  const io::Node tree = io::load_scenario_tree(opt.file);
  RunRequest req{scenario_from_tree(tree, opt.file), 0, opt.replicates, opt.threads, opt.population};
  const Scenario& sc = req.scenario;
  intervention_names(sc);  // builds the interventions: their errors come before any lock or work
  const std::uint32_t seed = req.seed = opt.seed.value_or(sc.seed);
  if (!opt.population.empty()) check_world_file(opt.population, sc, seed);  // before any lock or work
  const fs::path out = default_output(opt, fs::path(opt.file).stem().string());
  {
    std::vector<fs::path> inputs = io::source_files(tree, opt.file);
    if (!opt.population.empty()) inputs.push_back(opt.population);
    io::refuse_clobber(out, inputs);
  }
  ensure_parent(out);
  io::OutputLock lock(out);
  check_memory(sc, std::min(opt.threads, opt.replicates), opt.max_memory, opt.file);
  const std::string started = now_iso();
  std::fprintf(stderr, "%s population and graph of '%s' (%s persons)...\n", opt.population.empty() ? "building" : "loading",
               sc.name.c_str(), with_commas(double(sc.population.size)).c_str());
  std::optional<Progress> progress;
  Callbacks cb;
  cb.start = [&](std::int64_t total, double build_seconds) {
    std::fprintf(stderr, "%s in %.1f s; simulating %d replicate(s) of %d days\n", opt.population.empty() ? "built" : "loaded",
                 build_seconds, opt.replicates, sc.days);
    return &progress.emplace("simulating", total).done;
  };
  RunResult result = run_to_file(req, out, cb, started);
  progress.reset();
  const std::vector<double>&victims = result.victims, &recorded = result.recorded, &hidden = result.hidden;
  const double wall = result.wall_seconds;
  print_tr("run.header", fmt::arg("name", sc.name), fmt::arg("replicates", opt.replicates), fmt::arg("seed", seed),
           fmt::arg("days", sc.days), fmt::arg("start", sc.start_date));
  std::printf("%s%s", tr("run.estimates").c_str(), scale_note(sc).c_str());
  print_interval_line(tr("run.recruited"), victims);
  print_interval_line(tr("run.recorded"), recorded);
  print_interval_line(tr("run.cases"), result.cases);
  std::printf("  %s %10.1f\n", fmt::format("{:<34}", tr("run.hidden")).c_str(), quantile(hidden, 0.5));
  print_share_row(tr("run.share_title"), tr("run.true_victims"), tr("run.recorded_victims"));
  print_share_row(tr("run.minors"), share_cell(result.minor_share_true), share_cell(result.minor_share_recorded));
  print_share_row(tr("run.women"), share_cell(result.female_share_true), share_cell(result.female_share_recorded));
  print_tr("run.top_origin", fmt::arg("list", top_departments(sc, result.origin_victims)));
  print_tr("run.top_record", fmt::arg("list", top_departments(sc, result.record_cases)));
  print_tr("run.speed", fmt::arg("rate", double(sc.population.size) * sc.days * opt.replicates / wall), fmt::arg("wall", wall),
           fmt::arg("out", out.string()));
  return 0;
}

int cmd_compare_draws(const Options& opt) {
  if (!opt.population.empty())
    throw std::invalid_argument("compare --draws does not take --population yet (each draw may change the scenario); leave it out");
  decision::DrawsOptions d;
  d.baseline = opt.file;
  d.interventions = opt.interventions;
  d.posterior = opt.posterior;
  d.draws = std::max(1, opt.draws);
  d.replicates = opt.replicates;
  d.threads = opt.threads;
  d.seed_given = opt.seed.has_value();
  d.seed = opt.seed.value_or(0);
  d.wtp = opt.wtp;
  const fs::path out = default_output(opt, "compare");
  // Neither the output nor its journal may be one of the inputs.
  const io::Node base_tree = io::load_scenario_tree(opt.file);
  std::vector<fs::path> inputs = io::source_files(base_tree, opt.file);
  if (!opt.posterior.empty()) inputs.push_back(opt.posterior);
  for (const auto& file : opt.interventions) {
    auto more = io::source_files(io::load_scenario_tree(file), file);
    inputs.insert(inputs.end(), more.begin(), more.end());
  }
  io::refuse_clobber(out, inputs, {".journal"});
  ensure_parent(out);
  std::optional<io::OutputLock> lock;  // two studies on one output would share its journal
  if (lead_rank()) lock.emplace(out);   // under mpirun only rank 0 writes
  prepare_resume(d, out);
  const auto res = run_resumable([&] { return decision::run_draws(d); });  // journals, writes `out`, drops the journal
  if (res.worker) return 0;  // another MPI rank: rank 0 reports
  std::printf("%s%s", describe_draws(d, res).c_str(), trf("wrote", fmt::arg("out", out.string())).c_str());
  return 0;
}

int cmd_compare(const Options& opt) {
  if (opt.draws > 0 || !opt.posterior.empty()) return cmd_compare_draws(opt);
  io::Node base_tree = io::load_scenario_tree(opt.file);
  Scenario base = scenario_from_tree(base_tree, opt.file);
  auto [arms, arm_names] = load_arms(base_tree, opt.file, opt.interventions);  // checked before any work
  const std::uint32_t seed = opt.seed.value_or(base.seed);
  if (!opt.population.empty()) check_world_file(opt.population, base, seed);  // before any lock or work
  const fs::path out = default_output(opt, "compare");
  {
    std::vector<fs::path> inputs = io::source_files(base_tree, opt.file);
    if (!opt.population.empty()) inputs.push_back(opt.population);
    for (const auto& file : opt.interventions) {
      auto more = io::source_files(io::load_scenario_tree(file), file);
      inputs.insert(inputs.end(), more.begin(), more.end());
    }
    io::refuse_clobber(out, inputs);
  }
  ensure_parent(out);
  io::OutputLock lock(out);
  check_memory(base, std::min(opt.threads, opt.replicates * int(opt.interventions.size() + 1)), opt.max_memory, opt.file);
  const std::string started = now_iso();
  std::fprintf(stderr, "%s population and graph of '%s' (%s persons)...\n", opt.population.empty() ? "building" : "loading",
               base.name.c_str(), with_commas(double(base.population.size)).c_str());
  CompareRequest req{std::move(base), std::move(arms), arm_names, seed, opt.replicates, opt.threads, opt.population};
  std::optional<Progress> progress;
  Callbacks cb;
  cb.start = [&](std::int64_t total, double) { return &progress.emplace("simulating arms", total).done; };
  CompareResult result = compare_to_file(req, out, cb, started);
  progress.reset();
  const Scenario& base_sc = req.baseline;
  const auto& rows = result.rows;
  const auto& outcomes = result.outcomes;

  std::vector<double> base_victims;
  for (auto& s : outcomes[0].summaries) base_victims.push_back(s.victims);
  print_tr("compare.header", fmt::arg("name", base_sc.name), fmt::arg("replicates", opt.replicates), fmt::arg("seed", seed));
  print_tr("compare.baseline", fmt::arg("median", with_commas(quantile(base_victims, 0.5))),
           fmt::arg("lo", with_commas(quantile(base_victims, 0.05))), fmt::arg("hi", with_commas(quantile(base_victims, 0.95))));
  std::printf("%s%s", scale_note(base_sc).c_str(), tr("compare.averted_note").c_str());
  // fmt pads by characters (printf by bytes), so accented headers keep the columns aligned.
  std::printf("%s", fmt::format("{:<32} {:>20} {:>18} {:>14} {:>16}\n", tr("compare.col_intervention"), tr("compare.col_averted"),
                                tr("compare.col_share"), tr("compare.col_cost"), tr("compare.col_cost_per")).c_str());
  for (const auto& r : rows) {
    char av[64], sh[64], cp[32], cy[32];
    std::snprintf(av, sizeof av, "%.1f (%.1f, %.1f)", r.averted_ci.mean, r.averted_ci.lo, r.averted_ci.hi);
    std::snprintf(sh, sizeof sh, "%.1f%% (%.1f, %.1f)", 100 * r.share_ci.mean, 100 * r.share_ci.lo, 100 * r.share_ci.hi);
    if (std::isnan(r.cost_per_averted)) std::snprintf(cp, sizeof cp, "%s", tr("n_a").c_str());
    else std::snprintf(cp, sizeof cp, "%s", with_commas(r.cost_per_averted).c_str());
    std::printf("%-32s %20s %18s %14s %16s\n", r.name.c_str(), av, sh, with_commas(r.cost).c_str(), cp);
    // Rescue and shorter exploitation count too, not only recruitments prevented.
    if (std::isnan(r.cost_per_year_averted)) std::snprintf(cy, sizeof cy, "%s", tr("n_a").c_str());
    else std::snprintf(cy, sizeof cy, "%s", with_commas(r.cost_per_year_averted).c_str());
    print_tr("compare.benefits", fmt::arg("days", r.days_averted_ci.mean), fmt::arg("dlo", r.days_averted_ci.lo),
             fmt::arg("dhi", r.days_averted_ci.hi), fmt::arg("rescued", r.rescued_ci.mean), fmt::arg("rlo", r.rescued_ci.lo),
             fmt::arg("rhi", r.rescued_ci.hi), fmt::arg("cost", std::string(cy)));
    // Who benefits: the categories with the most victims averted.
    for (const auto& [dim, cis] : r.by) {
      if (dim != "department" && dim != "age_group" && dim != "route") continue;
      const auto& labels = compare_axis(base_sc, dim).labels;
      std::vector<std::size_t> order(cis.size());
      std::iota(order.begin(), order.end(), 0);
      std::sort(order.begin(), order.end(), [&](auto a, auto b) { return cis[a].mean > cis[b].mean; });
      const std::string& dim_label =
          dim == "department" ? tr("compare.by_department") : dim == "age_group" ? tr("compare.by_age_group") : tr("compare.by_route");
      const std::size_t width = std::max({std::size_t(11), tr("compare.by_department").size(), tr("compare.by_age_group").size(),
                                          tr("compare.by_route").size()});  // bytes >= characters: never too narrow
      std::printf("    %s", fmt::format("{:<{}}", dim_label, width).c_str());
      for (std::size_t k = 0; k < std::min<std::size_t>(3, order.size()); ++k)
        std::printf(" %s %.1f (%.1f, %.1f)%s", tr_label(labels[order[k]]).c_str(), cis[order[k]].mean, cis[order[k]].lo, cis[order[k]].hi,
                    k + 1 < std::min<std::size_t>(3, order.size()) ? ";" : "");
      std::printf("\n");
    }
  }
  std::printf("\n%s", trf("wrote", fmt::arg("out", out.string())).c_str());
  return 0;
}

int cmd_inspect(const Options& opt) {
  h5::Reader f(opt.file);
  if (!f.exists("/metadata")) throw IoError(opt.file + ": no /metadata group: not a file written by redes");
  const std::string kind = f.attribute_string("/metadata", "kind");
  print_tr("inspect.header", fmt::arg("file", opt.file), fmt::arg("kind", kind),
           fmt::arg("name", f.attribute_string("/metadata", "scenario_name")), fmt::arg("seed", f.attribute_string("/metadata", "seed")),
           fmt::arg("replicates", f.attribute_string("/metadata", "replicates")),
           fmt::arg("days", f.attribute_string("/metadata", "days")), fmt::arg("start", f.attribute_string("/metadata", "start_date")));
  std::printf("%s", tr("inspect.estimates").c_str());
  auto show = [&](const std::string& prefix) {
    const std::string s = prefix + "/summary/";
    for (const auto& name : f.children(prefix + "/summary")) {
      auto shape = f.shape(s + name);
      auto values = f.read_double(s + name);
      // Files may be damaged or forged: check shape and labels before indexing with them.
      if (shape.empty() || shape.size() > 2 || shape[0] == 0 || values.size() != shape[0] * (shape.size() > 1 ? shape[1] : 1))
        throw IoError(opt.file + ": '" + s + name + "' is not a non-empty 1- or 2-d table");
      const std::size_t R = shape[0], C = shape.size() > 1 ? shape[1] : 1;
      auto labels = shape.size() > 1 ? f.scale_labels(s + name, 1) : std::vector<std::string>{};
      if (C > 1 && labels.size() != C)
        throw IoError(opt.file + ": '" + s + name + "' has " + std::to_string(C) + " columns but " +
                      std::to_string(labels.size()) + " labels on its second axis");
      std::printf("\n%s\n", name.c_str());
      for (std::size_t c = 0; c < C; ++c) {
        if (name == "exits" && c < std::size_t(kActiveStages)) continue;  // only the exits are ever non-zero
        std::vector<double> col;
        for (std::size_t r = 0; r < R; ++r) col.push_back(values[r * C + c]);
        print_tr("inspect.row", fmt::arg("label", C > 1 ? labels[c] : tr("inspect.total")),
                 fmt::arg("median", with_commas(quantile(col, 0.5))), fmt::arg("lo", with_commas(quantile(col, 0.05))),
                 fmt::arg("hi", with_commas(quantile(col, 0.95))));
      }
    }
  };
  if (kind == "run") {
    show("");
    if (f.exists("/observed/hidden_ratio")) {
      auto h = f.read_double("/observed/hidden_ratio");
      print_tr("inspect.hidden", fmt::arg("median", quantile(h, 0.5)), fmt::arg("lo", quantile(h, 0.05)), fmt::arg("hi", quantile(h, 0.95)));
    }
  } else if (kind == "compare") {
    auto names = f.scale_labels("/compare/averted_mean", 0);
    auto m = f.read_double("/compare/averted_mean"), lo = f.read_double("/compare/averted_lo"), hi = f.read_double("/compare/averted_hi");
    auto cost = f.read_double("/compare/cost"), cpa = f.read_double("/compare/cost_per_victim_averted");
    for (auto* v : {&m, &lo, &hi, &cost, &cpa})
      if (v->size() != names.size())
        throw IoError(opt.file + ": the /compare tables do not match the " + std::to_string(names.size()) +
                      " intervention labels of /compare/averted_mean");
    std::printf("%s", fmt::format("\n{:<32} {:>24} {:>14} {:>16}\n", tr("compare.col_intervention"), tr("inspect.col_averted"),
                                  tr("compare.col_cost"), tr("compare.col_cost_per")).c_str());
    for (std::size_t i = 0; i < names.size(); ++i)
      std::printf("%-32s %10.1f (%5.1f, %5.1f) %14s %16s\n", names[i].c_str(), m[i], lo[i], hi[i], with_commas(cost[i]).c_str(),
                  std::isnan(cpa[i]) ? tr("n_a").c_str() : with_commas(cpa[i]).c_str());
    show("/arms/baseline");
  } else {
    print_tr("inspect.unknown_kind", fmt::arg("kind", kind));
  }
  return 0;
}

int cmd_list(const Options& opt) {
  if (opt.what == "outputs") {  // the output dictionary; --markdown is the table of output_format.md
    if (opt.markdown) std::fputs(run_datasets_markdown().c_str(), stdout);
    else
      for (const auto& d : run_datasets()) std::printf("/%-36s %-12s %s\n", std::string(d.path).c_str(), std::string(d.unit).c_str(), std::string(d.meaning).c_str());
    return 0;
  }
  if (opt.what == "interventions") {
    for (const auto& t : intervention_types())
      std::printf("%-22s %s\n%-22s   own keys: %s; common keys: name, start, end, half_life_days, coverage, targeting, cost\n",
                  t.name.c_str(), t.description.c_str(), "", t.parameters.c_str());
    return 0;
  }
  if (opt.what == "routes") {
    for (const auto& t : recruitment_routes())
      std::printf("%-22s %s\n", std::string(kRouteNames[std::size_t(t.label)]).c_str(), t.description.c_str());
    return 0;
  }
  // Keys are declared by the code that reads them: load the files to collect them.
  if (opt.files.empty()) throw std::invalid_argument("list keys needs scenario files, e.g. redes list keys scenarios/paraguay/baseline.yaml");
  for (const auto& f : opt.files) build_interventions(load_scenario(f));
  for (const auto& k : io::key_catalogue()) {
    if (opt.markdown)
      std::printf("| `%s` | %s | %s | %s | %s |\n", k.path.c_str(), k.type.c_str(), k.range.c_str(),
                  k.default_text.empty() ? "required" : k.default_text.c_str(), k.doc.c_str());
    else
      std::printf("%-50s %-8s %-30s %s\n", k.path.c_str(), k.type.c_str(), k.range.c_str(), k.doc.c_str());
  }
  return 0;
}

}  // namespace redes
