#include "sim/study/compare_file.hpp"

#include <algorithm>
#include <memory>
#include <optional>

#include "sim/core/labels.hpp"
#include "sim/output/output.hpp"

namespace redes {

std::pair<std::vector<Scenario>, std::vector<std::string>> load_arms(const io::Node& base_tree,
                                                                     const std::filesystem::path& base_file,
                                                                     const std::vector<std::string>& files) {
  std::vector<Scenario> arms;
  std::vector<std::string> arm_names{"baseline"};
  for (const auto& file : files) {
    Arm arm = arm_from_files(base_tree, base_file, file);
    // Arm names become HDF5 group names: they must be unique and contain no '/'.
    if (arm.name.find('/') != std::string::npos || arm.name.empty())
      throw std::invalid_argument(file + ": arm name '" + arm.name + "' must be non-empty and contain no '/'");
    if (std::find(arm_names.begin(), arm_names.end(), arm.name) != arm_names.end())
      throw std::invalid_argument(file + ": two arms are named '" + arm.name +
                                  "'; give each intervention file its own name:");
    arms.push_back(std::move(arm.scenario));
    arm_names.push_back(arm.name);
  }
  return {std::move(arms), std::move(arm_names)};
}

h5::Axis compare_axis(const Scenario& sc, const std::string& dim) {
  if (dim == "department") return axis_departments(sc);
  if (dim == "age_group") return axis_named("age_group", to_strings(kAgeGroupNames));
  if (dim == "gender") return axis_named("gender", to_strings(kGenderNames));
  if (dim == "route") return axis_named("route", to_strings(kRouteNames));
  if (dim == "platform") return axis_named("platform", to_strings(kPlatformNames));
  throw std::logic_error("no compare axis '" + dim + "'");
}

CompareResult compare_to_file(const CompareRequest& req, const std::filesystem::path& out, const Callbacks& callbacks,
                              const std::string& started_at) {
  std::optional<h5::Writer> file;  // created once the world is built, as before the study layer
  std::vector<const Scenario*> all{&req.baseline};
  for (auto& a : req.arms) all.push_back(&a);
  std::vector<std::unique_ptr<RunWriter>> writers;
  Callbacks cb = callbacks;
  cb.start = [&](std::int64_t total, double build_seconds) -> std::atomic<std::int64_t>* {
    file.emplace(out);
    for (std::size_t k = 0; k < all.size(); ++k)
      writers.push_back(std::make_unique<RunWriter>(*file, "/arms/" + req.arm_names[k], *all[k], req.replicates,
                                                    intervention_names(*all[k]),
                                                    RunLayout{false, false, "interventions_in_" + req.arm_names[k]}));
    return callbacks.start ? callbacks.start(total, build_seconds) : nullptr;
  };
  cb.on_replicate = [&](std::size_t arm, int r, const ReplicateResult& res, const Summary& s, const Observed& o) {
    writers[arm]->write(res, s, o);
    if (callbacks.on_replicate) callbacks.on_replicate(arm, r, res, s, o);
  };
  CompareResult result = compare_study(req, cb);
  h5::Writer& f = *file;
  const Scenario& base_sc = req.baseline;
  const auto& rows = result.rows;
  // /compare datasets
  std::vector<std::string> iv_names(req.arm_names.begin() + 1, req.arm_names.end());
  const h5::Axis ivx = axis_named("intervention", iv_names);
  const std::size_t I = rows.size(), R = std::size_t(req.replicates);
  f.group("/compare");
  f.attribute("/compare", "estimate", "model estimate; intervals are 95% t intervals over paired replicates");
  std::vector<double> averted(I * R), days(I * R), rescued(I * R), am, alo, ahi, sm, slo, shi, cost, cpa, cpy;
  std::vector<double> dm, dlo, dhi, rm, rlo, rhi;
  for (std::size_t i = 0; i < I; ++i) {
    std::copy(rows[i].averted.begin(), rows[i].averted.end(), averted.begin() + std::ptrdiff_t(i * R));
    std::copy(rows[i].days_averted.begin(), rows[i].days_averted.end(), days.begin() + std::ptrdiff_t(i * R));
    std::copy(rows[i].rescued_more.begin(), rows[i].rescued_more.end(), rescued.begin() + std::ptrdiff_t(i * R));
    dm.push_back(rows[i].days_averted_ci.mean), dlo.push_back(rows[i].days_averted_ci.lo),
        dhi.push_back(rows[i].days_averted_ci.hi);
    rm.push_back(rows[i].rescued_ci.mean), rlo.push_back(rows[i].rescued_ci.lo), rhi.push_back(rows[i].rescued_ci.hi);
    cpy.push_back(rows[i].cost_per_year_averted);
    am.push_back(rows[i].averted_ci.mean), alo.push_back(rows[i].averted_ci.lo), ahi.push_back(rows[i].averted_ci.hi);
    sm.push_back(rows[i].share_ci.mean), slo.push_back(rows[i].share_ci.lo), shi.push_back(rows[i].share_ci.hi);
    cost.push_back(rows[i].cost), cpa.push_back(rows[i].cost_per_averted);
  }
  f.array("/compare/victims_averted", {ivx, axis_replicate(req.replicates)}, averted, "persons");
  f.array("/compare/averted_mean", {ivx}, am, "persons");
  f.array("/compare/averted_lo", {ivx}, alo, "persons");
  f.array("/compare/averted_hi", {ivx}, ahi, "persons");
  f.array("/compare/share_averted_mean", {ivx}, sm, "fraction");
  f.array("/compare/share_averted_lo", {ivx}, slo, "fraction");
  f.array("/compare/share_averted_hi", {ivx}, shi, "fraction");
  f.array("/compare/cost", {ivx}, cost, "USD");
  f.array("/compare/cost_per_victim_averted", {ivx}, cpa, "USD/victim");
  f.array("/compare/exploited_days_averted", {ivx, axis_replicate(req.replicates)}, days, "person-days");
  f.array("/compare/exploited_days_averted_mean", {ivx}, dm, "person-days");
  f.array("/compare/exploited_days_averted_lo", {ivx}, dlo, "person-days");
  f.array("/compare/exploited_days_averted_hi", {ivx}, dhi, "person-days");
  f.array("/compare/victims_rescued_more", {ivx, axis_replicate(req.replicates)}, rescued, "persons");
  f.array("/compare/rescued_more_mean", {ivx}, rm, "persons");
  f.array("/compare/rescued_more_lo", {ivx}, rlo, "persons");
  f.array("/compare/rescued_more_hi", {ivx}, rhi, "persons");
  f.array("/compare/cost_per_exploited_year_averted", {ivx}, cpy, "USD/person-year");
  for (std::size_t d = 0; I > 0 && d < rows[0].by.size(); ++d) {
    const std::string& dim = rows[0].by[d].first;
    std::vector<double> m, lo, hi;
    for (std::size_t i = 0; i < I; ++i)
      for (const auto& ci : rows[i].by[d].second) m.push_back(ci.mean), lo.push_back(ci.lo), hi.push_back(ci.hi);
    f.array("/compare/averted_by_" + dim + "_mean", {ivx, compare_axis(base_sc, dim)}, m, "persons");
    f.array("/compare/averted_by_" + dim + "_lo", {ivx, compare_axis(base_sc, dim)}, lo, "persons");
    f.array("/compare/averted_by_" + dim + "_hi", {ivx, compare_axis(base_sc, dim)}, hi, "persons");
  }
  write_metadata(f, base_sc, "compare", req.seed, req.replicates, req.threads, started_at);
  if (!req.population_file.empty()) f.attribute("/metadata", "population_file", req.population_file.string());
  {
    std::string s;
    for (auto& a : req.arm_names) s += (s.empty() ? "" : ",") + a;
    f.attribute("/metadata", "arms", s);
  }
  f.commit();
  return result;
}

}  // namespace redes
