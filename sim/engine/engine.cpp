#include "sim/engine/engine.hpp"

#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>

#include "sim/interventions/intervention.hpp"
#include "sim/recruitment/model.hpp"
#include "sim/recruitment/recruiters.hpp"
#include "sim/recruitment/route.hpp"

namespace redes {
namespace {

constexpr int kWhatsApp = 2;  // messaging between people who know each other

struct Pipeline {
  PersonId person;
  RecruiterId recruiter;
  std::int32_t since;
  float trust;
  float offer_at;                       // trust at which this pipeline's recruiter moves to the offer (patience)
  std::uint8_t stage, route, platform;  // route: index in the run's route list (its label in labels_)
  bool images = false;
};

/// What advancing one pipeline one day produced (applied sequentially afterwards).
struct Step {
  std::uint8_t to = 255;  // 255 = no change
  bool report = false, images = false;
  std::uint8_t means = 0;  // index into kMeansNames
  float trust_add = 0;
  std::uint32_t ties_visited = 0;  // for the benchmarks' ties-per-second figure
  std::uint8_t exploitation = 0, destination = 0;
};

class Run {
 public:
  Run(const Scenario& sc, const Population& pop, const Network& net, const std::vector<RouteType>& routes,
      std::uint32_t seed, int replicate)
      : sc_(sc),
        pop_(pop),
        net_(net),
        rng_(seed, std::uint32_t(replicate)),
        n_(pop.size()),
        nd_(sc.department_count()),
        w_(sc, pop, net, rng_, recruiters_, recruiter_of_, victim_, boosts_, mods_) {
    if (routes.size() > 255) throw std::invalid_argument("recruitment routes: at most 255");
    for (const RouteType& t : routes) {
      routes_.push_back(t.make(sc));
      traits_.push_back(routes_.back()->traits());
      labels_.push_back(t.label);
    }
    res_.replicate = replicate;
    res_.days = sc.days;
    res_.departments = nd_;
    recruiter_of_.assign(n_, kNone);
    victim_.assign(n_, 0);
    recruiters_ = initial_recruiters(sc, pop, rng_, -sc.warmup_days);
    set_up_interventions();
    const std::size_t D = std::size_t(sc.days);
    res_.stock.assign(D * kStockCells, 0);
    res_.stock_by_department.assign(D * kActiveStages * nd_, 0);
    res_.transitions.assign(D * kTransitions * kRoutes, 0);
    res_.recruiters_active.assign(D, 0);
    res_.reporting_add.assign(D * nd_, 0.0f);
    res_.enforcement_mult.assign(D * nd_, 1.0f);
    res_.cooperation_add.assign(D * kPlatforms, 0.0f);
  }

  // `warm` (a run at day 0, after its warm-up) continued under `arm`, a scenario that differs from
  // warm's only in its interventions: none acts before day 0, so both warm up alike and the warm-up
  // is simulated once per replicate. The copy is the whole state the next day reads.
  Run(const Run& warm, const Scenario& arm)
      : sc_(arm),
        pop_(warm.pop_),
        net_(warm.net_),
        rng_(warm.rng_),
        n_(warm.n_),
        nd_(warm.nd_),
        res_(warm.res_),
        recruiter_of_(warm.recruiter_of_),
        victim_(warm.victim_),
        place_(warm.place_),
        recruiters_(warm.recruiters_),
        pipes_(warm.pipes_),
        boosts_(warm.boosts_),
        w_(arm, pop_, net_, rng_, recruiters_, recruiter_of_, victim_, boosts_, mods_),
        traits_(warm.traits_),
        labels_(warm.labels_) {
    if (arm.days != warm.sc_.days || arm.warmup_days != warm.sc_.warmup_days)
      throw std::invalid_argument("a warm-up is continued only by a scenario with the same calendar");
    for (const auto& route : warm.routes_) routes_.push_back(route->clone());
    set_up_interventions();
  }

