#include "sim/calibration/calibration.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <mutex>
#include <numeric>

#include "sim/core/version.hpp"
#include "sim/engine/engine.hpp"
#include "sim/io/h5.hpp"
#include "sim/io/output.hpp"
#include "sim/io/reader.hpp"
#include "sim/sweep/runner.hpp"

namespace redes::calib {
namespace fs = std::filesystem;

namespace {

int institution_of(const std::string& name, const io::Reader& r) {
  for (int i = 0; i < kInstitutions; ++i)
    if (name == kInstitutionNames[i]) return i;
  r.fail("model", "unknown institution '" + name + "'; one of " + fmt::format("{}", fmt::join(kInstitutionNames, ", ")));
}

int platform_of(const std::string& name, const io::Reader& r) {
  for (int p = 0; p < kPlatforms; ++p)
    if (name == kPlatformNames[p]) return p;
  r.fail("model", "unknown platform '" + name + "'; one of " + fmt::format("{}", fmt::join(kPlatformNames, ", ")));
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) out.push_back(cur), cur.clear();
    else cur += c;
  }
  out.push_back(cur);
  return out;
}

// A parsed model output name: "cases.police", "cases.prosecutor.department.Asuncion",
// "female_share.prosecutor", "ict_share.police", "platform_share.women_ministry.whatsapp+facebook",
// "recorded_victims".
struct Output {
  enum class Kind { Cases, FemaleShare, IctShare, PlatformShare, RecordedVictims } kind = Kind::Cases;
  int institution = 0, department = -1;
  std::vector<int> platforms;
  bool per_year = true, share = false;
};

Output parse_output(const std::string& model, const Scenario& sc, const io::Reader& r) {
  const auto parts = split(model, '.');
  Output o;
  const std::string& head = parts[0];
  auto need = [&](std::size_t n) {
    if (parts.size() != n) r.fail("model", "'" + model + "' has the wrong number of parts");
  };
  if (head == "recorded_victims") {
    need(1);
    o.kind = Output::Kind::RecordedVictims;
  } else if (head == "cases") {
    if (parts.size() != 2 && parts.size() != 4) r.fail("model", "write cases.<institution> or cases.<institution>.department.<name>");
    o.institution = institution_of(parts[1], r);
    if (parts.size() == 4) {
      if (parts[2] != "department") r.fail("model", "write cases.<institution>.department.<name>");
      const auto& d = sc.population.departments;
      const auto it = std::find(d.begin(), d.end(), parts[3]);
      if (it == d.end()) {
        const std::string guess = io::closest_match(parts[3], d);
        r.fail("model", "no department '" + parts[3] + "'" + (guess.empty() ? "" : "; did you mean '" + guess + "'?"));
      }
      o.department = int(it - d.begin());
    }
  } else if (head == "female_share" || head == "ict_share") {
    need(2);
    o.kind = head == "female_share" ? Output::Kind::FemaleShare : Output::Kind::IctShare;
    o.institution = institution_of(parts[1], r);
    o.share = true;
  } else if (head == "platform_share") {
    need(3);
    o.kind = Output::Kind::PlatformShare;
    o.institution = institution_of(parts[1], r);
    for (const auto& p : split(parts[2], '+')) o.platforms.push_back(platform_of(p, r));
    o.per_year = false;
    o.share = true;
  } else {
    const std::string guess = io::closest_match(head, {"cases", "female_share", "ict_share", "platform_share", "recorded_victims"});
    r.fail("model", "unknown model output '" + model + "'" + (guess.empty() ? "" : "; did you mean '" + guess + "'?"));
  }
  return o;
}

bool is_null(const io::Node& n) {
  return n.is_null() || (n.is_scalar() && (n.scalar == "null" || n.scalar == "~" || n.scalar == "n/a"));
}

double number_of(const io::Node& n, const std::string& what) {
  try {
    std::size_t used = 0;
    const double v = std::stod(n.scalar, &used);
    if (used == n.scalar.size() && std::isfinite(v)) return v;
  } catch (const std::exception&) {
  }
  throw ScenarioError(n.loc, what, "expected a number, got " + io::describe(n));
}

// The years list that goes with a reference series: the nearest `years:` key above it.
const io::Node* years_for(const io::Node& root, const std::string& path) {
  std::string p = path;
  while (true) {
    const auto dot = p.rfind('.');
    if (dot == std::string::npos) return root.find("years");
    p = p.substr(0, dot);
    if (const io::Node* parent = io::find_path(root, p); parent && parent->is_map())
      if (const io::Node* y = parent->find("years")) return y;
  }
}

