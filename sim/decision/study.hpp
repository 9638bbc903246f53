// decision/study: `redes compare --draws K [--posterior calibration.h5]`: K draws of the
// uncertain inputs (posterior parameters resampled by weight, intervention effects and costs
// from their distributions, drawn jointly) x R replicates per arm, with common random numbers
// within each draw; then cost-effectiveness, acceptability and the value of information.
#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/decision/decision.hpp"
#include "sim/engine/summary.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/yaml_tree.hpp"
#include "sim/study/study.hpp"
#include "sim/sweep/journal.hpp"
#include "sim/sweep/runner.hpp"

namespace redes::decision {

struct DrawsOptions {
  std::string baseline, posterior;  // posterior may be empty: effects are still drawn
  // "" = numbers only. Else the file to write: every run goes first to `<output>.journal`, so a
  // killed study rerun with the same request resumes; the journal is removed once the file is.
  std::string output;
  /// Called once when a journal of this request already holds `runs` completed runs (may be empty).
  std::function<void(std::int64_t runs)> resuming;
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
  bool worker = false;                 // an MPI rank other than 0: rank 0 writes and reports
  std::vector<std::string> options;    // "baseline" first
  Matrix cost, averted;                // [draw][option], means over replicates
  std::vector<OptionSummary> summary;  // per option
  std::vector<FrontierRow> frontier;   // per option
  std::vector<double> wtps;            // acceptability grid (USD per victim averted)
  Matrix ceac;                         // [wtp][option]
  std::vector<double> evpi_curve;      // [wtp]
  double evpi_at_wtp = 0;
  std::vector<std::string> parameters;  // uncertain inputs, e.g. "recruitment.recruiters.per_100k"
  Matrix parameter_values;              // [parameter][draw]
  std::vector<double> evppi;            // [parameter] at wtp
};

/// An arm: intervention files added to the baseline (none: the baseline itself). When
/// `coverage` is not empty, coverage[i] replaces the coverage of every intervention of files[i].
struct ArmFiles {
  std::vector<std::string> files;
  std::vector<double> coverage;
  std::int64_t id = 0;  // its runs in the journal are id*K*R + draw*R + replicate; unique per arm
};

/// Every run of one arm on the study's draws, index draw * R + replicate.
struct ArmRuns {
  std::string name;
  std::vector<double> victims, cost;  // synthetic persons; USD (population represented)
  std::vector<Summary> summaries;
};

/// The K draws of the uncertain inputs, with one run loop for any set of arms on them: run
/// number d*R + r is the same replicate in every arm (common random numbers) and differs
/// between draws. `compare --draws` runs its arms once; `optimize` asks for arms as its search
/// goes, on the same draws. Worlds stay built between calls.
class DrawsStudy {
 public:
  explicit DrawsStudy(const DrawsOptions& opt);
  /// From now on every run is looked up in the journal at `path` and, if not there, simulated and
  /// appended to it before it is used. `request` is the text of everything besides the baseline,
  /// draws and seed that decides the runs (arm files, command); with those it makes the journal's
  /// fingerprint, so a journal of another request is refused (sweep::JournalMismatch). Arm ids lie
  /// in [0, arms).
  void journal_to(const std::filesystem::path& path, const std::string& request, std::int64_t arms);
  std::vector<ArmRuns> run(const std::vector<ArmFiles>& arms);
  /// MPI rank 0 of `ranks`: run() hands the runs it lacks out to the other ranks (announcing each
  /// batch) instead of simulating them. The caller announces the end (sweep::announce_batch(false)).
  void coordinate(int ranks) { ranks_ = ranks; }
  /// The other MPI ranks: simulate the runs rank 0 hands out, batch by batch, until it announces
  /// the end. `arm_of` gives the arm of an id exactly as rank 0 builds it.
  void serve(const std::function<ArmFiles(std::int64_t id)>& arm_of);

  const Scenario& base() const { return base_; }
  const io::Node& base_tree() const { return base_tree_; }
  std::uint32_t seed() const { return seed_; }
  double people_per_person() const { return base_.population.represents / double(base_.population.size); }
  /// Uncertain inputs met so far (posterior keys first, then intervention effects and costs).
  const std::vector<std::string>& parameters() const { return parameters_; }
  const Matrix& parameter_values() const { return parameter_values_; }  // [parameter][draw]

 private:
  Scenario arm_scenario(std::size_t draw, const ArmFiles& arm, std::string& name);
  sweep::RunRecord simulate(const Scenario& sc, const sweep::World& world, std::int64_t run,
                            std::size_t replicate) const;
  DrawsOptions opt_;
  io::Node base_tree_;
  Scenario base_;
  std::uint32_t seed_ = 0;
  std::vector<io::Node> draw_trees_;  // the baseline tree of each draw (posterior values set)
  std::vector<std::string> parameters_;
  Matrix parameter_values_;
  std::map<std::string, std::size_t> effect_index_;  // "type/param" -> parameter index
  sweep::WorldCache worlds_;
  std::vector<std::shared_ptr<const sweep::World>> keep_;  // the cache frees unused worlds; keep them
  std::optional<sweep::Journal> journal_;
  std::unordered_map<std::int64_t, sweep::RunRecord> journaled_;  // runs found in the journal
  sweep::RecordShape shape_;
  int ranks_ = 1;  // > 1: MPI rank 0, which hands runs out
};

/// The journal next to an output file: `<output>.journal`.
std::filesystem::path journal_path(const std::filesystem::path& output);

/// Runs the study and returns its numbers; with opt.output set, journals every run, writes the
/// file (write_draws) and then removes the journal. Under mpirun with several ranks, rank 0 does
/// all this with the runs simulated by the other ranks, which return a result marked `worker`.
DrawsResult run_draws(const DrawsOptions& opt);

/// Under mpirun with several ranks: `lead(ranks)` on rank 0 (its DrawsStudy::coordinate(ranks)),
/// then the end announced; `serve()` on the others (DrawsStudy::serve), returning true there.
/// Otherwise lead(1). A failure on any rank aborts them all (exit 3), except the refusal of a
/// journal of another request, which rank 0 throws after letting the workers end.
bool run_on_ranks(const std::function<void(int ranks)>& lead, const std::function<void()>& serve);
/// Writes /decision/... to an HDF5 file (layout in sim/output/output_format.md).
void write_draws(const std::string& path, const DrawsOptions& opt, const DrawsResult& res);

}  // namespace redes::decision
