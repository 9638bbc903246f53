#include "sim/output/run_datasets.hpp"

#include <fmt/format.h>

namespace redes {

std::string_view axis_name(RunAxis a) {
  switch (a) {
    case RunAxis::Replicate:
      return "replicate";
    case RunAxis::Day:
      return "day";
    case RunAxis::Year:
      return "year";
    case RunAxis::Stage:
      return "stage";
    case RunAxis::Transition:
      return "transition";
    case RunAxis::Route:
      return "route";
    case RunAxis::Platform:
      return "platform";
    case RunAxis::AgeGroup:
      return "age_group";
    case RunAxis::Gender:
      return "gender";
    case RunAxis::Department:
      return "department";
    case RunAxis::DepartmentOfOrigin:
      return "department_of_origin";
    case RunAxis::Exploitation:
      return "exploitation";
    case RunAxis::Destination:
      return "destination";
    case RunAxis::Means:
      return "means";
    case RunAxis::Institution:
      return "institution";
    case RunAxis::SexRecorded:
      return "sex_recorded";
    case RunAxis::VictimsInCase:
      return "victims_in_case";
    case RunAxis::Intervention:
      return "intervention";
  }
  return "";
}

namespace {
using A = RunAxis;
using S = const RunSources&;
std::span<const std::int32_t> one(const std::int32_t& v) { return {&v, 1}; }
std::span<const double> one(const double& v) { return {&v, 1}; }
}  // namespace

const std::vector<RunDataset>& run_datasets() {
  static const std::vector<RunDataset> table = {
      {"trajectories/stock",
       false,
       {A::Replicate, A::Day, A::Stage, A::Route, A::Platform, A::AgeGroup, A::Gender},
       "persons",
       false,
       RunPart::Trajectories,
       "persons in each active stage at the end of each day",
       [](S s) -> RunValues { return std::span(s.result.stock); }},
      {"trajectories/stock_by_department",
       false,
       {A::Replicate, A::Day, A::Stage, A::Department},
       "persons",
       false,
       RunPart::Trajectories,
       "the same stock by the person's department",
       [](S s) -> RunValues { return std::span(s.result.stock_by_department); }},
      {"trajectories/transitions",
       false,
       {A::Replicate, A::Day, A::Transition, A::Route},
       "persons/day",
       false,
       RunPart::Always,
       "persons entering each stage that day",
       [](S s) -> RunValues { return std::span(s.result.transitions); }},
      {"trajectories/recruiters_active",
       false,
       {A::Replicate, A::Day},
       "recruiters",
       false,
       RunPart::Always,
       "recruiters active that day",
       [](S s) -> RunValues { return std::span(s.result.recruiters_active); }},
      {"summary/victims",
       false,
       {A::Replicate},
       "persons",
       true,
       RunPart::Always,
       "persons recruited (reached `recruited`) on window days",
       [](S s) -> RunValues { return one(s.summary.victims); }},
      {"summary/victims_by_route",
       false,
       {A::Replicate, A::Route},
       "persons",
       true,
       RunPart::Always,
       "victims by recruitment route",
       [](S s) -> RunValues { return std::span(s.summary.by_route); }},
      {"summary/victims_by_platform",
       false,
       {A::Replicate, A::Platform},
       "persons",
       true,
       RunPart::Always,
       "victims by the platform of first contact (offline: none)",
       [](S s) -> RunValues { return std::span(s.summary.by_platform); }},
      {"summary/victims_by_age_group",
       false,
       {A::Replicate, A::AgeGroup},
       "persons",
       true,
       RunPart::Always,
       "victims by age group when recruited",
       [](S s) -> RunValues { return std::span(s.summary.by_age_group); }},
      {"summary/victims_by_gender",
       false,
       {A::Replicate, A::Gender},
       "persons",
       true,
       RunPart::Always,
       "victims by gender",
       [](S s) -> RunValues { return std::span(s.summary.by_gender); }},
      {"summary/victims_by_department",
       false,
       {A::Replicate, A::Department},
       "persons",
       true,
       RunPart::Always,
       "victims by home department when recruited",
       [](S s) -> RunValues { return std::span(s.summary.by_department); }},
      {"summary/victims_by_exploitation",
       false,
       {A::Replicate, A::Exploitation},
       "persons",
       true,
       RunPart::Always,
       "victims by exploitation type",
       [](S s) -> RunValues { return std::span(s.summary.by_exploitation); }},
      {"summary/victims_by_destination",
       false,
       {A::Replicate, A::Destination},
       "persons",
       true,
       RunPart::Always,
       "victims by destination",
       [](S s) -> RunValues { return std::span(s.summary.by_destination); }},
      {"summary/victims_by_means",
       false,
       {A::Replicate, A::Means},
       "persons",
       true,
       RunPart::Always,
       "victims by means (the accepted offer, or coercion)",
       [](S s) -> RunValues { return std::span(s.summary.by_means); }},
      {"summary/victims_by_year",
       false,
       {A::Replicate, A::Year},
       "persons",
       true,
       RunPart::Always,
       "victims by calendar year",
       [](S s) -> RunValues { return std::span(s.summary.by_year); }},
      {"summary/attempts_by_route",
       false,
       {A::Replicate, A::Route},
       "persons",
       false,
       RunPart::Always,
       "pipelines started, by route",
       [](S s) -> RunValues { return std::span(s.summary.attempts_by_route); }},
      {"summary/exits",
       false,
       {A::Replicate, A::Transition},
       "persons",
       false,
       RunPart::Always,
       "pipelines ending in each exit (declined ... escaped)",
       [](S s) -> RunValues { return std::span(s.summary.exits); }},
      {"summary/recruiters_arrested",
       false,
       {A::Replicate},
       "recruiters",
       false,
       RunPart::Always,
       "recruiters arrested",
       [](S s) -> RunValues { return one(s.summary.recruiters_arrested); }},
      {"summary/rescued",
       false,
       {A::Replicate},
       "persons",
       true,
       RunPart::Always,
       "exits to `rescued` on window days",
       [](S s) -> RunValues { return one(s.summary.rescued); }},
      {"summary/exploited_person_days",
       true,
       {A::Replicate},
       "person-days",
       true,
       RunPart::Always,
       "the daily stock in stage `exploited` summed over the window days",
       [](S s) -> RunValues { return std::vector<double>{double(s.summary.exploited_days)}; }},
      {"observed/recorded_cases",
       false,
       {A::Replicate, A::Year, A::Institution, A::Department, A::SexRecorded, A::AgeGroup},
       "persons",
       true,
       RunPart::Always,
       "victims recorded (one record per institution that records the victim), by department of record; official "
       "tables "
       "that count proceedings compare with `case_files`",
       [](S s) -> RunValues { return std::span(s.observed.recorded_cases); }},
      {"observed/recorded_by_origin",
       false,
       {A::Replicate, A::Year, A::Institution, A::DepartmentOfOrigin},
       "persons",
       true,
       RunPart::Always,
       "the same records by the victim's home department when recruited",
       [](S s) -> RunValues { return std::span(s.observed.recorded_by_origin); }},
      {"observed/case_files",
       false,
       {A::Replicate, A::Year, A::Institution, A::Department},
       "cases",
       true,
       RunPart::Always,
       "cases (proceedings) opened: a case opens at a recruiter's first record by an institution and takes in that "
       "recruiter's victims recorded by the same institution within `observation.case_window_days`",
       [](S s) -> RunValues { return std::span(s.observed.case_files); }},
      {"observed/victims_per_case",
       false,
       {A::Replicate, A::VictimsInCase},
       "cases",
       true,
       RunPart::Always,
       "cases over the horizon by size (`1`..`9`, `10+`)",
       [](S s) -> RunValues { return std::span(s.observed.victims_per_case); }},
      {"observed/recorded_ict",
       false,
       {A::Replicate, A::Year, A::Institution},
       "persons",
       true,
       RunPart::Always,
       "recorded victims whose ICT use was recorded",
       [](S s) -> RunValues { return std::span(s.observed.recorded_ict); }},
      {"observed/recorded_victims",
       false,
       {A::Replicate, A::Year},
       "persons",
       true,
       RunPart::Always,
       "distinct victims recorded by any institution",
       [](S s) -> RunValues { return std::span(s.observed.recorded_victims); }},
      {"observed/recorded_profile",
       false,
       {A::Replicate, A::AgeGroup, A::Gender},
       "persons",
       true,
       RunPart::Always,
       "the same distinct victims over the horizon, by age group when recruited and sex (true values, not as recorded)",
       [](S s) -> RunValues { return std::span(s.observed.recorded_profile); }},
      {"observed/true_victims",
       false,
       {A::Replicate, A::Year},
       "persons",
       true,
       RunPart::Always,
       "victims recruited that year (truth; window days only)",
       [](S s) -> RunValues { return std::span(s.observed.true_victims); }},
      {"observed/hidden_ratio",
       true,
       {A::Replicate},
       "true victims per recorded victim",
       true,
       RunPart::Always,
       "true victims / distinct recorded victims over the horizon",
       [](S s) -> RunValues { return one(s.observed.hidden_ratio); }},
      {"interventions/reach",
       false,
       {A::Replicate, A::Day, A::Intervention},
       "persons/day",
       false,
       RunPart::Always,
       "persons reached by each intervention that day",
       [](S s) -> RunValues { return std::span(s.result.reach); }},
      {"interventions/cost",
       true,
       {A::Replicate, A::Day, A::Intervention},
       "USD/day",
       false,
       RunPart::Always,
       "cost of each intervention that day",
       [](S s) -> RunValues { return std::span(s.result.cost); }},
  };
  return table;
}

std::string run_datasets_markdown() {
  std::string out = "| dataset | type | axes | unit | model estimate | meaning |\n|---|---|---|---|---|---|\n";
  for (const auto& d : run_datasets()) {
    std::string axes;
    for (RunAxis a : d.axes) axes += (axes.empty() ? "" : ", ") + std::string(axis_name(a));
    out += fmt::format("| `/{}` | {} | [{}] | {} | {} | {}{} |\n", d.path, d.floating ? "float64" : "int32", axes,
                       d.unit, d.estimate ? "yes" : "", d.meaning,
                       d.part == RunPart::Trajectories ? " (run files only, not compare arms)" : "");
  }
  return out;
}

}  // namespace redes
