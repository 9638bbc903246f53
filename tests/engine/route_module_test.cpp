// Recruitment routes as modules (sim/recruitment/route.hpp): the registry lists the built-in
// routes in label order, and a route registered from outside (here a trivial one, as the README's
// "Adding a recruitment route" describes) is run by the engine: its proposals win, start pipelines
// at the route's entry stage with its trust, and those pipelines advance.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/core/labels.hpp"
#include "sim/core/rng.hpp"
#include "sim/engine/engine.hpp"
#include "sim/network/network.hpp"
#include "sim/population/population.hpp"
#include "sim/recruitment/route.hpp"
#include "sim/scenario/scenario.hpp"

namespace redes {
namespace {

constexpr PersonId kTarget = 7;

/// Every online recruiter proposes one fixed person each day, offline, and the attempt starts at
/// `groomed` (no built-in route starts there) with little trust.
class FixedPerson final : public RecruitmentRoute {
 public:
  explicit FixedPerson(const Scenario&) {}
  std::unique_ptr<RecruitmentRoute> clone() const override { return std::make_unique<FixedPerson>(*this); }
  RouteTraits traits() const override {
    RouteTraits t;
    t.entry = Stage::Groomed;
    t.trust_start = 0.25f;
    t.fake_profile = false;
    return t;
  }
  bool for_embedded() const override { return false; }
  void act(const RouteWorld& w, Recruiter& rec, RecruiterId r, int day, int free, std::uint8_t route,
           std::vector<Proposal>& out) override {
    if (free <= 0 || !w.available(kTarget)) return;
    out.push_back({kTarget, r, order_key(w.rng, kTarget, std::uint32_t(day), rec.slot, rec.generation), route,
                   std::uint8_t(kOffline)});
  }
};
std::unique_ptr<RecruitmentRoute> make_fixed_person(const Scenario& sc) { return std::make_unique<FixedPerson>(sc); }

/// The workshop with online recruiters only, who neither hunt nor post ads: the built-in routes
/// propose nobody.
Scenario quiet_workshop() {
  Scenario sc = load_scenario(std::string(REDES_SOURCE_DIR) + "/scenarios/workshop/small.yaml");
  sc.days = 60;
  sc.warmup_days = 0;
  sc.recruiters.embedded_share = 0;
  sc.recruiters.hunting_share = 0;
  sc.fishing.ad_rate = 0;
  sc.enforcement.arrest_base = 0;
  return sc;
}

TEST(RouteModule, RegistryListsTheBuiltInRoutesInLabelOrder) {
  const auto& routes = recruitment_routes();
  ASSERT_EQ(routes.size(), std::size_t(kRoutes));
  const Scenario sc = quiet_workshop();
  for (int k = 0; k < kRoutes; ++k) {
    EXPECT_EQ(int(routes[std::size_t(k)].label), k) << kRouteNames[std::size_t(k)];
    EXPECT_FALSE(routes[std::size_t(k)].description.empty());
    EXPECT_NE(routes[std::size_t(k)].make(sc), nullptr);
  }
  // Entry stages of the built-in routes (MODEL.md section 6): hunting is a contact that may be declined.
  EXPECT_EQ(routes[0].make(sc)->traits().entry, Stage::Contacted);
  EXPECT_EQ(routes[1].make(sc)->traits().entry, Stage::Engaged);
  EXPECT_EQ(routes[2].make(sc)->traits().entry, Stage::Engaged);
  EXPECT_FLOAT_EQ(routes[2].make(sc)->traits().trust_start, float(sc.trusted.trust_start));
}

TEST(RouteModule, AnExtraRouteRunsAndItsProposalsStartPipelines) {
  const Scenario sc = quiet_workshop();
  const std::uint32_t seed = 11;
  Population pop = build_population(sc, seed);
  Network net = build_network(sc, pop, seed);
  ASSERT_GT(pop.size(), kTarget);

  // The built-in routes alone: nobody enters a pipeline in this scenario.
  const ReplicateResult quiet = Simulation(sc, pop, net).run(seed, 0);
  EXPECT_TRUE(quiet.events.empty()) << quiet.events.size() << " events without the extra route";

  Simulation sim(sc, pop, net);
  std::vector<RouteType> routes = recruitment_routes();
  routes.push_back({Route::Hunting, "test: one fixed person", make_fixed_person});
  sim.set_routes(routes);
  const ReplicateResult res = sim.run(seed, 0);

  ASSERT_FALSE(res.events.empty());
  const Event& first = res.events.front();
  EXPECT_EQ(first.day, 0);
  EXPECT_EQ(first.person, kTarget);
  EXPECT_EQ(first.from, kEntry);
  EXPECT_EQ(first.to, std::uint8_t(Stage::Groomed));     // the route's entry stage
  EXPECT_EQ(first.route, std::uint8_t(Route::Hunting));  // its label in outputs
  EXPECT_EQ(first.platform, kOffline);
  // Only the fixed person is ever approached, one attempt at a time, and the attempts advance.
  int entries = 0, later = 0;
  bool open = false;
  for (const Event& e : res.events) {
    EXPECT_EQ(e.person, kTarget);
    if (e.from == kEntry) {
      EXPECT_FALSE(open) << "two attempts at once on day " << e.day;
      ++entries, open = true;
    } else {
      ++later;
    }
    if (e.to >= kActiveStages) open = false;
  }
  EXPECT_GE(entries, 1);
  EXPECT_GE(later, 1) << "the attempt never left groomed";
  // The day-0 stock holds the pipeline under its label, stage and platform.
  std::int64_t groomed = 0;
  for (int ag = 0; ag < kAgeGroups; ++ag)
    for (int g = 0; g < kGenders; ++g)
      groomed += res.stock[stock_index(std::uint8_t(Stage::Groomed), std::uint8_t(Route::Hunting), kOffline, ag, g)];
  EXPECT_EQ(groomed, 1);
  EXPECT_EQ(res.transitions[std::size_t(Stage::Groomed) * kRoutes + std::size_t(Route::Hunting)], 1);
}

}  // namespace
}  // namespace redes
