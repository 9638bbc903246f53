// observation: what institutions record of the true victims. Runs after the engine, on its victim
// list and daily reporting modifiers (data flows one way). Each victim may be detected by each
// institution that handles its kind of case (all: prosecutor, police; minors: childhood ministry;
// adult women: women's ministry), in some year, with the sex and the technology used recorded or not.
// Reporting channels raise every institution's chance; enforcement capacity the prosecutor's and police's.
#pragma once
#include <cstdint>
#include <vector>

#include "sim/core/rng.hpp"
#include "sim/engine/results.hpp"
#include "sim/io/scenario.hpp"

namespace redes {

struct Observed {
  int years = 0, departments = 0;
  std::vector<std::int32_t> recorded_cases;    // [year][institution][department][sex_recorded][age_group]
  std::vector<std::int32_t> recorded_ict;      // [year][institution]
  std::vector<std::int32_t> recorded_victims;  // [year] distinct victims recorded by any institution
  std::vector<std::int32_t> true_victims;      // [year]
  std::vector<std::int32_t> recorded_platform; // [institution][platform] cases over the horizon, by the platform
                                               // actually used (what a case file could say if ICT were recorded)
  // Expected values given the run's true victims: each victim's chance of being recorded, by
  // institution and record year, summed instead of drawn. Calibration compares these with the
  // official tables, which removes the noise of the detection draws (not of the victims) from the fit.
  std::vector<double> expected_cases;     // [year][institution][department]
  std::vector<double> expected_female;    // [year][institution] cases recorded with sex female
  std::vector<double> expected_ict;       // [year][institution] cases recorded with the technology used
  std::vector<double> expected_platform;  // [institution][platform] cases over the horizon
  double hidden_ratio = 0;                     // true / distinct recorded over the horizon (NaN if none recorded)
};

/// Maps true victims to recorded cases. Draws are keyed by person, so a baseline and an
/// intervention run share them (common random numbers).
Observed observe(const Scenario& scenario, const ReplicateResult& run, const Rng& rng);

}  // namespace redes
