// decision/study: the draws study behind `compare --draws` and `optimize` (declared in study.hpp).
// Over 500 lines because the draw loop, its MPI lead/serve split and its journal share the private
// arm-scenario and metric-record helpers above them: one place where a draw becomes runs.
#include "sim/decision/study.hpp"

#include <fmt/format.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <iterator>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <stdexcept>

#include "sim/core/fnv1a.hpp"
#include "sim/core/labels.hpp"
#include "sim/core/rng.hpp"
#include "sim/core/statistics.hpp"
#include "sim/core/version.hpp"
#include "sim/engine/engine.hpp"
#include "sim/engine/summary.hpp"
#include "sim/interventions/intervention.hpp"
#include "sim/output/h5.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/yaml_tree.hpp"
#include "sim/sweep/mpi_runner.hpp"
#include "sim/sweep/runner.hpp"

namespace redes::decision {
namespace {

io::Node scalar_node(double v, const Location& at) {
  io::Node n;
  n.kind = io::Node::Kind::Scalar;
  n.scalar = fmt::format("{}", v);
  n.loc = n.key_loc = at;
  return n;
}

// A drawn value replaces the node at `key` (with provenance, so strict readers still accept it).
void set_value(io::Node& tree, const std::string& key, double v, const std::string& why) {
  const io::Node* old = io::find_path(tree, key);
  const Location at = old ? old->loc : Location{};
  if (key.back() == ']') return io::apply_override(tree, key, scalar_node(v, at));
  io::Node value;
  value.kind = io::Node::Kind::Map;
  value.loc = value.key_loc = at;
  value.map.emplace_back("value", scalar_node(v, at));
  io::Node text;
  text.kind = io::Node::Kind::Scalar;
  text.scalar = why;
  value.map.emplace_back("assumed", text);
  io::apply_override(tree, key, value);
}

// FNV-1a: a stable entity id for an uncertain input, so the same programme's effect gets the
// same quantile in every arm it appears in (single and package arms draw it jointly).
std::uint32_t name_hash(const std::string& s) {
  std::uint32_t h = 2166136261u;
  for (unsigned char c : s) h = (h ^ c) * 16777619u;
  return h;
}

struct Posterior {
  std::vector<std::string> keys;
  std::vector<std::vector<double>> theta;  // [particle][parameter]
  std::vector<double> cumulative;          // normalised cumulative weights
};

Posterior read_posterior(const std::string& path) {
  h5::Reader f(path);
  const std::string ds = "/calibration/posterior/theta";
  if (!f.exists(ds))
    throw std::invalid_argument(path + ": no " + ds + " (not a calibration file from `redes calibrate`)");
  Posterior p;
  const auto shape = f.shape(ds);
  p.keys = f.scale_labels(ds, 1);
  const auto theta = f.read_double(ds);
  const auto w = f.read_double("/calibration/posterior/weight");
  if (shape.size() != 2 || p.keys.size() != shape[1] || w.size() != shape[0] || w.empty())
    throw std::invalid_argument(path + ": posterior particles, weights and parameter names disagree in size");
  double total = 0;
  for (std::size_t i = 0; i < shape[0]; ++i) {
    p.theta.emplace_back(theta.begin() + std::ptrdiff_t(i * shape[1]),
                         theta.begin() + std::ptrdiff_t((i + 1) * shape[1]));
    total += w[i];
    p.cumulative.push_back(total);
  }
  if (!(total > 0)) throw std::invalid_argument(path + ": posterior weights sum to zero");
  for (double& c : p.cumulative) c /= total;
  return p;
}

// A decision run as a sweep run record (the journal's one byte layout): victims, cost (USD),
// rescued, exploited days, recruiters arrested, then victims by department, age group, gender,
// route and platform: what the studies read from a run (counts are exact in doubles). Fresh and
// journaled runs both go through it, so a resumed study cannot differ from an uninterrupted one.
constexpr std::size_t kHead = 5;
std::size_t record_metrics(std::size_t departments) {
  return kHead + departments + kAgeGroups + kGenders + kRoutes + kPlatforms;
}

using CountField = std::vector<std::int32_t> Summary::*;
constexpr CountField kCounts[] = {&Summary::by_department, &Summary::by_age_group, &Summary::by_gender,
                                  &Summary::by_route, &Summary::by_platform};

std::vector<double> to_metrics(const Summary& s, double cost) {
  std::vector<double> m{double(s.victims), cost, double(s.rescued), double(s.exploited_days),
                        double(s.recruiters_arrested)};
  for (CountField f : kCounts) m.insert(m.end(), (s.*f).begin(), (s.*f).end());
  return m;
}

Summary from_metrics(const std::vector<double>& m, std::size_t departments, double& cost) {
  Summary s;
  s.victims = std::int32_t(m[0]), cost = m[1], s.rescued = std::int32_t(m[2]);
  s.exploited_days = std::int64_t(m[3]), s.recruiters_arrested = std::int32_t(m[4]);
  const std::size_t sizes[] = {departments, kAgeGroups, kGenders, kRoutes, kPlatforms};
  std::size_t at = kHead;
  for (std::size_t k = 0; k < std::size(kCounts); ++k) {
    for (std::size_t c = 0; c < sizes[k]; ++c) (s.*kCounts[k]).push_back(std::int32_t(m[at + c]));
    at += sizes[k];
  }
  return s;
}

}  // namespace

std::filesystem::path journal_path(const std::filesystem::path& output) { return output.string() + ".journal"; }

DrawsStudy::DrawsStudy(const DrawsOptions& opt) : opt_(opt) {
  if (opt.draws < 1 || opt.replicates < 1) throw std::invalid_argument("--draws and --replicates must be at least 1");
  base_tree_ = io::load_scenario_tree(opt.baseline);
  base_ = scenario_from_tree(base_tree_, opt.baseline);
  seed_ = opt.seed_given ? opt.seed : base_.seed;
  Posterior post;
  if (!opt.posterior.empty()) post = read_posterior(opt.posterior);
  const std::size_t K = std::size_t(opt.draws);
  parameters_ = post.keys;
  parameter_values_.assign(post.keys.size(), std::vector<double>(K, 0.0));  // posterior inputs first
  const Rng draw_rng(seed_, 0);
  for (std::size_t d = 0; d < K; ++d) {
    io::Node tree = base_tree_;
    if (!post.keys.empty()) {
      Draws dr(draw_rng, std::uint32_t(d), 0, Stream::DecisionPosterior);
      const double u = dr.uniform();
      const std::size_t i =
          std::size_t(std::lower_bound(post.cumulative.begin(), post.cumulative.end(), u) - post.cumulative.begin());
      const auto& th = post.theta[std::min(i, post.theta.size() - 1)];
      for (std::size_t j = 0; j < post.keys.size(); ++j)
        set_value(tree, post.keys[j], th[j], "posterior draw"), parameter_values_[j][d] = th[j];
    }
    draw_trees_.push_back(std::move(tree));
  }
  shape_ = {record_metrics(std::size_t(base_.department_count())), 0};
}

void DrawsStudy::journal_to(const std::filesystem::path& path, const std::string& request, std::int64_t arms) {
  const std::int64_t per_arm = std::int64_t(opt_.draws) * opt_.replicates;
  if (arms < 1 || arms > (INT64_MAX / 2) / per_arm)
    throw std::invalid_argument(
        fmt::format("{} arms x {} runs each are too many to number in a journal", arms, per_arm));
  // The fingerprint: the program, the draws (posterior values written into each draw's tree),
  // seed, replicates and whatever else the caller's request says decides the runs.
  std::string key = fmt::format("redes {} {}\ndecision draws {} replicates {} seed {}\n", version(), git_commit(),
                                opt_.draws, opt_.replicates, seed_);
  for (const auto& tree : draw_trees_) key += io::to_yaml(tree);
  key += request;
  const sweep::JournalShape shape{fnv1a(key), std::uint32_t(shape_.metrics), 0, arms * per_arm};
  journaled_.clear();
  sweep::read_journal(path, shape, [&](sweep::RunRecord&& r) { journaled_[r.run] = std::move(r); });
  journal_.emplace(path, shape);
  if (!journaled_.empty() && opt_.resuming) opt_.resuming(std::int64_t(journaled_.size()));
}

// The scenario of one arm in one draw, with the drawn intervention effects and costs written in.
Scenario DrawsStudy::arm_scenario(std::size_t d, const ArmFiles& arm, std::string& name) {
  const io::Node& draw_tree = draw_trees_[d];
  if (arm.files.empty()) {
    name = "baseline";
    return scenario_from_tree(draw_tree, opt_.baseline);
  }
  io::Node tree = draw_tree;
  std::optional<Scenario> single;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < arm.files.size(); ++i) {
    const io::Node* before = tree.find("interventions");
    const std::size_t first = before && before->is_seq() ? before->seq.size() : 0;
    Arm a = arm_from_files(tree, opt_.baseline, arm.files[i]);
    names.push_back(a.name);
    tree = std::move(a.tree);
    if (!arm.coverage.empty()) {
      const std::size_t last = tree.find("interventions")->seq.size();
      for (std::size_t j = first; j < last; ++j)
        set_value(tree, "interventions[" + std::to_string(j) + "].coverage", arm.coverage[i],
                  "coverage level of the options file");
    } else if (arm.files.size() == 1) {
      single = std::move(a.scenario);
    }
  }
  name = names[0];
  for (std::size_t i = 1; i < names.size(); ++i) name += " + " + names[i];
  Scenario sc = single ? std::move(*single) : scenario_from_tree(tree, opt_.baseline);
  bool changed = false;
  for (std::size_t j = 0; j < sc.interventions.size(); ++j)
    for (const auto& p : sc.interventions[j].parsed->uncertain()) {
      const std::string id = sc.interventions[j].parsed->type() + "/" + p.name;
      const Rng effect_rng(seed_, std::uint32_t(d));  // named: Draws keeps a reference to it
      Draws dr(effect_rng, name_hash(id), 0, Stream::DecisionEffect);
      const double u = dr.uniform();
      set_value(tree, "interventions[" + std::to_string(j) + "]." + p.name, p.dist.quantile(u),
                "drawn from " + p.dist.describe());
      changed = true;
      auto [it, fresh] = effect_index_.try_emplace(id, parameters_.size());
      if (fresh) {
        parameters_.push_back(id);
        parameter_values_.emplace_back(std::size_t(opt_.draws), 0.0);
      }
      parameter_values_[it->second][d] = p.dist.quantile(u);
    }
  return changed ? scenario_from_tree(tree, arm.files.back()) : sc;
}

