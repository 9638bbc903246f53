// Tests of the observation model (sim/observation, MODEL.md section 7): with near-perfect
// detection institutions record nearly every true victim, in the year expected from the
// detection delay; lowering one department's presence lowers only that department's records
// (draws are keyed by person: common random numbers). Expectations are computed from the model's
// definition: an institution that handles a case records it with probability p (detect x presence
// x ...), after an exponential delay of mean delay_days, and a case recorded on day t < horizon
// counts in the calendar year of t. The expected recorded counts used by calibration are the mean
// of the drawn ones. Seeds are fixed.
#include "sim/observation/observation.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/labels.hpp"
#include "sim/core/rng.hpp"
#include "sim/engine/engine.hpp"
#include "sim/network/network.hpp"
#include "sim/population/population.hpp"
#include "sim/scenario/scenario.hpp"

namespace redes {
namespace {

constexpr double kP = 1.0;         // perfect detection
constexpr double kDelayDays = 10;  // short delays, so records fall in the year of recruitment

Scenario perfect_detection() {
  Scenario sc = load_scenario(std::string(REDES_SOURCE_DIR) + "/scenarios/workshop/small.yaml");
  sc.recruiters.per_100k = 100;  // more victims, tighter checks
  for (auto& d : sc.observation.detect) d = kP;
  for (auto& dept : sc.observation.presence) dept.fill(1.0);
  for (auto& p : sc.platforms) p.cooperation = 1.0;
  sc.observation.fear = 0;
  sc.observation.p_sex_missing = 0;
  sc.observation.p_ict_recorded = 1;
  sc.observation.delay_days = kDelayDays;
  sc.observation.abroad_capital_share = 0;  // victims found abroad are recorded at home
  sc.observation.abroad_border_share = 0;
  sc.observation.police_referral = 0;  // institutions record independently
  return sc;
}

/// Department of record with abroad_capital_share = 0: where found, or home when abroad.
int record_dep(const Victim& v) { return v.place == kAbroad ? v.department : v.place; }

bool handles(int inst, const Victim& v) {
  const bool minor = v.age_group <= int(AgeGroup::Adolescent);
  if (inst == 2) return minor;                    // childhood ministry
  if (inst == 3) return !minor && v.gender == 0;  // women's ministry
  return true;                                    // prosecutor, police
}

/// Probability that a detection with `rate` after recruitment on `day` falls on a day in [a, b).
double within(double rate, int day, int a, int b) {
  const double lo = std::max(0, a - day), hi = b - day;
  return hi <= lo ? 0.0 : std::exp(-rate * lo) - std::exp(-rate * hi);
}

struct Expect {
  double mean = 0, var = 0;
  void add(double p) { mean += p, var += p * (1 - p); }
  /// 4 standard deviations of a sum of independent Bernoullis, plus one for the integer count.
  double tol() const { return 4 * std::sqrt(var) + 1; }
};

std::int64_t recorded_by(const Observed& o, int inst, int dept = -1) {
  std::int64_t n = 0;
  const std::size_t nd = std::size_t(o.departments);
  for (int y = 0; y < o.years; ++y)
    for (std::size_t d = 0; d < nd; ++d) {
      if (dept >= 0 && int(d) != dept) continue;
      for (int s = 0; s < kSexRecorded; ++s)
        for (int a = 0; a < kAgeGroups; ++a)
          n += o.recorded_cases[(((std::size_t(y) * kInstitutions + inst) * nd + d) * kSexRecorded + s) * kAgeGroups +
                                a];
    }
  return n;
}

class ObservationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    sc_ = new Scenario(perfect_detection());
    pop_ = new Population(build_population(*sc_, kSeed));
    Network net = build_network(*sc_, *pop_, kSeed);
    run_ = new ReplicateResult(Simulation(*sc_, *pop_, net).run(kSeed, 0));
  }
  static void TearDownTestSuite() {
    delete run_;
    delete pop_;
    delete sc_;
  }
  static constexpr std::uint32_t kSeed = 11;
  static Scenario* sc_;
  static Population* pop_;
  static ReplicateResult* run_;
};
Scenario* ObservationTest::sc_ = nullptr;
Population* ObservationTest::pop_ = nullptr;
ReplicateResult* ObservationTest::run_ = nullptr;

// 7a. Perfect detection: every institution records the victims it handles, except those whose
// detection delay runs past the horizon; distinct recorded victims by year follow the first
// detection (the minimum over the institutions handling the case: rate k * rate).
TEST_F(ObservationTest, PerfectDetectionRecordsNearlyEveryVictim) {
  const Scenario& sc = *sc_;
  const ReplicateResult& r = *run_;
  ASSERT_GT(r.victims.size(), 150u);
  for (float x : r.reporting_add) ASSERT_EQ(x, 0.0f) << "no intervention: no reporting modifier";
  const Observed o = observe(sc, r, Rng(kSeed, 0));
  const int D = sc.days, Y = o.years;
  ASSERT_GE(Y, 3) << "a long horizon";
  const double rate = 1.0 / kDelayDays;

  std::vector<Expect> inst(kInstitutions), ict(kInstitutions), year(static_cast<std::size_t>(Y));
  Expect any;
  std::vector<int> year_start(static_cast<std::size_t>(Y) + 1);
  for (int y = 0, d = 0; y <= Y; ++y) {
    while (d < D && sc.year_of_day(d) - sc.start_year < y) ++d;
    year_start[std::size_t(y)] = y == Y ? D : d;
  }
  std::int64_t true_total = 0;
  for (const Victim& v : r.victims) {
    // Victims of the warm-up (day < 0) are not victims of the period, but they can be recorded in it.
    true_total += v.day >= 0;
    int k = 0;
    for (int i = 0; i < kInstitutions; ++i) {
      if (!handles(i, v)) continue;
      ++k;
      const double p = within(rate, v.day, 0, D);
      inst[std::size_t(i)].add(p);
      if (v.platform != kOffline) ict[std::size_t(i)].add(p);
    }
    // The first record inside the period falls in [a, b) when no institution records in [0, a)
    // and not all of them miss [0, b) (independent delays; for victims of the period this is
    // within(k * rate, ...), the minimum of k exponentials; a warm-up victim may have records
    // before day 0 that do not count).
    const auto none_before = [&](int b) { return std::pow(1 - within(rate, v.day, 0, b), k); };
    any.add(none_before(0) - none_before(D));
    for (int y = 0; y < Y; ++y) year[std::size_t(y)].add(none_before(year_start[y]) - none_before(year_start[y + 1]));
  }
  std::int64_t true_sum = 0, rec_sum = 0;
  for (int y = 0; y < Y; ++y) true_sum += o.true_victims[std::size_t(y)], rec_sum += o.recorded_victims[std::size_t(y)];
  EXPECT_EQ(true_sum, true_total);

  for (int i = 0; i < kInstitutions; ++i) {
    std::int64_t ict_rec = 0;
    for (int y = 0; y < Y; ++y) ict_rec += o.recorded_ict[std::size_t(y) * kInstitutions + i];
    EXPECT_NEAR(double(recorded_by(o, i)), inst[std::size_t(i)].mean, inst[std::size_t(i)].tol())
        << kInstitutionNames[i];
    // p_ict_recorded = 1: every recorded ICT case has its technology recorded.
    EXPECT_NEAR(double(ict_rec), ict[std::size_t(i)].mean, ict[std::size_t(i)].tol()) << kInstitutionNames[i] << " ICT";
  }
  // Prosecutor and police handle every case: nearly every victim is recorded by them.
  EXPECT_GT(double(recorded_by(o, 0)), 0.9 * double(true_total));
  EXPECT_GT(double(recorded_by(o, 1)), 0.9 * double(true_total));
  EXPECT_NEAR(double(rec_sum), any.mean, any.tol());
  // Recorded = true for each year, within the allowance of the detection delay: victims
  // recruited within 90 days of a year's end may be recorded the next year, or never if the
  // horizon ends (a first record after 90 days has probability below exp(-2 * 90 / 10) = 2e-8).
  for (int y = 0; y < Y; ++y) {
    EXPECT_NEAR(double(o.recorded_victims[std::size_t(y)]), year[std::size_t(y)].mean, year[std::size_t(y)].tol())
        << "year " << sc.start_year + y;
    int allowance = 0;
    for (const Victim& v : r.victims) {
      const int end_y = year_start[std::size_t(y) + 1], start_y = year_start[std::size_t(y)];
      if ((v.day >= end_y - 90 && v.day < end_y) || (v.day >= start_y - 90 && v.day < start_y)) ++allowance;
    }
    EXPECT_LE(std::abs(o.recorded_victims[std::size_t(y)] - o.true_victims[std::size_t(y)]), allowance)
        << "year " << sc.start_year + y;
  }
  // Sex is always recorded (p_sex_missing = 0) and matches the victims' genders.
  std::vector<std::int64_t> by_sex(kSexRecorded, 0), victims_by_gender(kGenders, 0);
  for (std::size_t c = 0; c < o.recorded_cases.size(); ++c)
    by_sex[(c / kAgeGroups) % kSexRecorded] += o.recorded_cases[c];
  for (const Victim& v : r.victims) ++victims_by_gender[v.gender];
  EXPECT_EQ(by_sex[2], 0);
  EXPECT_GT(by_sex[0], 0);
  EXPECT_LE(by_sex[1], 4 * victims_by_gender[1]);  // at most prosecutor, police, (childhood) per male victim
}

