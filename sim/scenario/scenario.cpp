// Reads a composed scenario tree into the immutable Scenario. Each accessor call declares the
// key's type, range and doc; the declarations form the key catalogue that scenarios/README.md
// is checked against. Over 500 lines: every section reader shares the one Reader and its ranges,
// so a key's type, range and doc live next to the line that reads it.
#include "sim/scenario/scenario.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <numeric>

#include "sim/interventions/intervention.hpp"  // parsed at load
#include "sim/scenario/reader.hpp"

namespace redes {
namespace {

using io::Range;
using io::Reader;

const std::vector<std::string> kAgeGroupList = to_strings(kAgeGroupNames);

template <std::size_t N>
std::array<double, N> fixed(const std::vector<double>& v) {
  std::array<double, N> out{};
  for (std::size_t i = 0; i < N && i < v.size(); ++i) out[i] = v[i];
  return out;
}

std::array<double, kAgeGroups> by_age(Reader& r, std::string_view key, Range range, std::string_view doc) {
  return fixed<kAgeGroups>(r.numbers(key, range, kAgeGroups, doc));
}

void require_sum_one(Reader& r, std::string_view key, const std::vector<double>& v) {
  double s = std::accumulate(v.begin(), v.end(), 0.0);
  if (std::abs(s - 1.0) > 1e-3) r.fail(key, "shares must add up to 1 (they add up to " + std::to_string(s) + ")");
}

int platform_index(const std::string& name) {
  for (int p = 0; p < kPlatforms; ++p)
    if (kPlatformNames[p] == name) return p;
  return -1;
}

void read_population(Reader r, Scenario& s) {
  auto& p = s.population;
  p.size = r.integer("size", {10, 2e8, false, "an integer in [10, 200000000]"}, "number of synthetic persons");
  p.represents =
      r.number("represents", double(p.size), Range::positive(),
               "real people the synthetic persons stand for; counts scale by represents/size (default: size)");
  p.departments = r.strings("departments", {}, "department names; fixes the order of every per-department list");
  if (p.departments.empty()) r.fail("departments", "at least one department is needed");
  const std::size_t nd = p.departments.size();
  p.department_share = r.numbers("department_share", Range::unit(), nd, "share of the population per department");
  require_sum_one(r, "department_share", p.department_share);
  p.urban_share = r.numbers("urban_share", Range::unit(), nd, "share living in urban areas, per department");
  p.poverty_rate = r.numbers("poverty_rate", Range::unit(), nd, "share of persons in monetary poverty, per department");
  p.poverty_urban_factor =
      r.number("poverty_urban_factor", Range::non_negative(), "poverty rate multiplier in urban areas");
  p.poverty_rural_factor =
      r.number("poverty_rural_factor", Range::non_negative(), "poverty rate multiplier in rural areas");
  p.female_share = r.number("female_share", Range::unit(), "share of women and girls");
  auto bands = r.list("age_bands", true, "age pyramid: list of {from, to, share}");
  double total = 0;
  int next = 0;
  for (auto& b : bands) {
    AgeBand band;
    band.lo = int(b.integer("from", {0, 110, false, "an age in years"}, "first age of the band (years)"));
    band.hi = int(b.integer("to", {0, 110, false, "an age in years"}, "last age of the band (years, inclusive)"));
    band.share = b.number("share", Range::unit(), "share of the population in the band");
    if (band.lo != next || band.hi < band.lo) b.fail("from", "age bands must be contiguous and ordered, starting at 0");
    next = band.hi + 1;
    total += band.share;
    b.finish();
    p.age_bands.push_back(band);
  }
  if (std::abs(total - 1.0) > 1e-3)
    r.fail("age_bands", "band shares must add up to 1 (they add up to " + std::to_string(total) + ")");
  p.mean_household_size =
      r.number("mean_household_size", {1, 20, false, "a number in [1, 20]"}, "mean persons per household");

  auto a = r.section("attributes", "how person attributes are drawn");
  p.attribute_spread =
      a.number("spread", 0.8, Range::non_negative(), "sd of the logit-normal noise of [0,1] attributes");
  p.family_conflict_mean =
      a.number("family_conflict_median", Range::unit(), "median family conflict / weak family ties");
  p.family_conflict_poverty_corr = a.number("family_conflict_poverty_corr", {-1, 1, false, "a correlation in [-1, 1]"},
                                            "correlation of family conflict with poverty");
  p.device_access =
      by_age(a, "device_access", Range::probability(), "probability of own device and internet, urban, by age group");
  p.device_rural_factor = a.number("device_rural_factor", Range::unit(), "device access multiplier in rural areas");
  p.device_poverty_factor =
      a.number("device_poverty_factor", Range::unit(), "device access multiplier for poor households");
  p.screen_hours = by_age(a, "screen_hours", {0, 24, false, "hours in [0, 24]"},
                          "mean daily screen time of device users (hours), by age group");
  p.privacy_exposure =
      by_age(a, "privacy_exposure", Range::unit(), "median share of life made public online, by age group");
  p.digital_literacy =
      by_age(a, "digital_literacy", Range::unit(), "median digital literacy (urban, not poor), by age group");
  p.literacy_rural_penalty = a.number("literacy_rural_penalty", Range::unit(), "literacy lost in rural areas");
  p.literacy_poverty_penalty = a.number("literacy_poverty_penalty", Range::unit(), "literacy lost with poverty");
  p.awareness_mean = a.number("awareness_median", Range::unit(), "median awareness of trafficking and its signs");
  p.supervision_child = a.number("supervision_child", Range::unit(), "median parental supervision of children (<13)");
  p.supervision_adolescent =
      a.number("supervision_adolescent", Range::unit(), "median parental supervision of adolescents");
  p.supervision_conflict_penalty =
      a.number("supervision_conflict_penalty", Range::unit(), "supervision lost with family conflict");
  p.job_seeking_base = a.number("job_seeking_base", Range::unit(), "job seeking at ages 15-64 without poverty");
  p.job_seeking_poverty = a.number("job_seeking_poverty", Range::unit(), "extra job seeking with full poverty");
  p.migration_wish_base =
      a.number("migration_wish_base", Range::unit(), "wish to migrate at ages 15-39 without poverty");
  p.migration_wish_poverty =
      a.number("migration_wish_poverty", Range::unit(), "extra wish to migrate with full poverty");
  a.finish();
  r.finish();
}

void read_platform(Reader pr, PlatformParams& p) {
  p.enabled = true;
  p.use =
      by_age(pr, "use", Range::probability(), "probability of using the platform among device owners, by age group");
  p.moderation =
      pr.number("moderation", Range::probability(), "daily probability that an ad or fake profile is removed");
  p.cooperation = pr.number("cooperation", Range::unit(), "cooperation with investigators [0,1]");
  std::vector<std::string> channels(kPlatformNames.begin() + 1, kPlatformNames.end());
  p.private_channel =
      platform_index(pr.choice("private_channel", channels, "whatsapp", "platform conversations move to"));
  p.image_sharing = pr.boolean("image_sharing", false, "images are exchanged (sextortion possible)");
  p.mean_degree = pr.number("mean_degree", Range::non_negative(), "mean ties per user in this layer");
  p.degree_tail = pr.number("degree_tail", 2.5, {2.05, 10, false, "an exponent in [2.05, 10]"},
                            "Pareto exponent of expected degree (smaller = heavier tail)");
  p.same_department = pr.number("same_department", 0.8, Range::unit(), "share of ties inside the department");
  p.edge_list =
      pr.string("edge_list", "", "CSV of person index pairs replacing the generator (relative to the scenario)");
  p.shock_only = pr.boolean("shock_only", false, "the layer is used only while a shock with classroom_layer is on");
  pr.finish();
}

void read_network(Reader r, Scenario& s) {
  auto& n = s.network;
  auto sw = r.section("school_work", "school and work ties (homophilous block model by department x age group)");
  n.school_work_degree = sw.number("mean_degree", Range::non_negative(), "mean ties per person");
  n.school_work_same_age = sw.number("same_age_group", Range::unit(), "share of ties within the same age group");
  n.school_work_cross_department =
      sw.number("cross_department", Range::unit(), "share of ties to other departments (migration links)");
  n.school_work_edge_list = sw.string("edge_list", "", "CSV replacing the generator");
  sw.finish();
  auto nb = r.section("neighbourhood", "neighbourhood ties (small world within department and urban/rural)");
  n.neighbourhood_degree =
      int(nb.integer("degree", {0, 100, false, "an even integer in [0, 100]"}, "ring degree before rewiring"));
  if (n.neighbourhood_degree % 2) nb.fail("degree", "must be even (ties to k/2 neighbours on each side)");
  n.neighbourhood_rewire =
      nb.number("rewire", Range::probability(), "probability a tie is rewired to a random person of the department");
  n.neighbourhood_edge_list = nb.string("edge_list", "", "CSV replacing the generator");
  nb.finish();
  if (auto hh = r.optional_section("household", "household ties")) {
    n.household_edge_list = hh->string("edge_list", "", "CSV replacing the household cliques");
    hh->finish();
  }
  r.finish();
}

std::array<double, kPlatforms> platform_weights(Reader& r, std::string_view key, std::string_view doc) {
  std::vector<std::string> names(kPlatformNames.begin() + 1, kPlatformNames.end());
  auto m = r.named_numbers(key, names, Range::non_negative(), true, doc);
  std::array<double, kPlatforms> out{};
  for (auto& [k, v] : m) out[platform_index(k)] = v;
  return out;
}

void read_recruitment(Reader r, Scenario& s) {
  const std::size_t nd = s.population.departments.size();
  auto rc = r.section("recruiters", "recruiters as abstract agents (rates and probabilities only)");
  auto& q = s.recruiters;
  q.per_100k = rc.number("per_100k", Range::non_negative(), "active recruiters per 100,000 persons");
  q.department_weight =
      rc.numbers("department_weight", Range::non_negative(), nd,
                 "relative recruiter density per head by department (a department's share is weight x population)");
  q.embedded_share =
      rc.number("embedded_share", Range::unit(), "share embedded in victims' offline circles (trusted contact)");
  q.hunting_share =
      rc.number("hunting_share", Range::unit(), "online recruiters: share of effort on hunting (rest fishing)");
  q.platform_mix = platform_weights(rc, "platform_mix", "online recruiters' relative effort per platform");
  q.capacity =
      int(rc.integer("capacity", {1, 1000, false, "an integer in [1, 1000]"}, "concurrent targets per recruiter"));
  q.local_share = rc.number("local_share", Range::unit(), "share of targets sought in the home department");
  q.replacement_days = rc.number("replacement_days", {0, 36500, true, "a number of days in (0, 36500]"},
                                 "mean days until an arrested recruiter is replaced (demand persists)");
  q.displacement = rc.boolean("displacement", false, "recruiters shift platforms away from moderation and cooperation");
  q.displacement_sensitivity =
      rc.number("displacement_sensitivity", 3.0, Range::non_negative(), "strength of the platform shift");
  {
    const auto ages =
        rc.numbers("victim_ages", {0, 120}, {0, 120, false, "an age in years in [0, 120]"}, 2,
                   "youngest and oldest age (years) any route can target; persons outside are never approached");
    if (ages[0] != std::floor(ages[0]) || ages[1] != std::floor(ages[1])) rc.fail("victim_ages", "give whole years");
    if (ages[0] > ages[1]) rc.fail("victim_ages", "the youngest age is above the oldest");
    q.victim_age_min = int(ages[0]), q.victim_age_max = int(ages[1]);
  }
  rc.finish();

  auto f = r.section("fishing", "fake job or modelling offers posted on platforms");
  s.fishing.ad_rate = f.number("ad_rate", {0, 100, false, "a number of ads per day in [0, 100]"},
                               "ads posted per fishing recruiter per day");
  s.fishing.ad_audience =
      f.number("ad_audience", {0, 1e7, false, "a number of users in [0, 1e7]"},
               "platform users in the ad's area a live ad reaches per day (expected; independent of population size)");
  s.fishing.share_prob =
      f.number("share_prob", Range::probability(), "probability a reached user passes the ad to each platform tie");
  s.fishing.respond_base = f.number("respond_base", Range::probability(), "response probability at full economic need");
  s.fishing.max_ad_days =
      f.number("max_ad_days", {0, 3650, true, "a number of days in (0, 3650]"}, "days an ad stays up if not removed");
  {
    // Sharing cascades are bounded by design (each person receives an ad by share at most once,
    // and at most kMaxLiveShares people hold shares of live ads at once). A supercritical cascade
    // (share_prob x a platform's mean degree >= 1) can reach every user of the platform, so refuse
    // a scenario whose live ads could then exceed that bound, rather than stop mid-run.
    double degree = 0;
    for (int p = 1; p < kPlatforms; ++p)
      if (s.platforms[p].enabled) degree = std::max(degree, s.platforms[p].mean_degree);
    const double recruiters = s.recruiters.per_100k * double(s.population.size) / 1e5;
    const double live_ads = recruiters * s.fishing.ad_rate * s.fishing.max_ad_days;
    if (s.fishing.share_prob * degree >= 1 && live_ads * double(s.population.size) > double(kMaxLiveShares))
      f.fail("share_prob", "sharing is supercritical (share_prob x mean platform degree = " +
                               std::to_string(s.fishing.share_prob * degree) + " >= 1) and up to " +
                               std::to_string(std::llround(live_ads)) + " live ads could each reach all " +
                               std::to_string(s.population.size) + " persons, over the bound of " +
                               std::to_string(kMaxLiveShares) +
                               " live shares; lower share_prob or the population size");
  }
  auto groups = f.strings("target_age_groups", kAgeGroupList, {"adolescent", "young_adult", "adult"},
                          "age groups the ads are aimed at");
  for (int a = 0; a < kAgeGroups; ++a)
    s.fishing.target_age[a] = std::find(groups.begin(), groups.end(), kAgeGroupNames[a]) != groups.end();
  f.finish();

  auto h = r.section("hunting", "recruiters choosing targets from what profiles show");
  s.hunting.browse_count = int(h.integer("browse_count", {1, 10000, false, "an integer in [1, 10000]"},
                                         "profiles browsed per day by a hunter with free capacity"));
  s.hunting.contacts_per_day = int(h.integer("contacts_per_day", {1, 100, false, "an integer in [1, 100]"},
                                             "contacts sent per day to the best-scoring profiles"));
  s.hunting.accept_base = h.number("accept_base", Range::probability(), "probability a contact is accepted");
  s.hunting.k_lit = h.number("k_lit", Range::unit(), "acceptance reduction by digital literacy");
  s.hunting.k_sup = h.number("k_sup", Range::unit(), "acceptance reduction by parental supervision");
  s.hunting.k_mutual = h.number("k_mutual", Range::non_negative(), "acceptance increase per shared tie");
  s.hunting.visibility_noise =
      h.number("visibility_noise", Range::non_negative(), "sd of noise in the vulnerability hunters see");
  h.finish();

  auto t = r.section("trusted_contact", "recruiters inside the victim's offline circle");
  s.trusted.approach_rate = t.number("approach_rate", Range::probability(),
                                     "daily probability an embedded recruiter approaches one of its ties");
  s.trusted.trust_start = t.number("trust_start", Range::unit(), "initial trust of a close tie");
  s.trusted.ict_share = t.number("ict_share", Range::probability(), "share of approaches that use a messaging app");
  s.trusted.choice = int(t.integer("choice", {1, 100, false, "an integer in [1, 100]"},
                                   "ties considered per approach; the most vulnerable is chosen"));
  t.finish();

  auto g = r.section("grooming", "trust building and recognition of warning signs");
  auto& gr = s.grooming;
  gr.grow_base = g.number("grow_base", Range::non_negative(), "daily trust growth");
  gr.k_conf = g.number("k_conf", Range::non_negative(), "growth increase with family conflict");
  gr.k_screen = g.number("k_screen", Range::non_negative(), "growth increase per daily screen hour");
  gr.trust_threshold = g.number("trust_threshold", Range::positive(),
                                "full trust (acceptance scales with trust / trust_threshold, capped at 1)");
  gr.rec_self =
      g.number("rec_self", Range::probability(), "daily recognition by the person at full literacy and awareness");
  gr.rec_parent =
      g.number("rec_parent", Range::probability(), "daily recognition by a parent at full supervision (minors)");
  gr.rec_peer = g.number("rec_peer", Range::probability(), "daily recognition by each aware tie");
  gr.report_prob =
      g.number("report_prob", Range::probability(), "probability a recognised attempt is reported to an institution");
  gr.image_prob =
      g.number("image_prob", Range::probability(), "daily probability images are obtained on image-sharing platforms");
  gr.offer_days = g.number("offer_days", Range::positive(), "mean days from groomed to the offer");
  gr.patience_min = g.number(
      "patience_min", 1.0, {0.0, 1.0, true, "a number in (0, 1]"},
      "least share of full trust at which a recruiter offers; each pipeline's share is uniform in [patience_min, 1]");
  gr.profile_removal = g.number("profile_removal", Range::unit(),
                                "daily removal of a recruiter's profile relative to the channel's moderation");
  g.finish();

  auto v = r.section("vulnerability", "V = logistic(b0 + b_pov*poverty + ... - b_lit*L - b_aw*A)");
  auto& vu = s.vulnerability;
  vu.b0 = v.number("b0", Range{}, "intercept");
  vu.b_pov = v.number("b_pov", Range{}, "poverty weight");
  vu.b_conf = v.number("b_conf", Range{}, "family conflict weight");
  vu.b_job = v.number("b_job", Range{}, "job seeking weight");
  vu.b_mig = v.number("b_mig", Range{}, "migration wish weight");
  vu.b_lit = v.number("b_lit", Range{}, "digital literacy weight (protective)");
  vu.b_aw = v.number("b_aw", Range{}, "awareness weight (protective)");
  vu.b_age = by_age(v, "b_age", Range{}, "age group weights");
  vu.b_gender = fixed<kGenders>(v.numbers("b_gender", Range{}, kGenders, "gender weights (female, male)"));
  vu.need_pov = v.number("need_pov", Range::non_negative(), "economic need: poverty weight");
  vu.need_job = v.number("need_job", Range::non_negative(), "economic need: job seeking weight");
  vu.need_mig = v.number("need_mig", Range::non_negative(), "economic need: migration wish weight");
  v.finish();

  auto o = r.section("offer", "offers, coercion and outcomes");
  auto& of = s.offer;
  of.accept = o.number("accept", Range::probability(), "offer acceptance scale (times trust and V)");
  of.k_aw = o.number("k_aw", Range::unit(), "acceptance reduction by awareness");
  of.job_share = o.number(
      "job_share", Range::probability(),
      "hunting and trusted contact: share of offers that are jobs (the rest romance); fishing offers are always jobs");
  of.coercion =
      o.number("coercion", Range::probability(), "probability a refusal turns into coercion when images were obtained");
  of.travel_debt =
      o.number("travel_debt", Range::probability(), "probability a refusal turns into travel-debt coercion");
  auto ex = o.section("exploitation", "exploitation type shares (sexual, labour, online_sexual) by gender");
  for (int gi = 0; gi < kGenders; ++gi) {
    auto vals = ex.numbers(kGenderNames[gi], Range::unit(), kExploitationTypes, "shares by type");
    require_sum_one(ex, kGenderNames[gi], vals);
    of.exploitation[gi] = fixed<kExploitationTypes>(vals);
  }
  of.minor_online_boost = fixed<kExploitationTypes>(ex.numbers("minor_boost", Range::non_negative(), kExploitationTypes,
                                                               "added to the shares for minors, then renormalised"));
  ex.finish();
  auto de = o.section(
      "destination",
      "destination shares by route (same_department, other_department, argentina, spain, brazil, chile, bolivia)");
  for (int ri = 0; ri < kRoutes; ++ri) {
    auto vals = de.numbers(kRouteNames[ri], Range::unit(), kDestinations, "shares by destination");
    require_sum_one(de, kRouteNames[ri], vals);
    of.destination[ri] = fixed<kDestinations>(vals);
  }
  de.finish();
  o.finish();

  auto e = r.section("enforcement", "arrests, rescues and escapes");
  auto& en = s.enforcement;
  en.arrest_base =
      e.number("arrest_base", Range::probability(), "daily arrest probability at capacity 1 and cooperation 1");
  en.k_reports = e.number("k_reports", Range::non_negative(), "arrest increase per report about the recruiter");
  en.capacity = e.numbers("capacity", Range::non_negative(), nd, "relative investigative capacity per department");
  en.rescue_base =
      e.number("rescue_base", Range::probability(), "daily rescue probability of an exploited person at capacity 1");
  en.escape_rate = e.number("escape_rate", Range::probability(), "daily escape probability");
  en.international_cooperation = e.number("international_cooperation", Range::non_negative(),
                                          "rescue of victims exploited abroad, relative to a department of capacity 1");
  e.finish();
  r.finish();
}

int day_of(Reader& r, std::string_view key, const std::chrono::sys_days& start) {
  std::string text = r.string(key, "date (YYYY-MM-DD)");
  const auto date = parse_iso_date(text);
  if (!date) r.fail(key, "expected a date YYYY-MM-DD, got '" + text + "'");
  return int((*date - start).count());
}

void read_observation(Reader r, Scenario& s, const std::chrono::sys_days& start) {
  auto& ob = s.observation;
  const std::size_t nd = s.population.departments.size();
  auto d = r.numbers(
      "detect", Range::probability(), kInstitutions,
      "probability an institution ever records a case it handles, at full presence, no fear, full cooperation");
  ob.detect = fixed<kInstitutions>(d);
  ob.presence.assign(nd, {});
  auto pr = r.section("presence", "territorial presence per department, per institution");
  for (int i = 0; i < kInstitutions; ++i) {
    auto v = pr.numbers(kInstitutionNames[i], Range::unit(), nd, "presence per department");
    for (std::size_t k = 0; k < nd; ++k) ob.presence[k][i] = v[k];
  }
  pr.finish();
  ob.fear = r.number("fear", Range::unit(), "victims' fear of reporting");
  ob.delay_days = r.number("delay_days", Range::positive(), "mean days from recruitment to the record (exponential)");
  ob.p_sex_missing = r.number("p_sex_missing", Range::probability(), "probability sex is not recorded");
  ob.p_ict_recorded = r.number("p_ict_recorded", Range::probability(), "probability the technology used is recorded");
  ob.abroad_capital_share = r.number("abroad_capital_share", Range::probability(),
                                     "victims found abroad: share recorded in the capital (the first department) by "
                                     "central authorities; the rest in their home department");
  ob.abroad_border_share = r.number("abroad_border_share", Range::probability(),
                                    "victims found abroad: share recorded at the border crossing where they are "
                                    "intercepted or return (department drawn by border_crossing)");
  if (ob.abroad_capital_share + ob.abroad_border_share > 1 + 1e-12)
    r.fail("abroad_border_share",
           "abroad_capital_share + abroad_border_share must not exceed 1 (the rest is recorded at home)");
  ob.border_crossing = r.numbers("border_crossing", Range::non_negative(), nd,
                                 "per department, relative weight of the border crossings of victims taken abroad "
                                 "(normalised; 0 where there is no crossing)");
  double crossing_total = 0;
  for (double w : ob.border_crossing) crossing_total += w;
  if (ob.abroad_border_share > 0 && !(crossing_total > 0))
    r.fail("border_crossing",
           "all weights are 0 but abroad_border_share is above 0: give at least one crossing department");
  for (double& w : ob.border_crossing) w = crossing_total > 0 ? w / crossing_total : 0.0;
  ob.border_check_share =
      r.number("border_check_share", Range::probability(),
               "share of the records made at a border crossing that come from the crossing's own checks rather "
               "than a complaint: recording_trend and institution_trend do not apply to them");
  ob.police_referral =
      r.number("police_referral", Range::probability(),
               "chance that a case the police would record also reaches the prosecutor, on the same day (referral)");
  ob.case_window_days = int(r.integer(
      "case_window_days", Range::non_negative(),
      "days after a case opens in which the same recruiter's victims recorded by the same institution join it"));
  ob.recording_trend = r.number("recording_trend", Range::between(-2, 2),
                                "change per year of every institution's chance of a record, on the log scale "
                                "(-0.1: about 10% fewer records a year; 0: constant)");
  ob.recording_trend_years = r.number("recording_trend_years", Range::non_negative(),
                                      "years from the calendar start over which recording_trend runs; held after");
  ob.specialised_units = r.numbers("specialised_units", Range::non_negative(), nd,
                                   "per department, how many of the prosecutor's specialised units sit there");
  ob.specialised_share =
      r.number("specialised_share", Range::probability(),
               "share of the prosecutor's domestic cases found in a department without a specialised unit that "
               "the units in the capital (the first department) handle and count");
  if (ob.specialised_share > 0 && (ob.specialised_units.empty() || !(ob.specialised_units.front() > 0)))
    r.fail("specialised_share", "is above 0 but the capital (the first department) has no specialised unit");
  ob.institution_trend = fixed<kInstitutions>(
      r.numbers("institution_trend", Range::between(-2, 2), kInstitutions,
                "per institution, its own change per year of the chance of a record (log scale), added to "
                "recording_trend over the same years"));
  ob.exploitation_detect =
      fixed<kExploitationTypes>(r.numbers("exploitation_detect", Range::non_negative(), kExploitationTypes,
                                          "relative chance of a record by exploitation type (sexual, labour, other)"));
  ob.recorded_as_close_bond = fixed<kRoutes>(
      r.numbers("recorded_as_close_bond", Range::probability(), kRoutes,
                "per route (hunting, fishing, trusted contact), the share of its recorded victims whose record names "
                "the recruiter as a relative, friend or partner"));
  for (auto& w : r.list("identification_waves", false,
                        "periods in which victims found abroad are identified more often (e.g. sent home when "
                        "borders closed)")) {
    ObservationParams::IdentificationWave wave;
    wave.name = w.string("name", "what happened");
    wave.start_day = day_of(w, "start", start);
    wave.end_day = day_of(w, "end", start);
    if (wave.end_day < wave.start_day) w.fail("end", "ends before it starts");
    wave.abroad_factor = fixed<kInstitutions>(
        w.numbers("abroad_factor", Range::non_negative(), kInstitutions,
                  "per institution, multiplier of the chance of a record of a victim found abroad in the period"));
    w.finish();
    ob.identification_waves.push_back(wave);
  }
  r.finish();
}

void read_shocks(Reader& root, Scenario& s, const std::chrono::sys_days& start) {
  for (auto& sh : root.list("shocks", false, "scheduled changes to population attributes")) {
    ShockParams p;
    p.name = sh.string("name", "what happened");
    p.start_day = day_of(sh, "start", start);
    p.end_day = day_of(sh, "end", start);
    if (p.end_day < p.start_day) sh.fail("end", "ends before it starts");
    p.minors_device_access =
        sh.number("minors_device_access", 0.0, Range::unit(), "extra device access of minors (x += v*(1-x))");
    p.minors_screen_factor =
        sh.number("minors_screen_factor", 1.0, Range::non_negative(), "multiplier of minors' screen time");
    p.supervision_factor =
        sh.number("supervision_factor", 1.0, Range::non_negative(), "multiplier of parental supervision");
    p.classroom_layer = sh.boolean("classroom_layer", false, "classroom video platforms become active");
    p.poverty_shift = sh.number("poverty_shift", 0.0, Range::unit(), "extra economic need (x += v*(1-x))");
    sh.finish();
    s.shocks.push_back(p);
  }
}

}  // namespace

std::optional<std::chrono::sys_days> parse_iso_date(std::string_view text) {
  // Exactly YYYY-MM-DD: from_chars with the whole field consumed, so "2020-1-5x" is refused.
  auto field = [&](std::size_t at, std::size_t width, int& out) {
    if (at + width > text.size()) return false;
    const char* first = text.data() + at;
    const auto [end, ec] = std::from_chars(first, first + width, out);
    return ec == std::errc() && end == first + width;
  };
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !field(0, 4, y) || !field(5, 2, m) || !field(8, 2, d) ||
      m < 1 || d < 1)
    return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month(unsigned(m)),
                                        std::chrono::day(unsigned(d))};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::sys_days{ymd};
}

