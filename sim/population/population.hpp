// population: the synthetic persons, as structure-of-arrays, drawn from a scenario's aggregate
// tables. Immutable once built; what interventions change lives in the engine's per-run state.
// Person ids are contiguous per department, urban before rural, households consecutive.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/core/labels.hpp"
#include "sim/core/rng.hpp"
#include "sim/io/scenario.hpp"

namespace redes {

struct Population {
  std::size_t size() const { return department.size(); }

  // static attributes
  std::vector<std::uint8_t> department, urban, gender;  // gender 0 female, 1 male
  std::vector<std::int32_t> birth_day;                  // days relative to the start (negative)
  std::vector<std::uint32_t> household;                 // id of the household's first member
  // Platform use is drawn for everyone as "would use with a device"; `device` says who has one at
  // the start. Shocks can give devices to more people, so being online is day-dependent.
  std::vector<std::uint8_t> device, platforms;          // own device; bit p = uses platform p when online
  std::vector<float> poverty, family_conflict, migration_wish, job_seeking, privacy_exposure,
      screen_hours /* when online */, digital_literacy, awareness, supervision;

  // index: persons of department d are [dept_begin[d], dept_begin[d+1])
  std::vector<std::uint32_t> dept_begin;
  // persons using platform p in department d, ascending: users[p][users_begin[p][d] ..]
  std::vector<std::vector<std::uint32_t>> users, users_begin;

  int age_years(PersonId i, int day) const { return (day - birth_day[i]) / 365; }
  AgeGroup age_group(PersonId i, int day) const { return age_group_of(age_years(i, day)); }
  bool uses(PersonId i, int platform) const { return (platforms[i] >> platform) & 1u; }
  /// Approximate resident memory of the arrays (bytes).
  std::size_t memory_bytes() const;
};

/// Builds the population of `scenario` with random numbers from (seed, replicate 0): the same
/// population for every replicate and any thread count.
Population build_population(const Scenario& scenario, std::uint32_t seed);

/// Largest-remainder split of `total` by `shares` (exact integer marginals).
std::vector<std::int64_t> apportion(std::int64_t total, const std::vector<double>& shares);

/// Standard normal CDF and quantile (Boost.Math).
double normal_cdf(double x);
double normal_quantile(double p);

}  // namespace redes
