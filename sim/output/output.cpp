#include "sim/output/output.hpp"

#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <ctime>
#include <stdexcept>
#include <variant>

#include "sim/core/version.hpp"
#include "sim/output/run_datasets.hpp"

namespace redes {

h5::Axis axis_named(const std::string& name, const std::vector<std::string>& labels) { return {name, labels, {}}; }

h5::Axis axis_replicate(int replicates) {
  h5::Axis a{"replicate", {}, {}};
  for (int r = 0; r < replicates; ++r) a.values.push_back(r);
  return a;
}
h5::Axis axis_day(int days) {
  h5::Axis a{"day", {}, {}};
  for (int d = 0; d < days; ++d) a.values.push_back(d);
  return a;
}
h5::Axis axis_year(const Scenario& sc) {
  h5::Axis a{"year", {}, {}};
  for (int y = sc.start_year; y <= sc.year_of_day(sc.days - 1); ++y) a.values.push_back(y);
  return a;
}
h5::Axis axis_departments(const Scenario& sc) { return axis_named("department", sc.population.departments); }

namespace {
const h5::Axis kStage =
    axis_named("stage", std::vector<std::string>(kStageNames.begin(), kStageNames.begin() + kActiveStages));
const h5::Axis kTransition = axis_named("transition", to_strings(kStageNames));
const h5::Axis kRoute = axis_named("route", to_strings(kRouteNames));
const h5::Axis kPlatform = axis_named("platform", to_strings(kPlatformNames));
const h5::Axis kAge = axis_named("age_group", to_strings(kAgeGroupNames));
const h5::Axis kGender = axis_named("gender", to_strings(kGenderNames));
const h5::Axis kExploitation = axis_named("exploitation", to_strings(kExploitationNames));
const h5::Axis kDestination = axis_named("destination", to_strings(kDestinationNames));
const h5::Axis kMeansAxis = axis_named("means", to_strings(kMeansNames));
const h5::Axis kInstitution = axis_named("institution", to_strings(kInstitutionNames));
const h5::Axis kSex = axis_named("sex_recorded", to_strings(kSexRecordedNames));

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (auto& x : v) s += (s.empty() ? "" : ",") + x;
  return s;
}
}  // namespace

RunWriter::RunWriter(h5::Writer& f, std::string prefix, const Scenario& sc, int R,
                     const std::vector<std::string>& names, const RunLayout& layout)
    : f_(f), p_(std::move(prefix)), sc_(sc), layout_(layout) {
  const auto rep = axis_replicate(R), day = axis_day(sc.days), year = axis_year(sc), dep = axis_departments(sc);
  const auto iv = axis_named(layout.intervention_axis, names);
  std::vector<std::string> sizes;
  for (int k = 1; k <= kCaseSizes; ++k) sizes.push_back(k < kCaseSizes ? std::to_string(k) : std::to_string(k) + "+");
  auto axis = [&](RunAxis a) -> h5::Axis {
    switch (a) {
      case RunAxis::Replicate:
        return rep;
      case RunAxis::Day:
        return day;
      case RunAxis::Year:
        return year;
      case RunAxis::Stage:
        return kStage;
      case RunAxis::Transition:
        return kTransition;
      case RunAxis::Route:
        return kRoute;
      case RunAxis::Platform:
        return kPlatform;
      case RunAxis::AgeGroup:
        return kAge;
      case RunAxis::Gender:
        return kGender;
      case RunAxis::Department:
        return dep;
      case RunAxis::DepartmentOfOrigin:
        return axis_named("department_of_origin", sc.population.departments);
      case RunAxis::Exploitation:
        return kExploitation;
      case RunAxis::Destination:
        return kDestination;
      case RunAxis::Means:
        return kMeansAxis;
      case RunAxis::Institution:
        return kInstitution;
      case RunAxis::SexRecorded:
        return kSex;
      case RunAxis::VictimsInCase:
        return axis_named("victims_in_case", sizes);
      case RunAxis::Intervention:
        return iv;
    }
    throw std::logic_error("RunWriter: unknown axis");
  };
  for (const char* g : {"/trajectories", "/summary", "/observed", "/interventions"}) f_.group(p_ + g);
  f_.attribute(p_ + "/summary", "estimate", "model estimate");
  f_.attribute(p_ + "/observed", "estimate", "model estimate");
  for (const RunDataset& d : run_datasets()) {
    if (!wanted(d)) continue;
    std::vector<h5::Axis> axes;
    for (RunAxis a : d.axes) axes.push_back(axis(a));
    const std::string path = p_ + "/" + std::string(d.path);
    if (d.floating)
      f_.create_array_double(path, axes, d.unit);
    else
      f_.create_array_int32(path, axes, d.unit);
    if (d.estimate) f_.attribute(path, "estimate", "model estimate");
  }
  if (layout_.events) {
    using E = Event;
    f_.create_table(p_ + "/events", sizeof(E),
                    {{"replicate", offsetof(E, replicate), H5T_NATIVE_UINT16},
                     {"day", offsetof(E, day), H5T_NATIVE_INT32},
                     {"person", offsetof(E, person), H5T_NATIVE_UINT32},
                     {"recruiter", offsetof(E, recruiter), H5T_NATIVE_UINT32},
                     {"from", offsetof(E, from), H5T_NATIVE_UINT8},
                     {"to", offsetof(E, to), H5T_NATIVE_UINT8},
                     {"route", offsetof(E, route), H5T_NATIVE_UINT8},
                     {"platform", offsetof(E, platform), H5T_NATIVE_UINT8}});
    f_.attribute(p_ + "/events", "stage_labels", join(to_strings(kStageNames)));
    f_.attribute(p_ + "/events", "route_labels", join(to_strings(kRouteNames)));
    f_.attribute(p_ + "/events", "platform_labels", join(to_strings(kPlatformNames)));
    f_.attribute(p_ + "/events", "from_entry_code", std::int64_t(kEntry));
  }
  {
    // Type of each intervention, in the order of the intervention axis (one per scenario entry).
    std::vector<std::string> types;
    for (const auto& spec : sc.interventions) types.push_back(spec.type);
    f_.attribute(p_ + "/interventions", "types", join(types));
  }
}

