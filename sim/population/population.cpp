#include "sim/population/population.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
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

std::size_t Population::memory_bytes() const {
  std::size_t b = size() * (3 + 4 + 4 + 2 + 9 * 4);
  for (auto& u : users) b += u.capacity() * 4;
  return b;
}

namespace {

float unit_logit_normal(double median, double spread, double z) {
  median = std::clamp(median, 1e-4, 1 - 1e-4);
  return float(logistic(std::log(median / (1 - median)) + spread * z));
}

}  // namespace

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

  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 4096), [&](const auto& range) {
    for (std::size_t idx = range.begin(); idx != range.end(); ++idx) {
      const auto i = PersonId(idx);
      const int d = pop.department[i];
      const bool urban = pop.urban[i];
      Draws demo(rng, i, 0, Stream::Demography);
      pop.gender[i] = demo.uniform() < pp.female_share ? 0 : 1;
      double u = demo.uniform() * acc;
      std::size_t b = std::size_t(std::lower_bound(band_cdf.begin(), band_cdf.end(), u) - band_cdf.begin());
      b = std::min(b, pp.age_bands.size() - 1);
      const auto& band = pp.age_bands[b];
      int age = band.lo + int(demo.below(std::uint32_t(band.hi - band.lo + 1)));
      pop.birth_day[i] = -(age * 365 + int(demo.below(365)));
      const AgeGroup ag = age_group_of(age);
      const int agi = int(ag);

      // Poverty is a household trait: z_h shared by members; poor iff z_h < q, so the share of
      // poor persons is the cell's rate and poverty = Phi(q - z_h) has mean Phi(q / sqrt 2).
      Draws hh(rng, pop.household[i], 0, Stream::Household, 1);
      const double z_h = hh.normal();
      const double rate = std::clamp(pp.poverty_rate[d] * (urban ? pp.poverty_urban_factor : pp.poverty_rural_factor), 0.0, 1.0);
      const double q = normal_quantile(rate);
      const double poverty = normal_cdf(q - z_h);
      pop.poverty[i] = float(poverty);
      const bool poor = z_h < q;

      Draws at(rng, i, 0, Stream::Attributes);
      const double s = pp.attribute_spread;
      const double rho = pp.family_conflict_poverty_corr;
      const double z_c = -rho * z_h + std::sqrt(1 - rho * rho) * at.normal();  // low z_h = poorer
      pop.family_conflict[i] = unit_logit_normal(pp.family_conflict_mean, s, z_c);
      pop.privacy_exposure[i] = unit_logit_normal(pp.privacy_exposure[agi], s, at.normal());
      double lit = pp.digital_literacy[agi] - (urban ? 0 : pp.literacy_rural_penalty) - pp.literacy_poverty_penalty * poverty;
      pop.digital_literacy[i] = unit_logit_normal(lit, s, at.normal());
      pop.awareness[i] = unit_logit_normal(pp.awareness_mean, s, at.normal());
      double sup = 0;
      if (ag == AgeGroup::Child || ag == AgeGroup::Adolescent) {
        double base = ag == AgeGroup::Child ? pp.supervision_child : pp.supervision_adolescent;
        sup = unit_logit_normal(base * (1 - pp.supervision_conflict_penalty * pop.family_conflict[i]), s, at.normal());
      } else {
        at.normal();  // keep later draws aligned whatever the age
      }
      pop.supervision[i] = float(sup);
      double noise = 0.5 + at.uniform();  // individual variation, mean 1
      pop.job_seeking[i] = float(age >= 15 && age <= 64 ? std::clamp((pp.job_seeking_base + pp.job_seeking_poverty * poverty) * noise, 0.0, 1.0) : 0.0);
      noise = 0.5 + at.uniform();
      pop.migration_wish[i] = float(age >= 15 && age <= 39 ? std::clamp((pp.migration_wish_base + pp.migration_wish_poverty * poverty) * noise, 0.0, 1.0) : 0.0);

      Draws pl(rng, i, 0, Stream::Platforms);
      double p_dev = pp.device_access[agi] * (urban ? 1.0 : pp.device_rural_factor) * (poor ? pp.device_poverty_factor : 1.0);
      const bool dev = pl.uniform() < p_dev;
      pop.device[i] = dev;
      std::uint8_t mask = 0;
      for (int p = 1; p < kPlatforms; ++p) {
        double use = sc.platforms[p].enabled ? sc.platforms[p].use[agi] : 0.0;
        if (pl.uniform() < use) mask |= std::uint8_t(1u << p);
      }
      pop.platforms[i] = mask;
      pop.screen_hours[i] = float(pp.screen_hours[agi] * std::exp(0.5 * pl.normal() - 0.125));
    }
  });

  // Platform user index by department (ascending ids, so identical for any thread count).
  pop.users.assign(kPlatforms, {});
  pop.users_begin.assign(kPlatforms, std::vector<std::uint32_t>(nd + 1, 0));
  for (int p = 1; p < kPlatforms; ++p) {
    auto& list = pop.users[p];
    for (int d = 0; d < nd; ++d) {
      pop.users_begin[p][d] = std::uint32_t(list.size());
      for (std::uint32_t i = pop.dept_begin[d]; i < pop.dept_begin[d + 1]; ++i)
        if (pop.uses(i, p)) list.push_back(i);
    }
    pop.users_begin[p][nd] = std::uint32_t(list.size());
  }
  return pop;
}

}  // namespace redes