// 7b. Lowering presence in one department lowers that department's records and leaves every
// other department's records unchanged (same victims, same draws keyed by person).
TEST_F(ObservationTest, LowerPresenceInOneDepartmentOnlyAffectsIt) {
  Scenario sc = *sc_;
  sc.observation.abroad_capital_share = 0.0;  // victims found abroad are recorded at home, as record_dep() says
  const ReplicateResult& r = *run_;
  const int nd = sc.department_count();
  std::vector<int> victims_by_dept(std::size_t(nd), 0);  // by department of record, in the period
  for (const Victim& v : r.victims)
    if (v.day >= 0) ++victims_by_dept[std::size_t(record_dep(v))];
  const int target = int(std::max_element(victims_by_dept.begin(), victims_by_dept.end()) - victims_by_dept.begin());
  ASSERT_GE(victims_by_dept[std::size_t(target)], 20);

  Scenario low = sc;
  const double presence = 0.2;
  low.observation.presence[std::size_t(target)].fill(presence);
  const Observed hi = observe(sc, r, Rng(kSeed, 0));
  const Observed lo = observe(low, r, Rng(kSeed, 0));

  const std::size_t Y = std::size_t(hi.years);
  for (std::size_t y = 0; y < Y; ++y)
    for (int i = 0; i < kInstitutions; ++i)
      for (int d = 0; d < nd; ++d) {
        if (d == target) continue;
        for (int s = 0; s < kSexRecorded; ++s)
          for (int a = 0; a < kAgeGroups; ++a) {
            const std::size_t c = (((y * kInstitutions + i) * nd + d) * kSexRecorded + s) * kAgeGroups + a;
            EXPECT_EQ(lo.recorded_cases[c], hi.recorded_cases[c]) << "department " << sc.population.departments[d];
          }
      }
  EXPECT_EQ(lo.true_victims, hi.true_victims);

  // The target department: expected records at presence 0.2 (recorded with p = 0.2), per institution.
  const double rate = 1.0 / kDelayDays;
  for (int i = 0; i < kInstitutions; ++i) {
    Expect e;
    for (const Victim& v : r.victims)
      if (record_dep(v) == target && handles(i, v)) e.add(presence * within(rate, v.day, 0, sc.days));
    const auto n_lo = recorded_by(lo, i, target), n_hi = recorded_by(hi, i, target);
    EXPECT_LE(n_lo, n_hi) << kInstitutionNames[i] << ": the same draws with a lower p can only drop records";
    EXPECT_NEAR(double(n_lo), e.mean, e.tol()) << kInstitutionNames[i];
  }
  // The recorded share of the department's victims falls clearly (from ~1 to ~0.2).
  const double share_hi = double(recorded_by(hi, 0, target)) / victims_by_dept[std::size_t(target)];
  const double share_lo = double(recorded_by(lo, 0, target)) / victims_by_dept[std::size_t(target)];
  EXPECT_GT(share_hi, 0.85);
  EXPECT_LT(share_lo, share_hi - 0.2);
  std::int64_t rec_hi = 0, rec_lo = 0;
  for (std::size_t y = 0; y < Y; ++y) rec_hi += hi.recorded_victims[y], rec_lo += lo.recorded_victims[y];
  EXPECT_LT(rec_lo, rec_hi);
  EXPECT_GT(lo.hidden_ratio, hi.hidden_ratio);
}

