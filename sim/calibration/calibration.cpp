// calibration/calibration: targets read from the calibration file, the model outputs they compare
// with, and the calibrate() driver. Over 500 lines because all three share the private output
// parser (parse_output, expected_recorded): one place where units meet the model.
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
#include "sim/output/h5.hpp"
#include "sim/output/output.hpp"
#include "sim/scenario/reader.hpp"
#include "sim/sweep/runner.hpp"

namespace redes::calib {
namespace fs = std::filesystem;

namespace {

int institution_of(const std::string& name, const io::Reader& r) {
  for (int i = 0; i < kInstitutions; ++i)
    if (name == kInstitutionNames[i]) return i;
  r.fail("model",
         "unknown institution '" + name + "'; one of " + fmt::format("{}", fmt::join(kInstitutionNames, ", ")));
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
    if (c == sep)
      out.push_back(cur), cur.clear();
    else
      cur += c;
  }
  out.push_back(cur);
  return out;
}

// A parsed model output name: "cases.police", "victims.prosecutor.department.Asuncion",
// "female_share.prosecutor", "minor_share.prosecutor", "close_bond_share.women_ministry",
// "ict_share.police", "platform_share.women_ministry.whatsapp+facebook", "recorded_victims".
struct Output {
  enum class Kind {
    Count,
    FemaleShare,
    MinorShare,
    CloseBondShare,
    IctShare,
    PlatformShare,
    RecordedVictims
  } kind = Kind::Count;
  Unit unit = Unit::Victims;  // what the output counts: recorded cases or recorded victims
  int institution = 0, department = -1;
  std::vector<int> platforms;
  bool per_year = true, share = false;
};

const std::vector<std::string> kOutputHeads = {"cases",          "victims",          "female_share",
                                               "minor_share",    "close_bond_share", "ict_share",
                                               "platform_share", "recorded_victims"};

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
  } else if (head == "cases" || head == "victims") {
    if (parts.size() != 2 && parts.size() != 4)
      r.fail("model", "write " + head + ".<institution> or " + head + ".<institution>.department.<name>");
    o.unit = head == "cases" ? Unit::Cases : Unit::Victims;
    o.institution = institution_of(parts[1], r);
    if (parts.size() == 4) {
      if (parts[2] != "department") r.fail("model", "write " + head + ".<institution>.department.<name>");
      const auto& d = sc.population.departments;
      const auto it = std::find(d.begin(), d.end(), parts[3]);
      if (it == d.end()) {
        const std::string guess = io::closest_match(parts[3], d);
        r.fail("model", "no department '" + parts[3] + "'" + (guess.empty() ? "" : "; did you mean '" + guess + "'?"));
      }
      o.department = int(it - d.begin());
    }
  } else if (head == "female_share" || head == "ict_share" || head == "minor_share" || head == "close_bond_share") {
    need(2);
    o.kind = head == "female_share"  ? Output::Kind::FemaleShare
             : head == "ict_share"   ? Output::Kind::IctShare
             : head == "minor_share" ? Output::Kind::MinorShare
                                     : Output::Kind::CloseBondShare;
    o.institution = institution_of(parts[1], r);
    o.share = true;
    o.per_year = o.kind != Output::Kind::CloseBondShare;  // route shares are reported over a period, not by year
  } else if (head == "platform_share") {
    need(3);
    o.kind = Output::Kind::PlatformShare;
    o.institution = institution_of(parts[1], r);
    for (const auto& p : split(parts[2], '+')) o.platforms.push_back(platform_of(p, r));
    o.per_year = false;
    o.share = true;
  } else {
    const std::string guess = io::closest_match(head, kOutputHeads);
    r.fail("model", "unknown model output '" + model + "'" + (guess.empty() ? "" : "; did you mean '" + guess + "'?"));
  }
  return o;
}