  // Warm-up: days -warmup_days .. -1 run with the same parameters (interventions and shocks
  // have days in [0, days)) and are not recorded, so the window starts with pipelines and
  // exploitation already under way rather than from an empty start.
  void warm_up(const std::atomic<bool>* stop) { simulate(-sc_.warmup_days, 0, nullptr, stop); }

  /// The reference window, days 0 .. days - 1, after warm_up.
  ReplicateResult window(std::atomic<std::int64_t>* days_done, const std::atomic<bool>* stop) {
    auto t0 = std::chrono::steady_clock::now();
    simulate(0, sc_.days, days_done, stop);
    res_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return std::move(res_);
  }

 private:
  void simulate(int from, int to, std::atomic<std::int64_t>* days_done, const std::atomic<bool>* stop) {
    for (int day = from; day < to; ++day) {
      if (stop && stop->load(std::memory_order_relaxed)) throw SimulationStopped();  // a user's Ctrl-C, within a day
      calendar(day);
      std::vector<Proposal> proposals = recruiters_act(day);
      advance(day);
      resolve(day, proposals);
      enforcement(day);
      if (day < 0) continue;
      record(day);
      if (days_done) days_done->fetch_add(1, std::memory_order_relaxed);
    }
  }

  void set_up_interventions() {
    interventions_ = replicate_interventions(sc_);  // copies of those parsed at load
    res_.interventions = int(interventions_.size());
    ctx_ = std::make_unique<InterventionContext>(InterventionContext{sc_, pop_, net_, rng_, boosts_, mods_});
    for (std::size_t k = 0; k < interventions_.size(); ++k) {
      interventions_[k]->prepare(*ctx_, int(k));
      unsigned ph = interventions_[k]->phases();
      if (ph & kPhaseModifiers) modifier_phase_.push_back(int(k));
      if (ph & kPhaseReach) reach_phase_.push_back(int(k));
    }
    const std::size_t D = std::size_t(sc_.days);
    res_.reach.assign(D * interventions_.size(), 0);
    res_.cost.assign(D * interventions_.size(), 0.0);
  }

  // ---- traits in effect (the same functions the routes read) ----
  bool targetable_age(PersonId i, int day) const { return w_.targetable_age(i, day); }
  PersonView view(PersonId i, int day) const { return w_.view(i, day); }
  double moderation(int p) const { return w_.moderation(p); }
  double cooperation(int p) const { return w_.cooperation(p); }
  bool platform_open(int p) const { return w_.platform_open(p); }

  // ---- 1. calendar ----
  void calendar(int day) {
    mods_.reset(nd_);
    const std::size_t ni = interventions_.size();
    if (day >= 0) {  // no intervention acts in the warm-up
      for (int k : modifier_phase_) {
        DayReport r = interventions_[k]->act(*ctx_, kPhaseModifiers, day);
        res_.reach[day * ni + k] += std::int32_t(r.reached);
        res_.cost[day * ni + k] += r.cost;
      }
      for (int k : reach_phase_) {
        DayReport r = interventions_[k]->act(*ctx_, kPhaseReach, day);
        res_.reach[day * ni + k] += std::int32_t(r.reached);
        res_.cost[day * ni + k] += r.cost;
      }
      for (int d = 0; d < nd_; ++d) {
        res_.reporting_add[std::size_t(day) * nd_ + d] = float(mods_.reporting_add[d]);
        res_.enforcement_mult[std::size_t(day) * nd_ + d] = float(mods_.enforcement_mult[d]);
      }
    }
    if (day >= 0)  // daily arrays hold the window only (a negative day would write before them)
      for (int p = 0; p < kPlatforms; ++p)
        res_.cooperation_add[std::size_t(day) * kPlatforms + p] = float(mods_.cooperation_add[p]);
    ShockState& shock = w_.shock;
    shock = ShockState{};
    for (const auto& s : sc_.shocks) {
      if (day < s.start_day || day >= s.end_day) continue;
      shock.minors_device = shock.minors_device + s.minors_device_access * (1 - shock.minors_device);
      shock.minors_screen *= s.minors_screen_factor;
      shock.supervision *= s.supervision_factor;
      shock.poverty_shift = shock.poverty_shift + s.poverty_shift * (1 - shock.poverty_shift);
      shock.classroom = shock.classroom || s.classroom_layer;
    }
    // Platform effort today; with displacement, recruiters move away from platforms where
    // moderation or cooperation rose (a test of whether prevention only displaces harm).
    double total = 0;
    const double sens = sc_.recruiters.displacement ? sc_.recruiters.displacement_sensitivity : 0.0;
    double fishing_pressure = 0, weight_sum = 0;
    for (int p = 1; p < kPlatforms; ++p) {
      double w = platform_open(p) && !pop_.users[p].empty() ? sc_.recruiters.platform_mix[p] : 0.0;
      weight_sum += w;
      fishing_pressure += w * mods_.moderation_add[p];
      if (sens > 0) w *= std::exp(-sens * (mods_.moderation_add[p] + mods_.cooperation_add[p]));
      w_.mix[p] = w;
      total += w;
    }
    for (int p = 1; p < kPlatforms; ++p) w_.mix[p] = total > 0 ? w_.mix[p] / total : 0.0;
    // Displaced recruiters also lean from fishing (ads taken down) toward hunting.
    w_.hunting_tilt = sens > 0 && weight_sum > 0 ? std::exp(sens * fishing_pressure / weight_sum) : 1.0;
  }