Target read_target(io::Reader& t, const Scenario& sc, const io::Node* reference, const std::string& reference_file) {
  Target target;
  target.loc = t.node().loc;
  target.name = t.string("name", "label of the target");
  target.model = t.string("model", "model output: cases.<institution>[.department.<name>], female_share.<institution>, "
                                   "ict_share.<institution>, platform_share.<institution>.<platform>[+<platform>] (share recorded as recruited there), "
                                   "recorded_victims");
  const Output out = parse_output(target.model, sc, t);
  target.weight = t.number("weight", 1.0, io::Range::non_negative(), "weight of this target in the distance");
  std::vector<double> years_wanted = t.numbers("years", {}, {1900, 2100, false, "a year"}, 0, "years compared (per-year outputs)");
  const int first = sc.start_year, last = sc.year_of_day(sc.days - 1);
  // Values and their years: from the reference file or written here.
  std::vector<std::pair<int, double>> series;  // (year or 0, value)
  if (t.has("reference")) {
    const std::string path = t.string("reference", "dotted path of the series in the reference file");
    if (!reference) t.fail("reference", "the calibration file names no `reference:` file");
    const io::Node* node = io::find_path(*reference, path);
    if (!node) t.fail("reference", "no '" + path + "' in " + reference_file);
    target.source = reference_file + ": " + path;
    if (const io::Node* s = io::find_path(*reference, path.substr(0, path.find('.')) + ".source"); s && s->is_scalar())
      target.source += " (" + s->scalar + ")";
    if (node->is_seq()) {
      const io::Node* years = years_for(*reference, path);
      if (!years || !years->is_seq() || years->seq.size() != node->seq.size())
        t.fail("reference", "'" + path + "' has no `years:` list of the same length above it");
      for (std::size_t i = 0; i < node->seq.size(); ++i)
        if (!is_null(node->seq[i])) series.emplace_back(int(number_of(years->seq[i], "years")), number_of(node->seq[i], path));
    } else {
      series.emplace_back(0, number_of(*node, path));
    }
  } else {
    const std::vector<double> values = t.numbers("value", {}, io::Range::non_negative(), 0, "reference values written out");
    target.source = t.string("source", "where the values come from");
    if (values.empty()) t.fail("value", "give `reference:` (a path in the reference file) or `value:` (numbers)");
    if (out.per_year && values.size() != years_wanted.size())
      t.fail("value", fmt::format("{} value(s) for {} year(s)", values.size(), years_wanted.size()));
    for (std::size_t i = 0; i < values.size(); ++i) series.emplace_back(out.per_year ? int(years_wanted[i]) : 0, values[i]);
  }
  if (!out.per_year && series.size() != 1) t.fail("model", "'" + target.model + "' is one number over the horizon; give one value");
  const double share_spread = 5.0;
  const bool poisson = !out.share;
  double spread = out.share ? share_spread : 0;
  if (t.has("spread")) spread = t.number("spread", io::Range::positive(), "difference counted as one unit of distance");
  else t.number("spread", spread, io::Range::non_negative(), "difference counted as one unit of distance (default: sqrt of a count; 5 points for shares)");
  for (const auto& [year, value] : series) {
    if (out.per_year) {
      if (!years_wanted.empty() && std::find(years_wanted.begin(), years_wanted.end(), double(year)) == years_wanted.end()) continue;
      if (year < first || year > last)
        t.fail("years", fmt::format("{} is outside the simulated years {}-{}", year, first, last));
      target.years.push_back(year);
    }
    TargetPoint p;
    p.label = out.per_year ? fmt::format("{} {}", target.name, year) : target.name;
    p.observed = value;
    p.spread = poisson && !t.has("spread") ? std::sqrt(std::max(value, 1.0)) : spread;
    target.points.push_back(p);
  }
  if (target.points.empty()) t.fail("years", "no reference value falls in the years asked for");
  t.finish();
  return target;
}

}  // namespace

