// recruitment/route: recruitment routes (hunting, fishing, trusted contact, ...) as modules behind
// one interface, as intervention types are. A route says which recruiters use it, what such a
// recruiter proposes each day, and how its attempts run (entry stage, trust, channel); the engine
// runs every route of the list and never asks which route it is. New routes register in
// sim/recruitment/registry.cpp (README, "Adding a recruitment route").
#pragma once
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/labels.hpp"
#include "sim/core/rng.hpp"
#include "sim/interventions/effects.hpp"
#include "sim/network/network.hpp"
#include "sim/population/population.hpp"
#include "sim/recruitment/model.hpp"
#include "sim/recruitment/recruiters.hpp"
#include "sim/scenario/scenario.hpp"

namespace redes {

/// A recruiter's bid for a person today; conflicts are resolved by `key` (smallest wins).
struct Proposal {
  PersonId person;
  RecruiterId recruiter;
  std::uint64_t key;
  std::uint8_t route, platform;  // route: index in the run's route list
};

/// Traits in effect today for the whole run: shocks over the population.
struct ShockState {
  double minors_device = 0, minors_screen = 1, supervision = 1, poverty_shift = 0;
  bool classroom = false;
};

/// What a route may read of a run on a day: the scenario, population and graph, who is in an
/// attempt or a victim, traits in effect (interventions, shocks) and online recruiters' platform
/// effort. Plain inline functions: routes call them per exposure, where a virtual call would cost.
class RouteWorld {
 public:
  RouteWorld(const Scenario& sc, const Population& pop, const Network& net, const Rng& rng,
             const std::vector<Recruiter>& recruiters, const std::vector<RecruiterId>& recruiter_of,
             const std::vector<std::uint8_t>& victim, const PersonBoosts& boosts, const DailyModifiers& mods)
      : sc(sc),
        pop(pop),
        net(net),
        rng(rng),
        recruiters(recruiters),
        recruiter_of(recruiter_of),
        victim(victim),
        boosts(boosts),
        mods(mods) {}

  const Scenario& sc;
  const Population& pop;
  const Network& net;
  const Rng& rng;
  const std::vector<Recruiter>& recruiters;
  const std::vector<RecruiterId>& recruiter_of;  // kNone when not in an attempt
  const std::vector<std::uint8_t>& victim;
  const PersonBoosts& boosts;
  const DailyModifiers& mods;
  // Set by the engine's calendar each day.
  ShockState shock;
  std::array<double, kPlatforms> mix{};  // online recruiters' platform effort today (sums to 1 or 0)
  double hunting_tilt = 1.0;             // displacement from fishing toward hunting (1 = none)

  /// Share of an online recruiter's effort that goes to hunting today (the rest fishes).
  double hunting_share(const Recruiter& rec) const { return std::clamp(rec.hunting_share * hunting_tilt, 0.0, 1.0); }
  /// Nobody else is after this person, and they are not a victim already.
  bool available(PersonId i) const { return recruiter_of[i] == kNone && !victim[i]; }
  bool minor(PersonId i, int day) const { return pop.age_years(i, day) < 18; }
  /// Whether any route can target this person today (recruitment.recruiters.victim_ages).
  bool targetable_age(PersonId i, int day) const { return targetable(pop.age_years(i, day)); }
  bool targetable(int age_years) const {
    return age_years >= sc.recruiters.victim_age_min && age_years <= sc.recruiters.victim_age_max;
  }

  bool online(PersonId i, int day) const {
    if (pop.has_device(i, day)) return true;
    return shock.minors_device > 0 && minor(i, day) && gains_device_in_shock(i);
  }
  bool on_platform(PersonId i, int p, int day) const {
    return pop.uses(i, p, day) && (!sc.platforms[p].shock_only || shock.classroom) && online(i, day);
  }
  /// Age in years on `day` if on platform p that day, else -1: on_platform and the age from one
  /// read of the person's record (the exposure loop's check, made for every exposure).
  int age_if_on_platform(PersonId i, int p, int day) const {
    const Population::Key k = pop.key(i, day);
    if (!((k.platforms >> p) & 1u) || (sc.platforms[p].shock_only && !shock.classroom)) return -1;
    const int age = pop.age_of(k, day);
    return k.device || (age < 18 && gains_device_in_shock(i)) ? age : -1;
  }

  /// Which minors gain a device in a shock: a fixed draw per person, so the set is stable.
  bool gains_device_in_shock(PersonId i) const {
    return shock.minors_device > 0 && rng.words(i, 0, Stream::Platforms, 1, 0)[0] * 0x1.0p-32 < shock.minors_device;
  }

