#include "sim/sweep/metrics.hpp"

#include <numeric>

namespace redes::sweep {
namespace {

// One place lists metrics, so names and values cannot drift apart: `emit` either records the
// name or the value.
template <class Emit>
void each_metric(const Scenario& sc, const Summary* s, const Observed* o, const ReplicateResult* r, Emit&& emit) {
  const int years = sc.year_of_day(sc.days - 1) - sc.start_year + 1;
  auto sum = [](const auto& v) { return double(std::accumulate(v.begin(), v.end(), 0.0)); };
  emit("victims", s ? s->victims : 0);
  emit("recorded_victims", o ? sum(o->recorded_victims) : 0);
  emit("true_per_recorded", o ? o->hidden_ratio : 0);
  emit("attempts", s ? sum(s->attempts_by_route) : 0);
  emit("recruiters_arrested", s ? s->recruiters_arrested : 0);
  emit("cost", r ? sum(r->cost) : 0);
  for (int k = 0; k < kRoutes; ++k) emit("victims.route." + std::string(kRouteNames[k]), s ? s->by_route[k] : 0);
  for (int k = 0; k < kPlatforms; ++k)
    emit("victims.platform." + std::string(kPlatformNames[k]), s ? s->by_platform[k] : 0);
  for (int k = 0; k < kAgeGroups; ++k)
    emit("victims.age." + std::string(kAgeGroupNames[k]), s ? s->by_age_group[k] : 0);
  for (int k = 0; k < kGenders; ++k) emit("victims.gender." + std::string(kGenderNames[k]), s ? s->by_gender[k] : 0);
  for (int y = 0; y < years; ++y)
    emit("victims.year." + std::to_string(sc.start_year + y), s ? s->by_year[std::size_t(y)] : 0);
  for (int y = 0; y < years; ++y)
    emit("recorded_victims.year." + std::to_string(sc.start_year + y), o ? o->recorded_victims[std::size_t(y)] : 0);
  // Per institution over the horizon: cases opened (proceedings) and victims recorded.
  const std::size_t per_year_inst = std::size_t(sc.department_count()) * kSexRecorded * kAgeGroups;
  const std::size_t nd = std::size_t(sc.department_count());
  for (int inst = 0; inst < kInstitutions; ++inst) {
    double cases = 0, victims = 0;
    if (o)
      for (int y = 0; y < years; ++y) {
        auto files = o->case_files.begin() + std::ptrdiff_t((std::size_t(y) * kInstitutions + inst) * nd);
        cases += std::accumulate(files, files + std::ptrdiff_t(nd), 0.0);
        auto first =
            o->recorded_cases.begin() + std::ptrdiff_t((std::size_t(y) * kInstitutions + inst) * per_year_inst);
        victims += std::accumulate(first, first + std::ptrdiff_t(per_year_inst), 0.0);
      }
    emit("cases." + std::string(kInstitutionNames[inst]), cases);
    emit("recorded_victims." + std::string(kInstitutionNames[inst]), victims);
  }
}

}  // namespace

std::vector<std::string> metric_names(const Scenario& sc) {
  std::vector<std::string> names;
  each_metric(sc, nullptr, nullptr, nullptr, [&](const std::string& name, double) { names.push_back(name); });
  return names;
}

std::vector<double> run_metrics(const Scenario& sc, const ReplicateResult& r, const Summary& s, const Observed& o) {
  std::vector<double> values;
  each_metric(sc, &s, &o, &r, [&](const std::string&, double v) { values.push_back(v); });
  return values;
}

}  // namespace redes::sweep
