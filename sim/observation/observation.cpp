#include "sim/observation/observation.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace redes {

Observed observe(const Scenario& sc, const ReplicateResult& run, const Rng& rng) {
  const auto& ob = sc.observation;
  Observed out;
  const int first_year = sc.start_year;
  out.years = sc.year_of_day(sc.days - 1) - first_year + 1;
  out.departments = sc.department_count();
  const std::size_t Y = std::size_t(out.years), nd = std::size_t(out.departments);
  out.recorded_cases.assign(Y * kInstitutions * nd * kSexRecorded * kAgeGroups, 0);
  out.recorded_ict.assign(Y * kInstitutions, 0);
  out.recorded_victims.assign(Y, 0);
  out.true_victims.assign(Y, 0);
  out.recorded_platform.assign(std::size_t(kInstitutions) * kPlatforms, 0);
  out.expected_cases.assign(Y * kInstitutions * nd, 0.0);
  out.expected_female.assign(Y * kInstitutions, 0.0);
  out.expected_ict.assign(Y * kInstitutions, 0.0);
  out.expected_platform.assign(std::size_t(kInstitutions) * kPlatforms, 0.0);
  // First simulated day of each calendar year (and the end), for the chance a delay lands in it.
  std::vector<int> year_start(Y + 1, sc.days);
  for (int d = sc.days - 1; d >= 0; --d) year_start[std::size_t(sc.year_of_day(d) - first_year)] = d;
  std::int64_t total_true = 0, total_recorded = 0;
  for (const Victim& v : run.victims) {
    ++out.true_victims[std::size_t(sc.year_of_day(v.day) - first_year)];
    ++total_true;
    const bool minor = v.age_group <= int(AgeGroup::Adolescent);
    const bool ict = v.platform != kOffline;
    const double coop = ict ? sc.platforms[v.platform].cooperation : 1.0;
    const double reporting = run.reporting_add[std::size_t(v.day) * nd + v.department];
    int first_day = std::numeric_limits<int>::max();
    for (int inst = 0; inst < kInstitutions; ++inst) {
      if (inst == 2 && !minor) continue;                      // childhood ministry: minors
      if (inst == 3 && (minor || v.gender != 0)) continue;    // women's ministry: adult women
      // Recorded at all with probability p, after an exponential delay. (A constant hazard would
      // record every victim eventually and make recorded counts climb year after year.)
      // More investigators (enforcement_capacity) find more cases for the prosecutor and police.
      const double capacity = inst <= 1 && !run.enforcement_mult.empty() ? run.enforcement_mult[std::size_t(v.day) * nd + v.department] : 1.0;
      const double p = std::clamp(ob.detect[inst] * ob.presence[v.department][inst] * (1 + reporting) * capacity * coop * (1 - ob.fear), 0.0, 1.0);
      for (std::size_t y = 0; y < Y; ++y) {  // P(delay ends in year y) for an exponential delay
        const double a = std::max(0, year_start[y] - v.day), b = std::max(0, year_start[y + 1] - v.day);
        const double in_year = p * (std::exp(-a / ob.delay_days) - std::exp(-b / ob.delay_days));
        if (in_year <= 0) continue;
        out.expected_cases[(y * kInstitutions + inst) * nd + v.department] += in_year;
        out.expected_female[y * kInstitutions + inst] += v.gender == 0 ? in_year * (1 - ob.p_sex_missing) : 0.0;
        out.expected_ict[y * kInstitutions + inst] += ict ? in_year * ob.p_ict_recorded : 0.0;
        out.expected_platform[std::size_t(inst) * kPlatforms + v.platform] += in_year;
      }
      Draws d(rng, v.person, 0, Stream::Detection, std::uint16_t(inst));
      if (!(d.uniform() < p)) continue;
      const int day = v.day + int(d.exponential(1.0 / ob.delay_days));
      if (day >= sc.days) continue;
      first_day = std::min(first_day, day);
      const std::size_t y = std::size_t(sc.year_of_day(day) - first_year);
      Draws rec(rng, v.person, 0, Stream::Recording, std::uint16_t(inst));
      const int sex = rec.uniform() < ob.p_sex_missing ? 2 : v.gender;
      ++out.recorded_cases[(((y * kInstitutions + inst) * nd + v.department) * kSexRecorded + sex) * kAgeGroups + v.age_group];
      if (ict && rec.uniform() < ob.p_ict_recorded) ++out.recorded_ict[y * kInstitutions + inst];
      ++out.recorded_platform[std::size_t(inst) * kPlatforms + v.platform];
    }
    if (first_day != std::numeric_limits<int>::max()) {
      ++out.recorded_victims[std::size_t(sc.year_of_day(first_day) - first_year)];
      ++total_recorded;
    }
  }
  out.hidden_ratio = total_recorded > 0 ? double(total_true) / double(total_recorded) : std::numeric_limits<double>::quiet_NaN();
  return out;
}

}  // namespace redes