// 7c. The expected recorded counts that calibration compares with official tables
// (Observed::expected_*, each victim's chance of a record in a year summed instead of drawn) are
// the mean of the drawn records over independent detection draws of the same victims. With the
// workshop's detection (not perfect), a sex left unrecorded 20% of the time and the technology
// recorded 30% of the time, R sets of draws (observation keys 1..R): for each year and
// institution the mean drawn count equals the expected count within 4.5 standard errors of the
// mean (the standard error from the spread of the R draws); so do the mean female and ICT counts,
// i.e. the drawn female share and ICT share equal expected_female / expected_cases and
// expected_ict / expected_cases. 4.5 standard errors over the ~60 comparisons fail by chance with
// probability below 1e-3; a factor such as (1 - p_sex_missing) left out would be off by 20%,
// dozens of standard errors.
TEST_F(ObservationTest, ExpectedRecordedCountsAreTheMeanOfTheDraws) {
  const Scenario workshop = load_scenario(std::string(REDES_SOURCE_DIR) + "/scenarios/workshop/small.yaml");
  Scenario sc = *sc_;  // the same victims, observed as in the workshop scenario
  sc.observation = workshop.observation;
  for (std::size_t p = 0; p < sc.platforms.size(); ++p) sc.platforms[p].cooperation = workshop.platforms[p].cooperation;
  sc.observation.p_sex_missing = 0.2;
  sc.observation.p_ict_recorded = 0.3;
  const ReplicateResult& r = *run_;
  ASSERT_GT(r.victims.size(), 150u);

  constexpr int kR = 2000;
  const Observed e = observe(sc, r, Rng(kSeed, 0));  // the expected values do not depend on the draws
  const std::size_t Y = std::size_t(e.years), nd = std::size_t(e.departments), cells = Y * kInstitutions;
  // Per replicate and (year, institution): drawn cases, female cases, ICT cases.
  std::vector<double> cases(kR * cells, 0), female(kR * cells, 0), ict(kR * cells, 0);
  for (int rep = 0; rep < kR; ++rep) {
    const Observed o = observe(sc, r, Rng(kSeed + 1 + std::uint32_t(rep), 0));
    EXPECT_EQ(o.expected_cases, e.expected_cases);
    for (std::size_t c = 0; c < cells; ++c) {
      for (std::size_t d = 0; d < nd; ++d)
        for (int s = 0; s < kSexRecorded; ++s)
          for (int a = 0; a < kAgeGroups; ++a) {
            const std::int32_t n = o.recorded_cases[((c * nd + d) * kSexRecorded + s) * kAgeGroups + a];
            cases[rep * cells + c] += n;
            if (s == 0) female[rep * cells + c] += n;
          }
      ict[rep * cells + c] = o.recorded_ict[c];
    }
  }
  auto mean_se = [&](const std::vector<double>& x, std::size_t c) {
    double m = 0, v = 0;
    for (int rep = 0; rep < kR; ++rep) m += x[rep * cells + c];
    m /= kR;
    for (int rep = 0; rep < kR; ++rep) v += (x[rep * cells + c] - m) * (x[rep * cells + c] - m);
    return std::pair{m, std::sqrt(v / (kR - 1) / kR)};
  };
  double all_expected = 0, all_female = 0, all_ict = 0;
  for (std::size_t y = 0; y < Y; ++y)
    for (int i = 0; i < kInstitutions; ++i) {
      const std::size_t c = y * kInstitutions + std::size_t(i);
      SCOPED_TRACE(std::string(kInstitutionNames[i]) + " " + std::to_string(sc.start_year + int(y)));
      double expected = 0;
      for (std::size_t d = 0; d < nd; ++d) expected += e.expected_cases[c * nd + d];
      all_expected += expected, all_female += e.expected_female[c], all_ict += e.expected_ict[c];
      const auto [m, se] = mean_se(cases, c);
      EXPECT_NEAR(m, expected, 4.5 * se + 1e-9);
      const auto [mf, sef] = mean_se(female, c);
      EXPECT_NEAR(mf, e.expected_female[c], 4.5 * sef + 1e-9);
      const auto [mi, sei] = mean_se(ict, c);
      EXPECT_NEAR(mi, e.expected_ict[c], 4.5 * sei + 1e-9);
      EXPECT_LE(e.expected_female[c], expected);
      EXPECT_LE(e.expected_ict[c], expected);
    }
  // Not vacuous: tens of expected cases, and the shares are what the parameters make them.
  EXPECT_GT(all_expected, 20);
  std::int64_t female_victims = 0, ict_victims = 0;
  for (const Victim& v : r.victims) female_victims += v.gender == 0, ict_victims += v.platform != kOffline;
  EXPECT_GT(female_victims, 0);
  EXPECT_GT(ict_victims, 0);
  EXPECT_LT(all_female / all_expected, 1 - sc.observation.p_sex_missing + 1e-12);
  EXPECT_LT(all_ict / all_expected, sc.observation.p_ict_recorded + 1e-12);
  EXPECT_GT(all_ict / all_expected, 0.0);
}

// 7d. Where victims are exploited: same department -> home; other department -> another
// department; abroad -> kAbroad. Cases are recorded where victims are found, so recorded counts
// by department of record and by department of origin differ, each summing to the same total.
TEST_F(ObservationTest, VictimsAreRecordedWhereFoundAndByOrigin) {
  const Scenario& sc = *sc_;
  const ReplicateResult& r = *run_;
  int other = 0, abroad = 0;
  for (const Victim& v : r.victims) {
    if (v.destination == 0) {
      EXPECT_EQ(v.place, v.department);
    } else if (v.destination == 1) {
      EXPECT_NE(v.place, v.department);
      EXPECT_LT(v.place, sc.department_count());
      ++other;
    } else {
      EXPECT_EQ(v.place, kAbroad);
      ++abroad;
    }
  }
  ASSERT_GT(other, 10);
  ASSERT_GT(abroad, 10);
  const Observed o = observe(sc, r, Rng(kSeed, 0));
  const std::size_t nd = std::size_t(o.departments), Y = std::size_t(o.years);
  // Replay the model's record rule with the same draws: perfect detection records every victim
  // whose delay ends in the window, by each institution that handles it.
  std::vector<std::int64_t> by_record(nd, 0), by_origin(nd, 0);
  for (const Victim& v : r.victims)
    for (int i = 0; i < kInstitutions; ++i) {
      if (!handles(i, v)) continue;
      Draws d(Rng(kSeed, 0), v.person, 0, Stream::Detection, std::uint16_t(i));
      const int day = v.day + int(d.exponential(1.0 / kDelayDays));
      if (day < 0 || day >= sc.days) continue;  // recorded before the period (warm-up) or after it
      ++by_record[std::size_t(record_dep(v))], ++by_origin[v.department];
    }
  std::vector<std::int64_t> got_record(nd, 0), got_origin(nd, 0);
  for (std::size_t y = 0; y < Y; ++y)
    for (int i = 0; i < kInstitutions; ++i)
      for (std::size_t d = 0; d < nd; ++d) {
        got_origin[d] += o.recorded_by_origin[(y * kInstitutions + i) * nd + d];
        for (int c = 0; c < kSexRecorded * kAgeGroups; ++c)
          got_record[d] += o.recorded_cases[((y * kInstitutions + i) * nd + d) * kSexRecorded * kAgeGroups + c];
      }
  EXPECT_EQ(got_record, by_record);
  EXPECT_EQ(got_origin, by_origin);
  EXPECT_NE(got_record, got_origin);  // internal trafficking moves records between departments

  // Victims found abroad with abroad_capital_share = 1 are all recorded in the capital (first department).
  Scenario cap = sc;
  cap.observation.abroad_capital_share = 1;
  ReplicateResult only_abroad = r;
  std::erase_if(only_abroad.victims, [](const Victim& v) { return v.place != kAbroad; });
  const Observed oc = observe(cap, only_abroad, Rng(kSeed, 0));
  std::int64_t capital = 0, elsewhere = 0;
  for (std::size_t c = 0; c < oc.recorded_cases.size(); ++c)
    (((c / (kSexRecorded * kAgeGroups)) % nd) == 0 ? capital : elsewhere) += oc.recorded_cases[c];
  EXPECT_GT(capital, 10);
  EXPECT_EQ(elsewhere, 0);
}