// The one place where units meet the observation model: cases (proceedings, which group one
// recruiter's victims found together) read the expected cases opened; victims the expected
// recorded victims.
double expected_recorded(Unit unit, const Observed& o, std::size_t y, int inst, int dept, std::size_t nd) {
  const std::vector<double>& counts = unit == Unit::Cases ? o.expected_case_files : o.expected_cases;
  double c = 0;
  for (std::size_t d = 0; d < nd; ++d)
    if (dept < 0 || int(d) == dept) c += counts[(y * kInstitutions + std::size_t(inst)) * nd + d];
  return c;
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
  target.model = t.string("model",
                          "model output: cases.<institution>[.department.<name>], female_share.<institution>, "
                          "ict_share.<institution>, platform_share.<institution>.<platform>[+<platform>] (share "
                          "recorded as recruited there), "
                          "recorded_victims");
  const Output out = parse_output(target.model, sc, t);
  const std::string unit =
      t.choice("unit", {"cases", "victims"},
               "what the reference counts: cases (proceedings, investigations) or victims (persons)");
  target.unit = unit == "cases" ? Unit::Cases : Unit::Victims;
  target.share = out.share;
  if (target.unit != out.unit)
    t.fail("unit", "the target counts " + unit + " but '" + target.model + "' counts " + unit_name(out.unit) +
                       "; compare like with like (" +
                       (out.unit == Unit::Cases ? "victims.<institution>" : "cases.<institution>") + " counts " + unit +
                       ")");
  target.group = t.string("group", target.name, "target group, for --leave-out (default: the target's name)");
  target.weight = t.number("weight", 1.0, io::Range::non_negative(), "weight of this target in the distance");
  std::vector<double> years_wanted =
      t.numbers("years", {}, {1900, 2100, false, "a year"}, 0, "years compared (per-year outputs)");
  const int first = sc.start_year, last = sc.year_of_day(sc.days - 1);
  // Values and their years: from the reference file or written here.
  std::vector<std::pair<int, double>> series;  // (year or 0, value)
  if (t.has("reference")) {
    const std::string path = t.string("reference", "dotted path of the series in the reference file");
    if (!reference) t.fail("reference", "the calibration file names no `reference:` file");
    const io::Node* node = io::find_path(*reference, path);
    if (!node) t.fail("reference", "no '" + path + "' in " + reference_file);
    target.source = reference_file + ": " + path;
    const std::string table = path.substr(0, path.find('.'));
    const io::Node* table_unit = io::find_path(*reference, table + ".unit");
    if (!table_unit || !table_unit->is_scalar())
      t.fail("reference", "'" + table + "' in " + reference_file +
                              " does not say what it counts; give it `unit: cases` or `unit: victims`");
    if (table_unit->scalar != unit)
      t.fail("unit", "'" + table + "' in " + reference_file + " counts " + table_unit->scalar + ", not " + unit);
    if (const io::Node* s = io::find_path(*reference, path.substr(0, path.find('.')) + ".source"); s && s->is_scalar())
      target.source += " (" + s->scalar + ")";
    if (node->is_seq()) {
      const io::Node* years = years_for(*reference, path);
      if (!years || !years->is_seq() || years->seq.size() != node->seq.size())
        t.fail("reference", "'" + path + "' has no `years:` list of the same length above it");
      for (std::size_t i = 0; i < node->seq.size(); ++i)
        if (!is_null(node->seq[i]))
          series.emplace_back(int(number_of(years->seq[i], "years")), number_of(node->seq[i], path));
    } else {
      series.emplace_back(0, number_of(*node, path));
    }
  } else {
    const std::vector<double> values =
        t.numbers("value", {}, io::Range::non_negative(), 0, "reference values written out");
    target.source = t.string("source", "where the values come from");
    if (values.empty()) t.fail("value", "give `reference:` (a path in the reference file) or `value:` (numbers)");
    const bool window = years_wanted.empty() && values.size() == 1;  // one value over the whole window
    if (out.per_year && !window && values.size() != years_wanted.size())
      t.fail("value", fmt::format("{} value(s) for {} year(s)", values.size(), years_wanted.size()));
    for (std::size_t i = 0; i < values.size(); ++i)
      series.emplace_back(out.per_year && !window ? int(years_wanted[i]) : 0, values[i]);
  }
  if (!out.per_year && series.size() != 1)
    t.fail("model", "'" + target.model + "' is one number over the horizon; give one value");
  const double share_spread = 5.0;
  const bool poisson = !out.share;
  double spread = out.share ? share_spread : 0;
  if (t.has("spread"))
    spread = t.number("spread", io::Range::positive(), "difference counted as one unit of distance");
  else
    t.number("spread", spread, io::Range::non_negative(),
             "difference counted as one unit of distance (default: sqrt of a count; 5 points for shares)");
  if (t.has("denominator")) {
    if (!out.share) t.fail("denominator", "only a share has a denominator; '" + target.model + "' is a count");
    target.denominator = t.number("denominator", io::Range::positive(),
                                  "records the reference share is of (the predictive check draws from as many)");
  }
  for (const auto& [year, value] : series) {
    if (out.per_year && year != 0) {  // year 0: one figure over the whole window
      if (!years_wanted.empty() &&
          std::find(years_wanted.begin(), years_wanted.end(), double(year)) == years_wanted.end())
        continue;
      if (year < first || year > last)
        t.fail("years", fmt::format("{} is outside the simulated years {}-{}", year, first, last));
      target.years.push_back(year);
    }
    TargetPoint p;
    p.label = out.per_year && year != 0 ? fmt::format("{} {}", target.name, year) : target.name;
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
  s.seed =
      std::uint32_t(r.integer("seed", 1, {0, 4294967295.0, false, "an integer in [0, 2^32-1]"}, "calibration seed"));
  s.replicates = int(r.integer("replicates", 1, {1, 1000, false, "an integer in [1, 1000]"},
                               "runs per parameter point (counts: their mean; shares: of their pooled counts)"));
  const std::string apply_to =
      r.string("apply_to", "", "scenario the calibrated scenario includes (e.g. the full-size baseline of a sample)");
  s.apply_to = apply_to.empty() ? s.baseline : dir / apply_to;
  if (!apply_to.empty() && !fs::is_regular_file(s.apply_to))
    r.fail("apply_to", "no scenario file '" + s.apply_to.string() + "'");
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
    prior.kind = kind == "uniform"      ? Prior::Kind::Uniform
                 : kind == "loguniform" ? Prior::Kind::LogUniform
                                        : Prior::Kind::Normal;
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
      if (!io::find_path(apply_tree, p.key))
        throw ScenarioError(p.loc, p.key, "no such key in the apply_to scenario " + apply_to);
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
    s.abc.generations =
        int(a->integer("generations", 4, {0, 100, false, "an integer in [0, 100]"}, "SMC generations after rejection"));
    s.abc.quantile = a->number("quantile", 0.5, {0, 0.99, true, "a share in (0, 0.99]"},
                               "next tolerance: this quantile of distances");
    s.abc.min_acceptance =
        a->number("min_acceptance", 0.02, io::Range::probability(), "stop below this acceptance rate");
    s.abc.max_simulations =
        a->integer("max_simulations", 100000, {1, 1e12, false, "a positive integer"}, "simulation budget");
    a->finish();
  }
  if (auto h = r.optional_section("history_matching",
                                  "history matching with Gaussian-process emulators before ABC (Vernon et al. 2010)")) {
    s.history_matching = true;
    s.hm.waves = int(
        h->integer("waves", 3, {1, 20, false, "an integer in [1, 20]"}, "waves of design, emulation and ruling out"));
    s.hm.design = int(
        h->integer("design", 80, {2, 1e5, false, "an integer >= 2"}, "simulations per wave (space-filling design)"));
    s.hm.candidates = int(h->integer("candidates", 20000, {100, 1e7, false, "an integer >= 100"},
                                     "points tested for implausibility per wave"));
    s.hm.cutoff = h->number("cutoff", 3.0, io::Range::positive(), "implausibility cutoff (3: Pukelsheim's rule)");
    s.hm.rank =
        h->choice("use", {"max", "second_max"}, "max",
                  "implausibility over targets: max, or second max (one badly emulated target cannot rule out)") ==
                "max"
            ? 0
            : 1;
    s.model_discrepancy = h->number("model_discrepancy", 0.1, io::Range::non_negative(),
                                    "sd of the model discrepancy as a share of each observed value");
    if (s.hm.design < int(s.parameters.size()) + 3)
      h->fail("design", fmt::format("a wave needs at least parameters + 3 = {} simulations", s.parameters.size() + 3));
    h->finish();
  }
  s.leave_out =
      r.strings("leave_out", {}, {}, "target groups (or names) left out of the fit and predicted (validation)");
  s.abc.seed = s.seed;
  s.hm.seed = s.seed;
  s.abc.batch = 16;  // results do not depend on it (abc.hpp); 16 keeps 2-16 cores busy
  r.finish();
  try {
    leave_out(s, s.leave_out);
  } catch (const std::invalid_argument& e) {
    r.fail("leave_out", e.what());
  }
  return s;
}

