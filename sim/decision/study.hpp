// decision/study: `redes compare --draws K [--posterior calibration.h5]`: K draws of the
// uncertain inputs (posterior parameters resampled by weight, intervention effects and costs
// from their distributions, drawn jointly) x R replicates per arm, with common random numbers
// within each draw; then cost-effectiveness, acceptability and the value of information.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sim/decision/decision.hpp"

namespace redes::decision {

struct DrawsOptions {
  std::string baseline, posterior, output;  // posterior may be empty: effects are still drawn
  std::vector<std::string> interventions;
  int draws = 1, replicates = 1, threads = 0;
  std::uint32_t seed = 0;
  bool seed_given = false;
  double wtp = 50000;  // USD per victim averted at which the decision is stated
};

struct OptionSummary {
  std::string name;
  double averted_mean = 0, averted_lo = 0, averted_hi = 0;  // per replicate, represented population
  double cost_mean = 0;
  VarianceSplit variance;  // of victims averted per replicate
};

struct DrawsResult {
  std::vector<std::string> options;          // "baseline" first
  Matrix cost, averted;                      // [draw][option], means over replicates
  std::vector<OptionSummary> summary;        // per option
  std::vector<FrontierRow> frontier;         // per option
  std::vector<double> wtps;                  // acceptability grid (USD per victim averted)
  Matrix ceac;                               // [wtp][option]
  std::vector<double> evpi_curve;            // [wtp]
  double evpi_at_wtp = 0;
  std::vector<std::string> parameters;       // uncertain inputs, e.g. "recruitment.recruiters.per_100k"
  Matrix parameter_values;                   // [parameter][draw]
  std::vector<double> evppi;                 // [parameter] at wtp
};

/// Runs the study and returns its numbers (no file written).
DrawsResult run_draws(const DrawsOptions& opt);
/// Writes /decision/... to an HDF5 file (layout in sim/io/output_format.md).
void write_draws(const std::string& path, const DrawsOptions& opt, const DrawsResult& res);
/// Plain-text table, every number labelled a model estimate.
std::string describe_draws(const DrawsOptions& opt, const DrawsResult& res);

}  // namespace redes::decision