std::vector<ArmRuns> DrawsStudy::run(const std::vector<ArmFiles>& arms) {
  const std::size_t K = std::size_t(opt_.draws), R = std::size_t(opt_.replicates), A = arms.size();
  const std::size_t departments = std::size_t(base_.department_count());
  std::vector<ArmRuns> out(A);
  std::vector<std::vector<Scenario>> scen(A);  // [arm][draw]
  for (std::size_t a = 0; a < A; ++a) {
    for (std::size_t d = 0; d < K; ++d) scen[a].push_back(arm_scenario(d, arms[a], out[a].name));
    out[a].victims.resize(K * R), out[a].cost.resize(K * R), out[a].summaries.resize(K * R);
  }
  auto run_id = [&](std::size_t a, std::size_t rep) { return arms[a].id * std::int64_t(K * R) + std::int64_t(rep); };
  auto use = [&](std::size_t a, std::size_t rep, const sweep::RunRecord& r) {  // each run writes its own slot
    double cost = 0;
    Summary s = from_metrics(r.metrics, departments, cost);
    out[a].victims[rep] = s.victims;
    out[a].cost[rep] = cost;
    out[a].summaries[rep] = std::move(s);
  };
  // Runs (draw, replicate, arm) in that order; those in the journal are not simulated again.
  std::vector<std::size_t> todo;
  for (std::size_t t = 0; t < K * R * A; ++t) {
    const std::size_t a = t % A, rep = t / A;
    const auto found = journal_ ? journaled_.find(run_id(a, rep)) : journaled_.end();
    if (found != journaled_.end())
      use(a, rep, found->second);
    else
      todo.push_back(t);
  }
  auto received = [&](std::size_t a, std::size_t rep, const sweep::RunRecord& rec) {
    if (journal_) journal_->append(rec);  // journaled before it is used
    use(a, rep, rec);
  };
#ifdef REDES_WITH_MPI
  if (ranks_ > 1) {
    if (todo.empty()) return out;
    std::unordered_map<std::int64_t, std::size_t> arm_of_id;
    for (std::size_t a = 0; a < A; ++a) arm_of_id[arms[a].id] = a;
    std::vector<std::int64_t> ids;
    for (std::size_t t : todo) ids.push_back(run_id(t % A, t / A));
    sweep::announce_batch(true);
    sweep::coordinate_runs(
        shape_, ids,
        [&](sweep::RunRecord&& rec) {
          const auto a = arm_of_id.find(rec.run / std::int64_t(K * R));
          if (a == arm_of_id.end())
            throw std::runtime_error(fmt::format("MPI worker returned run {}, not one handed out", rec.run));
          received(a->second, std::size_t(rec.run % std::int64_t(K * R)), rec);
        },
        ranks_);
    if (journal_) journal_->flush();
    return out;
  }
#endif
  // Worlds are built here, once each and only for runs left to simulate, and kept for later
  // calls (interventions do not change them).
  std::vector<std::vector<std::shared_ptr<const sweep::World>>> world(
      A, std::vector<std::shared_ptr<const sweep::World>>(K));
  for (std::size_t t : todo) {
    const std::size_t a = t % A, d = t / A / R;
    if (world[a][d]) continue;
    world[a][d] = worlds_.get(scen[a][d], seed_);
    if (std::find(keep_.begin(), keep_.end(), world[a][d]) == keep_.end()) keep_.push_back(world[a][d]);
  }
  std::unique_ptr<tbb::global_control> limit;
  if (opt_.threads > 0)
    limit = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism, opt_.threads);
  tbb::parallel_for(std::size_t(0), todo.size(), [&](std::size_t i) {
    const std::size_t t = todo[i], a = t % A, rep = t / A, d = rep / R;
    received(a, rep, simulate(scen[a][d], *world[a][d], run_id(a, rep), rep));
  });
  if (journal_) journal_->flush();
  return out;
}

