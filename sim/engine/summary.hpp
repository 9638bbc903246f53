// engine/summary: headline counts of one replicate (victims by route, platform, ...), derived from
// its victims and events. Every count is a model estimate for one replicate.
#pragma once
#include <cstdint>
#include <vector>

#include "sim/engine/results.hpp"
#include "sim/scenario/scenario.hpp"

namespace redes {

struct Summary {
  std::int32_t victims = 0, recruiters_arrested = 0;
  std::int32_t rescued = 0;         // exits to `rescued` on window days (day >= 0)
  std::int64_t exploited_days = 0;  // person-days in stage `exploited` over the window days
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
    if (v.day < 0) continue;  // recruited during the warm-up: not a victim of the period
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
    if (e.to == std::uint8_t(Stage::Rescued) && e.day >= 0) ++s.rescued;
  }
  // The daily stock holds window days only; sum the exploited cells of every day.
  const std::size_t days = r.stock.size() / kStockCells;
  const std::size_t first = stock_index(int(Stage::Exploited), 0, 0, 0, 0),
                    last = stock_index(int(Stage::Exploited) + 1, 0, 0, 0, 0);
  for (std::size_t d = 0; d < days; ++d)
    for (std::size_t c = first; c < last; ++c) s.exploited_days += r.stock[d * kStockCells + c];
  s.recruiters_arrested = r.recruiters_arrested;
  return s;
}

}  // namespace redes
