#include "sim/study/study.hpp"

#include <chrono>
#include <limits>
#include <numeric>

#include "sim/engine/engine.hpp"
#include "sim/engine/runner.hpp"
#include "sim/interventions/intervention.hpp"
#include "sim/study/world_file.hpp"

namespace redes {
namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

/// Runs `simulate` unless the study is cancelled; a stopped simulation cancels the study.
template <class Simulate>
auto cancellable(const Callbacks& cb, Simulate&& simulate) {
  if ((cb.cancelled && cb.cancelled()) || (cb.stop && cb.stop->load())) throw StudyCancelled();
  try {
    return simulate();
  } catch (const SimulationStopped&) {
    throw StudyCancelled();
  }
}

ReplicateResult simulate(const Scenario& sc, const World& w, std::uint32_t seed, int replicate,
                         std::atomic<std::int64_t>* days_done, const Callbacks& cb) {
  return cancellable(cb, [&] { return Simulation(sc, w.pop, w.net).run(seed, replicate, days_done, cb.stop); });
}

/// A replicate with what the sink reads of it, computed on the worker (summarise and observe are
/// pure functions of the run, so where they run does not change them).
struct Finished {
  ReplicateResult res;
  Summary summary;
  Observed observed;
};

Finished finish(const Scenario& sc, ReplicateResult&& res, std::uint32_t seed, int replicate) {
  Finished f{std::move(res), {}, {}};
  f.summary = summarise(sc, f.res);
  f.observed = observe(sc, f.res, Rng(seed, std::uint32_t(replicate)));
  return f;
}

double share(double part, double all) { return all > 0 ? part / all : std::numeric_limits<double>::quiet_NaN(); }

/// Who the victims are and where they come from, true and recorded, for the run summary.
void add_profile(RunResult& out, const Summary& s, const Observed& o) {
  const std::size_t nd = std::size_t(o.departments);
  out.origin_victims.resize(nd, 0.0);
  out.record_cases.resize(nd, 0.0);
  for (std::size_t d = 0; d < nd && d < s.by_department.size(); ++d) out.origin_victims[d] += s.by_department[d];
  for (std::size_t c = 0; c < o.case_files.size(); ++c) out.record_cases[c % nd] += o.case_files[c];
  out.cases.push_back(std::accumulate(o.case_files.begin(), o.case_files.end(), 0.0));
  const double true_minors =
      s.by_age_group[std::size_t(AgeGroup::Child)] + s.by_age_group[std::size_t(AgeGroup::Adolescent)];
  double recorded = 0, recorded_minors = 0, recorded_women = 0;
  for (int a = 0; a < kAgeGroups; ++a)
    for (int g = 0; g < kGenders; ++g) {
      const double n = o.recorded_profile[std::size_t(a) * kGenders + std::size_t(g)];
      recorded += n;
      recorded_minors += a <= int(AgeGroup::Adolescent) ? n : 0;
      recorded_women += g == 0 ? n : 0;
    }
  out.minor_share_true.push_back(share(true_minors, s.victims));
  out.female_share_true.push_back(share(s.by_gender[0], s.victims));
  out.minor_share_recorded.push_back(share(recorded_minors, recorded));
  out.female_share_recorded.push_back(share(recorded_women, recorded));
}

}  // namespace

World build_world(const Scenario& sc, std::uint32_t seed) {
  auto t0 = Clock::now();
  World w;
  w.pop = build_population(sc, seed);
  w.net = build_network(sc, w.pop, seed);
  w.build_seconds = seconds_since(t0);
  return w;
}

World build_or_load_world(const Scenario& sc, std::uint32_t seed, const std::filesystem::path& population_file) {
  return population_file.empty() ? build_world(sc, seed) : load_world(population_file, sc, seed);
}

std::vector<std::string> intervention_names(const Scenario& sc) {
  std::vector<std::string> names;
  for (const auto& spec : sc.interventions) names.push_back(spec.parsed->name());
  return names;
}