void leave_out(CalibrationSpec& spec, const std::vector<std::string>& groups) {
  for (const auto& g : groups) {
    bool any = false;
    for (auto& t : spec.targets)
      if (t.group == g || t.name == g) t.fitted = false, any = true;
    if (!any) {
      std::vector<std::string> names;
      for (const auto& t : spec.targets) names.push_back(t.group);
      const std::string guess = io::closest_match(g, names);
      throw std::invalid_argument("no target group or name '" + g + "'" +
                                  (guess.empty() ? "" : "; did you mean '" + guess + "'?"));
    }
    if (std::find(spec.leave_out.begin(), spec.leave_out.end(), g) == spec.leave_out.end()) spec.leave_out.push_back(g);
  }
  if (std::none_of(spec.targets.begin(), spec.targets.end(), [](const Target& t) { return t.fitted; }))
    throw std::invalid_argument("every target is left out; nothing to fit");
}

std::vector<double> model_values(const Target& t, const Scenario& sc, const ReplicateResult&, const Observed& o) {
  return model_values(t, sc, std::span<const Observed>(&o, 1));
}

std::vector<double> model_values(const Target& t, const Scenario& sc, std::span<const Observed> runs,
                                 std::vector<double>* denominators) {
  io::Node dummy;
  dummy.kind = io::Node::Kind::Map;
  const io::Reader reader(dummy, "");
  const Output out = parse_output(t.model, sc, reader);
  const double scale = sc.population.represents / double(sc.population.size);
  const std::size_t nd = std::size_t(sc.department_count());
  // Expected recorded counts given the run's victims (observation.hpp): the detection draws add
  // no noise to the distance.
  auto cases = [&](const Observed& o, std::size_t y, int inst, int dept) {
    return expected_recorded(out.unit, o, y, inst, dept, nd);
  };
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> v;
  if (out.kind == Output::Kind::PlatformShare) {  // platform share over the horizon
    double all = 0, some = 0;
    for (const Observed& o : runs)
      for (int p = 0; p < kPlatforms; ++p) {
        const double c = o.expected_platform[std::size_t(out.institution) * kPlatforms + std::size_t(p)];
        all += c;
        if (std::find(out.platforms.begin(), out.platforms.end(), p) != out.platforms.end()) some += c;
      }
    // Records name the platform only when they record the technology at all (p_ict_recorded), and
    // the reference counts what records say, so the model's share is of cases recorded as such.
    v.push_back(all > 0 ? 100.0 * sc.observation.p_ict_recorded * some / all : nan);
    if (denominators) denominators->assign(1, scale * all / double(runs.size()));
    return v;
  }
  // As records name the recruiter: trusted contacts (with or without a messaging app) and the
  // groomers the scenario's observation.recorded_as_close_bond says were recorded as partner or friend.
  if (out.kind == Output::Kind::CloseBondShare) {
    double all = 0, close = 0;
    for (const Observed& o : runs) {
      for (int k = 0; k < kRoutes; ++k)
        all += o.expected_route[std::size_t(out.institution) * kRoutes + std::size_t(k)];
      close += o.expected_close_bond[std::size_t(out.institution)];
    }
    v.push_back(all > 0 ? 100.0 * close / all : nan);
    if (denominators) denominators->assign(1, scale * all / double(runs.size()));
    return v;
  }
  // Per-year outputs; a target without years takes the whole window (all simulated years).
  std::vector<std::vector<std::size_t>> years;
  for (int year : t.years) years.push_back({std::size_t(year - sc.start_year)});
  if (t.years.empty()) {
    years.emplace_back();
    for (std::size_t y = 0; y < std::size_t(runs.front().years); ++y) years.back().push_back(y);
  }
  std::vector<double> den;
  for (const auto& ys : years) {
    double num = 0, all = 0;
    for (const Observed& o : runs)
      for (std::size_t y : ys) {
        switch (out.kind) {
          case Output::Kind::RecordedVictims:
            num += scale * o.recorded_victims[y];
            break;
          case Output::Kind::Count:
            num += scale * cases(o, y, out.institution, out.department);
            break;
          case Output::Kind::FemaleShare:
          case Output::Kind::IctShare:
          case Output::Kind::MinorShare: {
            all += cases(o, y, out.institution, -1);
            const auto& part = out.kind == Output::Kind::FemaleShare ? o.expected_female
                               : out.kind == Output::Kind::IctShare  ? o.expected_ict
                                                                     : o.expected_minor;
            num += part[y * kInstitutions + std::size_t(out.institution)];
            break;
          }
          default:
            break;
        }
      }
    v.push_back(!out.share ? num / double(runs.size()) : all > 0 ? 100.0 * num / all : nan);
    den.push_back(out.share ? scale * all / double(runs.size()) : nan);
  }
  if (denominators) *denominators = std::move(den);
  return v;
}