  // ---- 2. recruiters act, 3. exposure and response (each route, in the list's order) ----
  std::vector<Proposal> recruiters_act(int day) {
    const std::size_t nr = recruiters_.size();
    for (auto& route : routes_) route->begin_day(nr);
    std::vector<std::vector<Proposal>> props(nr);
    // One recruiter per task: a few dozen at 1 million persons, hunters costing more than fishers.
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, nr, 1), [&](const auto& range) {
      for (std::size_t r = range.begin(); r != range.end(); ++r) act_one(RecruiterId(r), day, props[r]);
    });
    std::vector<Proposal> all;
    for (std::size_t r = 0; r < nr; ++r) all.insert(all.end(), props[r].begin(), props[r].end());
    for (std::size_t k = 0; k < routes_.size(); ++k)
      routes_[k]->respond(w_, day, std::uint8_t(k), all, res_.ties_visited);
    return all;
  }

  void act_one(RecruiterId r, int day, std::vector<Proposal>& out) {
    // Only this task touches recruiters_[r] during the phase (a route may move its anchor).
    Recruiter& rec = recruiters_[r];
    if (!rec.active(day)) return;
    const int free = sc_.recruiters.capacity - rec.active_targets;
    for (std::size_t k = 0; k < routes_.size(); ++k)
      if (routes_[k]->for_embedded() == rec.embedded()) routes_[k]->act(w_, rec, r, day, free, std::uint8_t(k), out);
  }

  // ---- 4. conflict resolution ----
  void resolve(int day, std::vector<Proposal>& proposals) {
    // One recruiter per person: the smallest hash wins; then capacity, in hash order.
    tbb::parallel_sort(proposals.begin(), proposals.end(), [](const Proposal& a, const Proposal& b) {
      return a.person != b.person ? a.person < b.person : a.key < b.key;
    });
    std::vector<Proposal> winners;
    for (std::size_t k = 0; k < proposals.size(); ++k) {
      const Proposal& p = proposals[k];
      if (k > 0 && proposals[k - 1].person == p.person) continue;
      if (recruiter_of_[p.person] != kNone || victim_[p.person]) continue;
      winners.push_back(p);
    }
    std::sort(winners.begin(), winners.end(), [](const Proposal& a, const Proposal& b) {
      return a.recruiter != b.recruiter ? a.recruiter < b.recruiter : a.key < b.key;
    });
    for (const Proposal& p : winners) {
      Recruiter& rec = recruiters_[p.recruiter];
      if (rec.active_targets >= sc_.recruiters.capacity) continue;
      ++rec.active_targets;
      recruiter_of_[p.person] = p.recruiter;
      const RouteTraits& t = traits_[p.route];
      const Stage stage = t.entry;
      const float trust = t.trust_start;
      Draws patience(rng_, p.person, std::uint32_t(day), Stream::Patience);
      const float offer_at = float(offer_trust(sc_.grooming, patience.uniform()));
      pipes_.push_back({p.person, p.recruiter, day, trust, offer_at, std::uint8_t(stage), p.route, p.platform, false});
      log(day, p.person, p.recruiter, kEntry, stage, p.route, p.platform);
    }
  }

