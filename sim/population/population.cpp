#include "sim/population/population.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <limits>
#include <numeric>

namespace redes {

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }
double normal_quantile(double p) {
  p = std::clamp(p, 1e-12, 1 - 1e-12);
  return boost::math::quantile(boost::math::normal_distribution<double>(), p);
}

std::vector<std::int64_t> apportion(std::int64_t total, const std::vector<double>& shares) {
  double sum = std::accumulate(shares.begin(), shares.end(), 0.0);
  std::vector<std::int64_t> out(shares.size());
  std::vector<std::pair<double, std::size_t>> rest;
  std::int64_t given = 0;
  for (std::size_t i = 0; i < shares.size(); ++i) {
    double exact = sum > 0 ? total * shares[i] / sum : 0;
    out[i] = std::int64_t(std::floor(exact));
    given += out[i];
    rest.push_back({exact - out[i], i});
  }
  std::stable_sort(rest.begin(), rest.end(), [](auto& a, auto& b) { return a.first > b.first; });
  for (std::size_t k = 0; given < total && k < rest.size(); ++k, ++given) ++out[rest[k].second];
  return out;
}

void Population::index_slots() {
  const std::size_t n = size();
  slot_keys.assign(n + 1, SlotKey{});
  for (std::size_t i = 0; i < n; ++i)
    slot_keys[i] = {next_version_day[i], birth_day[i], version_begin[i], platforms[i], device[i], gender[i], 0};
  slot_keys[n].version_begin = std::uint32_t(versions.size());
  version_keys.resize(versions.size());
  for (std::size_t k = 0; k < versions.size(); ++k) {
    const PersonVersion& v = versions[k];
    version_keys[k] = {v.from_day, v.traits.birth_day, v.traits.platforms, v.traits.device, v.traits.gender, 0};
  }
  std::vector<std::int32_t>().swap(next_version_day);
  std::vector<std::uint32_t>().swap(version_begin);
}

std::size_t Population::memory_bytes() const {
  std::size_t b = size() * (3 + 4 + 4 + 2 + 9 * 4 + 4 + 4) + versions.capacity() * sizeof(PersonVersion) +
                  slot_keys.capacity() * sizeof(SlotKey) + version_keys.capacity() * sizeof(VersionKey);
  for (auto& u : users) b += u.capacity() * 4;
  return b;
}