// 7d'. Victims found abroad recorded at the border crossing: with abroad_border_share 1 every
// record of them is in a crossing department, split by the crossing weights (exactly in the
// expected counts, within 4 standard errors in the drawn ones); with 0.5 and no capital share,
// half of the expected records are at home.
TEST_F(ObservationTest, VictimsAbroadAreRecordedAtTheirBorderCrossing) {
  Scenario sc = *sc_;
  const std::size_t nd = std::size_t(sc.department_count());
  constexpr std::size_t kA = 10, kB = 7;  // Alto Parana, Itapua in the Paraguay pack
  sc.observation.border_crossing.assign(nd, 0.0);
  sc.observation.border_crossing[kA] = 0.25, sc.observation.border_crossing[kB] = 0.75;
  sc.observation.abroad_border_share = 1;
  ReplicateResult abroad = *run_;
  // Victims abroad from other departments, and the same chance of a record everywhere, so that
  // the split of the expected records is exactly the split of the departments of record.
  std::erase_if(abroad.victims,
                [](const Victim& v) { return v.place != kAbroad || v.department == kA || v.department == kB; });
  std::fill(abroad.enforcement_mult.begin(), abroad.enforcement_mult.end(), 1.0f);
  std::fill(abroad.reporting_add.begin(), abroad.reporting_add.end(), 0.0f);
  ASSERT_GT(abroad.victims.size(), 30u);
  const Observed o = observe(sc, abroad, Rng(kSeed, 0));
  auto expected_in = [&](const Observed& ob, std::size_t dep) {
    double e = 0;
    for (std::size_t y = 0; y < std::size_t(ob.years); ++y)
      for (int i = 0; i < kInstitutions; ++i) e += ob.expected_cases[(y * kInstitutions + std::size_t(i)) * nd + dep];
    return e;
  };
  double total = 0;
  for (std::size_t d = 0; d < nd; ++d) total += expected_in(o, d);
  EXPECT_GT(total, 30);
  EXPECT_NEAR(expected_in(o, kA), 0.25 * total, 1e-9 * total);
  EXPECT_NEAR(expected_in(o, kB), 0.75 * total, 1e-9 * total);
  std::int64_t in_a = 0, in_b = 0, all = 0;
  for (int i = 0; i < kInstitutions; ++i)
    in_a += recorded_by(o, i, int(kA)), in_b += recorded_by(o, i, int(kB)), all += recorded_by(o, i);
  EXPECT_EQ(in_a + in_b, all);
  // A victim's records (up to one per institution) share its department of record, so the share
  // of records is a weighted mean with weights <= kInstitutions: variance <= p(1-p) kInstitutions / all.
  const double share = double(in_a) / double(all), se = std::sqrt(0.25 * 0.75 * kInstitutions / double(all));
  EXPECT_NEAR(share, 0.25, 4 * se);

  sc.observation.abroad_border_share = 0.5;  // the other half at home
  const Observed half = observe(sc, abroad, Rng(kSeed, 0));
  double at_home = 0, half_total = 0;
  for (std::size_t d = 0; d < nd; ++d) {
    half_total += expected_in(half, d);
    if (d != kA && d != kB) at_home += expected_in(half, d);
  }
  EXPECT_NEAR(half_total, total, 1e-9 * total);
  EXPECT_NEAR(at_home, 0.5 * total, 1e-9 * total);
}

// 7d''. Referral: with no complaints of its own (prosecutor detection 0), the prosecutor records
// exactly police_referral x what the police would record (the same departments and days), in the
// expected counts, and the drawn counts agree within 4 standard deviations; without referral, nothing.
TEST_F(ObservationTest, PoliceCasesReachTheProsecutorByReferral) {
  Scenario sc = *sc_;
  sc.observation.detect[0] = 0;
  sc.observation.detect[1] = 0.5;
  sc.observation.police_referral = 0.6;
  const Observed o = observe(sc, *run_, Rng(kSeed, 0));
  const std::size_t nd = std::size_t(o.departments);
  double prosecutor = 0, police = 0;
  for (std::size_t y = 0; y < std::size_t(o.years); ++y)
    for (std::size_t d = 0; d < nd; ++d) {
      const double pr = o.expected_cases[(y * kInstitutions + 0) * nd + d],
                   po = o.expected_cases[(y * kInstitutions + 1) * nd + d];
      EXPECT_NEAR(pr, 0.6 * po, 1e-9 * (1 + po));
      prosecutor += pr, police += po;
    }
  EXPECT_GT(police, 50);
  const double drawn = double(recorded_by(o, 0));
  EXPECT_NEAR(drawn, prosecutor, 4 * std::sqrt(prosecutor) + 1);
  sc.observation.police_referral = 0;
  EXPECT_EQ(recorded_by(observe(sc, *run_, Rng(kSeed, 0)), 0), 0);
}

// 7d'''. The prosecutor's specialised units: with specialised_share s, each prosecutor record of a
// domestic victim found outside the capital, in a department without a unit, is counted in the
// capital with probability s; detection is unchanged (the same records, the same cases, the police
// untouched). Expected counts move exactly s of those departments' expected records to the capital;
// the drawn number moved is Binomial(n, s), checked within 4 standard deviations.
TEST_F(ObservationTest, SpecialisedUnitsCountCasesFromDepartmentsWithoutOneInTheCapital) {
  ReplicateResult domestic = *run_;
  std::erase_if(domestic.victims, [](const Victim& v) { return v.place == kAbroad; });
  Scenario sc = *sc_;
  const std::size_t nd = std::size_t(sc.department_count());
  ASSERT_GE(nd, 3u);
  constexpr int kCapital = 0, kWithUnit = 1;
  constexpr double kShare = 0.4;
  sc.observation.detect[0] = 0.7;
  sc.observation.specialised_units.assign(nd, 0.0);
  sc.observation.specialised_units[kCapital] = 3, sc.observation.specialised_units[kWithUnit] = 1;
  sc.observation.specialised_share = 0;
  const Observed before = observe(sc, domestic, Rng(kSeed, 0));
  sc.observation.specialised_share = kShare;
  const Observed after = observe(sc, domestic, Rng(kSeed, 0));
  double moved = 0;
  std::int64_t elsewhere = 0;  // records of the departments without a unit, before
  for (std::size_t y = 0; y < std::size_t(before.years); ++y)
    for (std::size_t d = 0; d < nd; ++d) {
      const std::size_t at = (y * kInstitutions + 0) * nd + d;
      if (int(d) == kCapital || int(d) == kWithUnit) continue;
      EXPECT_NEAR(after.expected_cases[at], (1 - kShare) * before.expected_cases[at], 1e-9);
      moved += before.expected_cases[at];
    }
  for (int d = 0; d < int(nd); ++d)
    if (d != kCapital && d != kWithUnit) elsewhere += recorded_by(before, 0, d);
  ASSERT_GT(elsewhere, 40);
  double capital_before = 0, capital_after = 0;
  for (std::size_t y = 0; y < std::size_t(before.years); ++y) {
    const std::size_t at = (y * kInstitutions + 0) * nd;
    capital_before += before.expected_cases[at + kCapital], capital_after += after.expected_cases[at + kCapital];
    EXPECT_NEAR(after.expected_cases[at + kWithUnit], before.expected_cases[at + kWithUnit], 1e-12);
  }
  EXPECT_NEAR(capital_after - capital_before, kShare * moved, 1e-9 * (1 + moved));
  // Drawn: the same records and cases in all, the police untouched, about s of the others moved.
  EXPECT_EQ(recorded_by(after, 0), recorded_by(before, 0));
  EXPECT_EQ(recorded_by(after, 0, kWithUnit), recorded_by(before, 0, kWithUnit));
  EXPECT_EQ(after.victims_per_case, before.victims_per_case);
  for (int d = 0; d < int(nd); ++d) EXPECT_EQ(recorded_by(after, 1, d), recorded_by(before, 1, d));
  const double n = double(elsewhere),
               drawn_moved = double(recorded_by(after, 0, kCapital) - recorded_by(before, 0, kCapital));
  EXPECT_NEAR(drawn_moved, kShare * n, 4 * std::sqrt(n * kShare * (1 - kShare)) + 1);
  EXPECT_GT(drawn_moved, 0);
}

