#include "sim/serve/workshop.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "sim/core/errors.hpp"
#include "sim/core/labels.hpp"
#include "sim/core/statistics.hpp"
#include "sim/interventions/intervention.hpp"
#include "sim/scenario/yaml_tree.hpp"

namespace redes::workshop {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct Lever {
  const char* on;      // switch key
  const char* file;    // intervention file in the workshop folder
  const char* slider;  // slider key
  const char* path;    // key of the slider inside the intervention
};
constexpr Lever kLevers[] = {{"literacy", "literacy.yaml", "literacy_coverage", "coverage"},
                             {"moderation", "moderation.yaml", "moderation_effect", "effect"},
                             {"reporting", "reporting.yaml", "reporting_coverage", "coverage"}};

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

double mean(const std::vector<double>& v) {
  return v.empty() ? 0 : std::accumulate(v.begin(), v.end(), 0.0) / double(v.size());
}

json spread(const std::vector<double>& v) {
  auto num = [](double x) { return std::isnan(x) ? json(nullptr) : json(x); };
  return {{"median", num(quantile(v, 0.5))}, {"lo", num(quantile(v, 0.05))}, {"hi", num(quantile(v, 0.95))}};
}

// Overrides carry the location "request:1:1"; in an answer to the app it says nothing.
std::string without_request_location(std::string what) {
  const std::string tag = "request:1:1: ";
  for (auto at = what.find(tag); at != std::string::npos; at = what.find(tag)) what.erase(at, tag.size());
  return what;
}

json interval(const Interval& ci) { return {{"mean", ci.mean}, {"lo", ci.lo}, {"hi", ci.hi}}; }

template <std::size_t N>
std::vector<std::string> names_of(const std::array<std::string_view, N>& a) {
  return {a.begin(), a.end()};
}

}  // namespace

const std::vector<Control>& controls() {
  static const std::vector<Control> c = {
      {"pandemic", "switch", 0, 1, 1, 0, ""},
      {"displacement", "switch", 0, 1, 1, 0, ""},
      {"literacy", "switch", 0, 1, 1, 0, ""},
      {"literacy_coverage", "slider", 0, 1, 0.05, 0.5, "literacy"},
      {"moderation", "switch", 0, 1, 1, 0, ""},
      {"moderation_effect", "slider", 0, 0.2, 0.01, 0.05, "moderation"},
      {"reporting", "switch", 0, 1, 1, 0, ""},
      {"reporting_coverage", "slider", 0, 1, 0.05, 0.7, "reporting"},
      {"persons", "integer", 2000, kMaxPersons, 1000, 20000, ""},
      {"replicates", "integer", 2, 8, 1, 2, ""},  // 2 by default: an answer in under 3 s on 2 cores
      {"seed", "integer", 1, 4294967295.0, 1, 20240801, ""},
  };
  return c;
}

std::vector<std::string> required_files() {
  return {"small.yaml", "pandemic.yaml", "literacy.yaml", "moderation.yaml", "reporting.yaml"};
}

json checked_params(const json& body) {
  if (!body.is_object()) throw BadRequest("the request must be a JSON object of controls, e.g. {\"literacy\": true}");
  json p = json::object();
  for (const auto& c : controls())
    p[c.key] = c.kind == "switch"    ? json(c.value != 0)
               : c.kind == "integer" ? json(std::int64_t(c.value))
                                     : json(c.value);
  for (const auto& [key, v] : body.items()) {
    auto it =
        std::find_if(controls().begin(), controls().end(), [&key = key](const Control& c) { return c.key == key; });
    if (it == controls().end()) {
      std::string known;
      for (const auto& c : controls()) known += (known.empty() ? "" : ", ") + c.key;
      std::string shown = key.substr(0, 40);
      for (char& ch : shown)
        if (ch < 32 || ch > 126) ch = '?';
      throw BadRequest("unknown control '" + shown + "'; the controls are: " + known);
    }
    const Control& c = *it;
    if (c.kind == "switch") {
      if (!v.is_boolean()) throw BadRequest(key + " is a switch: send true or false");
      p[key] = v;
      continue;
    }
    if (!v.is_number())
      throw BadRequest(key + " must be a number from " + number_text(c.min) + " to " + number_text(c.max));
    const double x = v.get<double>();
    if (c.kind == "integer" && (!std::isfinite(x) || x != std::floor(x)))
      throw BadRequest(key + " must be a whole number from " + number_text(c.min) + " to " + number_text(c.max));
    // Slider values go on to the scenario checks of `redes validate`; integers are the server's limits.
    if (c.kind == "integer" && (x < c.min || x > c.max)) {
      std::string hint = key == "persons" ? "; larger populations belong to `redes run` on the command line" : "";
      throw BadRequest(key + " = " + number_text(x) + " is outside what this server runs: use " + number_text(c.min) +
                       " to " + number_text(c.max) + hint);
    }
    if (!std::isfinite(x)) throw BadRequest(key + " must be a finite number");
    p[key] = c.kind == "integer" ? json(std::int64_t(x)) : json(x);
  }
  return p;
}