int Scenario::year_of_day(int day) const {
  // start_date was checked when the scenario was read; 1970 only for a default-built Scenario.
  const auto start = parse_iso_date(start_date).value_or(std::chrono::sys_days{});
  return int(std::chrono::year_month_day{start + std::chrono::days{day}}.year());
}

bool Scenario::day_of(const std::string& iso, int& day) const {
  const auto date = parse_iso_date(iso), start = parse_iso_date(start_date);
  if (!date || !start) return false;
  day = int((*date - *start).count());
  return true;
}

Scenario scenario_from_tree(const io::Node& root_node, const std::filesystem::path& file, bool strict) {
  Scenario s;
  s.file = file;
  s.text = io::to_yaml(root_node);
  Reader root(root_node, "", strict);
  s.name = root.string("name", "scenario name");
  root.string("description", "", "what the scenario represents");
  s.seed = std::uint32_t(
      root.integer("seed", 1, {0, 4294967295.0, false, "an integer in [0, 2^32-1]"}, "default random seed"));

  auto cal = root.section("calendar", "simulated period");
  s.start_date = cal.string("start", "first simulated day (YYYY-MM-DD)");
  const auto start_day = parse_iso_date(s.start_date);
  if (!start_day)
    cal.fail("start", "expected a date YYYY-MM-DD with a year in [1900, 2200], got '" + s.start_date + "'");
  const int y = int(std::chrono::year_month_day{*start_day}.year());
  // Dates become day counts and calendar years index demographic tables: keep them near today.
  if (y < 1900 || y > 2200) cal.fail("start", "the year must lie in [1900, 2200], got " + std::to_string(y));
  s.start_year = y;
  double years = cal.number("years", {0.01, 50, false, "a number of years in [0.01, 50]"},
                            "length of the simulated period (years of 365 days)");
  s.days = std::max(1, int(std::lround(years * 365)));
  const double warmup =
      cal.number("warmup_years", 0.0, {0, 20, false, "a number of years in [0, 20]"},
                 "years simulated before the start with the same parameters and not reported, so the "
                 "first reported year is not a start-up artefact (runs start with nobody in a pipeline)");
  s.warmup_days = int(std::lround(warmup * 365));
  cal.finish();
  const std::chrono::sys_days start = *start_day;

  read_population(root.section("population", "the synthetic population"), s);
  auto plat = root.section("platforms", "per-platform parameters; platforms not listed are unused");
  for (int p = 1; p < kPlatforms; ++p)
    if (auto pr = plat.optional_section(kPlatformNames[p], "platform parameters")) read_platform(*pr, s.platforms[p]);
  plat.finish();
  read_network(root.section("network", "the multilayer social graph"), s);
  read_recruitment(root.section("recruitment", "recruiters, their strategies and the pipeline"), s);
  read_observation(root.section("observation", "what institutions detect and record"), s, start);
  read_shocks(root, s, start);
  s.peer_spread =
      root.number("peer_spread", 0.0, Range::probability(),
                  "probability that a person reached by a campaign warns each offline tie (once, on the day reached)");
  for (auto& iv : root.list("interventions", false, "prevention measures; see `redes list interventions`")) {
    InterventionSpec spec;
    spec.type = iv.node().find("type") ? iv.node().find("type")->scalar : "";
    spec.name = iv.node().find("name") ? iv.node().find("name")->scalar : spec.type;
    spec.node = iv.node();
    s.interventions.push_back(std::move(spec));
  }
  root.finish();
  // Each intervention type reads its own keys (sim/interventions), once, here: a bad key fails at
  // load with its file, line, column and key, not in the middle of a run.
  auto parsed = build_interventions(s, strict);
  for (std::size_t k = 0; k < parsed.size(); ++k) s.interventions[k].parsed = std::move(parsed[k]);
  return s;
}

Scenario load_scenario(const std::filesystem::path& file, bool strict) {
  io::Node root = io::load_scenario_tree(file);
  return scenario_from_tree(root, file, strict);
}

Arm arm_from_files(const io::Node& base_tree, const std::filesystem::path& base_file,
                   const std::filesystem::path& intervention_file) {
  io::Node file = io::load_scenario_tree(intervention_file);
  Reader r(file, "");
  Arm arm;
  arm.name = r.string("name", intervention_file.stem().string(), "label of the arm");
  r.string("description", "", "what the package does");
  r.list("interventions", true, "interventions added to the baseline");
  r.finish();
  const io::Node& list = *file.find("interventions");
  io::Node tree = base_tree;
  io::Node* existing = tree.find("interventions");
  if (existing && existing->is_seq()) {
    for (const auto& item : list.seq) existing->seq.push_back(item);
  } else {
    tree.map.push_back({"interventions", list});
  }
  arm.scenario = scenario_from_tree(tree, base_file);
  arm.scenario.name = arm.name;
  arm.tree = std::move(tree);
  return arm;
}

}  // namespace redes