std::vector<double> replicate_record(const std::vector<double>& values, const std::vector<double>& denominators,
                                     double records, Draws& draws) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> out(values.size(), nan);
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) continue;
    const double den = i < denominators.size() ? denominators[i] : nan;
    if (!std::isfinite(den)) {  // a count
      out[i] = draws.poisson(values[i]);
      continue;
    }
    const std::uint32_t n = std::isfinite(records) ? std::uint32_t(std::lround(records)) : draws.poisson(den);
    const double p = std::clamp(values[i] / 100.0, 0.0, 1.0);
    std::uint32_t k = 0;
    if (n > 5000) {  // records have hundreds of victims a year; the normal limit beyond that
      const double x = std::round(n * p + std::sqrt(n * p * (1 - p)) * draws.normal());
      k = std::uint32_t(std::clamp(x, 0.0, double(n)));
    } else {
      for (std::uint32_t m = 0; m < n; ++m) k += draws.bernoulli(p);
    }
    if (n > 0) out[i] = 100.0 * k / n;
  }
  return out;
}

double distance(const std::vector<Target>& targets, const std::vector<std::vector<double>>& model) {
  double sum = 0, n = 0;
  for (std::size_t t = 0; t < targets.size(); ++t)
    for (std::size_t i = 0; i < targets[t].points.size() && targets[t].fitted; ++i) {
      const auto& p = targets[t].points[i];
      const double z = (model[t][i] - p.observed) / p.spread;
      sum += targets[t].weight * z * z;  // NaN (no case to take a share of) makes the distance NaN: rejected
      n += targets[t].weight;
    }
  return n > 0 ? std::sqrt(sum / n) : 0.0;
}