sweep::RunRecord DrawsStudy::simulate(const Scenario& sc, const sweep::World& w, std::int64_t run,
                                      std::size_t rep) const {
  ReplicateResult r = Simulation(sc, w.pop, w.net).run(seed_, int(rep));
  sweep::RunRecord rec;
  rec.run = run;
  rec.metrics = to_metrics(summarise(sc, r), std::accumulate(r.cost.begin(), r.cost.end(), 0.0));
  return rec;
}

void DrawsStudy::serve([[maybe_unused]] const std::function<ArmFiles(std::int64_t id)>& arm_of) {
#ifdef REDES_WITH_MPI
  const std::int64_t per_arm = std::int64_t(opt_.draws) * opt_.replicates;
  std::map<std::pair<std::int64_t, std::size_t>, Scenario> scen;  // (arm id, draw): built once
  std::vector<std::shared_ptr<const sweep::World>> worlds;        // per run of a batch
  while (sweep::next_batch())
    sweep::work_runs(shape_, opt_.threads,
                     [&](const std::vector<std::int64_t>& runs, const std::function<void(sweep::RunRecord &&)>& each) {
                       // Scenarios and worlds first, one thread (arm_scenario records the inputs it draws).
                       worlds.assign(runs.size(), nullptr);
                       std::vector<const Scenario*> of(runs.size());
                       for (std::size_t i = 0; i < runs.size(); ++i) {
                         const std::int64_t id = runs[i] / per_arm;
                         const std::size_t d = std::size_t(runs[i] % per_arm) / std::size_t(opt_.replicates);
                         auto it = scen.find({id, d});
                         if (it == scen.end()) {
                           std::string name;
                           it = scen.emplace(std::pair{id, d}, arm_scenario(d, arm_of(id), name)).first;
                         }
                         of[i] = &it->second;
                         worlds[i] = worlds_.get(*of[i], seed_);
                         if (std::find(keep_.begin(), keep_.end(), worlds[i]) == keep_.end())
                           keep_.push_back(worlds[i]);
                       }
                       tbb::parallel_for(std::size_t(0), runs.size(), [&](std::size_t i) {
                         each(simulate(*of[i], *worlds[i], runs[i], std::size_t(runs[i] % per_arm)));
                       });
                     });
#else
  throw std::logic_error("DrawsStudy::serve: redes was built without MPI");
#endif
}