  /// `route`: index in the run's route list.
  void log(int day, PersonId person, RecruiterId r, std::uint8_t from, Stage to, std::uint8_t route_index,
           int platform) {
    if (day < 0) return;  // warm-up: not reported
    const Route route = labels_[route_index];
    res_.events.push_back({std::uint16_t(res_.replicate), day, person, r, from, std::uint8_t(to), std::uint8_t(route),
                           std::uint8_t(platform)});
    ++res_.transitions[(std::size_t(day) * kTransitions + int(to)) * kRoutes + int(route)];
  }

  // ---- 5. pipelines advance ----
  int channel(const Pipeline& p) const {
    if (p.platform == kOffline) return kOffline;
    return traits_[p.route].private_channel ? sc_.platforms[p.platform].private_channel : p.platform;
  }

  Step advance_one(const Pipeline& p, int day) const {
    Step s;
    const PersonId i = p.person;
    const Stage stage = Stage(p.stage);
    const PersonView v = view(i, day);
    const auto& g = sc_.grooming;
    if (stage == Stage::Exploited) {
      Draws d(rng_, i, std::uint32_t(day), Stream::Exit);
      // Rescued where the victim is: that department's capacity, or international cooperation abroad.
      const int dep = place_[i];
      const double rescue =
          dep == kAbroad ? sc_.enforcement.rescue_base * sc_.enforcement.international_cooperation
                         : sc_.enforcement.rescue_base * sc_.enforcement.capacity[dep] * mods_.enforcement_mult[dep];
      // Both uniforms are drawn whatever the branch (a fixed number of draws per decision).
      const double u_rescue = d.uniform(), u_escape = d.uniform();
      if (u_rescue < rescue)
        s.to = std::uint8_t(Stage::Rescued);
      else if (u_escape < sc_.enforcement.escape_rate)
        s.to = std::uint8_t(Stage::Escaped);
      return s;
    }
    if (stage == Stage::Recruited) {
      s.to = std::uint8_t(Stage::Exploited);
      return s;
    }
    Draws d(rng_, i, std::uint32_t(day), Stream::Grooming);
    if (stage == Stage::Contacted) {
      int mutual = 0;
      if (p.platform != kOffline) {
        auto [b, e] = net_.neighbours(layer_of_platform(p.platform), i);
        for (auto* it = b; it != e; ++it) mutual += recruiter_of_[*it] == p.recruiter;
        s.ties_visited += std::uint32_t(e - b);
      }
      s.to = std::uint8_t(d.uniform() < contact_acceptance(sc_.hunting, v, mutual) ? Stage::Engaged : Stage::Declined);
      return s;
    }
    // Engaged, groomed, offered: the attempt may be stopped first. Only recruiter-made profiles
    // (hunting, fishing) are fake; a trusted contact uses a real relative's account.
    const int ch = channel(p);
    const double u_removal = d.uniform();
    if (ch != kOffline && traits_[p.route].fake_profile && u_removal < moderation(ch) * g.profile_removal) {
      s.to = std::uint8_t(Stage::RemovedByPlatform);
      return s;
    }
    Draws rec(rng_, i, std::uint32_t(day), Stream::Recognition);
    const double self = self_recognition(g, v), parent = parent_recognition(g, v);
    double no_peer = 1.0;
    for (int l = 0; l < 3 && g.rec_peer > 0; ++l) {
      auto [b, e] = net_.neighbours(l, i);
      s.ties_visited += std::uint32_t(e - b);
      for (auto* it = b; it != e; ++it) {
        const PersonTraits* later = pop_.later(*it, day);
        const double aw0 = later ? later->awareness : pop_.awareness[*it];
        const double aw = aw0 + (1 - aw0) * boosts_.get(Trait::Awareness, *it, day);
        no_peer *= 1 - g.rec_peer * aw;
      }
    }
    const double u_self = rec.uniform(), u_parent = rec.uniform(), u_peer = rec.uniform(), u_report = rec.uniform();
    const bool by_self = u_self < self;
    const bool by_others = u_parent < parent || u_peer < 1 - no_peer;
    if (by_self || by_others) {
      s.to = std::uint8_t(by_self ? Stage::BlockedOrReported : Stage::Intervened);
      const double report = std::clamp(g.report_prob + mods_.reporting_add[pop_.department[i]], 0.0, 1.0);
      s.report = u_report < report;
      return s;
    }
    // Still in contact: trust grows (screen time matters only online); images may be obtained.
    PersonView contact = v;
    if (p.platform == kOffline) contact.screen = 0;
    s.trust_add = float(trust_growth(g, contact));
    if (p.platform != kOffline && sc_.platforms[p.platform].image_sharing && !p.images) {
      Draws im(rng_, i, std::uint32_t(day), Stream::Images);
      s.images = im.uniform() < g.image_prob;
    }
    if (stage == Stage::Engaged) {
      if (p.trust + s.trust_add >= p.offer_at) s.to = std::uint8_t(Stage::Groomed);
      return s;
    }
    if (stage == Stage::Groomed) {
      if (d.uniform() < 1.0 / g.offer_days) s.to = std::uint8_t(Stage::Offered);
      return s;
    }
    // Offered: accept, be coerced, or decline.
    Draws o(rng_, i, std::uint32_t(day), Stream::Offer);
    const double V = vulnerability(sc_.vulnerability, v);
    // Fishing ads are job or modelling offers; other routes offer a job or a relationship.
    const double u_job = o.uniform(), u_accept = o.uniform(), u_coerce = o.uniform(), u_debt = o.uniform();
    const bool job = traits_[p.route].job_offers_only || u_job < sc_.offer.job_share;
    bool yes = u_accept < offer_acceptance(sc_.offer, g, p.trust, V, v);
    s.means = job ? 0 : 1;
    if (!yes && p.images && u_coerce < sc_.offer.coercion) yes = true, s.means = 2;
    if (!yes && u_debt < sc_.offer.travel_debt * v.migration) yes = true, s.means = 3;
    if (!yes) {
      s.to = std::uint8_t(Stage::Declined);
      return s;
    }
    s.to = std::uint8_t(Stage::Recruited);
    Draws out(rng_, i, std::uint32_t(day), Stream::Outcome);
    s.exploitation =
        std::uint8_t(draw_exploitation(sc_.offer, v.gender, v.age_group <= int(AgeGroup::Adolescent), out));
    s.destination = std::uint8_t(draw_destination(sc_.offer, labels_[p.route], out));
    return s;
  }