namespace {

// Unit-cube coordinates of a parameter over its prior's support (log scale for loguniform), where
// history matching works.
double to_unit(const Prior& p, double x) {
  return p.kind == Prior::Kind::LogUniform ? std::log(x / p.lo) / std::log(p.hi / p.lo) : (x - p.lo) / (p.hi - p.lo);
}
double from_unit(const Prior& p, double u) {
  return std::clamp(p.kind == Prior::Kind::LogUniform ? p.lo * std::pow(p.hi / p.lo, u) : p.lo + u * (p.hi - p.lo),
                    p.lo, p.hi);
}

}  // namespace

CalibrationResult calibrate(const CalibrationSpec& spec, const std::function<void(std::int64_t)>& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  const io::Node base_tree = io::load_scenario_tree(spec.baseline);
  const Scenario base = scenario_from_tree(base_tree, spec.baseline);
  const double scale = base.population.represents / double(base.population.size);
  sweep::WorldCache worlds;
  struct SimOut {
    std::vector<double> fit, one_run, record;
    double true_victims = 0, recorded = 0;
  };
  std::size_t points = 0;
  for (const auto& t : spec.targets) points += t.points.size();
  std::mutex mutex;
  std::map<std::int64_t, SimOut> outputs;  // kept for every simulation: small, and the posterior needs its particles'
  std::int64_t simulations = 0;
  CalibrationResult res;
  res.sim_min.assign(points, std::numeric_limits<double>::infinity());
  res.sim_max.assign(points, -std::numeric_limits<double>::infinity());
  // One simulation: `replicates` runs of the baseline with the proposed values, each numbered by a
  // hash of the point's id and its index (ids are unique, replicates are 32-bit), observed; every
  // target point's value over them (one run: exactly the run's values).
  auto run_one = [&](const std::vector<double>& theta, std::int64_t id) {
    const Scenario sc = scenario_from_tree(
        sweep::with_values(base_tree, spec.parameters, theta, "calibration proposal"), spec.baseline);
    auto world = worlds.get(sc, spec.seed);
    SimOut so;
    std::vector<Observed> runs;
    for (int k = 0; k < spec.replicates; ++k) {
      const std::uint32_t replicate =
          Rng(spec.seed, 0)
              .words(std::uint32_t(id), std::uint32_t(id >> 32), Stream::CalibrationRun, std::uint16_t(k), 0)[0];
      const ReplicateResult r = Simulation(sc, world->pop, world->net).run(spec.seed, int(replicate));
      runs.push_back(observe(sc, r, Rng(spec.seed, replicate)));
      so.true_victims +=
          scale * double(std::count_if(r.victims.begin(), r.victims.end(), [](const Victim& v) { return v.day >= 0; }));
      so.recorded +=
          scale * std::accumulate(runs.back().recorded_victims.begin(), runs.back().recorded_victims.end(), 0.0);
    }
    so.true_victims /= spec.replicates;
    so.recorded /= spec.replicates;
    std::vector<std::vector<double>> first_of, den_of;  // per target: the first run's values and denominators
    for (const auto& t : spec.targets) {
      std::vector<double> den;
      auto first = model_values(t, sc, std::span<const Observed>(runs.data(), 1), &den);
      const auto v = runs.size() == 1 ? first : model_values(t, sc, runs);
      so.fit.insert(so.fit.end(), v.begin(), v.end());
      so.one_run.insert(so.one_run.end(), first.begin(), first.end());
      first_of.push_back(std::move(first));
      den_of.push_back(std::move(den));
    }
    // The records a particle predicts: its first run's expected records, drawn as a recording
    // would, kRecordDraws times (own stream: the fit's draws do not change).
    Draws record_draws(Rng(spec.seed, 0), std::uint32_t(id), std::uint32_t(id >> 32), Stream::CalibrationRecord);
    for (int m = 0; m < kRecordDraws; ++m)
      for (std::size_t t = 0; t < spec.targets.size(); ++t) {
        const auto rec = replicate_record(first_of[t], den_of[t], spec.targets[t].denominator, record_draws);
        so.record.insert(so.record.end(), rec.begin(), rec.end());
      }
    std::lock_guard lock(mutex);
    for (std::size_t j = 0; j < points; ++j)
      if (std::isfinite(so.fit[j]))
        res.sim_min[j] = std::min(res.sim_min[j], so.fit[j]), res.sim_max[j] = std::max(res.sim_max[j], so.fit[j]);
    ++simulations;
    return so;
  };
  auto distance_of = [&](const std::vector<double>& flat) {
    std::vector<std::vector<double>> model;
    std::size_t j = 0;
    for (const auto& t : spec.targets) {
      model.emplace_back(flat.begin() + long(j), flat.begin() + long(j + t.points.size()));
      j += t.points.size();
    }
    return distance(spec.targets, model);
  };
  std::function<bool(const std::vector<double>&)> support;
  if (spec.history_matching) {
    std::vector<MatchTarget> targets;
    std::vector<std::size_t> fitted_points;  // flat index of each history-matched output
    std::size_t j = 0;
    for (const auto& t : spec.targets)
      for (const auto& p : t.points) {
        if (t.fitted) {
          const double md = spec.model_discrepancy * p.observed;
          targets.push_back({p.label, p.observed, p.spread * p.spread, md * md});
          fitted_points.push_back(j);
        }
        ++j;
      }
    const auto unit_sim = [&](const std::vector<std::vector<double>>& us, const std::vector<std::int64_t>& ids) {
      std::vector<std::vector<double>> out(us.size());
      tbb::parallel_for(std::size_t(0), us.size(), [&](std::size_t k) {
        std::vector<double> theta(us[k].size());
        for (std::size_t p = 0; p < theta.size(); ++p) theta[p] = from_unit(spec.priors[p], us[k][p]);
        const SimOut so = run_one(theta, (std::int64_t(1) << 56) + ids[k]);  // apart from ABC's ids
        for (std::size_t f : fitted_points) out[k].push_back(so.fit[f]);
      });
      if (progress) progress(simulations);
      return out;
    };
    res.hm = history_match(spec.parameters.size(), targets, spec.hm, unit_sim);
    res.hm_simulations = simulations;
    support = [&](const std::vector<double>& theta) {
      std::vector<double> u(theta.size());
      for (std::size_t p = 0; p < u.size(); ++p) u[p] = to_unit(spec.priors[p], theta[p]);
      return res.hm.plausible(u);
    };
    if (res.hm.nonimplausible.empty())
      throw std::runtime_error(
          "history matching ruled out the whole parameter space: no parameter values reproduce every "
          "fitted target within the cutoff (the model cannot reach them; see the waves printed above)");
  }
  auto simulate = [&](const std::vector<std::vector<double>>& thetas, const std::vector<std::int64_t>& ids) {
    std::vector<double> dist(thetas.size());
    tbb::parallel_for(std::size_t(0), thetas.size(), [&](std::size_t k) {
      SimOut so = run_one(thetas[k], ids[k]);
      dist[k] = distance_of(so.fit);
      std::lock_guard lock(mutex);
      outputs[ids[k]] = std::move(so);
    });
    if (progress) progress(simulations);
    return dist;
  };
  res.abc = abc_smc(spec.priors, spec.abc, simulate, support);
  for (std::int64_t id : res.abc.posterior().id) {
    const SimOut& so = outputs.at(id);
    res.fit.push_back(so.fit);
    res.one_run.push_back(so.one_run);
    res.record.push_back(so.record);
    res.true_victims.push_back(so.true_victims);
    res.recorded_victims.push_back(so.recorded);
  }
  res.simulations = simulations;
  res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return res;
}

}  // namespace redes::calib