/// Sum of one institution's expected records over the years.
double expected_by(const Observed& o, int inst) {
  double n = 0;
  const std::size_t nd = std::size_t(o.departments);
  for (std::size_t y = 0; y < std::size_t(o.years); ++y)
    for (std::size_t d = 0; d < nd; ++d) n += o.expected_cases[(y * kInstitutions + inst) * nd + d];
  return n;
}

/// Detection of 0.3 per institution, so factors up to 3 leave every chance below 1 (no clamp).
Scenario partial_detection(const Scenario& perfect) {
  Scenario sc = perfect;
  for (auto& d : sc.observation.detect) d = 0.3;
  return sc;
}

// 7d-iv. Exploitation type: exploitation_detect multiplies the chance of a record of each victim by
// its type's factor. Expected records of labour victims scale by exactly that factor; other victims' are unchanged.
// Drawn records are thinned: with the same uniforms (common random numbers) a record kept after was a record before,
// and about the factor of them stay.
TEST_F(ObservationTest, ExploitationTypeScalesTheChanceOfARecordOfItsVictims) {
  constexpr int kLabour = 1;
  constexpr double kFactor = 0.4;
  ReplicateResult labour = *run_, others = *run_;
  std::erase_if(labour.victims, [](const Victim& v) { return v.exploitation != kLabour; });
  std::erase_if(others.victims, [](const Victim& v) { return v.exploitation == kLabour; });
  ASSERT_GT(labour.victims.size(), 30u);
  Scenario sc = *sc_;
  for (auto& d : sc.observation.detect) d = 0.9;  // factors below 1: no chance reaches 1
  const Observed labour_before = observe(sc, labour, Rng(kSeed, 0)), others_before = observe(sc, others, Rng(kSeed, 0));
  sc.observation.exploitation_detect[kLabour] = kFactor;
  const Observed labour_after = observe(sc, labour, Rng(kSeed, 0)), others_after = observe(sc, others, Rng(kSeed, 0));
  for (std::size_t k = 0; k < labour_before.expected_cases.size(); ++k) {
    EXPECT_NEAR(labour_after.expected_cases[k], kFactor * labour_before.expected_cases[k], 1e-12);
    EXPECT_EQ(others_after.expected_cases[k], others_before.expected_cases[k]);
  }
  EXPECT_EQ(others_after.recorded_cases, others_before.recorded_cases);
  for (int inst = 0; inst < kInstitutions; ++inst) {
    const std::int64_t before = recorded_by(labour_before, inst), after = recorded_by(labour_after, inst);
    EXPECT_LE(after, before);
    EXPECT_NEAR(double(after), kFactor * double(before), 4 * std::sqrt(double(before) * kFactor * (1 - kFactor)) + 1);
  }
  EXPECT_GT(recorded_by(labour_before, 0), 40);
}

// 7d-v. An institution's own trend adds to the common one: recording_trend a with the other
// institutions' own trends at -a gives exactly the records of institution_trend a for the childhood
// ministry alone. Its expected records in year y, against no trend, grow by a factor between
// exp(a y) and exp(a (y + 1)) (the trend at the record day); the other institutions' do not move.
TEST_F(ObservationTest, AnInstitutionsOwnTrendChangesOnlyItsRecords) {
  constexpr int kChildhood = 2;
  constexpr double kTrend = 0.3;
  Scenario sc = partial_detection(*sc_);
  sc.observation.recording_trend_years = 10;
  const Observed flat = observe(sc, *run_, Rng(kSeed, 0));
  sc.observation.institution_trend[kChildhood] = kTrend;
  const Observed own = observe(sc, *run_, Rng(kSeed, 0));
  sc.observation.recording_trend = kTrend;
  sc.observation.institution_trend = {-kTrend, -kTrend, 0, -kTrend};
  const Observed common = observe(sc, *run_, Rng(kSeed, 0));
  EXPECT_EQ(own.expected_cases, common.expected_cases);
  EXPECT_EQ(own.recorded_cases, common.recorded_cases);
  const std::size_t nd = std::size_t(flat.departments);
  for (std::size_t y = 0; y < std::size_t(flat.years); ++y) {
    double before = 0, after = 0;
    for (std::size_t d = 0; d < nd; ++d) {
      for (int inst : {0, 1, 3}) {
        const std::size_t at = (y * kInstitutions + std::size_t(inst)) * nd + d;
        EXPECT_EQ(own.expected_cases[at], flat.expected_cases[at]);
      }
      before += flat.expected_cases[(y * kInstitutions + kChildhood) * nd + d];
      after += own.expected_cases[(y * kInstitutions + kChildhood) * nd + d];
    }
    if (before <= 0) continue;
    // Year y's days are between y and y + 1 years from the start (leap days: + 1e-3).
    EXPECT_GE(after / before, std::exp(kTrend * double(y)) * (1 - 1e-9)) << "year " << y;
    EXPECT_LE(after / before, std::exp(kTrend * (double(y) + 1 + 1e-3))) << "year " << y;
  }
  EXPECT_GT(expected_by(own, kChildhood), expected_by(flat, kChildhood));
}