namespace {

float unit_logit_normal(double median, double spread, double z) {
  median = std::clamp(median, 1e-4, 1 - 1e-4);
  return float(logistic(std::log(median / (1 - median)) + spread * z));
}

/// Random-number sub-key of a slot's occupant: the census person keeps the draws it always had (0).
std::uint16_t occupant_key(std::uint16_t generation) {
  return generation == 0 ? 0 : std::uint16_t(0x8000 | generation);
}

/// Ages at which some trait's parameters change: age groups (13, 18, 25), job seeking (15, 65),
/// migration wish (40).
constexpr int kTraitAges[] = {13, 15, 18, 25, 40, 65};

/// The traits of one occupant of slot i at `age` years. Every draw is keyed by (slot, occupant) and the
/// number of draws does not depend on the age, so when the occupant crosses an age boundary the same
/// latent draws are read with the new age's parameters: a person keeps their rank within each age group.
PersonTraits draw_traits(const Scenario& sc, const Rng& rng, PersonId i, std::uint32_t household, int d, bool urban,
                         std::uint16_t generation, int gender, int age, std::int32_t birth_day) {
  const auto& pp = sc.population;
  const AgeGroup ag = age_group_of(age);
  const int agi = int(ag);
  PersonTraits t;
  t.birth_day = birth_day;
  t.generation = generation;
  t.gender = std::uint8_t(gender);
  // Poverty is a household trait: z_h shared by members; poor iff z_h < q, so the share of
  // poor persons is the cell's rate and poverty = Phi(q - z_h) has mean Phi(q / sqrt 2).
  Draws hh(rng, household, 0, Stream::Household, 1);
  const double z_h = hh.normal();
  const double rate =
      std::clamp(pp.poverty_rate[d] * (urban ? pp.poverty_urban_factor : pp.poverty_rural_factor), 0.0, 1.0);
  const double q = normal_quantile(rate);
  const double poverty = normal_cdf(q - z_h);
  t.poverty = float(poverty);
  const bool poor = z_h < q;

  const std::uint16_t key = occupant_key(generation);
  Draws at(rng, i, 0, Stream::Attributes, key);
  const double s = pp.attribute_spread;
  const double rho = pp.family_conflict_poverty_corr;
  const double z_c = -rho * z_h + std::sqrt(1 - rho * rho) * at.normal();  // low z_h = poorer
  t.family_conflict = unit_logit_normal(pp.family_conflict_mean, s, z_c);
  t.privacy_exposure = unit_logit_normal(pp.privacy_exposure[agi], s, at.normal());
  double lit =
      pp.digital_literacy[agi] - (urban ? 0 : pp.literacy_rural_penalty) - pp.literacy_poverty_penalty * poverty;
  t.digital_literacy = unit_logit_normal(lit, s, at.normal());
  t.awareness = unit_logit_normal(pp.awareness_mean, s, at.normal());
  const double z_sup = at.normal();  // drawn whatever the age, so later draws stay aligned
  double sup = 0;
  if (ag == AgeGroup::Child || ag == AgeGroup::Adolescent) {
    double base = ag == AgeGroup::Child ? pp.supervision_child : pp.supervision_adolescent;
    sup = unit_logit_normal(base * (1 - pp.supervision_conflict_penalty * t.family_conflict), s, z_sup);
  }
  t.supervision = float(sup);
  double noise = 0.5 + at.uniform();  // individual variation, mean 1
  t.job_seeking = float(age >= 15 && age <= 64
                            ? std::clamp((pp.job_seeking_base + pp.job_seeking_poverty * poverty) * noise, 0.0, 1.0)
                            : 0.0);
  noise = 0.5 + at.uniform();
  t.migration_wish =
      float(age >= 15 && age <= 39
                ? std::clamp((pp.migration_wish_base + pp.migration_wish_poverty * poverty) * noise, 0.0, 1.0)
                : 0.0);

  Draws pl(rng, i, 0, Stream::Platforms, key);
  double p_dev =
      pp.device_access[agi] * (urban ? 1.0 : pp.device_rural_factor) * (poor ? pp.device_poverty_factor : 1.0);
  t.device = pl.uniform() < p_dev;
  std::uint8_t mask = 0;
  for (int p = 1; p < kPlatforms; ++p) {
    double use = sc.platforms[p].enabled ? sc.platforms[p].use[agi] : 0.0;
    if (pl.uniform() < use) mask |= std::uint8_t(1u << p);
  }
  t.platforms = mask;
  t.screen_hours = float(pp.screen_hours[agi] * std::exp(0.5 * pl.normal() - 0.125));
  return t;
}

/// The open cohort that keeps the census age bands stationary. Band b (width w_b years, share s_b) loses
/// s_b / w_b of the population a year by ageing out and gains s_{b-1} / w_{b-1} from below (births,
/// s_0 / w_0, into the first band). Where the inflow is larger (a pyramid that narrows with age) occupants
/// leave at the hazard that removes the excess; where it is smaller (Paraguay's bands widen up to age 24:
/// births fell) entrants of that band's ages make up the difference, as migrants do. Everyone leaves at the
/// top of the last band. Leavers and entrants balance exactly in expectation, so a leaver's slot (its
/// household, department and ties) goes to an entrant: a newborn or a person of an entering band's ages.
struct Cohort {
  std::vector<int> lo, hi;
  std::vector<double> hazard;     // per day, by band
  std::vector<double> entry_cdf;  // cumulative entry weights by band (band 0: newborns)
  explicit Cohort(const PopulationParams& pp) {
    double total = 0;
    for (const auto& b : pp.age_bands) total += b.share;
    double inflow = 0, entry = 0;
    for (std::size_t k = 0; k < pp.age_bands.size(); ++k) {
      const auto& b = pp.age_bands[k];
      const double share = b.share / total, out = share / double(b.hi - b.lo + 1);
      const double net = k == 0 ? 0.0 : inflow - out;  // per year, as a share of the population
      lo.push_back(b.lo);
      hi.push_back(b.hi);
      hazard.push_back(share > 0 && net > 0 ? net / share / 365.0 : 0.0);
      entry += k == 0 ? out : std::max(0.0, -net);
      entry_cdf.push_back(entry);
      inflow = out;
    }
  }
  int band_of(int age) const {
    for (std::size_t k = 0; k < lo.size(); ++k)
      if (age <= hi[k]) return int(k);
    return int(lo.size());
  }
};

/// Later versions of slot i over [0, days): age-boundary crossings of each occupant and the occupants that
/// follow. Each occupant draws its leaving day and its successor from its own stream (Stream::Renewal).
void slot_versions(const Scenario& sc, const Rng& rng, const Cohort& cohort, PersonId i, std::uint32_t household, int d,
                   bool urban, const PersonTraits& first, std::vector<PersonVersion>& out) {
  const int days = sc.days;
  PersonTraits cur = first;
  std::int32_t from = 0;
  for (int guard = 0; guard < 64; ++guard) {  // a slot turns over at most a few times in 50 years
    Draws r(rng, i, 0, Stream::Renewal, cur.generation);
    // Leaving day: piecewise-constant hazard by age band, and everyone leaves at the top of the last band.
    double e = r.exponential(1.0);
    std::int64_t day = from, leave = std::numeric_limits<std::int64_t>::max();
    for (int k = cohort.band_of((std::max<std::int64_t>(day, 0) - cur.birth_day) / 365); day < days; ++k) {
      if (k >= int(cohort.lo.size())) {
        leave = day;
        break;
      }
      const std::int64_t end = std::int64_t(cur.birth_day) + 365LL * (cohort.hi[k] + 1);
      const double h = cohort.hazard[std::size_t(k)], span = double(end - day);
      if (h > 0 && h * span > e) {
        leave = day + std::int64_t(std::ceil(e / h));
        break;
      }
      e -= h * span;
      day = end;
    }
    const std::int64_t until = std::min<std::int64_t>(leave, days);
    for (int age : kTraitAges) {
      const std::int64_t c = std::int64_t(cur.birth_day) + 365LL * age;
      if (c > from && c < until)
        out.push_back({std::int32_t(c),
                       draw_traits(sc, rng, i, household, d, urban, cur.generation, cur.gender, age, cur.birth_day)});
    }
    if (leave >= days) return;
    // The successor: a newborn, or an entrant of a band whose inflow falls short.
    const double u = r.uniform() * cohort.entry_cdf.back();
    const int band =
        int(std::lower_bound(cohort.entry_cdf.begin(), cohort.entry_cdf.end(), u) - cohort.entry_cdf.begin());
    const int age =
        band == 0 ? 0
                  : cohort.lo[std::size_t(band)] +
                        int(r.below(std::uint32_t(cohort.hi[std::size_t(band)] - cohort.lo[std::size_t(band)] + 1)));
    const std::int32_t birth = std::int32_t(leave) - age * 365 - (band == 0 ? 0 : std::int32_t(r.below(365)));
    const int gender = r.uniform() < sc.population.female_share ? 0 : 1;
    const auto gen = std::uint16_t(cur.generation + 1);
    cur = draw_traits(sc, rng, i, household, d, urban, gen, gender, age, birth);
    from = std::int32_t(leave);
    out.push_back({from, cur});
  }
}

}  // namespace