json presets() {
  return json::array({
      {{"name", "preset_baseline"}, {"params", json::object()}},
      {{"name", "preset_pandemic"}, {"params", {{"pandemic", true}}}},
      {{"name", "preset_literacy"}, {"params", {{"literacy", true}}}},
      {{"name", "preset_moderation"}, {"params", {{"moderation", true}}}},
      {{"name", "preset_reporting"}, {"params", {{"reporting", true}}}},
  });
}

Scenario scenario_for(const fs::path& folder, const json& p) {
  const fs::path base_file = folder / (p.at("pandemic").get<bool>() ? "pandemic.yaml" : "small.yaml");
  io::Node tree = io::load_scenario_tree(base_file);
  auto set = [&](const std::string& path, const std::string& text, const std::string& control) {
    io::Node v;
    v.kind = io::Node::Kind::Scalar;
    v.scalar = text;
    v.loc = v.key_loc = Location{"request", 1, 1};
    try {
      io::apply_override(tree, path, v);
    } catch (const ScenarioError& e) {
      throw BadRequest(control + ": " + without_request_location(e.what()));
    }
  };
  const std::string persons = std::to_string(p.at("persons").get<std::int64_t>());
  set("population.size", persons, "persons");
  set("population.represents", persons, "persons");  // a stand-alone teaching population
  if (p.at("displacement").get<bool>()) set("recruitment.recruiters.displacement", "true", "displacement");
  std::vector<std::pair<std::size_t, const Lever*>> added;
  for (const Lever& lever : kLevers) {
    if (!p.at(lever.on).get<bool>()) continue;
    const io::Node* list = tree.find("interventions");
    const std::size_t index = list && list->is_seq() ? list->seq.size() : 0;
    tree = arm_from_files(tree, base_file, folder / lever.file).tree;
    set("interventions[" + std::to_string(index) + "]." + lever.path, number_text(p.at(lever.slider).get<double>()),
        lever.slider);
    added.push_back({index, &lever});
  }
  try {
    return scenario_from_tree(tree, base_file);  // the intervention types check their own keys
  } catch (const ScenarioError& e) {
    // Name the control behind the key when the error is about one of ours.
    std::string what = without_request_location(e.what());
    for (const auto& [index, lever] : added)
      if (what.find("interventions[" + std::to_string(index) + "]") != std::string::npos)
        throw BadRequest(std::string(lever->slider) + ": " + what);
    throw BadRequest(what);
  }
}

void RunCharts::init(const Scenario& sc) {
  months.clear();
  std::vector<int> starts;
  for (int y = sc.start_year; y <= sc.year_of_day(sc.days - 1); ++y) {
    years.push_back(y);
    for (int m = 1; m <= 12; ++m) {
      char iso[16];
      std::snprintf(iso, sizeof iso, "%04d-%02d-01", y, m);
      int day = 0;
      if (sc.day_of(iso, day) && day < sc.days) {
        months.push_back(std::string(iso, 7));
        starts.push_back(day);
      }
    }
  }
  month_start_ = starts;
  monthly_by_route.assign(kRoutes, std::vector<double>(months.size(), 0.0));
  true_by_year.assign(years.size(), 0.0);
  recorded_by_year.assign(years.size(), 0.0);
}

void RunCharts::add(const Scenario& sc, const ReplicateResult& r, const Observed& o) {
  for (const auto& v : r.victims) {
    if (v.day < 0) continue;  // recruited during the warm-up: not in the period
    auto it = std::upper_bound(month_start_.begin(), month_start_.end(), v.day);
    if (it == month_start_.begin()) continue;  // before the first whole month
    monthly_by_route[v.route][std::size_t(it - month_start_.begin() - 1)] += 1;
  }
  for (std::size_t y = 0; y < years.size() && y < o.true_victims.size(); ++y) true_by_year[y] += o.true_victims[y];
  for (std::size_t y = 0; y < years.size() && y < o.recorded_victims.size(); ++y)
    recorded_by_year[y] += o.recorded_victims[y];
  const std::size_t ni = std::size_t(r.interventions);
  if (reach.size() != ni) reach.assign(ni, 0.0);
  for (std::size_t i = 0; i < r.reach.size(); ++i) reach[i % ni] += r.reach[i];
}