  /// Where a victim is exploited: home, abroad, or for "other department" another department drawn
  /// by population x urban share (internal trafficking runs mostly from rural areas to urban centres).
  std::uint8_t exploitation_place(PersonId i, int day, int destination) const {
    const int home = pop_.department[i];
    if (destination == 0) return std::uint8_t(home);
    if (destination >= 2) return kAbroad;
    const auto& pp = sc_.population;
    double total = 0;
    for (int d = 0; d < nd_; ++d) total += d == home ? 0.0 : pp.department_share[d] * pp.urban_share[d];
    if (total <= 0) return std::uint8_t(home);
    Draws dr(rng_, i, std::uint32_t(day), Stream::Outcome, 1);
    double u = dr.uniform() * total;
    int last = home;
    for (int d = 0; d < nd_; ++d) {
      if (d == home) continue;
      const double w = pp.department_share[d] * pp.urban_share[d];
      if (w <= 0) continue;
      last = d;
      if (u < w) return std::uint8_t(d);
      u -= w;
    }
    return std::uint8_t(last);
  }

  void advance(int day) {
    const std::size_t np = pipes_.size();
    std::vector<Step> steps(np);
    // Small grains: there are a few hundred attempts at a time and their costs differ (contacts
    // and recognition read neighbour lists), so chunks of 64 left one thread working alone.
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, np, 4), [&](const auto& range) {
      for (std::size_t k = range.begin(); k != range.end(); ++k) steps[k] = advance_one(pipes_[k], day);
    });
    std::size_t keep = 0;
    for (std::size_t k = 0; k < np; ++k) {
      Pipeline p = pipes_[k];
      const Step& s = steps[k];
      p.trust += s.trust_add;
      res_.ties_visited += s.ties_visited;
      p.images = p.images || s.images;
      if (s.to != 255) {
        const Stage from = Stage(p.stage), to = Stage(s.to);
        log(day, p.person, p.recruiter, p.stage, to, p.route, p.platform);
        p.stage = s.to;
        p.since = day;
        Recruiter& rec = recruiters_[p.recruiter];
        if (s.report && rec.reports < UINT16_MAX) ++rec.reports;
        const bool was_open = int(from) < int(Stage::Recruited);
        const bool ended = int(to) >= kActiveStages;
        if (was_open && (ended || to == Stage::Recruited) && rec.active_targets > 0) --rec.active_targets;
        if (to == Stage::Recruited) {
          victim_[p.person] = 1;
          const PersonView v = view(p.person, day);
          if (place_.empty()) place_.assign(n_, 0);
          place_[p.person] = exploitation_place(p.person, day, s.destination);
          res_.victims.push_back({p.person, p.recruiter, day, std::uint8_t(labels_[p.route]), p.platform,
                                  s.exploitation, s.destination, pop_.department[p.person], std::uint8_t(v.age_group),
                                  std::uint8_t(v.gender), s.means, place_[p.person]});
        }
        if (ended) {
          recruiter_of_[p.person] = kNone;
          continue;
        }
      }
      pipes_[keep++] = p;
    }
    pipes_.resize(keep);
  }

  void arrest_draw(std::size_t r, int day, double online_coop, std::vector<std::uint8_t>& arrested) const {
    const Recruiter& rec = recruiters_[r];
    if (!rec.active(day)) return;
    // Trusted contacts are traced through WhatsApp data only for their share of contacts on it,
    // otherwise through testimony (reports): see arrest_probability().
    const double hazard = arrest_probability(sc_, rec.home, rec.embedded(), rec.reports, online_coop,
                                             cooperation(kWhatsApp), mods_.enforcement_mult[rec.home]);
    Draws d(rng_, rec.slot, std::uint32_t(day), Stream::RecruiterArrest, rec.generation);
    arrested[r] = d.uniform() < hazard;
  }

  // ---- 6. enforcement ----
  void enforcement(int day) {
    const std::size_t nr = recruiters_.size();
    std::vector<std::uint8_t> arrested(nr, 0);
    double online_coop = 0;
    for (int p = 1; p < kPlatforms; ++p) online_coop += w_.mix[p] * cooperation(p);
    // A draw per recruiter is a few dozen nanoseconds: in chunks of 256, so that the few dozen
    // recruiters of a million persons take no fork and join (two threads were slower than one).
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, nr, 256), [&](const auto& range) {
      for (std::size_t r = range.begin(); r != range.end(); ++r) arrest_draw(r, day, online_coop, arrested);
    });
    bool any = false;
    for (std::size_t r = 0; r < nr; ++r) {
      if (!arrested[r]) continue;
      any = true;
      recruiters_[r].arrested_on = day;
      if (day >= 0) ++res_.recruiters_arrested;
      // Demand does not vanish: someone else takes the place after a while, in the same slot.
      recruiters_.push_back(replacement_recruiter(sc_, pop_, net_, rng_, recruiters_[r], day));
    }
    if (!any) return;
    // Attempts in progress with an arrested recruiter end; exploitation goes on until rescue or escape.
    std::size_t keep = 0;
    for (auto& p : pipes_) {
      Recruiter& rec = recruiters_[p.recruiter];
      if (rec.arrested_on == day && int(p.stage) < int(Stage::Recruited)) {
        log(day, p.person, p.recruiter, p.stage, Stage::Intervened, p.route, p.platform);
        recruiter_of_[p.person] = kNone;
        if (rec.active_targets > 0) --rec.active_targets;
        continue;
      }
      pipes_[keep++] = p;
    }
    pipes_.resize(keep);
  }

  // ---- 7. recording ----
  void record(int day) {
    std::int32_t* stock = res_.stock.data() + std::size_t(day) * kStockCells;
    std::int32_t* by_dept = res_.stock_by_department.data() + std::size_t(day) * kActiveStages * nd_;
    for (const auto& p : pipes_) {
      const int ag = int(pop_.age_group(p.person, day));
      ++stock[stock_index(p.stage, std::uint8_t(labels_[p.route]), p.platform, ag, pop_.gender_of(p.person, day))];
      ++by_dept[p.stage * nd_ + pop_.department[p.person]];
    }
    std::int32_t active = 0;
    for (const auto& r : recruiters_) active += r.active(day);
    res_.recruiters_active[day] = active;
  }

  const Scenario& sc_;
  const Population& pop_;
  const Network& net_;
  const Rng rng_;
  const std::size_t n_;
  const int nd_;
  ReplicateResult res_;
  std::vector<RecruiterId> recruiter_of_;  // kNone when not in an attempt
  std::vector<std::uint8_t> victim_;
  std::vector<std::uint8_t> place_;  // per person: where exploited (department or kAbroad), set when recruited
  std::vector<Recruiter> recruiters_;
  std::vector<Pipeline> pipes_;
  std::vector<std::unique_ptr<Intervention>> interventions_;
  std::vector<int> modifier_phase_, reach_phase_;
  PersonBoosts boosts_;
  DailyModifiers mods_;
  std::unique_ptr<InterventionContext> ctx_;
  RouteWorld w_;  // what routes read; holds today's shocks and platform effort
  std::vector<std::unique_ptr<RecruitmentRoute>> routes_;
  std::vector<RouteTraits> traits_;  // per route index
  std::vector<Route> labels_;        // per route index: its name in outputs
};

}  // namespace