// 7d-v'. Records made at a border crossing by the crossing's own checks need no complaint, so the
// recording trend does not apply to them: with every victim abroad recorded at a crossing and
// border_check_share 1, a falling trend leaves their records (expected and drawn) exactly as with no
// trend; with 0 it lowers them; with 0.5 the expected records are the mean of the two. Domestic
// victims' records follow the trend whatever the share.
TEST_F(ObservationTest, BorderChecksDoNotFollowTheComplaintTrend) {
  Scenario sc = partial_detection(*sc_);
  const std::size_t nd = std::size_t(sc.department_count());
  sc.observation.border_crossing.assign(nd, 0.0);
  sc.observation.border_crossing[10] = 1;  // Alto Parana in the Paraguay pack
  sc.observation.abroad_capital_share = 0;
  sc.observation.abroad_border_share = 1;
  sc.observation.recording_trend_years = 10;
  ReplicateResult abroad = *run_, domestic = *run_;
  std::erase_if(abroad.victims, [](const Victim& v) { return v.place != kAbroad; });
  std::erase_if(domestic.victims, [](const Victim& v) { return v.place == kAbroad; });
  ASSERT_GT(abroad.victims.size(), 30u);
  const Observed flat = observe(sc, abroad, Rng(kSeed, 0));
  sc.observation.recording_trend = std::log(0.5);
  sc.observation.border_check_share = 1;
  const Observed checked = observe(sc, abroad, Rng(kSeed, 0)), domestic_checked = observe(sc, domestic, Rng(kSeed, 0));
  EXPECT_EQ(checked.expected_cases, flat.expected_cases);
  EXPECT_EQ(checked.recorded_cases, flat.recorded_cases);
  sc.observation.border_check_share = 0;
  const Observed complaints = observe(sc, abroad, Rng(kSeed, 0)),
                 domestic_complaints = observe(sc, domestic, Rng(kSeed, 0));
  EXPECT_EQ(domestic_checked.expected_cases, domestic_complaints.expected_cases);
  const double all_flat = std::accumulate(flat.expected_cases.begin(), flat.expected_cases.end(), 0.0),
               all_complaints =
                   std::accumulate(complaints.expected_cases.begin(), complaints.expected_cases.end(), 0.0);
  EXPECT_GT(all_flat, 10);
  EXPECT_LT(all_complaints, 0.9 * all_flat);
  sc.observation.border_check_share = 0.5;
  const Observed half = observe(sc, abroad, Rng(kSeed, 0));
  for (std::size_t c = 0; c < half.expected_cases.size(); ++c)
    EXPECT_NEAR(half.expected_cases[c], 0.5 * (flat.expected_cases[c] + complaints.expected_cases[c]),
                1e-9 * (1 + flat.expected_cases[c]));
}

// 7d-vi. An identification wave multiplies the chance of a record of victims found abroad, by
// institution, on the days it lasts: with the childhood ministry's factor 2 over the second year,
// its expected records of victims abroad in that year double exactly (0.3 x 2 stays below 1); other
// years and institutions, and every domestic victim, are unchanged.
TEST_F(ObservationTest, AnIdentificationWaveRaisesRecordsOfVictimsAbroadInItsPeriodOnly) {
  constexpr int kChildhood = 2;
  constexpr double kFactor = 2;
  Scenario sc = partial_detection(*sc_);
  ReplicateResult abroad = *run_, domestic = *run_;
  std::erase_if(abroad.victims, [](const Victim& v) { return v.place != kAbroad; });
  std::erase_if(domestic.victims, [](const Victim& v) { return v.place == kAbroad; });
  ASSERT_GT(abroad.victims.size(), 30u);
  int start = 0;
  while (sc.year_of_day(start) == sc.start_year) ++start;
  int end = start;
  while (end + 1 < sc.days && sc.year_of_day(end + 1) == sc.start_year + 1) ++end;
  const Observed abroad_before = observe(sc, abroad, Rng(kSeed, 0)),
                 domestic_before = observe(sc, domestic, Rng(kSeed, 0));
  sc.observation.identification_waves.push_back({"test wave", start, end, {1, 1, kFactor, 1}});
  const Observed abroad_after = observe(sc, abroad, Rng(kSeed, 0)),
                 domestic_after = observe(sc, domestic, Rng(kSeed, 0));
  EXPECT_EQ(domestic_after.expected_cases, domestic_before.expected_cases);
  EXPECT_EQ(domestic_after.recorded_cases, domestic_before.recorded_cases);
  const std::size_t nd = std::size_t(abroad_before.departments);
  double in_wave = 0;
  for (std::size_t y = 0; y < std::size_t(abroad_before.years); ++y)
    for (std::size_t inst = 0; inst < std::size_t(kInstitutions); ++inst)
      for (std::size_t d = 0; d < nd; ++d) {
        const std::size_t at = (y * kInstitutions + inst) * nd + d;
        const double factor = y == 1 && inst == kChildhood ? kFactor : 1.0;
        EXPECT_NEAR(abroad_after.expected_cases[at], factor * abroad_before.expected_cases[at], 1e-12);
        if (factor != 1.0) in_wave += abroad_before.expected_cases[at];
      }
  EXPECT_GT(in_wave, 1.0);
  EXPECT_GE(recorded_by(abroad_after, kChildhood), recorded_by(abroad_before, kChildhood));
  for (int inst : {0, 1, 3}) EXPECT_EQ(recorded_by(abroad_after, inst), recorded_by(abroad_before, inst));
}

// 7d-vii. How a record names the recruiter moves no record: with a share g of hunting's recorded
// victims named as partner or friend, each institution's close-bond records are its trusted-contact
// records plus g times its hunting records (none from fishing), and the records themselves are those
// of g = 0; with the baseline's [0, 0, 1] they are exactly the trusted-contact records.
TEST_F(ObservationTest, GroomersRecordedAsPartnersOrFriendsAddToCloseBondsOnly) {
  constexpr double kGroomed = 0.35;
  const auto hunting = std::size_t(Route::Hunting), trusted = std::size_t(Route::TrustedContact);
  Scenario sc = partial_detection(*sc_);
  const Observed routes_only = observe(sc, *run_, Rng(kSeed, 0));
  sc.observation.recorded_as_close_bond = {kGroomed, 0, 1};
  const Observed groomed = observe(sc, *run_, Rng(kSeed, 0));
  EXPECT_EQ(groomed.expected_cases, routes_only.expected_cases);
  EXPECT_EQ(groomed.recorded_cases, routes_only.recorded_cases);
  EXPECT_EQ(groomed.expected_route, routes_only.expected_route);
  double hunted = 0;
  for (std::size_t inst = 0; inst < std::size_t(kInstitutions); ++inst) {
    const double* route = &routes_only.expected_route[inst * kRoutes];
    EXPECT_EQ(routes_only.expected_close_bond[inst], route[trusted]);
    EXPECT_NEAR(groomed.expected_close_bond[inst], route[trusted] + kGroomed * route[hunting],
                1e-12 * (1 + route[trusted] + route[hunting]));
    hunted += route[hunting];
  }
  EXPECT_GT(hunted, 1.0);  // the run has recorded hunting victims, so the test can fail
}