json run_json(const Scenario& sc, const json& params, const RunResult& res, const RunCharts& ch) {
  const double R = double(res.summaries.size());
  auto per_rep = [&](std::vector<double> v) {
    for (double& x : v) x /= R;
    return v;
  };
  auto by = [&](auto field, const std::vector<std::string>& labels) {
    json o = json::object();
    for (std::size_t k = 0; k < labels.size(); ++k) {
      double s = 0;
      for (const auto& sum : res.summaries) s += (sum.*field)[k];
      o[labels[k]] = s / R;
    }
    return o;
  };
  json routes = json::object();
  for (int r = 0; r < kRoutes; ++r) routes[std::string(kRouteNames[r])] = per_rep(ch.monthly_by_route[std::size_t(r)]);
  json reach = json::array();
  for (std::size_t i = 0; i < res.intervention_names.size(); ++i)
    reach.push_back(
        {{"name", res.intervention_names[i]}, {"persons_reached", i < ch.reach.size() ? ch.reach[i] / R : 0.0}});
  return {
      {"estimate", "model estimate from a synthetic population"},
      {"scenario", sc.name},
      {"params", params},
      {"persons", sc.population.size},
      {"replicates", res.summaries.size()},
      {"seed", params.at("seed")},
      {"victims", spread(res.victims)},
      {"recorded", spread(res.recorded)},
      {"hidden_ratio", spread(res.hidden)},
      {"cost", mean(res.costs)},
      {"by_route", by(&Summary::by_route, names_of(kRouteNames))},
      {"by_age_group", by(&Summary::by_age_group, names_of(kAgeGroupNames))},
      {"by_platform", by(&Summary::by_platform, names_of(kPlatformNames))},
      {"months", ch.months},
      {"monthly_by_route", routes},
      {"years", ch.years},
      {"true_by_year", per_rep(ch.true_by_year)},
      {"recorded_by_year", per_rep(ch.recorded_by_year)},
      {"reach", reach},
      {"seconds", res.build_seconds + res.wall_seconds},
  };
}

json compare_json(const std::string& base_name, const RunResult& base, const std::string& other_name,
                  const RunResult& other, double people_per_person) {
  ArmOutcome b{base_name, base.summaries, base.costs}, o{other_name, other.summaries, other.costs};
  auto rows = compare_arms(b, {o}, people_per_person);
  const ComparisonRow& row = rows.at(0);
  json by = json::object();
  for (const auto& [dim, cis] : row.by) {
    std::vector<std::string> labels;
    if (dim == "route")
      labels = names_of(kRouteNames);
    else if (dim == "age_group")
      labels = names_of(kAgeGroupNames);
    else if (dim == "platform")
      labels = names_of(kPlatformNames);
    else if (dim == "gender")
      labels = names_of(kGenderNames);
    else
      continue;  // departments: the app stays at the level of the whole population
    json d = json::object();
    for (std::size_t k = 0; k < cis.size() && k < labels.size(); ++k) d[labels[k]] = interval(cis[k]);
    by[dim] = d;
  }
  return {{"estimate", "model estimate; 95% t intervals over paired replicates (common random numbers)"},
          {"replicates", row.averted.size()},
          {"averted", interval(row.averted_ci)},
          {"share_averted", interval(row.share_ci)},
          {"averted_by", by}};
}

std::string run_csv(const RunResult& res) {
  std::string s = "replicate,victims,recorded,true_per_recorded,cost_usd";
  for (auto r : kRouteNames) s += ",victims_" + std::string(r);
  for (auto a : kAgeGroupNames) s += ",victims_" + std::string(a);
  s += "\n";
  for (std::size_t i = 0; i < res.summaries.size(); ++i) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "%zu,%d,%.0f,%.4g,%.2f", i, res.summaries[i].victims, res.recorded[i], res.hidden[i],
                  res.costs[i]);
    s += buf;
    for (int v : res.summaries[i].by_route) s += "," + std::to_string(v);
    for (int v : res.summaries[i].by_age_group) s += "," + std::to_string(v);
    s += "\n";
  }
  return s;
}

}  // namespace redes::workshop
