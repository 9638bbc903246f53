// population: the synthetic persons, as structure-of-arrays, drawn from a scenario's aggregate
// tables. Immutable once built; what interventions change lives in the engine's per-run state.
// Person ids are contiguous per department, urban before rural, households consecutive.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/core/labels.hpp"
#include "sim/core/rng.hpp"
#include "sim/scenario/scenario.hpp"

namespace redes {

/// What a person slot is on some day: its occupant (generation 0 is the census person; a later one took
/// the slot when the previous occupant left) and the traits in effect, which follow the occupant's age.
struct PersonTraits {
  std::int32_t birth_day = 0;
  std::uint16_t generation = 0;
  std::uint8_t gender = 0, device = 0, platforms = 0;
  float poverty = 0, family_conflict = 0, migration_wish = 0, job_seeking = 0, privacy_exposure = 0, screen_hours = 0,
        digital_literacy = 0, awareness = 0, supervision = 0;
};

/// A later version of a slot's traits, in effect from `from_day` on (until the slot's next version).
struct PersonVersion {
  std::int32_t from_day = 0;
  PersonTraits traits;
};

struct Population {
  std::size_t size() const { return department.size(); }

  // static attributes
  std::vector<std::uint8_t> department, urban, gender;  // gender 0 female, 1 male
  std::vector<std::int32_t> birth_day;                  // days relative to the start (negative)
  std::vector<std::uint32_t> household;                 // id of the household's first member
  // Platform use is drawn for everyone as "would use with a device"; `device` says who has one at
  // the start. Shocks can give devices to more people, so being online is day-dependent.
  std::vector<std::uint8_t> device, platforms;  // own device; bit p = uses platform p when online
  std::vector<float> poverty, family_conflict, migration_wish, job_seeking, privacy_exposure,
      screen_hours /* when online */, digital_literacy, awareness, supervision;

  // index: persons of department d are [dept_begin[d], dept_begin[d+1])
  std::vector<std::uint32_t> dept_begin;
  // persons using platform p in department d, ascending: users[p][users_begin[p][d] ..]
  std::vector<std::vector<std::uint32_t>> users, users_begin;

  // Traits follow age and slots are renewed (see build_population): the arrays above hold day 0 (the census
  // state, also used unchanged during a warm-up before day 0); later versions of a slot are in `versions`,
  // [version_begin_of(i), version_begin_of(i+1)), the first taking effect on next_version_day_of(i).
  // next_version_day and version_begin are filled by the builder and the loader, and index_slots()
  // moves them into slot_keys (one copy less: 49 MB for the whole country).
  std::vector<std::int32_t> next_version_day;  // INT32_MAX when the slot never changes in the run
  std::vector<std::uint32_t> version_begin;
  std::vector<PersonVersion> versions;
  std::int32_t next_version_day_of(PersonId i) const { return slot_keys[i].next_version_day; }
  std::uint32_t version_begin_of(std::size_t i) const { return slot_keys[i].version_begin; }  // i <= size()

  // What every exposure check reads (platform use, device, age, gender), packed per slot: the
  // exposure loops visit persons at random, and at country scale each array read there is a cache
  // miss, so one 16-byte record instead of five arrays (and 12 bytes per later version instead of
  // 52) is what makes them fast. Derived from the arrays above by index_slots().
  struct SlotKey {
    std::int32_t next_version_day, birth_day;
    std::uint32_t version_begin;
    std::uint8_t platforms, device, gender, unused;
  };
  struct VersionKey {
    std::int32_t from_day, birth_day;
    std::uint8_t platforms, device, gender, unused;
  };
  std::vector<SlotKey> slot_keys;  // size() + 1: the last holds only version_begin = versions.size()
  std::vector<VersionKey> version_keys;
  /// Fills slot_keys and version_keys (after building or loading the arrays above), and empties
  /// next_version_day and version_begin, which slot_keys now holds.
  void index_slots();

  /// Asks the cache for slot i's record ahead of key(i, day).
  void prefetch(PersonId i) const { __builtin_prefetch(slot_keys.data() + i); }
  /// Asks the cache for the later version key(i, day) will read, if any (slot i's record read first).
  void prefetch_version(PersonId i, int day) const {
    const SlotKey& s = slot_keys[i];
    if (day >= s.next_version_day) __builtin_prefetch(version_keys.data() + s.version_begin);
  }
  /// Platform use, device, birth day and gender of slot i's occupant on `day`.
  struct Key {
    std::int32_t birth_day;
    std::uint8_t platforms, device, gender;
  };
  Key key(PersonId i, int day) const {
    const SlotKey& s = slot_keys[i];
    if (day < s.next_version_day) return {s.birth_day, s.platforms, s.device, s.gender};
    const VersionKey* v = version_keys.data() + s.version_begin;
    const VersionKey* end = version_keys.data() + slot_keys[i + 1].version_begin;
    while (v + 1 < end && v[1].from_day <= day) ++v;
    return {v->birth_day, v->platforms, v->device, v->gender};
  }

  /// The later version in effect on `day`, or nullptr when the day-0 arrays apply (the hot path: one read).
  const PersonTraits* later(PersonId i, int day) const {
    const SlotKey& s = slot_keys[i];
    if (day < s.next_version_day) return nullptr;
    const PersonVersion* v = versions.data() + s.version_begin;
    const PersonVersion* end = versions.data() + slot_keys[i + 1].version_begin;
    while (v + 1 < end && v[1].from_day <= day) ++v;
    return &v->traits;
  }
  /// Every trait of slot i in effect on `day`.
  PersonTraits traits(PersonId i, int day) const;

  int age_years(PersonId i, int day) const { return age_of(key(i, day), day); }
  static int age_of(const Key& k, int day) {
    return (std::max(day, 0) - k.birth_day) / 365;  // the warm-up holds day-0 ages
  }
  AgeGroup age_group(PersonId i, int day) const { return age_group_of(age_years(i, day)); }
  int gender_of(PersonId i, int day) const { return key(i, day).gender; }
  bool has_device(PersonId i, int day) const { return key(i, day).device; }
  /// Uses platform p (when online) on `day`.
  bool uses(PersonId i, int platform, int day) const { return (key(i, day).platforms >> platform) & 1u; }
  /// Uses platform p in some version of the run (what the user index lists).
  bool ever_uses(PersonId i, int platform) const;
  /// Approximate resident memory of the arrays (bytes).
  std::size_t memory_bytes() const;
};

/// Builds the population of `scenario` with random numbers from (seed, replicate 0): the same
/// population for every replicate and any thread count. Over days [0, scenario.days) each slot's traits
/// follow its occupant's age, and occupants leave and are replaced so that the census age bands stay
/// stationary (an open cohort); see the comment in population.cpp.
Population build_population(const Scenario& scenario, std::uint32_t seed);

/// Largest-remainder split of `total` by `shares` (exact integer marginals).
std::vector<std::int64_t> apportion(std::int64_t total, const std::vector<double>& shares);

/// Standard normal CDF and quantile (Boost.Math).
double normal_cdf(double x);
double normal_quantile(double p);

}  // namespace redes
