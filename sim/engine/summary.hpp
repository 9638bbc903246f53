// engine/summary: headline counts of one replicate (victims by route, platform, ...), derived from
// its victims and events. Every count is a model estimate for one replicate.
#pragma once
#include <cstdint>
#include <vector>

#include "sim/engine/results.hpp"
#include "sim/io/scenario.hpp"

namespace redes {

struct Summary {
  std::int32_t victims = 0, recruiters_arrested = 0;
  std::vector<std::int32_t> by_route, by_platform, by_age_group, by_gender, by_department, by_exploitation,
      by_destination, by_means, by_year, attempts_by_route, exits;
};

inline Summary summarise(const Scenario& sc, const ReplicateResult& r) {
  Summary s;
  const int years = sc.year_of_day(sc.days - 1) - sc.start_year + 1;
  s.by_route.assign(kRoutes, 0);
  s.by_platform.assign(kPlatforms, 0);
  s.by_age_group.assign(kAgeGroups, 0);
  s.by_gender.assign(kGenders, 0);
  s.by_department.assign(std::size_t(sc.department_count()), 0);
  s.by_exploitation.assign(kExploitationTypes, 0);
  s.by_destination.assign(kDestinations, 0);
  s.by_means.assign(kMeans, 0);
  s.by_year.assign(std::size_t(years), 0);
  s.attempts_by_route.assign(kRoutes, 0);
  s.exits.assign(kTransitions, 0);
  for (const auto& v : r.victims) {
    ++s.victims;
    ++s.by_route[v.route];
    ++s.by_platform[v.platform];
    ++s.by_age_group[v.age_group];
    ++s.by_gender[v.gender];
    ++s.by_department[v.department];
    ++s.by_exploitation[v.exploitation];
    ++s.by_destination[v.destination];
    ++s.by_means[v.means];
    ++s.by_year[std::size_t(sc.year_of_day(v.day) - sc.start_year)];
  }
  for (const auto& e : r.events) {
    if (e.from == kEntry) ++s.attempts_by_route[e.route];
    if (e.to >= kActiveStages) ++s.exits[e.to];
  }
  s.recruiters_arrested = r.recruiters_arrested;
  return s;
}

}  // namespace redes
