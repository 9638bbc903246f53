// Tests of the daily loop (sim/engine): bookkeeping identities between the event table, the
// daily counters and the summary; zero recruiters; arrests; and thread-count independence of
// Simulation::run. Seeds are fixed. The identities are exact (no tolerance).
#include "sim/engine/engine.hpp"

#include <gtest/gtest.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "sim/core/labels.hpp"
#include "sim/engine/summary.hpp"
#include "sim/network/network.hpp"
#include "sim/population/population.hpp"
#include "sim/scenario/scenario.hpp"
#include "tests/support/temp_dir.hpp"

namespace redes {
namespace {

namespace fs = std::filesystem;

Scenario workshop() { return load_scenario(std::string(REDES_SOURCE_DIR) + "/scenarios/workshop/small.yaml"); }

struct World {
  Population pop;
  Network net;
};
World build(const Scenario& sc, std::uint32_t seed) {
  World w;
  w.pop = build_population(sc, seed);
  w.net = build_network(sc, w.pop, seed);
  return w;
}

constexpr std::uint8_t kNoStage = 255;

/// A person's pipeline as rebuilt from the events.
struct State {
  std::uint8_t stage = kNoStage, route = 0, platform = 0;
  std::uint32_t recruiter = 0;
  bool victim = false;
};

// ---------------------------------------------------------------------------------------------
// 4. Conservation. For every day: the stock of each active stage equals cumulative entries into
// it minus cumulative exits from it (from the events); every cell of the stock (stage x route x
// platform x age group x gender) and of the stock by department equals the pipelines rebuilt from
// the events; a person is in at most one pipeline at a time and each event leaves the stage the
// person is in, with the same recruiter, route and platform; the daily transition counters are
// the events counted by (day, stage entered, route); the summary counts are the event and victim
// counts.
TEST(EngineConservation, StocksTransitionsSummaryAndEventsAgree) {
  Scenario sc = workshop();
  sc.warmup_days = 0;  // events rebuild every pipeline from day 0 (a warm-up starts them earlier)
  sc.days = 730;
  const std::uint32_t seed = 31;
  World w = build(sc, seed);
  const auto& pop = w.pop;
  const int D = sc.days, nd = sc.department_count();
  for (int rep = 0; rep < 2; ++rep) {
    SCOPED_TRACE("replicate " + std::to_string(rep));
    ReplicateResult r = Simulation(sc, pop, w.net).run(seed, rep);
    ASSERT_EQ(r.stock.size(), std::size_t(D) * kStockCells);
    ASSERT_EQ(r.stock_by_department.size(), std::size_t(D) * kActiveStages * nd);
    ASSERT_EQ(r.transitions.size(), std::size_t(D) * kTransitions * kRoutes);
    ASSERT_GT(r.events.size(), 500u) << "the workshop scenario should show every route";

    // Transition counters = events counted by (day, stage entered, route).
    std::vector<std::int32_t> transitions(r.transitions.size(), 0);
    for (const Event& e : r.events) {
      ASSERT_GE(e.day, 0);
      ASSERT_LT(e.day, D);
      ASSERT_LT(e.to, kTransitions);
      ASSERT_LT(e.route, kRoutes);
      ASSERT_LT(e.platform, kPlatforms);
      EXPECT_EQ(e.replicate, rep);
      ++transitions[(std::size_t(e.day) * kTransitions + e.to) * kRoutes + e.route];
    }
    EXPECT_EQ(transitions, r.transitions);

    // Replay, day by day.
    std::vector<State> st(pop.size());
    std::set<PersonId> active;
    std::vector<std::int64_t> cum_in(kActiveStages, 0), cum_out(kActiveStages, 0);
    std::size_t k = 0;
    std::int64_t stock_errors = 0, dept_errors = 0, conservation_errors = 0;
    for (int day = 0; day < D; ++day) {
      for (; k < r.events.size() && r.events[k].day == day; ++k) {
        const Event& e = r.events[k];
        State& s = st[e.person];
        if (e.from == kEntry) {
          ASSERT_EQ(s.stage, kNoStage) << "person " << e.person << " enters a second pipeline on day " << day;
          ASSERT_FALSE(s.victim) << "victim " << e.person << " targeted again on day " << day;
          ASSERT_LT(e.to, kActiveStages);
          s.stage = e.to, s.route = e.route, s.platform = e.platform, s.recruiter = e.recruiter;
          active.insert(e.person);
        } else {
          ASSERT_EQ(s.stage, e.from) << "event leaves a stage the person is not in (person " << e.person << ", day "
                                     << day << ")";
          ASSERT_EQ(s.recruiter, e.recruiter);
          ASSERT_EQ(s.route, e.route);
          ASSERT_EQ(s.platform, e.platform);
          ++cum_out[e.from];
          if (e.to == std::uint8_t(Stage::Recruited)) s.victim = true;
          if (e.to >= kActiveStages) {
            s.stage = kNoStage;
            active.erase(e.person);
          } else {
            s.stage = e.to;
          }
        }
        if (e.to < kActiveStages) ++cum_in[e.to];
      }
      ASSERT_TRUE(k == r.events.size() || r.events[k].day > day) << "events are not in day order";

      std::vector<std::int32_t> cells(kStockCells, 0), by_dept(std::size_t(kActiveStages) * nd, 0);
      for (PersonId i : active) {
        const State& s = st[i];
        ++cells[stock_index(s.stage, s.route, s.platform, int(pop.age_group(i, day)), pop.gender_of(i, day))];
        ++by_dept[std::size_t(s.stage) * nd + pop.department[i]];
      }
      const std::int32_t* stock = r.stock.data() + std::size_t(day) * kStockCells;
      const std::int32_t* dept = r.stock_by_department.data() + std::size_t(day) * kActiveStages * nd;
      for (std::size_t c = 0; c < kStockCells; ++c) stock_errors += stock[c] != cells[c];
      for (std::size_t c = 0; c < by_dept.size(); ++c) dept_errors += dept[c] != by_dept[c];
      for (int s = 0; s < kActiveStages; ++s) {
        std::int64_t total = 0, total_dept = 0;
        for (int rt = 0; rt < kRoutes; ++rt)
          for (int p = 0; p < kPlatforms; ++p)
            for (int a = 0; a < kAgeGroups; ++a)
              for (int g = 0; g < kGenders; ++g) total += stock[stock_index(s, rt, p, a, g)];
        for (int d = 0; d < nd; ++d) total_dept += dept[s * nd + d];
        conservation_errors += total != cum_in[s] - cum_out[s];
        conservation_errors += total_dept != total;
      }
    }
    EXPECT_EQ(stock_errors, 0) << "stock cells differing from the pipelines rebuilt from events";
    EXPECT_EQ(dept_errors, 0) << "stock_by_department cells differing from the rebuilt pipelines";
    EXPECT_EQ(conservation_errors, 0) << "(day, stage) pairs where stock != entries - exits";

    // Summary = events and victims.
    const Summary s = summarise(sc, r);
    std::int64_t recruited = 0;
    std::vector<std::int32_t> entries(kRoutes, 0), exits(kTransitions, 0), recruited_by_route(kRoutes, 0);
    std::multiset<std::pair<PersonId, int>> recruited_events;
    for (const Event& e : r.events) {
      if (e.from == kEntry) ++entries[e.route];
      if (e.to >= kActiveStages) ++exits[e.to];
      if (e.to == std::uint8_t(Stage::Recruited)) {
        ++recruited, ++recruited_by_route[e.route];
        recruited_events.insert({e.person, e.day});
      }
    }
    ASSERT_GT(recruited, 0);
    EXPECT_EQ(s.victims, recruited);
    EXPECT_EQ(std::int64_t(r.victims.size()), recruited);
    EXPECT_EQ(s.attempts_by_route, entries);
    EXPECT_EQ(s.exits, exits);
    EXPECT_EQ(s.by_route, recruited_by_route);
    std::multiset<std::pair<PersonId, int>> victim_list;
    for (const Victim& v : r.victims) {
      victim_list.insert({v.person, v.day});
      EXPECT_EQ(v.department, pop.department[v.person]);
      EXPECT_EQ(v.gender, pop.gender_of(v.person, v.day));
      EXPECT_EQ(v.age_group, std::uint8_t(pop.age_group(v.person, v.day)));
    }
    EXPECT_EQ(victim_list, recruited_events);
    std::int64_t by_year = 0, by_dept = 0;
    for (auto x : s.by_year) by_year += x;
    for (auto x : s.by_department) by_dept += x;
    EXPECT_EQ(by_year, recruited);
    EXPECT_EQ(by_dept, recruited);
  }
}

// ---------------------------------------------------------------------------------------------
// 5. No recruiters, no recruitment (MODEL.md 8.2).
TEST(EngineNoRecruiters, ZeroEventsAndZeroVictims) {
  Scenario sc = workshop();
  sc.days = 400;
  sc.recruiters.per_100k = 0;
  World w = build(sc, 5);
  for (int rep = 0; rep < 2; ++rep) {
    ReplicateResult r = Simulation(sc, w.pop, w.net).run(5, rep);
    EXPECT_TRUE(r.events.empty());
    EXPECT_TRUE(r.victims.empty());
    EXPECT_EQ(r.recruiters_arrested, 0);
    EXPECT_EQ(std::count(r.stock.begin(), r.stock.end(), 0), std::ptrdiff_t(r.stock.size()));
    EXPECT_EQ(std::count(r.transitions.begin(), r.transitions.end(), 0), std::ptrdiff_t(r.transitions.size()));
    EXPECT_EQ(std::count(r.recruiters_active.begin(), r.recruiters_active.end(), 0),
              std::ptrdiff_t(r.recruiters_active.size()));
    EXPECT_EQ(summarise(sc, r).victims, 0);
  }
}

// ---------------------------------------------------------------------------------------------
// 6. Arrests remove recruiters. With recognition by parents and peers switched off, the stage
// `intervened` is entered only when a recruiter is arrested: the engine then ends every attempt
// of that recruiter still before `recruited`, on the arrest day. Observable checks:
//  - with a high arrest_base some recruiters are arrested, and replacements keep the active count
//    near its steady-state mean (runs start in the steady state of arrest and replacement);
//  - a recruiter with `intervened` events has all of them on one day a (its arrest), none of its
//    attempts before `recruited` survives day a, and it starts no pipeline after day a (not even
//    through ads it posted before the arrest);
//  - with arrest_base 0 there are no arrests and the number of active recruiters is constant
//    (a Poisson draw around per_100k x population).
Scenario arrest_scenario(double arrest_base) {
  Scenario sc = workshop();
  sc.days = 365;
  sc.recruiters.per_100k = 100;
  // Quick replacement keeps the steady-state slot count (active x (1 + p R)) small.
  sc.recruiters.replacement_days = 30;
  sc.grooming.rec_parent = 0;
  sc.grooming.rec_peer = 0;
  sc.enforcement.arrest_base = arrest_base;
  return sc;
}

TEST(EngineArrests, ArrestedRecruitersStop) {
  Scenario sc = arrest_scenario(0.02);
  const std::uint32_t seed = 8;
  World w = build(sc, seed);
  const double expected = sc.recruiters.per_100k * double(w.pop.size()) / 1e5;
  int with_intervened_total = 0;
  for (int rep = 0; rep < 3; ++rep) {
    SCOPED_TRACE("replicate " + std::to_string(rep));
    ReplicateResult r = Simulation(sc, w.pop, w.net).run(seed, rep);
    EXPECT_GT(r.recruiters_arrested, 0);
    EXPECT_EQ(summarise(sc, r).recruiters_arrested, r.recruiters_arrested);
    ASSERT_FALSE(r.recruiters_active.empty());
    // Arrests and replacements balance: the active count stays near its steady-state mean.
    double mean_active = 0;
    for (auto a : r.recruiters_active) mean_active += a;
    mean_active /= double(r.recruiters_active.size());
    EXPECT_NEAR(mean_active, expected, 4 * std::sqrt(expected) + 1);

    std::map<std::uint32_t, int> arrest_day;
    for (const Event& e : r.events) {
      if (e.to != std::uint8_t(Stage::Intervened)) continue;
      auto [it, fresh] = arrest_day.emplace(e.recruiter, e.day);
      EXPECT_EQ(it->second, e.day) << "recruiter " << e.recruiter << " intervened on two different days";
    }
    EXPECT_LE(std::int32_t(arrest_day.size()), r.recruiters_arrested);
    with_intervened_total += int(arrest_day.size());
    // Open attempts, replayed: at the end of its arrest day a recruiter has none before
    // `recruited`, and it starts none later.
    std::map<PersonId, std::pair<std::uint32_t, std::uint8_t>> open;  // person -> (recruiter, stage)
    std::size_t k = 0;
    for (int day = 0; day < sc.days; ++day) {
      for (; k < r.events.size() && r.events[k].day == day; ++k) {
        const Event& e = r.events[k];
        auto a = arrest_day.find(e.recruiter);
        if (e.from == kEntry && a != arrest_day.end()) {
          EXPECT_LE(e.day, a->second) << "recruiter " << e.recruiter << " arrested on day " << a->second
                                      << " starts a pipeline (route " << int(e.route) << ") on day " << e.day;
        }
        if (e.to >= kActiveStages) {
          open.erase(e.person);
        } else {
          open[e.person] = {e.recruiter, e.to};
        }
      }
      for (const auto& [person, rs] : open) {
        auto a = arrest_day.find(rs.first);
        if (a != arrest_day.end() && a->second == day) {
          EXPECT_GE(rs.second, std::uint8_t(Stage::Recruited))
              << "attempt on " << person << " by recruiter " << rs.first << " survives its arrest on day " << day;
        }
      }
    }
  }
  EXPECT_GT(with_intervened_total, 0) << "no arrest ended an attempt: the checks above were vacuous";
}

TEST(EngineArrests, NoArrestsWithZeroHazard) {
  Scenario sc = arrest_scenario(0.0);
  World w = build(sc, 8);
  // Slots are a Poisson count with this mean; with no arrests every slot stays filled all run.
  const double expected = sc.recruiters.per_100k * double(w.pop.size()) / 1e5;
  ReplicateResult r = Simulation(sc, w.pop, w.net).run(8, 0);
  EXPECT_EQ(r.recruiters_arrested, 0);
  ASSERT_FALSE(r.recruiters_active.empty());
  const auto initial = r.recruiters_active.front();
  EXPECT_NEAR(double(initial), expected, 4 * std::sqrt(expected) + 1);
  for (auto a : r.recruiters_active) EXPECT_EQ(a, initial);
  for (const Event& e : r.events) EXPECT_NE(e.to, std::uint8_t(Stage::Intervened));
  EXPECT_GT(r.events.size(), 0u);
}

// ---------------------------------------------------------------------------------------------
// 8. Determinism: Simulation::run gives identical results under 1, 2 and 4 worker threads, with
// the pandemic shock and a package of interventions of every phase active (so every parallel
// loop runs), and with 100 recruiters (the recruiter loop splits into several chunks).
void expect_same(const ReplicateResult& a, const ReplicateResult& b, const std::string& what) {
  SCOPED_TRACE(what);
  EXPECT_EQ(a.stock, b.stock);
  EXPECT_EQ(a.stock_by_department, b.stock_by_department);
  EXPECT_EQ(a.transitions, b.transitions);
  EXPECT_EQ(a.recruiters_active, b.recruiters_active);
  EXPECT_EQ(a.recruiters_arrested, b.recruiters_arrested);
  EXPECT_EQ(a.reach, b.reach);
  EXPECT_EQ(a.cost, b.cost);
  EXPECT_EQ(a.reporting_add, b.reporting_add);
  ASSERT_EQ(a.events.size(), b.events.size());
  std::size_t diff = 0;
  for (std::size_t k = 0; k < a.events.size(); ++k) {
    const Event &x = a.events[k], &y = b.events[k];
    diff += x.replicate != y.replicate || x.day != y.day || x.person != y.person || x.recruiter != y.recruiter ||
            x.from != y.from || x.to != y.to || x.route != y.route || x.platform != y.platform;
  }
  EXPECT_EQ(diff, 0u) << "events differing";
  ASSERT_EQ(a.victims.size(), b.victims.size());
  diff = 0;
  for (std::size_t k = 0; k < a.victims.size(); ++k) {
    const Victim &x = a.victims[k], &y = b.victims[k];
    diff += x.person != y.person || x.recruiter != y.recruiter || x.day != y.day || x.route != y.route ||
            x.platform != y.platform || x.exploitation != y.exploitation || x.destination != y.destination ||
            x.department != y.department || x.age_group != y.age_group || x.gender != y.gender || x.means != y.means;
  }
  EXPECT_EQ(diff, 0u) << "victims differing";
}

TEST(DeterminismEngine, IdenticalResultsForOneTwoAndFourThreads) {
  const testing::TempDir dir("redes-engine-det");
  const fs::path file = dir.path / "scenario.yaml";
  {
    std::ofstream out(file);
    out << "include: " << REDES_SOURCE_DIR << "/scenarios/paraguay/pandemic-2020.yaml\n"
        << "name: determinism test\n"
        << "override:\n"
        << "  population.size: {value: 20000, assumed: test}\n"
        << "  recruitment.recruiters.per_100k: {value: 500, assumed: test}\n"
        << "  recruitment.fishing.max_ad_days: {value: 20, assumed: test}\n"
        << "  calendar.years: {value: 1.5, assumed: test}\n"
        << "interventions:\n"
        << "  - {type: awareness_campaign, name: campaign, start: \"2019-03-01\", end: \"2020-06-30\", channel: "
           "social_media,\n"
        << "     targeting: {ages: [13, 35]}, coverage: 0.4, effect: 0.25, half_life_days: 180, peer_spread: true, "
           "peer_effect: 0.5}\n"
        << "  - {type: data_protection, name: privacy, start: \"2019-06-01\", end: \"2020-12-31\", coverage: 0.3, "
           "effect: 0.4}\n"
        << "  - {type: platform_moderation, name: moderation, start: \"2019-02-01\", end: \"2020-06-30\",\n"
        << "     platforms: [facebook, instagram, tiktok], coverage: 1.0, effect: 0.05, cooperation: 0.1, "
           "half_life_days: 90}\n"
        << "  - {type: reporting_channel, name: channel, start: \"2019-02-01\", end: \"2020-12-31\", coverage: 0.7, "
           "effect: 0.3}\n";
  }
  Scenario sc = load_scenario(file);
  ASSERT_EQ(sc.interventions.size(), 4u);
  ASSERT_EQ(sc.shocks.size(), 1u);
  const std::uint32_t seed = 7;
  World w = build(sc, seed);

  auto run_with = [&](int threads) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, std::size_t(threads));
    tbb::task_arena arena(threads);
    std::vector<ReplicateResult> out(2);
    // Two replicates at once, as `redes run` does, each with parallel loops inside.
    arena.execute([&] {
      tbb::parallel_for(0, 2, [&](int k) { out[std::size_t(k)] = Simulation(sc, w.pop, w.net).run(seed, k); });
    });
    return out;
  };
  const auto one = run_with(1);
  ASSERT_GT(one[0].events.size(), 1000u);
  ASSERT_GT(one[0].victims.size(), 0u);
  for (int threads : {2, 4}) {
    const auto many = run_with(threads);
    for (int k = 0; k < 2; ++k)
      expect_same(one[std::size_t(k)], many[std::size_t(k)],
                  std::to_string(threads) + " threads, replicate " + std::to_string(k));
  }
  // And the replicates differ from each other (the comparison is not between empty results).
  EXPECT_NE(one[0].transitions, one[1].transitions);
}

}  // namespace
}  // namespace redes
