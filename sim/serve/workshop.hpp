// serve/workshop: what the workshop app may vary, checked, turned into a scenario, and a run's
// result as the JSON the app draws. Only prevention levers, the pandemic and the displacement test
// are controls: nothing here tunes recruiters towards success.
#pragma once
#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/study/study.hpp"

namespace redes::workshop {

/// A request the server refuses, with a message saying what to change (HTTP 400).
class BadRequest : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Control {
  std::string key, kind;                         // kind: "switch", "slider" or "integer"
  double min = 0, max = 1, step = 1, value = 0;  // value: the default
  std::string requires_switch;                   // a slider only matters when this switch is on
};
const std::vector<Control>& controls();

inline constexpr int kMaxPersons = 50000;  // a workshop answers in seconds; larger runs belong to `redes run`

/// Parameters with every default filled in; throws BadRequest on malformed input, unknown keys,
/// wrong types and values outside a control's range.
nlohmann::json checked_params(const nlohmann::json& body);

/// The five workshop steps as parameter sets (name key, changes from the defaults).
nlohmann::json presets();

/// The scenario for checked parameters, composed from the workshop folder's files and validated
/// by the same checks as `redes validate` (their errors become BadRequest naming the control).
Scenario scenario_for(const std::filesystem::path& folder, const nlohmann::json& params);

/// Files the workshop folder must hold.
std::vector<std::string> required_files();

/// Per-replicate data the app draws, accumulated in on_replicate.
struct RunCharts {
  std::vector<std::string> months;                     // "2019-01", ...
  std::vector<std::vector<double>> monthly_by_route;   // [route][month], summed over replicates
  std::vector<double> true_by_year, recorded_by_year;  // summed over replicates
  std::vector<double> reach;                           // [intervention] person-days reached, summed
  std::vector<int> years;
  void init(const Scenario& sc);
  void add(const Scenario& sc, const ReplicateResult& r, const Observed& o);

 private:
  std::vector<int> month_start_;  // day of each month's first day
};

nlohmann::json run_json(const Scenario& sc, const nlohmann::json& params, const RunResult& result,
                        const RunCharts& charts);

/// Paired comparison of two finished runs (same seed, replicates and persons: common random
/// numbers), by compare_arms, the code behind `redes compare`.
nlohmann::json compare_json(const std::string& base_name, const RunResult& base, const std::string& other_name,
                            const RunResult& other, double people_per_person);

/// Per-replicate headline counts as CSV.
std::string run_csv(const RunResult& result);

}  // namespace redes::workshop