// 7e. Modifiers are read on the record day: with no investigative capacity (enforcement_mult 0)
// before a cut-off day, prosecutor and police record nothing before it, but still record victims
// recruited before it whose record falls after. Expected counts integrate the same thing.
TEST_F(ObservationTest, ModifiersApplyOnTheRecordDay) {
  Scenario sc = *sc_;
  // Delays of a few months, so that a good number of the first year's victims are recorded after it.
  constexpr double kLongDelay = 90;
  sc.observation.delay_days = kLongDelay;
  ReplicateResult r = *run_;
  const std::size_t nd = std::size_t(sc.department_count());
  int cut = 0;
  while (sc.year_of_day(cut) == sc.start_year) ++cut;  // first day of the second year
  for (int d = 0; d < cut; ++d)
    for (std::size_t k = 0; k < nd; ++k) r.enforcement_mult[std::size_t(d) * nd + k] = 0.0f;
  const Observed o = observe(sc, r, Rng(kSeed, 0));
  std::int64_t year0 = 0;
  double expected0 = 0;
  for (int i = 0; i < 2; ++i)
    for (std::size_t d = 0; d < nd; ++d) {
      expected0 += o.expected_cases[(0 * kInstitutions + i) * nd + d];
      for (int c = 0; c < kSexRecorded * kAgeGroups; ++c)
        year0 += o.recorded_cases[((0 * kInstitutions + i) * nd + d) * kSexRecorded * kAgeGroups + c];
    }
  EXPECT_EQ(year0, 0);
  EXPECT_EQ(expected0, 0.0);
  // Only the victims recruited before the cut: the prosecutor (p = 1 after it) records exactly
  // those whose delay ends after the cut; the old rule (recruitment day, capacity 0) recorded none.
  ReplicateResult early = r;
  std::erase_if(early.victims, [&](const Victim& v) { return v.day >= cut; });
  std::int64_t late = 0;
  for (const Victim& v : early.victims) {
    Draws d(Rng(kSeed, 0), v.person, 0, Stream::Detection, 0);
    const int day = v.day + int(d.exponential(1.0 / kLongDelay));
    late += day >= cut && day < sc.days;
  }
  ASSERT_GT(late, 3);
  EXPECT_EQ(recorded_by(observe(sc, early, Rng(kSeed, 0)), 0), late);
}

// 7f. Platform cooperation is the arm's: a run whose cooperation modifiers raise it from 0 to 1
// records ICT victims that the scenario's cooperation 0 alone would never record.
TEST_F(ObservationTest, ArmCooperationReachesTheRecords) {
  Scenario sc = *sc_;
  for (auto& p : sc.platforms) p.cooperation = 0.0;
  ReplicateResult r = *run_;
  auto ict_records = [&](const Observed& o) {
    std::int64_t n = 0;
    for (int i = 0; i < kInstitutions; ++i)
      for (int p = 1; p < kPlatforms; ++p) n += o.recorded_platform[std::size_t(i) * kPlatforms + p];
    return n;
  };
  EXPECT_EQ(ict_records(observe(sc, r, Rng(kSeed, 0))), 0);
  std::fill(r.cooperation_add.begin(), r.cooperation_add.end(), 1.0f);
  const Observed o = observe(sc, r, Rng(kSeed, 0));
  std::int64_t ict_victims = 0;
  for (const Victim& v : r.victims) ict_victims += v.platform != kOffline;
  ASSERT_GT(ict_victims, 50);
  EXPECT_GT(ict_records(o), ict_victims);  // prosecutor and police record nearly all of them
}

// 8. Cases vs victims: k victims of one recruiter recorded together by an institution form one
// case of k victims; records further apart than the case window open separate cases.
TEST(ObservationCases, OneRecruitersVictimsRecordedTogetherFormOneCase) {
  Scenario sc = perfect_detection();
  sc.observation.delay_days = 1e-3;  // recorded on the day of recruitment
  sc.observation.case_window_days = 30;
  ReplicateResult r;
  r.days = sc.days;
  r.departments = sc.department_count();
  const int k = 5;
  for (int j = 0; j < k; ++j)  // adult men: prosecutor and police handle them
    r.victims.push_back({PersonId(j), 7, 100 + j, 0, 0, 0, 0, 2, int(AgeGroup::Adult), 1, 0, 2});
  Observed o = observe(sc, r, Rng(3, 0));
  std::vector<std::int32_t> sizes(kCaseSizes, 0);
  sizes[k - 1] = 2;  // one case of k victims at each of the two institutions
  EXPECT_EQ(o.victims_per_case, sizes);
  const std::size_t nd = std::size_t(o.departments);
  std::int64_t files = 0;
  for (std::size_t c = 0; c < o.case_files.size(); ++c) {
    files += o.case_files[c];
    if (o.case_files[c]) {
      EXPECT_EQ(c % nd, 2u) << "department of record";
    }
  }
  EXPECT_EQ(files, 2);
  // Spread 40 days apart (beyond the 30-day window): 2k cases of one victim each.
  for (int j = 0; j < k; ++j) r.victims[std::size_t(j)].day = 100 + 40 * j;
  o = observe(sc, r, Rng(3, 0));
  sizes.assign(kCaseSizes, 0);
  sizes[0] = 2 * k;
  EXPECT_EQ(o.victims_per_case, sizes);
  // Another recruiter's victims never join the case.
  for (int j = 0; j < k; ++j)
    r.victims[std::size_t(j)].day = 100, r.victims[std::size_t(j)].recruiter = RecruiterId(j % 2);
  o = observe(sc, r, Rng(3, 0));
  sizes.assign(kCaseSizes, 0);
  sizes[2] = 2, sizes[1] = 2;  // recruiter 0: 3 victims, recruiter 1: 2 victims
  EXPECT_EQ(o.victims_per_case, sizes);
}

// 8a. Recording trend: the chance of a record on day t is detect x exp(trend x min(t / 365.25,
// trend years)). Adult men recorded on the day they are recruited (delay ~0), in cohorts on days
// 0, 365 and 731 (2019, 2020, 2021), with a trend of log(1/2) held after one year: the expected
// records of the second and third cohorts are (about) half the first's, to rounding; the drawn
// ones agree within 4 standard deviations.
TEST(ObservationTrend, RecordingTrendScalesTheChanceOfARecordByTheDayOfRecord) {
  Scenario sc = perfect_detection();
  sc.observation.delay_days = 1e-3;
  for (auto& d : sc.observation.detect) d = 0.8;
  sc.observation.recording_trend = std::log(0.5);
  sc.observation.recording_trend_years = 1;
  ReplicateResult r;
  r.days = sc.days;
  r.departments = sc.department_count();
  constexpr int kPerCohort = 400;
  const int cohort_day[3] = {0, 365, 731};
  PersonId person = 0;
  for (int c = 0; c < 3; ++c)
    for (int j = 0; j < kPerCohort; ++j, ++person)
      r.victims.push_back({person, RecruiterId(person), cohort_day[c], 0, 0, 0, 0, 2, int(AgeGroup::Adult), 1, 0, 2});
  ASSERT_GT(sc.days, 731);
  const Observed o = observe(sc, r, Rng(9, 0));
  const std::size_t nd = std::size_t(o.departments);
  const auto in_year = [&](const std::vector<double>& v, std::size_t y) {
    double n = 0;
    for (std::size_t d = 0; d < nd; ++d) n += v[(y * kInstitutions + 0) * nd + d];  // prosecutor (no referral here)
    return n;
  };
  const auto drawn_in_year = [&](std::size_t y) {
    std::int64_t n = 0;
    for (std::size_t d = 0; d < nd; ++d)
      for (int c = 0; c < kSexRecorded * kAgeGroups; ++c)
        n += o.recorded_cases[((y * kInstitutions + 0) * nd + d) * kSexRecorded * kAgeGroups + std::size_t(c)];
    return n;
  };
  // Day 365 is 0.9993 years in: a factor just above 1/2; day 731 is past the year, held at 1/2.
  const double p[3] = {0.8, 0.8 * std::exp(std::log(0.5) * 365 / 365.25), 0.4};
  for (std::size_t y = 0; y < 3; ++y) {
    // A delay of 1e-3 days rounds down to the day of recruitment, so each cohort falls in its year.
    EXPECT_NEAR(in_year(o.expected_cases, y), kPerCohort * p[y], 1e-9) << "year " << y;
    const double sd = std::sqrt(kPerCohort * p[y] * (1 - p[y]));
    EXPECT_NEAR(double(drawn_in_year(y)), kPerCohort * p[y], 4 * sd + 1) << "year " << y;
  }
}