CalibrationSpec load_calibration(const fs::path& file) {
  io::Node root = io::load_scenario_tree(file);
  io::Reader r(root, "");
  CalibrationSpec s;
  s.file = file;
  s.text = io::to_yaml(root);
  const fs::path dir = file.parent_path();
  s.name = r.string("name", file.stem().string(), "calibration name");
  r.string("description", "", "what is fitted to what");
  s.baseline = dir / r.string("baseline", "scenario whose parameters are fitted, relative to this file");
  s.seed = std::uint32_t(r.integer("seed", 1, {0, 4294967295.0, false, "an integer in [0, 2^32-1]"}, "calibration seed"));
  const std::string apply_to = r.string("apply_to", "", "scenario the calibrated scenario includes (e.g. the full-size baseline of a sample)");
  s.apply_to = apply_to.empty() ? s.baseline : dir / apply_to;
  if (!apply_to.empty() && !fs::is_regular_file(s.apply_to)) r.fail("apply_to", "no scenario file '" + s.apply_to.string() + "'");
  std::string reference_file = r.string("reference", "", "reference file of official figures, relative to this file");
  io::Node reference;
  if (!reference_file.empty()) reference = io::load_scenario_tree(dir / reference_file);
  const Scenario base = load_scenario(s.baseline);
  const io::Node base_tree = io::load_scenario_tree(s.baseline);

  for (auto& p : r.list("parameters", true, "parameters fitted, each a scenario key path with a prior")) {
    sweep::Parameter par;
    Prior prior;
    par.loc = p.node().loc;
    par.key = prior.name = p.string("key", "dotted scenario key, as in override:");
    const std::string kind = p.choice("prior", {"uniform", "loguniform", "normal"}, "uniform", "prior distribution");
    prior.kind = kind == "uniform" ? Prior::Kind::Uniform : kind == "loguniform" ? Prior::Kind::LogUniform : Prior::Kind::Normal;
    par.lo = prior.lo = p.number("min", {}, "lowest value (the prior's support)");
    par.hi = prior.hi = p.number("max", {}, "highest value");
    if (prior.kind == Prior::Kind::Normal) {
      prior.mean = p.number("mean", {}, "normal prior: mean");
      prior.sd = p.number("sd", io::Range::positive(), "normal prior: standard deviation");
    }
    if (!(par.hi > par.lo)) p.fail("max", fmt::format("max ({}) must be greater than min ({})", par.hi, par.lo));
    if (prior.kind == Prior::Kind::LogUniform && par.lo <= 0) p.fail("min", "a loguniform prior needs min > 0");
    if (!io::find_path(base_tree, par.key)) {
      io::Node probe = base_tree;  // apply_override explains what is missing and suggests a key
      io::Node v;
      v.kind = io::Node::Kind::Scalar;
      v.scalar = "0";
      v.key_loc = par.loc;
      io::apply_override(probe, par.key, v);
    }
    p.finish();
    s.parameters.push_back(par);
    s.priors.push_back(prior);
  }
  if (!apply_to.empty()) {  // the calibrated scenario sets every fitted key there: check it before any run
    const io::Node apply_tree = io::load_scenario_tree(s.apply_to);
    for (const auto& p : s.parameters)
      if (!io::find_path(apply_tree, p.key)) throw ScenarioError(p.loc, p.key, "no such key in the apply_to scenario " + apply_to);
  }
  for (double u : {0.0, 1.0}) {  // both ends of every prior must make a valid scenario
    std::vector<double> v;
    for (const auto& p : s.parameters) v.push_back(p.lo + u * (p.hi - p.lo));
    scenario_from_tree(sweep::with_values(base_tree, s.parameters, v, "prior bound"), s.baseline);
  }
  for (auto& t : r.list("targets", true, "reference values and the model outputs they are compared with"))
    s.targets.push_back(read_target(t, base, reference_file.empty() ? nullptr : &reference, reference_file));

  if (auto a = r.optional_section("abc", "approximate Bayesian computation settings")) {
    s.abc.particles = int(a->integer("particles", 200, {2, 1e6, false, "an integer >= 2"}, "particles per generation"));
    s.abc.rejection_keep = a->number("rejection_keep", 0.2, {0, 1, true, "a share in (0, 1]"},
                                     "rejection step: share of prior draws kept");
    s.abc.generations = int(a->integer("generations", 4, {0, 100, false, "an integer in [0, 100]"}, "SMC generations after rejection"));
    s.abc.quantile = a->number("quantile", 0.5, {0, 0.99, true, "a share in (0, 0.99]"}, "next tolerance: this quantile of distances");
    s.abc.min_acceptance = a->number("min_acceptance", 0.02, io::Range::probability(), "stop below this acceptance rate");
    s.abc.max_simulations = a->integer("max_simulations", 100000, {1, 1e12, false, "a positive integer"}, "simulation budget");
    a->finish();
  }
  s.abc.seed = s.seed;
  s.abc.batch = 16;  // results do not depend on it (abc.hpp); 16 keeps 2-16 cores busy
  r.finish();
  return s;
}