bool run_on_ranks(const std::function<void(int ranks)>& lead, const std::function<void()>& serve) {
#ifdef REDES_WITH_MPI
  if (sweep::launched_by_mpirun()) {
    sweep::MpiSession session;
    if (session.size() > 1) {
      try {
        if (session.rank() != 0) {
          serve();
          return true;
        }
        try {
          lead(session.size());
        } catch (const sweep::JournalMismatch&) {
          sweep::announce_batch(false);  // refused before any batch: the workers end, rank 0 says why
          throw;
        }
        sweep::announce_batch(false);
        return false;
      } catch (const sweep::JournalMismatch&) {
        throw;
      } catch (const std::exception& e) {
        sweep::abort_all_ranks(session.rank(), e, 3);  // the others would wait for this rank forever
      }
    }
  }
#else
  (void)serve;
#endif
  lead(1);
  return false;
}

namespace {

/// The arms of `compare --draws`: the baseline (id 0), then each intervention file alone.
ArmFiles compare_arm(const DrawsOptions& opt, std::int64_t id) {
  if (id == 0) return ArmFiles{};
  return ArmFiles{{opt.interventions.at(std::size_t(id - 1))}, {}, id};
}

DrawsResult draws_on(const DrawsOptions& opt, int ranks) {
  DrawsStudy study(opt);
  study.coordinate(ranks);
  std::vector<ArmFiles> arms;
  for (std::size_t a = 0; a <= opt.interventions.size(); ++a) arms.push_back(compare_arm(opt, std::int64_t(a)));
  if (!opt.output.empty()) {
    std::string request = fmt::format("compare --draws wtp {}\n", opt.wtp);
    for (const auto& f : opt.interventions) request += "arm\n" + io::to_yaml(io::load_scenario_tree(f));
    study.journal_to(journal_path(opt.output), request, std::int64_t(arms.size()));
  }
  const std::vector<ArmRuns> runs = study.run(arms);
  const Scenario& base = study.base();
  const std::size_t K = std::size_t(opt.draws), R = std::size_t(opt.replicates), A = arms.size();
  DrawsResult res;
  for (const auto& r : runs) res.options.push_back(r.name);
  res.parameters = study.parameters();
  res.parameter_values = study.parameter_values();
  std::vector<double> victims(K * R * A), cost(K * R * A);
  for (std::size_t a = 0; a < A; ++a)
    for (std::size_t rep = 0; rep < K * R; ++rep)
      victims[rep * A + a] = runs[a].victims[rep], cost[rep * A + a] = runs[a].cost[rep];
  const double scale = base.population.represents / double(base.population.size);
  res.cost.assign(K, std::vector<double>(A, 0.0));
  res.averted.assign(K, std::vector<double>(A, 0.0));
  std::vector<Matrix> per_rep(A, Matrix(K, std::vector<double>(R)));
  for (std::size_t d = 0; d < K; ++d)
    for (std::size_t r = 0; r < R; ++r)
      for (std::size_t a = 0; a < A; ++a) {
        const std::size_t t = (d * R + r) * A + a, t0 = (d * R + r) * A;
        const double av = (victims[t0] - victims[t]) * scale;
        per_rep[a][d][r] = av;
        res.averted[d][a] += av / double(R);
        res.cost[d][a] += cost[t] / double(R);
      }
  std::vector<double> mean_cost(A), mean_eff(A);
  for (std::size_t a = 0; a < A; ++a) {
    OptionSummary s;
    s.name = res.options[a];
    std::vector<double> all;
    for (const auto& row : per_rep[a]) all.insert(all.end(), row.begin(), row.end());
    s.averted_mean = std::accumulate(all.begin(), all.end(), 0.0) / double(all.size());
    s.averted_lo = quantile(all, 0.025);
    s.averted_hi = quantile(all, 0.975);
    for (std::size_t d = 0; d < K; ++d) s.cost_mean += res.cost[d][a] / double(K);
    s.variance = variance_split(per_rep[a]);
    mean_cost[a] = s.cost_mean;
    mean_eff[a] = s.averted_mean;
    res.summary.push_back(s);
  }
  res.frontier = efficiency_frontier(mean_cost, mean_eff);
  for (int i = 0; i <= 50; ++i) res.wtps.push_back(std::pow(10.0, 2.0 + 6.0 * i / 50.0));  // 100 .. 1e8 USD
  res.ceac = acceptability(res.cost, res.averted, res.wtps);
  for (double w : res.wtps) res.evpi_curve.push_back(evpi(net_benefit(res.cost, res.averted, w)));
  const Matrix nb = net_benefit(res.cost, res.averted, opt.wtp);
  res.evpi_at_wtp = evpi(nb);
  for (const auto& v : res.parameter_values) res.evppi.push_back(evppi(nb, v));
  if (!opt.output.empty()) {
    write_draws(opt.output, opt, res);
    std::filesystem::remove(journal_path(opt.output));  // every run is in the file now
  }
  return res;
}

}  // namespace

