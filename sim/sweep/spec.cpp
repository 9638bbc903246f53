#include "sim/sweep/spec.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>

#include "sim/core/fnv1a.hpp"
#include "sim/core/rng.hpp"
#include "sim/core/version.hpp"
#include "sim/scenario/reader.hpp"
#include "sim/sweep/metrics.hpp"

namespace redes::sweep {
namespace fs = std::filesystem;

double Parameter::value_at(double u) const {
  double v = log_scale ? std::exp(std::log(lo) + u * (std::log(hi) - std::log(lo))) : lo + u * (hi - lo);
  if (u >= 1.0) v = hi;  // exact endpoints (exp/log round-trips are not exact)
  if (u <= 0.0) v = lo;
  return integer ? std::round(v) : v;
}

SweepSpec load_sweep(const fs::path& file) {
  io::Node root = io::load_scenario_tree(file);
  io::Reader r(root, "");
  SweepSpec s;
  s.file = file;
  s.text = io::to_yaml(root);
  const fs::path dir = file.parent_path();
  s.name = r.string("name", file.stem().string(), "sweep name");
  r.string("description", "", "what the sweep asks");
  s.baseline = dir / r.string("baseline", "baseline scenario, relative to the sweep file");
  for (const auto& f :
       r.strings("interventions", {}, {}, "intervention files added to the baseline before parameters apply"))
    s.intervention_files.push_back(dir / f);
  s.seed = std::uint32_t(r.integer("seed", 1, {0, 4294967295.0, false, "an integer in [0, 2^32-1]"}, "sweep seed"));
  s.replicates =
      int(r.integer("replicates", 1, {1, 100000, false, "an integer in [1, 100000]"}, "runs per design point"));
  s.common_random_numbers = r.boolean("common_random_numbers", true,
                                      "every point uses the sweep seed (differences between points are not noise)");
  s.trajectories = r.boolean("trajectories", false, "keep new victims per day of every run");
  s.bootstrap = int(r.integer("bootstrap", 500, {0, 100000, false, "an integer in [0, 100000]"},
                              "bootstrap resamples for Sobol index intervals"));

  auto design = r.section("design", "how points are placed");
  const std::string type = design.choice("type", {"grid", "latin_hypercube", "saltelli"}, "design type");
  s.design = type == "grid"              ? DesignType::Grid
             : type == "latin_hypercube" ? DesignType::LatinHypercube
                                         : DesignType::Saltelli;
  if (s.design != DesignType::Grid)
    s.samples = int(design.integer("samples", {2, 1e7, false, "an integer in [2, 10^7]"},
                                   "latin_hypercube: points; saltelli: base rows N (N x (parameters + 2) points)"));
  design.finish();

  for (auto& p : r.list("parameters", true, "parameters varied, each a scenario key path with a range")) {
    Parameter par;
    par.loc = p.node().loc;
    par.key = p.string("key", "dotted scenario key, as in override: (e.g. interventions[0].coverage)");
    par.lo = p.number("min", {}, "lowest value");
    par.hi = p.number("max", {}, "highest value");
    par.log_scale = p.choice("scale", {"linear", "log"}, "linear", "spacing of values") == "log";
    par.integer = p.boolean("integer", false, "round values to integers");
    par.levels =
        int(p.integer("levels", 3, {1, 1000, false, "an integer in [1, 1000]"}, "grid: values of this parameter"));
    if (!(par.hi > par.lo)) p.fail("max", fmt::format("max ({}) must be greater than min ({})", par.hi, par.lo));
    if (par.log_scale && par.lo <= 0) p.fail("min", "a log scale needs min > 0");
    for (const auto& q : s.parameters)
      if (q.key == par.key) p.fail("key", "'" + par.key + "' is varied twice");
    p.finish();
    s.parameters.push_back(std::move(par));
  }
  if (s.parameters.empty()) r.fail("parameters", "name at least one parameter");
  s.outputs = r.strings("outputs", {}, {"victims"}, "metrics whose Sobol indices are computed (saltelli designs)");
  s.outputs_loc = root.find("outputs") ? root.find("outputs")->loc : root.loc;
  r.finish();
  return s;
}

namespace {

UnitDesign make_design(const SweepSpec& s) {
  const std::size_t d = s.parameters.size();
  switch (s.design) {
    case DesignType::Grid: {
      std::vector<int> levels;
      for (const auto& p : s.parameters) levels.push_back(p.levels);
      return grid_design(levels);
    }
    case DesignType::LatinHypercube:
      return latin_hypercube(std::size_t(s.samples), d, s.seed);
    case DesignType::Saltelli:
      return saltelli_design(std::size_t(s.samples), d);
  }
  return {};
}

io::Node scalar(const std::string& text, const Location& at) {
  io::Node n;
  n.kind = io::Node::Kind::Scalar;
  n.scalar = text;
  n.loc = n.key_loc = at;
  return n;
}

}  // namespace

io::Node with_values(io::Node tree, const std::vector<Parameter>& parameters, const std::vector<double>& values,
                     const std::string& why) {
  for (std::size_t k = 0; k < parameters.size(); ++k) {
    const Parameter& p = parameters[k];
    const io::Node* old = io::find_path(tree, p.key);
    const std::string text = fmt::format("{}", values[k]);
    const bool bare = old && old->is_scalar() && p.key.back() == ']';  // a list item has no room for provenance
    if (bare) {
      io::apply_override(tree, p.key, scalar(text, p.loc));
      continue;
    }
    io::Node value;
    value.kind = io::Node::Kind::Map;
    value.loc = value.key_loc = p.loc;
    value.map.emplace_back("value", scalar(text, p.loc));
    value.map.emplace_back("assumed", scalar(why, p.loc));
    io::apply_override(tree, p.key, value);
  }
  return tree;
}

Plan::Plan(SweepSpec spec) : spec_(std::move(spec)) {
  base_tree_ = io::load_scenario_tree(spec_.baseline);
  for (const auto& f : spec_.intervention_files) base_tree_ = arm_from_files(base_tree_, spec_.baseline, f).tree;
  baseline_ = scenario_from_tree(base_tree_, spec_.baseline);
  unit_ = make_design(spec_);
  const std::size_t d = spec_.parameters.size();
  values_.resize(unit_.points * d);
  for (std::size_t i = 0; i < unit_.points; ++i)
    for (std::size_t k = 0; k < d; ++k) values_[i * d + k] = spec_.parameters[k].value_at(unit_.at(i, k));
  metric_names_ = sweep::metric_names(baseline_);
  for (const auto& o : spec_.outputs)
    if (std::find(metric_names_.begin(), metric_names_.end(), o) == metric_names_.end()) {
      const std::string guess = io::closest_match(o, metric_names_);
      throw ScenarioError(spec_.outputs_loc, "outputs",
                          "'" + o + "' is not a run metric" + (guess.empty() ? "" : "; did you mean '" + guess + "'?") +
                              " (metrics: " + fmt::format("{}", fmt::join(metric_names_, ", ")) + ")");
    }

  // Every parameter at its min and at its max must make a valid scenario of the same shape, so a
  // bad key or range fails now, naming the sweep file, not after hours of runs.
  for (double u : {0.0, 1.0}) {
    std::vector<double> ends;
    for (const auto& p : spec_.parameters) ends.push_back(p.value_at(u));
    const io::Node tree = with_values(base_tree_, spec_.parameters, ends, "sweep range end");
    Scenario sc = scenario_from_tree(tree, spec_.baseline);
    if (sweep::metric_names(sc) != metric_names_)
      throw ScenarioError(spec_.parameters.front().loc, spec_.parameters.front().key,
                          "a parameter changes the simulated years or departments; sweep runs must share one shape");
  }

  std::string key = fmt::format("redes {} {}\n", version(), git_commit());
  key += io::to_yaml(base_tree_);
  key += fmt::format("design {} {} seed {} replicates {} crn {} trajectories {}\n", int(spec_.design), spec_.samples,
                     spec_.seed, spec_.replicates, spec_.common_random_numbers, spec_.trajectories);
  for (const auto& p : spec_.parameters)
    key += fmt::format("{} {} {} {} {} {}\n", p.key, p.lo, p.hi, p.log_scale, p.integer, p.levels);
  for (const auto& m : metric_names_) key += m + "\n";
  fingerprint_ = fnv1a(key);
}

std::uint32_t Plan::seed_of(std::size_t point) const {
  if (spec_.common_random_numbers) return spec_.seed;
  return Rng(spec_.seed, 0).words(std::uint32_t(point), 0, Stream::SweepSeed, 0, 0)[0];
}

io::Node Plan::tree_of(std::size_t point) const {
  const std::size_t d = spec_.parameters.size();
  const std::vector<double> v(values_.begin() + std::ptrdiff_t(point * d),
                              values_.begin() + std::ptrdiff_t((point + 1) * d));
  return with_values(base_tree_, spec_.parameters, v, fmt::format("sweep '{}', point {}", spec_.name, point));
}

Scenario Plan::scenario(std::size_t point) const {
  Scenario sc = scenario_from_tree(tree_of(point), spec_.baseline);
  return sc;
}

std::string Plan::scenario_yaml(std::size_t point) const { return io::to_yaml(tree_of(point)); }

}  // namespace redes::sweep
