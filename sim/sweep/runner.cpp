#include "sim/sweep/runner.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <chrono>

#include "sim/engine/engine.hpp"
#include "sim/engine/summary.hpp"
#include "sim/observation/observation.hpp"
#include "sim/sweep/metrics.hpp"

namespace redes::sweep {

std::string world_key(const Scenario& sc, std::uint32_t seed) {
  // Every field build_population and build_network read; fmt's "{}" prints doubles exactly.
  const auto& p = sc.population;
  std::string k = fmt::format("{}|{}|{}|{}|{}|{}|{}|", seed, sc.file.parent_path().string(), p.size, p.female_share,
                              p.mean_household_size, fmt::join(p.departments, ","), sc.start_year);
  k += fmt::format("{}|{}|{}|{}|{}|", fmt::join(p.department_share, ","), fmt::join(p.urban_share, ","),
                   fmt::join(p.poverty_rate, ","), p.poverty_urban_factor, p.poverty_rural_factor);
  for (const auto& b : p.age_bands) k += fmt::format("{}-{}:{},", b.lo, b.hi, b.share);
  k += fmt::format("|{} {} {} {} {}|{} {} {}|{}|{}|{}|{}|{} {} {}|{} {} {}|{} {} {} {}|", p.family_conflict_mean,
                   p.family_conflict_poverty_corr, fmt::join(p.device_access, ","), p.device_rural_factor,
                   p.device_poverty_factor, fmt::join(p.screen_hours, ","), fmt::join(p.privacy_exposure, ","),
                   fmt::join(p.digital_literacy, ","), p.literacy_rural_penalty, p.literacy_poverty_penalty,
                   p.awareness_mean, p.attribute_spread, p.supervision_child, p.supervision_adolescent,
                   p.supervision_conflict_penalty, p.job_seeking_base, p.job_seeking_poverty, p.migration_wish_base,
                   p.migration_wish_poverty, p.represents, sc.days, sc.start_date);
  const auto& n = sc.network;
  k += fmt::format("{} {} {} {} {} {} {} {}|", n.school_work_degree, n.school_work_same_age,
                   n.school_work_cross_department, n.neighbourhood_degree, n.neighbourhood_rewire,
                   n.household_edge_list, n.school_work_edge_list, n.neighbourhood_edge_list);
  for (const auto& pl : sc.platforms)
    k += fmt::format("{} {} {} {} {} {} {};", pl.enabled, fmt::join(pl.use, ","), pl.mean_degree, pl.degree_tail,
                     pl.same_department, pl.edge_list, pl.shock_only);
  return k;
}

std::shared_ptr<const World> WorldCache::get(const Scenario& sc, std::uint32_t seed) {
  const std::string key = world_key(sc, seed);
  std::lock_guard lock(mutex_);  // builds are serialised; they are rare and parallel inside
  if (auto w = worlds_[key].lock()) return w;
  auto w = std::make_shared<World>();
  // Isolated: while this thread waits inside the build's own parallel loops it must not pick up
  // another run's task, which would ask for the lock it holds.
  tbb::this_task_arena::isolate([&] {
    w->pop = build_population(sc, seed);
    w->net = build_network(sc, w->pop, seed);
  });
  worlds_[key] = w;
  return w;
}

RunRecord simulate_run(const Plan& plan, std::int64_t run, WorldCache& worlds) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::size_t point = plan.point_of(run);
  const int replicate = plan.replicate_of(run);
  const std::uint32_t seed = plan.seed_of(point);
  const Scenario sc = plan.scenario(point);
  auto world = worlds.get(sc, seed);
  const auto t1 = std::chrono::steady_clock::now();
  ReplicateResult res = Simulation(sc, world->pop, world->net).run(seed, replicate);
  const auto t2 = std::chrono::steady_clock::now();
  const Summary s = summarise(sc, res);
  const Observed o = observe(sc, res, Rng(seed, std::uint32_t(replicate)));
  RunRecord rec;
  rec.run = run;
  rec.metrics = run_metrics(sc, res, s, o);
  if (plan.spec().trajectories) {
    rec.trajectory.assign(std::size_t(sc.days), 0);
    for (const auto& v : res.victims)
      if (v.day >= 0) ++rec.trajectory[std::size_t(v.day)];  // warm-up victims are before the window
  }
  rec.engine_seconds = std::chrono::duration<double>(t2 - t1).count();
  rec.total_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return rec;
}

std::size_t simulate_runs(const Plan& plan, const std::vector<std::int64_t>& runs, WorldCache& worlds,
                          const std::function<void(RunRecord&&)>& done, const std::function<bool()>& cancelled) {
  std::atomic<bool> stop{false};
  std::atomic<std::size_t> skipped{0};
  tbb::parallel_for(std::size_t(0), runs.size(), [&](std::size_t i) {
    if (cancelled && (stop || cancelled())) {
      stop = true;
      ++skipped;
      return;
    }
    done(simulate_run(plan, runs[i], worlds));
  });
  return skipped;
}

}  // namespace redes::sweep