RunResult run_study(const RunRequest& req, const Callbacks& cb) {
  const Scenario& sc = req.scenario;
  RunResult out;
  out.intervention_names = intervention_names(sc);
  World w = build_or_load_world(sc, req.seed, req.population_file);
  out.build_seconds = w.build_seconds;
  std::atomic<std::int64_t>* days =
      cb.start ? cb.start(std::int64_t(sc.days) * req.replicates, w.build_seconds) : nullptr;
  auto t0 = Clock::now();
  run_tasks<Finished>(
      req.replicates, req.threads,
      [&](int r) { return finish(sc, simulate(sc, w, req.seed, r, days, cb), req.seed, r); },
      [&](int r, Finished&& f) {
        const ReplicateResult& res = f.res;
        Summary& s = f.summary;
        const Observed& o = f.observed;
        if (cb.on_replicate) cb.on_replicate(0, r, res, s, o);
        out.victims.push_back(s.victims);
        out.recorded.push_back(std::accumulate(o.recorded_victims.begin(), o.recorded_victims.end(), 0.0));
        out.hidden.push_back(o.hidden_ratio);
        add_profile(out, s, o);
        out.costs.push_back(std::accumulate(res.cost.begin(), res.cost.end(), 0.0));
        out.summaries.push_back(std::move(s));
        out.ties_visited += res.ties_visited;
        out.sim_seconds += res.seconds;
      });
  out.wall_seconds = seconds_since(t0);
  return out;
}

CompareResult compare_study(const CompareRequest& req, const Callbacks& cb) {
  const Scenario& base = req.baseline;
  std::vector<const Scenario*> all{&base};
  for (auto& a : req.arms) all.push_back(&a);
  CompareResult out;
  for (auto* sc : all) out.intervention_names.push_back(intervention_names(*sc));
  World w = build_or_load_world(base, req.seed, req.population_file);
  out.build_seconds = w.build_seconds;
  out.outcomes.resize(all.size());
  for (std::size_t k = 0; k < all.size(); ++k) out.outcomes[k].name = req.arm_names[k];
  const int A = int(all.size());
  std::atomic<std::int64_t>* days =
      cb.start ? cb.start(std::int64_t(base.days) * req.replicates * A, w.build_seconds) : nullptr;
  auto t0 = Clock::now();
  const auto sink = [&](int t, Finished&& f) {
    if (cb.on_replicate) cb.on_replicate(std::size_t(t % A), t / A, f.res, f.summary, f.observed);
    out.outcomes[std::size_t(t % A)].summaries.push_back(std::move(f.summary));
    out.outcomes[std::size_t(t % A)].costs.push_back(std::accumulate(f.res.cost.begin(), f.res.cost.end(), 0.0));
  };
  // Arms differ only in their interventions, which start on day 0: each replicate's warm-up is
  // simulated once and continued by every arm (the same numbers as warming up per arm). Blocks of
  // `threads` replicates bound the warm states held at once.
  using Warm = std::shared_ptr<const Simulation::Warm>;
  const Simulation base_sim(base, w.pop, w.net);
  const int block = std::max(1, req.threads);
  for (int first = 0; first < req.replicates; first += block) {
    const int n = std::min(block, req.replicates - first);
    std::vector<Warm> warm(static_cast<std::size_t>(n));
    run_tasks<Warm>(
        n, req.threads,
        [&](int k) { return cancellable(cb, [&] { return base_sim.warm_up(req.seed, first + k, cb.stop); }); },
        [&](int k, Warm&& s) { warm[std::size_t(k)] = std::move(s); });
    run_tasks<Finished>(
        n * A, req.threads,
        [&](int k) {
          const Scenario& sc = *all[std::size_t(k % A)];
          const Warm& from = warm[std::size_t(k / A)];
          return finish(sc,
                        cancellable(cb, [&] { return Simulation(sc, w.pop, w.net).run_from(*from, days, cb.stop); }),
                        req.seed, first + k / A);
        },
        [&](int k, Finished&& f) { sink(first * A + k, std::move(f)); });
  }
  out.wall_seconds = seconds_since(t0);
  std::vector<ArmOutcome> iv_arms(out.outcomes.begin() + 1, out.outcomes.end());
  out.rows = compare_arms(out.outcomes[0], iv_arms, base.population.represents / double(base.population.size));
  return out;
}

}  // namespace redes