  PersonView view(PersonId i, int day) const {
    PersonView v;
    const PersonTraits t = pop.traits(i, day);  // the slot's occupant and the traits of their age today
    const double pov = t.poverty;
    v.poverty = pov + shock.poverty_shift * (1 - pov);
    v.conflict = t.family_conflict;
    v.job = t.job_seeking;
    v.migration = t.migration_wish;
    const double lit = t.digital_literacy, aw = t.awareness;
    v.literacy = lit + (1 - lit) * boosts.get(Trait::Literacy, i, day);
    v.awareness = aw + (1 - aw) * boosts.get(Trait::Awareness, i, day);
    const bool is_minor = minor(i, day);
    // Supervision is of minors only: an adult keeps no childhood supervision nor a caregiver boost.
    const double sup = is_minor ? std::min(1.0, t.supervision * shock.supervision) : 0.0;
    v.supervision = is_minor ? sup + (1 - sup) * boosts.get(Trait::Supervision, i, day) : 0.0;
    v.privacy = t.privacy_exposure * (1 - boosts.get(Trait::PrivacyCut, i, day));
    v.screen = (t.device || online(i, day)) ? t.screen_hours * (is_minor ? shock.minors_screen : 1.0) : 0.0;
    v.age_group = int(pop.age_group(i, day));
    v.gender = t.gender;
    return v;
  }

  double moderation(int p) const { return std::clamp(sc.platforms[p].moderation + mods.moderation_add[p], 0.0, 1.0); }
  double cooperation(int p) const {
    return std::clamp(sc.platforms[p].cooperation + mods.cooperation_add[p], 0.0, 1.0);
  }
  bool platform_open(int p) const {
    return sc.platforms[p].enabled && (!sc.platforms[p].shock_only || shock.classroom);
  }

  /// A platform by today's effort (offline only when no platform has any).
  int draw_platform(Draws& d) const {
    double u = d.uniform();
    for (int p = 1; p < kPlatforms; ++p) {
      if (u < mix[p]) return p;
      u -= mix[p];
    }
    for (int p = kPlatforms - 1; p >= 1; --p)
      if (mix[p] > 0) return p;
    return 0;
  }
};

/// How an attempt of a route runs once a proposal won (read by the engine per pipeline step from a
/// table, without a virtual call).
struct RouteTraits {
  Stage entry = Stage::Engaged;  // first stage of the attempt
  float trust_start = 0;         // trust at entry
  bool private_channel = false;  // grooming moves to the platform's private channel (replies to an ad)
  bool fake_profile = true;      // the recruiter's profile is made up, so moderation can remove it
  bool job_offers_only = false;  // offers are always jobs (otherwise offer.job_share decides)
};

class RecruitmentRoute {
 public:
  virtual ~RecruitmentRoute() = default;
  virtual RouteTraits traits() const = 0;
  /// A copy with this route's state (ads, shares...): a replicate's warm-up, simulated once, is
  /// continued by each compare arm from a copy.
  virtual std::unique_ptr<RecruitmentRoute> clone() const = 0;
  /// Recruiters of this kind use the route: embedded ones (trusted contact) or online ones.
  virtual bool for_embedded() const = 0;
  /// Called once a day before the recruiters act, with their number (e.g. to size per-recruiter buffers).
  virtual void begin_day(std::size_t /*recruiters*/) {}
  /// What active recruiter `r` does today with `free` open places (capacity minus attempts),
  /// `route` being this route's index for the proposals. Runs in parallel over recruiters: touch
  /// only `rec`, `out` and this route's own per-recruiter slot `r`. Draw only from streams of
  /// this route keyed by (rec.slot, day, rec.generation), so that other routes' draws stay put.
  virtual void act(const RouteWorld& w, Recruiter& rec, RecruiterId r, int day, int free, std::uint8_t route,
                   std::vector<Proposal>& out) = 0;
  /// Called once a day after every recruiter acted: proposals that do not come from a recruiter's
  /// own act (e.g. replies to ads). `ties_visited` counts ties read, for the benchmarks.
  virtual void respond(const RouteWorld& /*w*/, int /*day*/, std::uint8_t /*route*/, std::vector<Proposal>& /*out*/,
                       std::uint64_t& /*ties_visited*/) {}
};

/// A registered route: its label (its name in outputs, sim/core/labels.hpp), a one-line
/// description, and a factory that reads its parameters from the scenario.
struct RouteType {
  Route label;
  std::string description;
  std::unique_ptr<RecruitmentRoute> (*make)(const Scenario& scenario);
};
/// The built-in routes, in label order.
const std::vector<RouteType>& recruitment_routes();

}  // namespace redes
