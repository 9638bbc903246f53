// engine/results: what one replicate produces: daily counters, the event table and the list of
// victims, plus the daily intervention reach/cost and reporting modifiers the observation model reads.
#pragma once
#include <cstdint>
#include <vector>

#include "sim/core/labels.hpp"

namespace redes {

struct Event {
  std::uint16_t replicate;
  std::int32_t day;
  std::uint32_t person, recruiter;
  std::uint8_t from, to, route, platform;  // from = 255 when the pipeline starts
};
inline constexpr std::uint8_t kEntry = 255;

struct Victim {
  PersonId person;
  RecruiterId recruiter;
  std::int32_t day;  // recruited on
  std::uint8_t route, platform, exploitation, destination, department, age_group, gender, means;
  std::uint8_t place = 0;  // department where exploited (found), or kAbroad; `department` is the origin (home)
};
inline constexpr std::uint8_t kAbroad = 255;

/// Dimensions of the daily counters (row-major, day first).
inline constexpr std::size_t kStockCells = std::size_t(kActiveStages) * kRoutes * kPlatforms * kAgeGroups * kGenders;
inline std::size_t stock_index(int stage, int route, int platform, int age_group, int gender) {
  return (((std::size_t(stage) * kRoutes + route) * kPlatforms + platform) * kAgeGroups + age_group) * kGenders +
         gender;
}

struct ReplicateResult {
  int replicate = 0, days = 0, departments = 0, interventions = 0;
  std::vector<std::int32_t> stock;                // [day][stage][route][platform][age_group][gender]
  std::vector<std::int32_t> stock_by_department;  // [day][stage][department]
  std::vector<std::int32_t> transitions;          // [day][transition][route]
  std::vector<std::int32_t> recruiters_active;    // [day]
  std::vector<Event> events;
  std::vector<Victim> victims;
  std::int32_t recruiters_arrested = 0;
  std::vector<std::int32_t> reach;      // [day][intervention]
  std::vector<double> cost;             // [day][intervention]
  std::vector<float> reporting_add;     // [day][department], read by observation
  std::vector<float> enforcement_mult;  // [day][department] investigative capacity (1 = none), read by observation
  std::vector<float>
      cooperation_add;             // [day][platform] platform cooperation added by interventions, read by observation
  double seconds = 0;              // wall time of the replicate (not written to datasets)
  std::uint64_t ties_visited = 0;  // for benchmarks
};

}  // namespace redes