class Simulation::Warm {
 public:
  explicit Warm(std::unique_ptr<Run> run) : run(std::move(run)) {}
  std::unique_ptr<Run> run;
};

// Isolation keeps this thread from picking up another replicate while it waits inside a parallel
// loop, which would hold two replicates' state at once.
ReplicateResult Simulation::run(std::uint32_t seed, int replicate, std::atomic<std::int64_t>* days_done,
                                const std::atomic<bool>* stop) const {
  ReplicateResult out;
  tbb::this_task_arena::isolate([&] {
    Run run(sc_, pop_, net_, routes_, seed, replicate);
    run.warm_up(stop);
    out = run.window(days_done, stop);
  });
  return out;
}

std::shared_ptr<const Simulation::Warm> Simulation::warm_up(std::uint32_t seed, int replicate,
                                                            const std::atomic<bool>* stop) const {
  std::shared_ptr<const Warm> out;
  tbb::this_task_arena::isolate([&] {
    auto run = std::make_unique<Run>(sc_, pop_, net_, routes_, seed, replicate);
    run->warm_up(stop);
    out = std::make_shared<const Warm>(std::move(run));
  });
  return out;
}

ReplicateResult Simulation::run_from(const Warm& warm, std::atomic<std::int64_t>* days_done,
                                     const std::atomic<bool>* stop) const {
  ReplicateResult out;
  tbb::this_task_arena::isolate([&] {
    Run run(*warm.run, sc_);
    out = run.window(days_done, stop);
  });
  return out;
}

}  // namespace redes