void RunWriter::write(const ReplicateResult& r, const Summary& s, const Observed& o) {
  const std::size_t k = std::size_t(r.replicate);
  const RunSources sources{r, s, o};
  for (const RunDataset& d : run_datasets()) {
    if (!wanted(d)) continue;
    const std::string path = p_ + "/" + std::string(d.path);
    std::visit([&](const auto& values) { f_.write_slice(path, k, std::span(values)); }, d.values(sources));
  }
  if (layout_.events) {
    // Records are copied field by field into zeroed memory: Event has padding bytes (after
    // `replicate`) whose values are indeterminate, and the stored record type keeps the struct's
    // layout, so they would otherwise reach the file (identical runs giving different bytes).
    std::vector<unsigned char> records(r.events.size() * sizeof(Event), 0);
    for (std::size_t i = 0; i < r.events.size(); ++i) {
      const Event& e = r.events[i];
      unsigned char* rec = records.data() + i * sizeof(Event);
      std::memcpy(rec + offsetof(Event, replicate), &e.replicate, sizeof e.replicate);
      std::memcpy(rec + offsetof(Event, day), &e.day, sizeof e.day);
      std::memcpy(rec + offsetof(Event, person), &e.person, sizeof e.person);
      std::memcpy(rec + offsetof(Event, recruiter), &e.recruiter, sizeof e.recruiter);
      std::memcpy(rec + offsetof(Event, from), &e.from, sizeof e.from);
      std::memcpy(rec + offsetof(Event, to), &e.to, sizeof e.to);
      std::memcpy(rec + offsetof(Event, route), &e.route, sizeof e.route);
      std::memcpy(rec + offsetof(Event, platform), &e.platform, sizeof e.platform);
    }
    f_.append_table(p_ + "/events", records.data(), r.events.size());
  }
}

std::string now_iso() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

void write_metadata(h5::Writer& f, const Scenario& sc, const std::string& kind, std::uint32_t seed, int replicates,
                    int threads, const std::string& started_at) {
  f.group("/metadata");
  f.attribute("/metadata", "kind", kind);
  f.attribute("/metadata", "redes_version", redes::version());
  f.attribute("/metadata", "git_commit", redes::git_commit());
  f.attribute("/metadata", "scenario_file", sc.file.string());
  f.attribute("/metadata", "scenario_name", sc.name);
  f.attribute("/metadata", "scenario_text", sc.text);
  f.attribute("/metadata", "seed", std::int64_t(seed));
  f.attribute("/metadata", "replicates", std::int64_t(replicates));
  f.attribute("/metadata", "threads", std::int64_t(threads));
  f.attribute("/metadata", "start_date", sc.start_date);
  f.attribute("/metadata", "days", std::int64_t(sc.days));
  f.attribute("/metadata", "agents", std::int64_t(sc.population.size));
  f.attribute("/metadata", "represents", sc.population.represents);
  // Expected active recruiters (per_100k per 100,000 persons); each replicate draws its own count.
  f.attribute("/metadata", "recruiters_initial",
              std::int64_t(std::llround(sc.recruiters.per_100k * double(sc.population.size) / 1e5)));
  f.attribute("/metadata", "started_at", started_at);
  f.attribute("/metadata", "finished_at", now_iso());
  f.attribute("/metadata", "time_unit", "day");
  f.attribute("/metadata", "estimate", "every victim count is a model estimate; spread is over replicates");
}

}  // namespace redes