DrawsResult run_draws(const DrawsOptions& opt) {
  DrawsResult res;
  res.worker = run_on_ranks([&](int ranks) { res = draws_on(opt, ranks); },
                            [&] { DrawsStudy(opt).serve([&](std::int64_t id) { return compare_arm(opt, id); }); });
  return res;
}

void write_draws(const std::string& path, const DrawsOptions& opt, const DrawsResult& res) {
  h5::Writer f(path);
  const std::size_t K = res.cost.size(), A = res.options.size();
  const h5::Axis option{"option", res.options, {}, 0};
  h5::Axis draw{"draw", {}, {}, K};
  for (std::size_t d = 0; d < K; ++d) draw.values.push_back(std::int64_t(d));
  f.group("/decision");
  f.attribute("/decision", "estimate",
              "model estimate: draws of the posterior and of intervention effects and costs x replicates");
  f.attribute("/decision", "draws", std::int64_t(opt.draws));
  f.attribute("/decision", "replicates", std::int64_t(opt.replicates));
  f.attribute("/decision", "posterior", opt.posterior.empty() ? std::string("none") : opt.posterior);
  f.attribute("/decision", "willingness_to_pay", opt.wtp);
  f.attribute("/decision", "units", "victims averted in the population represented; costs in USD");
  std::vector<double> flat_c, flat_e;
  for (std::size_t d = 0; d < K; ++d)
    for (std::size_t a = 0; a < A; ++a) flat_c.push_back(res.cost[d][a]), flat_e.push_back(res.averted[d][a]);
  // The cost-effectiveness plane: one point per draw and option, incremental to the baseline.
  f.array("/decision/ce_plane/cost", {draw, option}, flat_c, "USD");
  f.array("/decision/ce_plane/victims_averted", {draw, option}, flat_e, "persons");
  std::vector<double> m, lo, hi, c, vp, vs, share, status, icer, versus;
  for (const auto& s : res.summary) {
    m.push_back(s.averted_mean), lo.push_back(s.averted_lo), hi.push_back(s.averted_hi), c.push_back(s.cost_mean);
    vp.push_back(s.variance.parameter), vs.push_back(s.variance.stochastic);
    share.push_back(s.variance.total > 0 ? s.variance.parameter / s.variance.total : 0.0);
  }
  for (const auto& r : res.frontier)
    status.push_back(double(int(r.status))), icer.push_back(r.icer), versus.push_back(r.versus);
  f.array("/decision/averted_mean", {option}, m, "persons");
  f.array("/decision/averted_lo", {option}, lo, "persons");
  f.array("/decision/averted_hi", {option}, hi, "persons");
  f.array("/decision/cost_mean", {option}, c, "USD");
  f.array("/decision/variance_parameter", {option}, vp, "persons^2");
  f.array("/decision/variance_stochastic", {option}, vs, "persons^2");
  f.array("/decision/share_variance_parameter", {option}, share, "fraction");
  f.array("/decision/frontier/status", {option}, status, "0 frontier, 1 dominated, 2 extendedly dominated");
  f.array("/decision/frontier/icer", {option}, icer, "USD/victim averted");
  f.array("/decision/frontier/versus", {option}, versus, "option index (-1 none)");
  h5::Axis wtp{"willingness_to_pay", {}, {}, 0};
  for (double w : res.wtps) wtp.values.push_back(std::int64_t(std::llround(w)));
  std::vector<double> ceac;
  for (const auto& row : res.ceac) ceac.insert(ceac.end(), row.begin(), row.end());
  f.array("/decision/ceac", {wtp, option}, ceac, "probability");
  f.array("/decision/evpi", {wtp}, res.evpi_curve, "USD");
  f.attribute("/decision", "evpi_at_willingness_to_pay", res.evpi_at_wtp);
  if (!res.parameters.empty()) {
    const h5::Axis param{"uncertain_input", res.parameters, {}, 0};
    f.array("/decision/evppi", {param}, res.evppi, "USD");
    std::vector<double> pv;
    for (std::size_t d = 0; d < K; ++d)
      for (const auto& v : res.parameter_values) pv.push_back(v[d]);
    f.array("/decision/inputs", {draw, param}, pv, "");
  }
  f.commit();
}

}  // namespace redes::decision
