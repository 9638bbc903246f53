#include "sim/observation/observation.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

namespace redes {

namespace {
// Sub-stream of the specialised units' draw (institutions use 0..kInstitutions - 1, abroad kInstitutions).
constexpr std::uint16_t kSpecialisedSub = kInstitutions + 1;

/// Institutions that handle a victim's kind of case.
bool handles(int inst, const Victim& v) {
  const bool minor = v.age_group <= int(AgeGroup::Adolescent);
  if (inst == 2) return minor;                    // childhood ministry: minors
  if (inst == 3) return !minor && v.gender == 0;  // women's ministry: adult women
  return true;
}
}  // namespace

Observed observe(const Scenario& sc, const ReplicateResult& run, const Rng& rng) {
  const auto& ob = sc.observation;
  Observed out;
  const int first_year = sc.start_year;
  out.years = sc.year_of_day(sc.days - 1) - first_year + 1;
  out.departments = sc.department_count();
  const std::size_t Y = std::size_t(out.years), nd = std::size_t(out.departments);
  out.recorded_cases.assign(Y * kInstitutions * nd * kSexRecorded * kAgeGroups, 0);
  out.recorded_by_origin.assign(Y * kInstitutions * nd, 0);
  out.recorded_ict.assign(Y * kInstitutions, 0);
  out.recorded_victims.assign(Y, 0);
  out.true_victims.assign(Y, 0);
  out.recorded_platform.assign(std::size_t(kInstitutions) * kPlatforms, 0);
  out.case_files.assign(Y * kInstitutions * nd, 0);
  out.victims_per_case.assign(kCaseSizes, 0);
  out.expected_cases.assign(Y * kInstitutions * nd, 0.0);
  out.expected_case_files.assign(Y * kInstitutions * nd, 0.0);
  out.recorded_profile.assign(std::size_t(kAgeGroups) * kGenders, 0);
  out.expected_female.assign(Y * kInstitutions, 0.0);
  out.expected_ict.assign(Y * kInstitutions, 0.0);
  out.expected_platform.assign(std::size_t(kInstitutions) * kPlatforms, 0.0);
  out.expected_minor.assign(Y * kInstitutions, 0.0);
  out.expected_route.assign(std::size_t(kInstitutions) * kRoutes, 0.0);
  out.expected_close_bond.assign(kInstitutions, 0.0);
  // Year index of each window day, computed once (year_of_day parses the start date; the expected
  // counts ask for it once per victim, institution and day).
  std::vector<std::uint16_t> year_index(std::size_t(std::max(sc.days, 1)));
  for (int d = 0; d < sc.days; ++d) year_index[std::size_t(d)] = std::uint16_t(sc.year_of_day(d) - first_year);
  const auto year_of = [&](int day) { return std::size_t(year_index[std::size_t(day)]); };
  const std::size_t days = std::size_t(std::max(sc.days, 1));
  // Recording trend of each institution and window day: the common trend plus the institution's own
  // (exactly 1 when both are 0, so such runs are unchanged).
  std::vector<double> trend(std::size_t(kInstitutions) * days);
  for (int inst = 0; inst < kInstitutions; ++inst)
    for (int d = 0; d < sc.days; ++d)
      trend[std::size_t(inst) * days + std::size_t(d)] =
          std::exp((ob.recording_trend + ob.institution_trend[std::size_t(inst)]) *
                   std::min(d / 365.25, ob.recording_trend_years));
  // Multiplier of each institution's chance of a record of a victim found abroad, by day (empty
  // without identification waves).
  std::vector<double> abroad_wave;
  if (!ob.identification_waves.empty()) {
    abroad_wave.assign(std::size_t(kInstitutions) * days, 1.0);
    for (const auto& w : ob.identification_waves)
      for (int inst = 0; inst < kInstitutions; ++inst)
        for (int d = std::max(w.start_day, 0); d <= std::min(w.end_day, sc.days - 1); ++d)
          abroad_wave[std::size_t(inst) * days + std::size_t(d)] *= w.abroad_factor[std::size_t(inst)];
  }
  // An institution's own chance of a record made on `day` in department `dep`, before the victim's
  // multipliers: the modifiers in effect that day (reporting channels, investigative capacity,
  // platform cooperation) where the case is handled. A record from a border check (`checked`) needs
  // no complaint, so the recording trend does not apply to it.
  const auto own_raw = [&](int inst, int dep, int platform, int day, bool checked) {
    const std::size_t dd = std::size_t(day) * nd + std::size_t(dep);
    const double reporting = run.reporting_add.empty() ? 0.0 : run.reporting_add[dd];
    const double capacity = inst <= 1 && !run.enforcement_mult.empty() ? run.enforcement_mult[dd] : 1.0;
    double coop = 1.0;
    if (platform != kOffline) {
      const double add =
          run.cooperation_add.empty() ? 0.0 : run.cooperation_add[std::size_t(day) * kPlatforms + platform];
      coop = std::clamp(sc.platforms[platform].cooperation + add, 0.0, 1.0);
    }
    const double trend_now = checked ? 1.0 : trend[std::size_t(inst) * days + std::size_t(day)];
    return ob.detect[inst] * trend_now * ob.presence[dep][inst] * (1 + reporting) * capacity * coop * (1 - ob.fear);
  };
  // own_raw on every day for each (institution, department, platform) asked for, computed once: the
  // expected counts ask for it for every victim on every day after its recruitment.
  std::vector<std::vector<double>> raw_by_day(std::size_t(kInstitutions) * nd * kPlatforms * 2);
  const auto raw_days = [&](int inst, int dep, int platform, bool checked) -> const std::vector<double>& {
    auto& t = raw_by_day[((std::size_t(inst) * nd + std::size_t(dep)) * kPlatforms + std::size_t(platform)) * 2 +
                         std::size_t(checked)];
    if (t.empty()) {
      t.resize(days);
      for (int day = 0; day < sc.days; ++day) t[std::size_t(day)] = own_raw(inst, dep, platform, day, checked);
    }
    return t;
  };
  // One victim's chance of a record by one institution in one department, day by day: the raw chance
  // times the victim's multipliers (exploitation type; identification waves if found abroad). The
  // prosecutor directs trafficking investigations, so a case the police would record reaches it by
  // referral (police_referral) besides its own complaints: 1 - (1 - own)(1 - referral x police).
  // Marginal per institution: the two institutions' draws stay independent, so the overlap of their
  // records (distinct victims) is not modelled; the counts each institution records are.
  struct Chance {
    const std::vector<double>* own;
    const std::vector<double>* police;  // the prosecutor's referrals, else null
    const double* own_wave;             // per day, victims abroad in identification waves, else null
    const double* police_wave;
    double factor, referral;
    double operator()(std::size_t day) const {
      const double own_factor = own_wave ? factor * own_wave[day] : factor;
      const double p = std::clamp((*own)[day] * own_factor, 0.0, 1.0);
      if (!police) return p;
      const double police_factor = police_wave ? factor * police_wave[day] : factor;
      return 1 - (1 - p) * (1 - referral * std::clamp((*police)[day] * police_factor, 0.0, 1.0));
    }
  };
  const auto chance = [&](int inst, int dep, bool checked, const Victim& v) {
    const bool waves = v.place == kAbroad && !abroad_wave.empty();
    const bool referred = inst == 0 && ob.police_referral > 0;
    return Chance{&raw_days(inst, dep, v.platform, checked),
                  referred ? &raw_days(1, dep, v.platform, checked) : nullptr,
                  waves ? abroad_wave.data() + std::size_t(inst) * days : nullptr,
                  waves ? abroad_wave.data() + days : nullptr,
                  ob.exploitation_detect[v.exploitation],
                  ob.police_referral};
  };
  // P(the delay's whole days == k) = q^k (1 - q) for an exponential delay truncated to days.
  const double q = std::exp(-1.0 / ob.delay_days);
  const int capital = 0;  // the first department of population.departments (Asuncion in the Paraguay pack)
  struct Record {
    int inst;
    RecruiterId recruiter;
    int day, dep;
  };
  struct Where {
    int dep;
    bool checked;  // recorded by a border check, not a complaint
  };
  // Department of record of a victim found abroad: the capital's central authorities
  // (abroad_capital_share), the border crossing where they are intercepted or return
  // (abroad_border_share, crossing drawn by border_crossing; from its checks with
  // border_check_share), else the home department. No draw for a check share of 0 or 1.
  const auto abroad_record_dep = [&](Draws& d, int home) {
    const double u = d.uniform();
    if (u < ob.abroad_capital_share) return Where{capital, false};
    if (u >= ob.abroad_capital_share + ob.abroad_border_share) return Where{home, false};
    double c = d.uniform();
    int crossing = home;
    for (std::size_t k = 0; k < ob.border_crossing.size(); ++k) {
      if (ob.border_crossing[k] <= 0) continue;
      crossing = int(k);
      if (c < ob.border_crossing[k]) break;
      c -= ob.border_crossing[k];
    }
    const double s = ob.border_check_share;
    return Where{crossing, s >= 1 || (s > 0 && d.uniform() < s)};
  };
  // A domestic case the prosecutor's specialised units in the capital may take over: found outside
  // the capital, in a department without a unit of its own.
  const auto may_go_to_capital = [&](int inst, const Victim& v) {
    return inst == 0 && ob.specialised_share > 0 && v.place != kAbroad && v.place != capital &&
           !(ob.specialised_units[std::size_t(v.place)] > 0);
  };
  // Department that counts a record made in `dep`: the capital for the cases the specialised units
  // take over (drawn by `d`, only for cases they may take); detection stays that of `dep`.
  const auto counted_in = [&](int inst, const Victim& v, int dep, Draws&& d) {
    return may_go_to_capital(inst, v) && d.uniform() < ob.specialised_share ? capital : dep;
  };
  struct Place {
    int detected, counted;  // department whose detection chance applies; department that counts the record
    double weight;
    bool checked;  // by a border check
  };
  std::vector<Place> places;  // possible departments of record of the current victim and institution
  std::vector<Record> records;
  // Victims per (institution, recruiter), for the expected case counts: a group of one is exact.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> groups;  // (institution << 32 | recruiter, victim)
  for (std::size_t i = 0; i < run.victims.size(); ++i)
    for (int inst = 0; inst < kInstitutions; ++inst)
      if (handles(inst, run.victims[i]))
        groups.push_back({std::uint64_t(inst) << 32 | run.victims[i].recruiter, std::uint32_t(i)});
  std::sort(groups.begin(), groups.end());
  std::vector<std::pair<std::size_t, std::size_t>> spans;  // [begin, end) of each group in `groups`
  for (std::size_t k = 0; k < groups.size();) {
    std::size_t end = k + 1;
    while (end < groups.size() && groups[end].first == groups[k].first) ++end;
    spans.push_back({k, end});
    k = end;
  }
  std::vector<std::uint8_t> alone(run.victims.size() * kInstitutions, 0);  // [victim][institution]
  for (const auto& [k, end] : spans)
    if (end - k == 1) alone[std::size_t(groups[k].second) * kInstitutions + (groups[k].first >> 32)] = 1;
  std::int64_t total_true = 0, total_recorded = 0;
  for (std::size_t vi = 0; vi < run.victims.size(); ++vi) {
    const Victim& v = run.victims[vi];
    // Warm-up victims (day < 0) can be recorded inside the window but are not victims of the period.
    if (v.day >= 0) {
      ++out.true_victims[year_of(v.day)];
      ++total_true;
    }
    const bool ict = v.platform != kOffline;
    // Department of record: where the victim is found; from abroad, see abroad_record_dep.
    Where record{v.place, false};
    if (v.place == kAbroad) {
      Draws where(rng, v.person, 0, Stream::Recording, std::uint16_t(kInstitutions));
      record = abroad_record_dep(where, v.department);
    }
    int first_day = std::numeric_limits<int>::max();
    for (int inst = 0; inst < kInstitutions; ++inst) {
      if (!handles(inst, v)) continue;
      // Possible departments of record with their weights: several for a victim found abroad, or a
      // case the specialised units may take over.
      places.clear();
      if (v.place == kAbroad) {
        places.push_back({capital, capital, ob.abroad_capital_share, false});
        places.push_back({v.department, v.department, 1 - ob.abroad_capital_share - ob.abroad_border_share, false});
        for (std::size_t k = 0; k < ob.border_crossing.size(); ++k)
          if (ob.border_crossing[k] > 0) {
            const double w = ob.abroad_border_share * ob.border_crossing[k];
            places.push_back({int(k), int(k), w * ob.border_check_share, true});
            places.push_back({int(k), int(k), w * (1 - ob.border_check_share), false});
          }
      } else if (may_go_to_capital(inst, v)) {
        places.push_back({v.place, v.place, 1 - ob.specialised_share, false});
        places.push_back({v.place, capital, ob.specialised_share, false});
      } else {
        places.push_back({v.place, v.place, 1.0, false});
      }
      // Expected records by year: sum over record days of P(delay lands there) x p(that day).
      for (const auto& [detected, dep, weight, checked] : places) {
        if (weight <= 0) continue;
        const int from = std::max(0, v.day);
        const Chance p = chance(inst, detected, checked, v);
        double w = (1 - q) * std::pow(q, double(from - v.day));
        for (int day = from; day < sc.days && w > 1e-15; ++day, w *= q) {
          const double in_day = weight * w * p(std::size_t(day));
          if (in_day <= 0) continue;
          const std::size_t y = year_of(day);
          out.expected_cases[(y * kInstitutions + inst) * nd + dep] += in_day;
          if (alone[vi * kInstitutions + std::size_t(inst)])
            out.expected_case_files[(y * kInstitutions + inst) * nd + dep] += in_day;
          out.expected_female[y * kInstitutions + inst] += v.gender == 0 ? in_day * (1 - ob.p_sex_missing) : 0.0;
          out.expected_ict[y * kInstitutions + inst] += ict ? in_day * ob.p_ict_recorded : 0.0;
          out.expected_platform[std::size_t(inst) * kPlatforms + v.platform] += in_day;
          out.expected_minor[y * kInstitutions + inst] += v.age_group <= int(AgeGroup::Adolescent) ? in_day : 0.0;
          out.expected_route[std::size_t(inst) * kRoutes + v.route] += in_day;
          out.expected_close_bond[std::size_t(inst)] += in_day * ob.recorded_as_close_bond[v.route];
        }
      }
      // Recorded at all with probability p(record day), after an exponential delay drawn first.
      // (A constant hazard would record every victim eventually and make counts climb year after year.)
      Draws d(rng, v.person, 0, Stream::Detection, std::uint16_t(inst));
      const int day = v.day + int(d.exponential(1.0 / ob.delay_days));
      const double u = d.uniform();
      if (day >= sc.days || day < 0) continue;
      if (!(u < chance(inst, record.dep, record.checked, v)(std::size_t(day)))) continue;
      first_day = std::min(first_day, day);
      const std::size_t y = year_of(day);
      // Its own stream, so runs without specialised units draw exactly what they drew before.
      const int counted = counted_in(inst, v, record.dep, Draws(rng, v.person, 0, Stream::Recording, kSpecialisedSub));
      Draws rec(rng, v.person, 0, Stream::Recording, std::uint16_t(inst));
      const int sex = rec.uniform() < ob.p_sex_missing ? 2 : v.gender;
      ++out.recorded_cases[(((y * kInstitutions + inst) * nd + counted) * kSexRecorded + sex) * kAgeGroups +
                           v.age_group];
      ++out.recorded_by_origin[(y * kInstitutions + inst) * nd + v.department];
      if (ict && rec.uniform() < ob.p_ict_recorded) ++out.recorded_ict[y * kInstitutions + inst];
      ++out.recorded_platform[std::size_t(inst) * kPlatforms + v.platform];
      records.push_back({inst, v.recruiter, day, counted});
    }
    if (first_day != std::numeric_limits<int>::max()) {
      ++out.recorded_victims[year_of(first_day)];
      ++out.recorded_profile[std::size_t(v.age_group) * kGenders + v.gender];
      ++total_recorded;
    }
  }
  // Cases: a case opens at a recruiter's first record by an institution and takes in that
  // recruiter's victims recorded by the same institution within case_window_days of the opening.
  // Sorted, so the grouping does not depend on the victims' order.
  std::sort(records.begin(), records.end(), [](const Record& a, const Record& b) {
    return std::tie(a.inst, a.recruiter, a.day, a.dep) < std::tie(b.inst, b.recruiter, b.day, b.dep);
  });
  for (std::size_t k = 0; k < records.size();) {
    const Record& open = records[k];
    std::size_t end = k + 1;
    while (end < records.size() && records[end].inst == open.inst && records[end].recruiter == open.recruiter &&
           records[end].day - open.day <= ob.case_window_days)
      ++end;
    ++out.case_files[(year_of(open.day) * kInstitutions + std::size_t(open.inst)) * nd + std::size_t(open.dep)];
    ++out.victims_per_case[std::min<std::size_t>(end - k, kCaseSizes) - 1];
    k = end;
  }
  // Expected cases of groups of two or more: the grouping above, averaged over independent
  // realisations of each victim's department of record, delay and detection.
  std::vector<std::pair<int, int>> trial;  // (record day, department of record)
  for (const auto& [k, end] : spans) {
    if (end - k == 1) continue;  // counted exactly above
    const int inst = int(groups[k].first >> 32);
    for (int m = 0; m < kCaseRealisations; ++m) {
      trial.clear();
      for (std::size_t g = k; g < end; ++g) {
        const Victim& v = run.victims[groups[g].second];
        Draws d(rng, v.person, std::uint32_t(m), Stream::CaseGrouping, std::uint16_t(inst));
        const Where at = v.place == kAbroad ? abroad_record_dep(d, v.department) : Where{v.place, false};
        const int day = v.day + int(d.exponential(1.0 / ob.delay_days));
        if (day < sc.days && day >= 0 && d.uniform() < chance(inst, at.dep, at.checked, v)(std::size_t(day))) {
          trial.push_back(
              {day, counted_in(inst, v, at.dep,
                               Draws(rng, v.person, std::uint32_t(m), Stream::CaseGrouping, kSpecialisedSub))});
        }
      }
      std::sort(trial.begin(), trial.end());
      for (std::size_t t = 0; t < trial.size();) {
        const auto [open_day, open_dep] = trial[t];
        out.expected_case_files[(year_of(open_day) * kInstitutions + std::size_t(inst)) * nd + std::size_t(open_dep)] +=
            1.0 / kCaseRealisations;
        while (t < trial.size() && trial[t].first - open_day <= ob.case_window_days) ++t;
      }
    }
  }
  out.hidden_ratio =
      total_recorded > 0 ? double(total_true) / double(total_recorded) : std::numeric_limits<double>::quiet_NaN();
  return out;
}

}  // namespace redes
