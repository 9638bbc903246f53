// Tests for population/: exact marginals (departments, urban cells), drawn attributes against the
// scenario's own inputs, household structure, apportion(), and bit-identical builds for any
// thread count. Statistical checks use a fixed seed, 200,000 persons and tolerances of 4
// standard errors (cluster-robust where households share a draw).
#include "sim/population/population.hpp"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <memory>
#include <numeric>
#include <vector>

#include "sim/scenario/scenario.hpp"

namespace redes {
namespace {

const char* const kSmall = REDES_SOURCE_DIR "/scenarios/workshop/small.yaml";

Scenario small_scenario(std::int64_t size) {
  Scenario sc = load_scenario(kSmall);
  sc.population.size = size;
  return sc;
}

double poverty_rate_of_cell(const PopulationParams& pp, int d, bool urban) {
  return std::clamp(pp.poverty_rate[d] * (urban ? pp.poverty_urban_factor : pp.poverty_rural_factor), 0.0, 1.0);
}

/// One scenario and population of 200,000 persons shared by the statistical tests.
class PopulationLarge : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    sc_ = std::make_unique<Scenario>(small_scenario(200'000));
    pop_ = std::make_unique<Population>(build_population(*sc_, 20240801));
  }
  static void TearDownTestSuite() {
    pop_.reset();
    sc_.reset();
  }
  static const Scenario& sc() { return *sc_; }
  static const Population& pop() { return *pop_; }
  static const PopulationParams& pp() { return sc_->population; }

  /// Households of one cell as [begin, end) ranges of persons.
  static std::vector<std::pair<std::uint32_t, std::uint32_t>> households(std::uint32_t lo, std::uint32_t hi) {
    std::vector<std::pair<std::uint32_t, std::uint32_t>> out;
    for (std::uint32_t i = lo; i < hi;) {
      std::uint32_t j = i + 1;
      while (j < hi && pop().household[j] == pop().household[i]) ++j;
      out.push_back({i, j});
      i = j;
    }
    return out;
  }
  /// [begin, end) of department d's urban (urban = true) or rural persons.
  static std::pair<std::uint32_t, std::uint32_t> cell(int d, bool urban) {
    std::uint32_t lo = pop().dept_begin[d], hi = pop().dept_begin[d + 1], mid = lo;
    while (mid < hi && pop().urban[mid]) ++mid;
    return urban ? std::pair{lo, mid} : std::pair{mid, hi};
  }

 private:
  static std::unique_ptr<Scenario> sc_;
  static std::unique_ptr<Population> pop_;
};
std::unique_ptr<Scenario> PopulationLarge::sc_;
std::unique_ptr<Population> PopulationLarge::pop_;

// --- exact marginals ---------------------------------------------------------------------------

TEST_F(PopulationLarge, DepartmentCountsAreTheApportionedShares) {
  const auto expected = apportion(pp().size, pp().department_share);
  const int nd = sc().department_count();
  ASSERT_EQ(pop().size(), std::size_t(pp().size));
  ASSERT_EQ(pop().dept_begin.size(), std::size_t(nd + 1));
  std::vector<std::int64_t> count(nd, 0);
  for (std::size_t i = 0; i < pop().size(); ++i) {
    ASSERT_LT(pop().department[i], nd);
    if (i > 0) {
      ASSERT_GE(pop().department[i], pop().department[i - 1]) << "persons not grouped by department";
    }
    ++count[pop().department[i]];
  }
  const double sum = std::accumulate(pp().department_share.begin(), pp().department_share.end(), 0.0);
  for (int d = 0; d < nd; ++d) {
    EXPECT_EQ(count[d], expected[d]) << pp().departments[d];
    EXPECT_LE(std::abs(double(count[d]) - double(pp().size) * pp().department_share[d] / sum), 1.0)
        << pp().departments[d];
    EXPECT_EQ(std::int64_t(pop().dept_begin[d + 1] - pop().dept_begin[d]), count[d]);
    for (std::uint32_t i = pop().dept_begin[d]; i < pop().dept_begin[d + 1]; i += 97) ASSERT_EQ(pop().department[i], d);
  }
  EXPECT_EQ(pop().dept_begin[0], 0u);
  EXPECT_EQ(pop().dept_begin[nd], pop().size());
}

TEST_F(PopulationLarge, UrbanCountsPerDepartmentAreRounded) {
  for (int d = 0; d < sc().department_count(); ++d) {
    const std::int64_t n_d = pop().dept_begin[d + 1] - pop().dept_begin[d];
    std::int64_t urban = 0;
    bool rural_seen = false;
    for (std::uint32_t i = pop().dept_begin[d]; i < pop().dept_begin[d + 1]; ++i) {
      urban += pop().urban[i];
      if (!pop().urban[i])
        rural_seen = true;
      else
        ASSERT_FALSE(rural_seen) << "urban persons must come before rural ones, " << pp().departments[d];
    }
    EXPECT_EQ(urban, std::llround(double(n_d) * pp().urban_share[d])) << pp().departments[d];
  }
}

// --- demography --------------------------------------------------------------------------------

TEST_F(PopulationLarge, FemaleShareMatches) {
  const double n = double(pop().size());
  const double female = double(std::count(pop().gender.begin(), pop().gender.end(), 0)) / n;
  const double f = pp().female_share;
  EXPECT_NEAR(female, f, 4 * std::sqrt(f * (1 - f) / n));
  EXPECT_EQ(std::count_if(pop().gender.begin(), pop().gender.end(), [](auto g) { return g > 1; }), 0);
}

TEST_F(PopulationLarge, AgeBandSharesMatchThePyramid) {
  const auto& bands = pp().age_bands;
  double total = 0;
  for (auto& b : bands) total += b.share;
  std::vector<double> count(bands.size(), 0);
  std::vector<double> age_sum(bands.size(), 0);
  for (std::size_t i = 0; i < pop().size(); ++i) {
    const int age = pop().age_years(PersonId(i), 0);
    const int bd = pop().birth_day[i];
    ASSERT_LE(bd, 0);
    // birth_day = -(age * 365 + day of year): the age on day 0 is the drawn age.
    ASSERT_EQ(age, -bd / 365);
    const auto it =
        std::find_if(bands.begin(), bands.end(), [&](const AgeBand& b) { return age >= b.lo && age <= b.hi; });
    ASSERT_NE(it, bands.end()) << "age " << age << " outside every band";
    const std::size_t b = std::size_t(it - bands.begin());
    ++count[b];
    age_sum[b] += age;
  }
  const double n = double(pop().size());
  for (std::size_t b = 0; b < bands.size(); ++b) {
    const double p = bands[b].share / total;
    EXPECT_NEAR(count[b] / n, p, 4 * std::sqrt(p * (1 - p) / n)) << "band " << bands[b].lo << "-" << bands[b].hi;
    // Ages uniform within the band: mean (lo + hi) / 2, variance (w^2 - 1) / 12 for w ages.
    const double w = bands[b].hi - bands[b].lo + 1;
    EXPECT_NEAR(age_sum[b] / count[b], (bands[b].lo + bands[b].hi) / 2.0, 4 * std::sqrt((w * w - 1) / 12 / count[b]))
        << "band " << bands[b].lo << "-" << bands[b].hi;
  }
}

// --- poverty (a household trait) ---------------------------------------------------------------

TEST_F(PopulationLarge, PoorShareAndMeanPovertyPerCell) {
  int cells_checked = 0;
  for (int d = 0; d < sc().department_count(); ++d) {
    for (bool urban : {true, false}) {
      const auto [lo, hi] = cell(d, urban);
      if (hi - lo < 50) continue;
      const double rate = poverty_rate_of_cell(pp(), d, urban);
      const double q = normal_quantile(rate);
      const double expected_mean = normal_cdf(q / std::sqrt(2.0));
      // Persons share their household's draw: a ratio estimator over households, with the
      // cluster-robust standard error sqrt(sum s_h^2 (v_h - m)^2) / sum s_h.
      const auto hh = households(lo, hi);
      double n = 0, poor = 0, pov = 0;
      for (auto [a, b] : hh) {
        for (std::uint32_t i = a; i < b; ++i)
          ASSERT_EQ(pop().poverty[i], pop().poverty[a]) << "poverty differs inside a household";
        const double s = b - a;
        n += s;
        poor += s * (pop().poverty[a] > 0.5f);
        pov += s * pop().poverty[a];
      }
      const double poor_share = poor / n, mean = pov / n;
      double v_poor = 0, v_mean = 0;
      for (auto [a, b] : hh) {
        const double s = b - a;
        v_poor += s * s * std::pow((pop().poverty[a] > 0.5f) - rate, 2);
        v_mean += s * s * std::pow(pop().poverty[a] - expected_mean, 2);
      }
      const double se_poor = std::sqrt(v_poor) / n, se_mean = std::sqrt(v_mean) / n;
      EXPECT_NEAR(poor_share, rate, 4 * se_poor + 1e-9) << pp().departments[d] << (urban ? " urban" : " rural");
      EXPECT_NEAR(mean, expected_mean, 4 * se_mean + 1e-9) << pp().departments[d] << (urban ? " urban" : " rural");
      ++cells_checked;
    }
  }
  EXPECT_GE(cells_checked, 30);
}

TEST_F(PopulationLarge, AttributesStayInTheUnitInterval) {
  for (const auto* v : {&pop().poverty, &pop().family_conflict, &pop().migration_wish, &pop().job_seeking,
                        &pop().privacy_exposure, &pop().digital_literacy, &pop().awareness, &pop().supervision}) {
    for (float x : *v) {
      ASSERT_GE(x, 0.0f);
      ASSERT_LE(x, 1.0f);
    }
  }
  for (float h : pop().screen_hours) ASSERT_GT(h, 0.0f);
}

TEST_F(PopulationLarge, AgeLimitedAttributes) {
  std::size_t job_inside = 0, job_inside_positive = 0, mig_inside = 0, mig_inside_positive = 0, minors = 0,
              supervised = 0;
  for (std::size_t i = 0; i < pop().size(); ++i) {
    const int age = pop().age_years(PersonId(i), 0);
    if (age < 15 || age > 64) {
      ASSERT_EQ(pop().job_seeking[i], 0.0f) << "age " << age;
    } else
      ++job_inside, job_inside_positive += pop().job_seeking[i] > 0;
    if (age < 15 || age > 39) {
      ASSERT_EQ(pop().migration_wish[i], 0.0f) << "age " << age;
    } else
      ++mig_inside, mig_inside_positive += pop().migration_wish[i] > 0;
    if (age >= 18) {
      ASSERT_EQ(pop().supervision[i], 0.0f) << "age " << age;
    } else
      ++minors, supervised += pop().supervision[i] > 0;
  }
  // Base rates are positive in the scenario, so everyone inside the ranges has some.
  ASSERT_GT(pp().job_seeking_base, 0);
  ASSERT_GT(pp().migration_wish_base, 0);
  EXPECT_EQ(job_inside_positive, job_inside);
  EXPECT_EQ(mig_inside_positive, mig_inside);
  EXPECT_EQ(supervised, minors);
}

TEST_F(PopulationLarge, PovertyRaisesJobSeeking) {
  // job_seeking = clamp((base + k * poverty) * U(0.5, 1.5)): its mean given poverty is
  // base + k * poverty when nothing clamps. Compare the mean over ages 15-64 with the average
  // of base + k * poverty_i (clamping: (0.12 + 0.35) * 1.5 < 1 for the shipped values).
  ASSERT_LE((pp().job_seeking_base + pp().job_seeking_poverty) * 1.5, 1.0);
  double sum = 0, expected = 0, n = 0, var = 0;
  for (std::size_t i = 0; i < pop().size(); ++i) {
    const int age = pop().age_years(PersonId(i), 0);
    if (age < 15 || age > 64) continue;
    const double m = pp().job_seeking_base + pp().job_seeking_poverty * pop().poverty[i];
    sum += pop().job_seeking[i];
    expected += m;
    var += m * m / 12;  // noise U(0.5, 1.5) has variance 1/12
    ++n;
  }
  EXPECT_NEAR(sum / n, expected / n, 4 * std::sqrt(var) / n);
}

// --- devices and platforms ---------------------------------------------------------------------

TEST_F(PopulationLarge, DeviceShareByAgeGroupAndUrban) {
  // P(device) = device_access[age group] * (rural factor) * (poverty factor if poor), with
  // poor <=> poverty > 0.5; the expectation is taken over the population's own poverty draws.
  double p_sum[kAgeGroups][2] = {}, var[kAgeGroups][2] = {}, have[kAgeGroups][2] = {}, n[kAgeGroups][2] = {};
  for (std::size_t i = 0; i < pop().size(); ++i) {
    const int a = int(pop().age_group(PersonId(i), 0));
    const int u = pop().urban[i];
    const double p = pp().device_access[a] * (u ? 1.0 : pp().device_rural_factor) *
                     (pop().poverty[i] > 0.5f ? pp().device_poverty_factor : 1.0);
    p_sum[a][u] += p;
    var[a][u] += p * (1 - p);
    have[a][u] += pop().device[i];
    n[a][u] += 1;
  }
  for (int a = 0; a < kAgeGroups; ++a)
    for (int u = 0; u < 2; ++u) {
      ASSERT_GT(n[a][u], 1000);
      EXPECT_NEAR(have[a][u] / n[a][u], p_sum[a][u] / n[a][u], 4 * std::sqrt(var[a][u]) / n[a][u])
          << kAgeGroupNames[a] << (u ? " urban" : " rural");
    }
  // Non-poor urban persons: exactly device_access.
  for (int a = 0; a < kAgeGroups; ++a) {
    double k = 0, m = 0;
    for (std::size_t i = 0; i < pop().size(); ++i)
      if (pop().urban[i] && pop().poverty[i] <= 0.5f && int(pop().age_group(PersonId(i), 0)) == a)
        k += pop().device[i], ++m;
    const double p = pp().device_access[a];
    EXPECT_NEAR(k / m, p, 4 * std::sqrt(p * (1 - p) / m)) << kAgeGroupNames[a];
  }
}

TEST_F(PopulationLarge, PlatformUseByAgeGroup) {
  double n[kAgeGroups] = {}, users[kAgeGroups][kPlatforms] = {};
  for (std::size_t i = 0; i < pop().size(); ++i) {
    ASSERT_FALSE(pop().uses(PersonId(i), kOffline, 0)) << "bit 0 (offline) is not a platform";
    const int a = int(pop().age_group(PersonId(i), 0));
    ++n[a];
    for (int p = 1; p < kPlatforms; ++p) users[a][p] += pop().uses(PersonId(i), p, 0);
  }
  for (int p = 1; p < kPlatforms; ++p) {
    for (int a = 0; a < kAgeGroups; ++a) {
      const double use = sc().platforms[p].enabled ? sc().platforms[p].use[a] : 0.0;
      EXPECT_NEAR(users[a][p] / n[a], use, 4 * std::sqrt(use * (1 - use) / n[a]) + 1e-12)
          << kPlatformNames[p] << " " << kAgeGroupNames[a];
    }
  }
}

TEST(PopulationPlatforms, DisabledPlatformHasNoUsers) {
  Scenario sc = small_scenario(5000);
  sc.platforms[6].enabled = false;  // telegram
  const Population p = build_population(sc, 3);
  for (std::size_t i = 0; i < p.size(); ++i) ASSERT_FALSE(p.uses(PersonId(i), 6, 0));
  EXPECT_TRUE(p.users[6].empty());
}

TEST_F(PopulationLarge, UserIndexListsExactlyThePlatformUsersByDepartment) {
  const int nd = sc().department_count();
  ASSERT_EQ(pop().users.size(), std::size_t(kPlatforms));
  for (int p = 1; p < kPlatforms; ++p) {
    const auto& list = pop().users[p];
    const auto& ub = pop().users_begin[p];
    ASSERT_EQ(ub.size(), std::size_t(nd + 1));
    ASSERT_TRUE(std::is_sorted(list.begin(), list.end()));
    ASSERT_EQ(std::adjacent_find(list.begin(), list.end()), list.end());
    std::size_t count = 0;
    for (std::size_t i = 0; i < pop().size(); ++i) count += pop().ever_uses(PersonId(i), p);  // any day of the run
    EXPECT_EQ(list.size(), count) << kPlatformNames[p];
    for (auto i : list) ASSERT_TRUE(pop().ever_uses(i, p));
    EXPECT_EQ(ub[0], 0u);
    EXPECT_EQ(ub[nd], list.size());
    for (int d = 0; d < nd; ++d)
      for (std::uint32_t k = ub[d]; k < ub[d + 1]; ++k) ASSERT_EQ(pop().department[list[k]], d);
  }
}

// --- households --------------------------------------------------------------------------------

TEST_F(PopulationLarge, HouseholdsAreConsecutiveWithinOneCell) {
  const auto& h = pop().household;
  for (std::size_t i = 0; i < pop().size(); ++i) {
    ASSERT_LE(h[i], i);
    ASSERT_EQ(h[h[i]], h[i]) << "household id must be its first member";
    if (h[i] != i) {
      // Not the first member: same household as the previous person (consecutive ids).
      ASSERT_EQ(h[i - 1], h[i]) << "person " << i;
      ASSERT_EQ(pop().department[i], pop().department[i - 1]);
      ASSERT_EQ(pop().urban[i], pop().urban[i - 1]);
    }
  }
}

TEST_F(PopulationLarge, HouseholdSizes) {
  // Size 1 + Poisson(mean - 1), capped at 15; the last household of each cell may be cut short
  // by the cell's end, so it is left out.
  const double lambda = pp().mean_household_size - 1;
  std::vector<double> pmf(15, 0);  // size s = 1 + k, k in [0, 14], the cap folds the tail into 15
  double p = std::exp(-lambda), cum = 0;
  for (int k = 0; k < 14; ++k, p *= lambda / k) pmf[k] = p, cum += p;
  pmf[14] = 1 - cum;
  double expected_mean = 0, expected_sq = 0;
  for (int k = 0; k < 15; ++k) expected_mean += (1 + k) * pmf[k], expected_sq += (1.0 + k) * (1 + k) * pmf[k];
  const double sd = std::sqrt(expected_sq - expected_mean * expected_mean);

  std::vector<double> count(16, 0);
  double n_households = 0, persons = 0;
  for (int d = 0; d < sc().department_count(); ++d)
    for (bool urban : {true, false}) {
      const auto [lo, hi] = cell(d, urban);
      auto hh = households(lo, hi);
      if (hh.empty()) continue;
      hh.pop_back();
      for (auto [a, b] : hh) {
        ASSERT_GE(b - a, 1u);
        ASSERT_LE(b - a, 15u);
        ++count[b - a];
        ++n_households;
        persons += b - a;
      }
    }
  EXPECT_NEAR(persons / n_households, expected_mean, 4 * sd / std::sqrt(n_households));
  // Whole distribution: chi-square over sizes with expected count >= 20, the rest pooled.
  double chi2 = 0, kept_e = 0, kept_o = 0;
  int cells = 0;
  for (int s = 1; s <= 15; ++s) {
    const double e = n_households * pmf[s - 1];
    if (e < 20) continue;
    chi2 += (count[s] - e) * (count[s] - e) / e;
    kept_e += e, kept_o += count[s];
    ++cells;
  }
  if (n_households - kept_e >= 20) {
    const double e = n_households - kept_e, o = n_households - kept_o;
    chi2 += (o - e) * (o - e) / e;
    ++cells;
  }
  // Upper 1e-5 quantile of chi-square with <= 10 degrees of freedom is below 45.
  ASSERT_GE(cells, 5);
  ASSERT_LE(cells, 11);
  EXPECT_LT(chi2, 45.0);
}

// --- apportion ---------------------------------------------------------------------------------

TEST(PopulationApportion, KnownSplits) {
  EXPECT_EQ(apportion(100, {0.5, 0.3, 0.2}), (std::vector<std::int64_t>{50, 30, 20}));
  // 3.33 each: the one extra goes to the first largest remainder (stable order).
  EXPECT_EQ(apportion(10, {1, 1, 1}), (std::vector<std::int64_t>{4, 3, 3}));
  // exact 0.7, 1.4, 4.9: floors 0, 1, 4; remainders 0.7, 0.4, 0.9 -> two extras to #2 and #0.
  EXPECT_EQ(apportion(7, {0.1, 0.2, 0.7}), (std::vector<std::int64_t>{1, 1, 5}));
  // Shares need not add up to 1: they are normalised.
  EXPECT_EQ(apportion(10, {2, 2}), (std::vector<std::int64_t>{5, 5}));
  EXPECT_EQ(apportion(0, {0.3, 0.7}), (std::vector<std::int64_t>{0, 0}));
  EXPECT_EQ(apportion(5, {1}), (std::vector<std::int64_t>{5}));
}

TEST(PopulationApportion, LargestRemainderProperties) {
  const Rng rng(11, 0);
  for (std::uint32_t trial = 0; trial < 500; ++trial) {
    Draws d(rng, trial, 0, Stream::Test);
    const std::size_t k = 1 + d.below(30);
    std::vector<double> shares(k);
    for (auto& s : shares) s = d.uniform() < 0.1 ? 0.0 : d.uniform();
    if (std::accumulate(shares.begin(), shares.end(), 0.0) == 0) shares[0] = 1;
    const std::int64_t total = std::int64_t(d.below(10'000'000));
    const auto out = apportion(total, shares);
    ASSERT_EQ(out.size(), k);
    ASSERT_EQ(std::accumulate(out.begin(), out.end(), std::int64_t(0)), total) << "trial " << trial;
    const double sum = std::accumulate(shares.begin(), shares.end(), 0.0);
    double min_up = 2, max_down = -1;  // remainders of the rounded-up and rounded-down entries
    for (std::size_t i = 0; i < k; ++i) {
      const double exact = double(total) * shares[i] / sum;
      const double fl = std::floor(exact);
      ASSERT_TRUE(out[i] == std::int64_t(fl) || out[i] == std::int64_t(fl) + 1) << "trial " << trial << " i " << i;
      if (shares[i] == 0) {
        ASSERT_EQ(out[i], 0);
      }
      if (out[i] > std::int64_t(fl))
        min_up = std::min(min_up, exact - fl);
      else
        max_down = std::max(max_down, exact - fl);
    }
    // Largest remainder: every entry rounded up has a remainder at least as large as any
    // entry rounded down (up to floating-point noise).
    if (min_up <= 1 && max_down >= 0) {
      ASSERT_GE(min_up, max_down - 1e-9) << "trial " << trial;
    }
  }
}

// --- determinism -------------------------------------------------------------------------------

template <class T>
bool same_bytes(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

void expect_identical(const Population& a, const Population& b, const char* what) {
  EXPECT_TRUE(same_bytes(a.department, b.department)) << what;
  EXPECT_TRUE(same_bytes(a.urban, b.urban)) << what;
  EXPECT_TRUE(same_bytes(a.gender, b.gender)) << what;
  EXPECT_TRUE(same_bytes(a.birth_day, b.birth_day)) << what;
  EXPECT_TRUE(same_bytes(a.household, b.household)) << what;
  EXPECT_TRUE(same_bytes(a.device, b.device)) << what;
  EXPECT_TRUE(same_bytes(a.platforms, b.platforms)) << what;
  EXPECT_TRUE(same_bytes(a.poverty, b.poverty)) << what;
  EXPECT_TRUE(same_bytes(a.family_conflict, b.family_conflict)) << what;
  EXPECT_TRUE(same_bytes(a.migration_wish, b.migration_wish)) << what;
  EXPECT_TRUE(same_bytes(a.job_seeking, b.job_seeking)) << what;
  EXPECT_TRUE(same_bytes(a.privacy_exposure, b.privacy_exposure)) << what;
  EXPECT_TRUE(same_bytes(a.screen_hours, b.screen_hours)) << what;
  EXPECT_TRUE(same_bytes(a.digital_literacy, b.digital_literacy)) << what;
  EXPECT_TRUE(same_bytes(a.awareness, b.awareness)) << what;
  EXPECT_TRUE(same_bytes(a.supervision, b.supervision)) << what;
  EXPECT_TRUE(same_bytes(a.dept_begin, b.dept_begin)) << what;
  ASSERT_EQ(a.users.size(), b.users.size());
  for (std::size_t p = 0; p < a.users.size(); ++p) {
    EXPECT_TRUE(same_bytes(a.users[p], b.users[p])) << what << " platform " << p;
    EXPECT_TRUE(same_bytes(a.users_begin[p], b.users_begin[p])) << what << " platform " << p;
  }
}

TEST(PopulationDeterminism, BitIdenticalForOneTwoAndFourThreads) {
  const Scenario sc = small_scenario(100'000);  // 25 blocks of 4096 persons: real parallel work
  auto build_with = [&](std::size_t threads) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    return build_population(sc, 99);
  };
  const Population one = build_with(1);
  const Population two = build_with(2);
  const Population four = build_with(4);
  ASSERT_EQ(one.size(), 100'000u);
  expect_identical(one, two, "1 vs 2 threads");
  expect_identical(one, four, "1 vs 4 threads");
}

TEST(PopulationDeterminism, SeedChangesThePopulationButNotTheMarginals) {
  const Scenario sc = small_scenario(20'000);
  const Population a = build_population(sc, 1), b = build_population(sc, 2);
  EXPECT_TRUE(same_bytes(a.department, b.department));
  EXPECT_TRUE(same_bytes(a.urban, b.urban));
  EXPECT_FALSE(same_bytes(a.gender, b.gender));
  EXPECT_FALSE(same_bytes(a.poverty, b.poverty));
  EXPECT_FALSE(same_bytes(a.household, b.household));
  EXPECT_GT(a.memory_bytes(), 20'000u * 40);
}

TEST(PopulationNormal, CdfAndQuantile) {
  EXPECT_DOUBLE_EQ(normal_cdf(0), 0.5);
  EXPECT_NEAR(normal_cdf(1.959963984540054), 0.975, 1e-12);
  EXPECT_NEAR(normal_quantile(0.975), 1.959963984540054, 1e-10);
  for (double p : {0.01, 0.2, 0.5, 0.73, 0.999}) EXPECT_NEAR(normal_cdf(normal_quantile(p)), p, 1e-12);
  EXPECT_TRUE(std::isfinite(normal_quantile(0.0)));
  EXPECT_TRUE(std::isfinite(normal_quantile(1.0)));
}

}  // namespace
}  // namespace redes

namespace redes {
namespace {

// --- ageing and the open cohort (traits follow age; slots renew) ------------------------------------

/// 50,000 persons over 10 years without shocks: the same population seen on day 0 and on the last day.
class PopulationAgeing : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    sc_ = std::make_unique<Scenario>(small_scenario(50'000));
    sc_->days = 3650;
    sc_->shocks.clear();
    pop_ = std::make_unique<Population>(build_population(*sc_, 7));
  }
  static void TearDownTestSuite() {
    pop_.reset();
    sc_.reset();
  }
  static std::unique_ptr<Scenario> sc_;
  static std::unique_ptr<Population> pop_;
};
std::unique_ptr<Scenario> PopulationAgeing::sc_;
std::unique_ptr<Population> PopulationAgeing::pop_;

struct GroupMeans {
  std::array<double, kAgeGroups> count{}, device{}, literacy{}, supervision{}, job{}, migration{}, privacy{};
  std::array<std::array<double, kPlatforms>, kAgeGroups> platform{};
};

GroupMeans means_on(const Population& pop, int day) {
  GroupMeans m;
  for (PersonId i = 0; i < pop.size(); ++i) {
    const PersonTraits t = pop.traits(i, day);
    const int g = int(pop.age_group(i, day));
    m.count[g] += 1, m.device[g] += t.device, m.literacy[g] += t.digital_literacy, m.supervision[g] += t.supervision;
    m.job[g] += t.job_seeking, m.migration[g] += t.migration_wish, m.privacy[g] += t.privacy_exposure;
    for (int p = 1; p < kPlatforms; ++p) m.platform[g][p] += (t.platforms >> p) & 1u;
  }
  for (int g = 0; g < kAgeGroups; ++g) {
    for (auto* a : {&m.device, &m.literacy, &m.supervision, &m.job, &m.migration, &m.privacy}) (*a)[g] /= m.count[g];
    for (int p = 1; p < kPlatforms; ++p) m.platform[g][p] /= m.count[g];
  }
  return m;
}

// Without shocks the age structure and what each age group is like stay as on day 0 (ten years on,
// adolescents are not the children of day 0 with children's traits). Tolerance: 4 standard errors of a
// difference of two independent means (conservative: the two days share most persons).
TEST_F(PopulationAgeing, AgeStructureAndTraitMeansByAgeAreStableOverTenYears) {
  const Population& pop = *pop_;
  const GroupMeans a = means_on(pop, 0), b = means_on(pop, sc_->days - 1);
  const double n = double(pop.size());
  for (int g = 0; g < kAgeGroups; ++g) {
    SCOPED_TRACE(std::string(kAgeGroupNames[g]));
    const double pa = a.count[g] / n, pb = b.count[g] / n;
    EXPECT_NEAR(pb, pa, 4 * std::sqrt(2 * pa * (1 - pa) / n)) << "share of the population";
    auto check_share = [&](double x, double y, const char* what) {
      const double p = std::clamp(x, 0.01, 0.99);
      EXPECT_NEAR(y, x, 4 * std::sqrt(2 * p * (1 - p) / a.count[g])) << what;
    };
    check_share(a.device[g], b.device[g], "device");
    for (int p = 1; p < kPlatforms; ++p) check_share(a.platform[g][p], b.platform[g][p], kPlatformNames[p].data());
    // Traits in [0, 1] with logit-normal spread: sd <= 0.5, so 4 SE <= 4 * 0.5 * sqrt(2 / n_g).
    const double tol = 4 * 0.5 * std::sqrt(2 / a.count[g]);
    EXPECT_NEAR(b.literacy[g], a.literacy[g], tol) << "literacy";
    EXPECT_NEAR(b.supervision[g], a.supervision[g], tol) << "supervision";
    EXPECT_NEAR(b.job[g], a.job[g], tol) << "job seeking";
    EXPECT_NEAR(b.migration[g], a.migration[g], tol) << "migration wish";
    EXPECT_NEAR(b.privacy[g], a.privacy[g], tol) << "privacy exposure";
  }
  // Adolescents ten years on hold devices and job seeking like adolescents, not like day-0 children.
  EXPECT_GT(b.device[1], a.device[0] + 0.2);
}

// Crossing 13 moves a person's traits on with the same latent draws: the logit-normal deviate of their
// literacy is kept (their rank within the age group), and a device once had is kept (the device draw is
// compared with a higher probability).
TEST_F(PopulationAgeing, CrossingThirteenKeepsTheLatentDrawsOfThePerson) {
  const Population& pop = *pop_;
  const auto& pp = sc_->population;
  auto deviate = [&](const PersonTraits& t, bool urban, int group) {
    const double m = std::clamp(
        pp.digital_literacy[group] - (urban ? 0 : pp.literacy_rural_penalty) - pp.literacy_poverty_penalty * t.poverty,
        1e-4, 1 - 1e-4);
    const double x = t.digital_literacy;
    return (std::log(x / (1 - x)) - std::log(m / (1 - m))) / pp.attribute_spread;
  };
  int crossed = 0;
  for (PersonId i = 0; i < pop.size(); ++i) {
    if (pop.age_years(i, 0) != 12 || pop.traits(i, 1000).generation != 0) continue;
    const int day13 = pop.birth_day[i] + 13 * 365;
    const PersonTraits before = pop.traits(i, day13 - 1), after = pop.traits(i, day13);
    ASSERT_EQ(pop.age_group(i, day13 - 1), AgeGroup::Child);
    ASSERT_EQ(pop.age_group(i, day13), AgeGroup::Adolescent);
    EXPECT_NEAR(deviate(after, pop.urban[i], 1), deviate(before, pop.urban[i], 0), 1e-3) << "person " << i;
    EXPECT_GE(after.device, before.device) << "person " << i;
    EXPECT_EQ(after.gender, before.gender);
    ++crossed;
  }
  EXPECT_GT(crossed, 300);
}

// Slots renew: by the end of ten years some occupants have left and been replaced (newborns and
// entrants), about 1.6% of the slots a year (the births of the first age band), and nobody is over 99.
TEST_F(PopulationAgeing, OccupantsLeaveAndAreReplacedAtTheBirthRate) {
  const Population& pop = *pop_;
  const auto& band0 = sc_->population.age_bands.front();
  double total = 0;
  for (const auto& b : sc_->population.age_bands) total += b.share;
  const double births_per_year = band0.share / total / double(band0.hi - band0.lo + 1);
  std::size_t newborns = 0, renewed = 0;
  for (PersonId i = 0; i < pop.size(); ++i) {
    const int last = sc_->days - 1;
    EXPECT_LE(pop.age_years(i, last), 99);
    if (pop.traits(i, last).generation > 0) ++renewed;
    for (std::uint32_t k = pop.version_begin_of(i); k < pop.version_begin_of(i + 1); ++k)
      newborns += pop.versions[k].traits.birth_day == pop.versions[k].from_day;
  }
  const double expected = births_per_year * 10 * double(pop.size());
  EXPECT_NEAR(double(newborns), expected, 4 * std::sqrt(expected));
  EXPECT_GT(renewed, newborns);  // entrants of older bands too
}

TEST(PopulationAgeingDeterminism, VersionsIdenticalForOneAndFourThreads) {
  Scenario sc = small_scenario(20'000);
  sc.days = 3650;
  auto build = [&](int threads) {
    tbb::global_control gc(tbb::global_control::max_allowed_parallelism, std::size_t(threads));
    return build_population(sc, 11);
  };
  const Population a = build(1), b = build(4);
  ASSERT_EQ(a.versions.size(), b.versions.size());
  ASSERT_GT(a.versions.size(), 1000u);
  for (std::size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a.version_begin_of(i), b.version_begin_of(i)) << i;
    ASSERT_EQ(a.next_version_day_of(PersonId(i)), b.next_version_day_of(PersonId(i))) << i;
  }
  auto same = [](const PersonVersion& x, const PersonVersion& y) {  // field by field (padding is not data)
    const PersonTraits &s = x.traits, &t = y.traits;
    return x.from_day == y.from_day && s.birth_day == t.birth_day && s.generation == t.generation &&
           s.gender == t.gender && s.device == t.device && s.platforms == t.platforms && s.poverty == t.poverty &&
           s.family_conflict == t.family_conflict && s.migration_wish == t.migration_wish &&
           s.job_seeking == t.job_seeking && s.privacy_exposure == t.privacy_exposure &&
           s.screen_hours == t.screen_hours && s.digital_literacy == t.digital_literacy && s.awareness == t.awareness &&
           s.supervision == t.supervision;
  };
  for (std::size_t k = 0; k < a.versions.size(); ++k) ASSERT_TRUE(same(a.versions[k], b.versions[k])) << k;
}

}  // namespace
}  // namespace redes