std::vector<double> model_values(const Target& t, const Scenario& sc, const ReplicateResult& r, const Observed& o) {
  io::Node dummy;
  dummy.kind = io::Node::Kind::Map;
  const io::Reader reader(dummy, "");
  const Output out = parse_output(t.model, sc, reader);
  const double scale = sc.population.represents / double(sc.population.size);
  const std::size_t nd = std::size_t(sc.department_count());
  // Expected recorded counts given the run's victims (observation.hpp): the detection draws add
  // no noise to the distance.
  auto cases = [&](std::size_t y, int inst, int dept) {
    double c = 0;
    for (std::size_t d = 0; d < nd; ++d)
      if (dept < 0 || int(d) == dept) c += o.expected_cases[(y * kInstitutions + std::size_t(inst)) * nd + d];
    return c;
  };
  std::vector<double> v;
  if (!out.per_year) {  // platform share over the horizon
    double all = 0, some = 0;
    for (int p = 0; p < kPlatforms; ++p) {
      const double c = o.expected_platform[std::size_t(out.institution) * kPlatforms + std::size_t(p)];
      all += c;
      if (std::find(out.platforms.begin(), out.platforms.end(), p) != out.platforms.end()) some += c;
    }
    // Records name the platform only when they record the technology at all (p_ict_recorded), and
    // the reference counts what records say, so the model's share is of cases recorded as such.
    v.push_back(all > 0 ? 100.0 * sc.observation.p_ict_recorded * some / all : std::numeric_limits<double>::quiet_NaN());
    return v;
  }
  for (int year : t.years) {
    const std::size_t y = std::size_t(year - sc.start_year);
    switch (out.kind) {
      case Output::Kind::RecordedVictims: v.push_back(scale * o.recorded_victims[y]); break;
      case Output::Kind::Cases: v.push_back(scale * cases(y, out.institution, out.department)); break;
      case Output::Kind::FemaleShare:
      case Output::Kind::IctShare: {
        const double all = cases(y, out.institution, -1);
        const auto& part = out.kind == Output::Kind::FemaleShare ? o.expected_female : o.expected_ict;
        v.push_back(all > 0 ? 100.0 * part[y * kInstitutions + std::size_t(out.institution)] / all
                            : std::numeric_limits<double>::quiet_NaN());
        break;
      }
      case Output::Kind::PlatformShare: break;
    }
  }
  return v;
}

double distance(const std::vector<Target>& targets, const std::vector<std::vector<double>>& model) {
  double sum = 0, n = 0;
  for (std::size_t t = 0; t < targets.size(); ++t)
    for (std::size_t i = 0; i < targets[t].points.size(); ++i) {
      const auto& p = targets[t].points[i];
      const double z = (model[t][i] - p.observed) / p.spread;
      sum += targets[t].weight * z * z;  // NaN (no case to take a share of) makes the distance NaN: rejected
      n += targets[t].weight;
    }
  return n > 0 ? std::sqrt(sum / n) : 0.0;
}

CalibrationResult calibrate(const CalibrationSpec& spec, const std::function<void(std::int64_t)>& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  const io::Node base_tree = io::load_scenario_tree(spec.baseline);
  const Scenario base = scenario_from_tree(base_tree, spec.baseline);
  const double scale = base.population.represents / double(base.population.size);
  sweep::WorldCache worlds;
  struct SimOut {
    std::vector<double> fit;
    double true_victims = 0, recorded = 0;
  };
  std::mutex mutex;
  std::map<std::int64_t, SimOut> outputs;  // kept for every simulation: small, and the posterior needs its particles'
  std::int64_t simulations = 0;
  auto simulate = [&](const std::vector<std::vector<double>>& thetas, const std::vector<std::int64_t>& ids) {
    std::vector<double> dist(thetas.size());
    tbb::parallel_for(std::size_t(0), thetas.size(), [&](std::size_t k) {
      const Scenario sc = scenario_from_tree(sweep::with_values(base_tree, spec.parameters, thetas[k], "calibration proposal"), spec.baseline);
      auto world = worlds.get(sc, spec.seed);
      // One replicate per simulation, numbered by a hash of its id (ids are unique, replicates are 32-bit).
      const std::uint32_t replicate = Rng(spec.seed, 0).words(std::uint32_t(ids[k]), std::uint32_t(ids[k] >> 32), Stream::CalibrationRun, 0, 0)[0];
      const ReplicateResult res = Simulation(sc, world->pop, world->net).run(spec.seed, int(replicate));
      const Observed o = observe(sc, res, Rng(spec.seed, replicate));
      std::vector<std::vector<double>> model;
      SimOut so;
      for (const auto& t : spec.targets) {
        model.push_back(model_values(t, sc, res, o));
        so.fit.insert(so.fit.end(), model.back().begin(), model.back().end());
      }
      so.true_victims = scale * double(res.victims.size());
      so.recorded = scale * std::accumulate(o.recorded_victims.begin(), o.recorded_victims.end(), 0.0);
      dist[k] = distance(spec.targets, model);
      std::lock_guard lock(mutex);
      outputs[ids[k]] = std::move(so);
      ++simulations;
    });
    if (progress) progress(simulations);
    return dist;
  };
  CalibrationResult res;
  res.abc = abc_smc(spec.priors, spec.abc, simulate);
  for (std::int64_t id : res.abc.posterior().id) {
    const SimOut& so = outputs.at(id);
    res.fit.push_back(so.fit);
    res.true_victims.push_back(so.true_victims);
    res.recorded_victims.push_back(so.recorded);
  }
  res.simulations = simulations;
  res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return res;
}

}  // namespace redes::calib