PersonTraits Population::traits(PersonId i, int day) const {
  if (const PersonTraits* v = later(i, day)) return *v;
  PersonTraits t;
  t.birth_day = birth_day[i];
  t.gender = gender[i];
  t.device = device[i];
  t.platforms = platforms[i];
  t.poverty = poverty[i];
  t.family_conflict = family_conflict[i];
  t.migration_wish = migration_wish[i];
  t.job_seeking = job_seeking[i];
  t.privacy_exposure = privacy_exposure[i];
  t.screen_hours = screen_hours[i];
  t.digital_literacy = digital_literacy[i];
  t.awareness = awareness[i];
  t.supervision = supervision[i];
  return t;
}

bool Population::ever_uses(PersonId i, int platform) const {
  std::uint8_t mask = platforms[i];
  for (std::uint32_t k = version_begin_of(i); k < version_begin_of(i + 1); ++k) mask |= versions[k].traits.platforms;
  return (mask >> platform) & 1u;
}

Population build_population(const Scenario& sc, std::uint32_t seed) {
  const auto& pp = sc.population;
  const Rng rng(seed, 0);
  const int nd = sc.department_count();
  Population pop;
  const std::size_t n = std::size_t(pp.size);
  pop.department.resize(n);
  pop.urban.resize(n);
  pop.gender.resize(n);
  pop.birth_day.resize(n);
  pop.household.resize(n);
  pop.device.resize(n);
  pop.platforms.resize(n);
  for (auto* v : {&pop.poverty, &pop.family_conflict, &pop.migration_wish, &pop.job_seeking, &pop.privacy_exposure,
                  &pop.screen_hours, &pop.digital_literacy, &pop.awareness, &pop.supervision})
    v->resize(n);

  // Departments and urban/rural cells: exact counts; households run within a cell.
  auto per_dept = apportion(pp.size, pp.department_share);
  pop.dept_begin.assign(nd + 1, 0);
  std::vector<std::uint32_t> cell_begin;  // 2 cells per department: urban, rural
  std::uint32_t next = 0;
  for (int d = 0; d < nd; ++d) {
    pop.dept_begin[d] = next;
    std::int64_t urban_n = std::llround(per_dept[d] * pp.urban_share[d]);
    cell_begin.push_back(next);
    cell_begin.push_back(next + std::uint32_t(urban_n));
    for (std::int64_t k = 0; k < per_dept[d]; ++k, ++next) {
      pop.department[next] = std::uint8_t(d);
      pop.urban[next] = k < urban_n;
    }
  }
  pop.dept_begin[nd] = next;
  cell_begin.push_back(next);
  // Households: consecutive persons of one cell; size 1 + Poisson(mean - 1), at most 15.
  // Sequential because each household starts where the last ended (2 M steps: milliseconds).
  for (std::size_t c = 0; c + 1 < cell_begin.size(); ++c) {
    for (std::uint32_t i = cell_begin[c]; i < cell_begin[c + 1];) {
      Draws dr(rng, i, 0, Stream::Household);
      std::uint32_t size = std::min<std::uint32_t>(15, 1 + dr.poisson(pp.mean_household_size - 1));
      std::uint32_t end = std::min(cell_begin[c + 1], i + size);
      for (std::uint32_t j = i; j < end; ++j) pop.household[j] = i;
      i = end;
    }
  }

  std::vector<double> band_cdf;
  double acc = 0;
  for (auto& b : pp.age_bands) band_cdf.push_back(acc += b.share);

  // Day 0 (the census) and, per block of persons, the later versions of each slot; blocks are joined in
  // order, so the result is the same for any thread count.
  const Cohort cohort(pp);
  constexpr std::size_t kBlock = 4096;
  const std::size_t blocks = (n + kBlock - 1) / kBlock;
  std::vector<std::vector<PersonVersion>> block_versions(blocks);
  std::vector<std::vector<std::uint32_t>> block_counts(blocks);
  tbb::parallel_for(std::size_t(0), blocks, [&](std::size_t blk) {
    auto& out = block_versions[blk];
    auto& counts = block_counts[blk];
    for (std::size_t idx = blk * kBlock; idx < std::min(n, (blk + 1) * kBlock); ++idx) {
      const auto i = PersonId(idx);
      const int d = pop.department[i];
      const bool urban = pop.urban[i];
      Draws demo(rng, i, 0, Stream::Demography);
      const int gender = demo.uniform() < pp.female_share ? 0 : 1;
      double u = demo.uniform() * acc;
      std::size_t b = std::size_t(std::lower_bound(band_cdf.begin(), band_cdf.end(), u) - band_cdf.begin());
      b = std::min(b, pp.age_bands.size() - 1);
      const auto& band = pp.age_bands[b];
      int age = band.lo + int(demo.below(std::uint32_t(band.hi - band.lo + 1)));
      const std::int32_t birth = -(age * 365 + int(demo.below(365)));
      const PersonTraits t = draw_traits(sc, rng, i, pop.household[i], d, urban, 0, gender, age, birth);
      pop.gender[i] = t.gender;
      pop.birth_day[i] = t.birth_day;
      pop.poverty[i] = t.poverty;
      pop.family_conflict[i] = t.family_conflict;
      pop.privacy_exposure[i] = t.privacy_exposure;
      pop.digital_literacy[i] = t.digital_literacy;
      pop.awareness[i] = t.awareness;
      pop.supervision[i] = t.supervision;
      pop.job_seeking[i] = t.job_seeking;
      pop.migration_wish[i] = t.migration_wish;
      pop.device[i] = t.device;
      pop.platforms[i] = t.platforms;
      pop.screen_hours[i] = t.screen_hours;
      const std::size_t before = out.size();
      slot_versions(sc, rng, cohort, i, pop.household[i], d, urban, t, out);
      counts.push_back(std::uint32_t(out.size() - before));
    }
  });
  pop.version_begin.assign(n + 1, 0);
  pop.next_version_day.assign(n, std::numeric_limits<std::int32_t>::max());
  std::size_t total = 0;
  for (const auto& v : block_versions) total += v.size();
  pop.versions.reserve(total);
  std::size_t i = 0;
  for (std::size_t blk = 0; blk < blocks; ++blk) {
    std::size_t k = 0;
    for (std::uint32_t c : block_counts[blk]) {
      pop.version_begin[i] = std::uint32_t(pop.versions.size());
      if (c > 0) pop.next_version_day[i] = block_versions[blk][k].from_day;
      pop.versions.insert(pop.versions.end(), block_versions[blk].begin() + std::ptrdiff_t(k),
                          block_versions[blk].begin() + std::ptrdiff_t(k + c));
      k += c;
      ++i;
    }
    std::vector<PersonVersion>().swap(block_versions[blk]);
  }
  pop.version_begin[n] = std::uint32_t(pop.versions.size());
  pop.index_slots();

  // Platform user index by department (ascending ids, so identical for any thread count): everyone who
  // uses the platform on some day of the run; the engine checks the version in effect.
  pop.users.assign(kPlatforms, {});
  pop.users_begin.assign(kPlatforms, std::vector<std::uint32_t>(nd + 1, 0));
  for (int p = 1; p < kPlatforms; ++p) {
    auto& list = pop.users[p];
    for (int d = 0; d < nd; ++d) {
      pop.users_begin[p][d] = std::uint32_t(list.size());
      for (std::uint32_t j = pop.dept_begin[d]; j < pop.dept_begin[d + 1]; ++j)
        if (pop.ever_uses(j, p)) list.push_back(j);
    }
    pop.users_begin[p][nd] = std::uint32_t(list.size());
  }
  return pop;
}

}  // namespace redes