std::int64_t total_files(const Observed& o) {
  return std::accumulate(o.case_files.begin(), o.case_files.end(), std::int64_t(0));
}
double total_expected_files(const Observed& o) {
  return std::accumulate(o.expected_case_files.begin(), o.expected_case_files.end(), 0.0);
}

// 8b. Expected cases (what calibration compares with tables that count proceedings). A recruiter's
// only victim opens a case exactly when recorded, so with one victim per recruiter expected cases
// equal expected recorded victims cell by cell; k victims recorded together give one case per
// institution in every realisation.
TEST(ObservationCases, ExpectedCasesOfLoneVictimsAreTheirExpectedRecordsAndAGroupIsOneCase) {
  Scenario sc = perfect_detection();
  sc.observation.delay_days = 60;
  for (auto& d : sc.observation.detect) d = 0.4;
  ReplicateResult r;
  r.days = sc.days;
  r.departments = sc.department_count();
  for (int j = 0; j < 40; ++j)  // one victim each, girls and women, several departments and days
    r.victims.push_back({PersonId(j), RecruiterId(j), 30 * j, 0, 0, 0, 0, std::uint8_t(j % 3),
                         std::uint8_t(j % 2 ? AgeGroup::Adolescent : AgeGroup::YoungAdult), 0, 0, std::uint8_t(j % 3)});
  Observed o = observe(sc, r, Rng(5, 0));
  ASSERT_GT(total_expected_files(o), 10.0);
  EXPECT_EQ(o.expected_case_files, o.expected_cases);

  sc.observation.delay_days = 1e-3;
  for (auto& d : sc.observation.detect) d = 1.0;
  r.victims.clear();
  for (int j = 0; j < 5; ++j) r.victims.push_back({PersonId(j), 7, 100, 0, 0, 0, 0, 2, int(AgeGroup::Adult), 1, 0, 2});
  o = observe(sc, r, Rng(5, 0));
  EXPECT_DOUBLE_EQ(total_expected_files(o), 2.0);  // prosecutor and police, one case each
  EXPECT_DOUBLE_EQ(std::accumulate(o.expected_cases.begin(), o.expected_cases.end(), 0.0), 10.0);
}

// 8c. Statistical: expected cases are the mean of the drawn cases. Recruiters with 1-4 victims
// recruited weeks apart, detection 0.5, delays of 60 days around a 90-day case window, so
// grouping is partial. Mean of the drawn totals over 400 seeds vs the mean of the expected totals;
// tolerance 4 standard errors of the drawn mean (the expected one averages 64 x 400 realisations).
TEST(ObservationCases, ExpectedCasesAreTheMeanOfDrawnCases) {
  Scenario sc = perfect_detection();
  sc.observation.delay_days = 60;
  sc.observation.case_window_days = 90;
  for (auto& d : sc.observation.detect) d = 0.5;
  ReplicateResult r;
  r.days = sc.days;
  r.departments = sc.department_count();
  PersonId person = 0;
  for (int rec = 0; rec < 30; ++rec)
    for (int j = 0; j <= rec % 4; ++j, ++person)
      r.victims.push_back({person, RecruiterId(rec), 40 * rec + 25 * j, 0, 0, 0, 0, std::uint8_t(rec % 4),
                           std::uint8_t(rec % 3 ? AgeGroup::Adult : AgeGroup::Adolescent), std::uint8_t(j % 2), 0,
                           std::uint8_t(rec % 4)});
  constexpr int kSeeds = 400;
  double drawn = 0, drawn_sq = 0, expected = 0;
  for (std::uint32_t seed = 1; seed <= kSeeds; ++seed) {
    const Observed o = observe(sc, r, Rng(seed, 0));
    const double n = double(total_files(o));
    drawn += n, drawn_sq += n * n, expected += total_expected_files(o);
  }
  drawn /= kSeeds, expected /= kSeeds;
  const double se = std::sqrt((drawn_sq / kSeeds - drawn * drawn) / kSeeds);
  ASSERT_GT(drawn, 20.0);
  EXPECT_NEAR(expected, drawn, 4 * se) << "standard error " << se;
  // And grouping matters here: fewer cases than records.
  const Observed o = observe(sc, r, Rng(1, 0));
  EXPECT_LT(total_expected_files(o), std::accumulate(o.expected_cases.begin(), o.expected_cases.end(), 0.0) * 0.95);
}

}  // namespace
}  // namespace redes

namespace redes {
namespace {
// Rescue abroad uses the international-cooperation factor, not the home department's capacity:
// with every victim exploited abroad, no rescue at factor 0 and rescues at factor 1.
TEST(RescueAbroad, UsesInternationalCooperation) {
  Scenario sc = perfect_detection();
  for (auto& d : sc.offer.destination) d = {0, 0, 1, 0, 0, 0, 0};
  sc.enforcement.rescue_base = 0.05;
  const Population pop = build_population(sc, 5);
  const Network net = build_network(sc, pop, 5);
  auto rescued = [&](double factor) {
    sc.enforcement.international_cooperation = factor;
    const ReplicateResult r = Simulation(sc, pop, net).run(5, 0);
    std::int64_t n = 0;
    for (const Event& e : r.events) n += e.to == std::uint8_t(Stage::Rescued);
    for (const Victim& v : r.victims) EXPECT_EQ(v.place, kAbroad);
    return std::pair{n, r.victims.size()};
  };
  const auto [none, victims] = rescued(0.0);
  ASSERT_GT(victims, 50u);
  EXPECT_EQ(none, 0);
  EXPECT_GT(rescued(1.0).first, std::int64_t(victims / 4));  // 5% a day over months of exploitation
}
}  // namespace
}  // namespace redes
