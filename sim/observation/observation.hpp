// observation: what institutions record of the true victims. Runs after the engine, on its victim
// list and daily reporting modifiers (data flows one way). Each victim may be detected by each
// institution that handles its kind of case (all: prosecutor, police; minors: childhood ministry;
// adult women: women's ministry), in some year, with the sex and the technology used recorded or not.
// Reporting channels raise every institution's chance; enforcement capacity the prosecutor's and police's;
// both, and platform cooperation, as in effect on the record day where the victim is found (the
// department of record: the exploitation department, or for victims abroad the capital, the border
// crossing or home; for the prosecutor, the capital for cases its specialised units take over).
// Cases the police would record reach the prosecutor by referral. A victim's chance is multiplied by
// its exploitation type's factor and, if found abroad, by the identification waves of the record day;
// each institution's chance follows the common recording trend plus its own.
// Records of one recruiter's victims by one institution close in time are grouped into cases.
#pragma once
#include <cstdint>
#include <vector>

#include "sim/core/rng.hpp"
#include "sim/engine/results.hpp"
#include "sim/scenario/scenario.hpp"

namespace redes {

inline constexpr int kCaseSizes = 10;         // victims per case: 1..9 and 10 or more
inline constexpr int kCaseRealisations = 64;  // per multi-victim group, for expected_case_files

struct Observed {
  int years = 0, departments = 0;
  // Victims recorded (one per institution that records them), by year of record and department of record.
  std::vector<std::int32_t> recorded_cases;      // [year][institution][department][sex_recorded][age_group]
  std::vector<std::int32_t> recorded_by_origin;  // [year][institution][department of origin (home)]
  std::vector<std::int32_t> case_files;          // [year][institution][department of record] cases (proceedings) opened
  std::vector<std::int32_t> victims_per_case;  // [size 1..kCaseSizes, last = kCaseSizes or more] cases over the horizon
  std::vector<std::int32_t> recorded_ict;      // [year][institution]
  std::vector<std::int32_t> recorded_victims;  // [year] distinct victims recorded by any institution
  std::vector<std::int32_t> recorded_profile;  // [age_group][gender] the same victims over the horizon, by
                                               // their age group when recruited and their sex (not as recorded)
  std::vector<std::int32_t> true_victims;      // [year]
  std::vector<std::int32_t> recorded_platform;  // [institution][platform] cases over the horizon, by the platform
                                                // actually used (what a case file could say if ICT were recorded)
  // Expected values given the run's true victims: each victim's chance of being recorded, by
  // institution and record year, summed instead of drawn. Calibration compares these with the
  // official tables, which removes the noise of the detection draws (not of the victims) from the fit.
  std::vector<double> expected_cases;  // [year][institution][department of record] recorded victims
  // Cases (proceedings) opened, by year of opening and department of record. A recruiter's only
  // victim for an institution opens a case exactly when recorded, so those add expected_cases'
  // terms; grouping several victims depends on their joint record days, so those groups average
  // kCaseRealisations independent realisations of the drawn grouping (stream CaseGrouping).
  std::vector<double> expected_case_files;  // [year][institution][department of record]
  std::vector<double> expected_female;      // [year][institution] cases recorded with sex female
  std::vector<double> expected_ict;         // [year][institution] cases recorded with the technology used
  std::vector<double> expected_platform;    // [institution][platform] cases over the horizon
  std::vector<double> expected_minor;       // [year][institution] recorded victims under 18 when recruited
  std::vector<double> expected_route;       // [institution][route] recorded victims over the horizon, by route
  std::vector<double>
      expected_close_bond;  // [institution] of those, recorded as recruited by a relative, friend or partner
  double hidden_ratio = 0;  // true / distinct recorded over the horizon (NaN if none recorded)
};

/// Maps true victims to recorded cases. Draws are keyed by person, so a baseline and an
/// intervention run share them (common random numbers).
Observed observe(const Scenario& scenario, const ReplicateResult& run, const Rng& rng);

}  // namespace redes
