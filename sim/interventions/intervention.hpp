// interventions: prevention measures as named types, each parsed from its YAML node once, when the
// scenario is loaded (Scenario::interventions[k].parsed); every replicate starts from a copy of the
// parsed object. Each type declares the daily phases it acts in (a bit mask, as LAMMPS fixes do);
// the engine builds one list per phase and never asks which type an intervention is. New types
// register in registry.cpp.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/rng.hpp"
#include "sim/decision/distribution.hpp"
#include "sim/interventions/effects.hpp"
#include "sim/network/network.hpp"
#include "sim/population/population.hpp"
#include "sim/scenario/reader.hpp"
#include "sim/scenario/scenario.hpp"

namespace redes {

enum Phase : unsigned { kPhaseReach = 1u << 0, kPhaseModifiers = 1u << 1 };

/// Who an intervention is for. Empty lists mean "everyone".
struct Targeting {
  std::vector<int> departments;  // indexes into the scenario's departments
  int urban = -1;                // -1 both, 1 urban only, 0 rural only
  int min_age = 0, max_age = 200;
  std::vector<int> genders, platforms;  // platforms: persons using any of them
  bool matches(const Population& pop, PersonId i, int day) const;
  bool department_targeted(int d) const;
};

struct Schedule {
  int start = 0, end = 0;  // days [start, end)
  double half_life = 0;    // days; 0 = effects do not decay
  bool active(int day) const { return day >= start && day < end; }
  /// 1 while active, then decaying by the half-life (0 before the start, and always 0 for an
  /// empty schedule).
  double strength(int day) const;
};

struct Cost {
  double fixed = 0, per_person = 0, per_day = 0;  // USD
};

/// What one intervention did on one day.
struct DayReport {
  std::int64_t reached = 0;
  double cost = 0;
};

/// The per-replicate world an intervention may act on.
struct InterventionContext {
  const Scenario& scenario;
  const Population& pop;
  const Network& net;
  const Rng& rng;
  PersonBoosts& boosts;
  DailyModifiers& modifiers;
};

class Intervention {
 public:
  virtual ~Intervention() = default;
  /// Reads the common keys (name, schedule, targeting, coverage, cost) from `r`.
  void read_common(io::Reader& r, const Scenario& scenario);
  virtual unsigned phases() const = 0;
  /// Called once per replicate before day 0 (e.g. to draw who is reached and when).
  virtual void prepare(InterventionContext& ctx, int index);
  /// Called each day for each phase the type declared.
  virtual DayReport act(InterventionContext& ctx, Phase phase, int day) = 0;

  const std::string& name() const { return name_; }
  const std::string& type() const { return type_; }
  double coverage() const { return coverage_; }
  /// Effects and costs given as distributions (empty when all are plain numbers).
  const std::vector<UncertainParameter>& uncertain() const { return uncertain_; }
  /// A fresh copy for one replicate of `scenario`: the parsed values, no replicate state, the
  /// schedule clipped to the scenario's period (a loaded scenario may be shortened, as tests do).
  std::unique_ptr<Intervention> instance(const Scenario& scenario) const;

 protected:
  /// Draws who is reached (with probability coverage * extra(i)) and on which day of the
  /// schedule: the day is drawn first and the targeting (age) is matched on that day, so an
  /// "ages 10-17" programme never reaches a person who is 18 by then. Uses its own random stream
  /// keyed by reach_key() (common random numbers stay intact). `index` is unused (kept for the
  /// prepare() signature).
  template <class Extra>
  void draw_reach(InterventionContext& ctx, int index, Extra extra);
  /// The `sub` key of this intervention's draws: FNV-1a (32 bit) of "type/name", xor-folded to
  /// 16 bits. Keyed by identity, not by the position in the list, so an intervention alone and the
  /// same one in a package reach the same persons on the same days.
  std::uint16_t reach_key() const;
  /// Persons reached on `day` (after draw_reach), ascending.
  std::pair<const PersonId*, const PersonId*> reached_on(int day) const;
  /// Day cost: fixed on the start day (unless the schedule is empty), per_day while active,
  /// per_person for `reached`.
  double day_cost(int day, std::int64_t reached) const;
  /// Reads `key` as a number or a distribution (see decision/distribution.hpp) into `target`.
  void read_uncertain_into(io::Reader& r, std::string_view key, double fallback, const io::Range& range,
                           std::string_view doc, std::string name, double& target) {
    target = read_uncertain(r, key, fallback, range, doc, std::move(name), uncertain_);
  }
  /// A copy of the most derived type (each final type: `return std::make_unique<T>(*this);`).
  virtual std::unique_ptr<Intervention> clone() const = 0;

  std::string name_, type_;
  Schedule schedule_;  // the requested days clipped to the scenario's period (bind)
  Targeting targeting_;
  double coverage_ = 0;
  Cost cost_;
  bool spread_ = false;             // awareness passes along ties on the day of reach
  double people_per_person_ = 1.0;  // population.represents / population.size

 private:
  /// Clips the requested days to `sc`'s period and sets the people each synthetic person stands for.
  void bind(const Scenario& sc);

  int requested_start_ = 0, requested_end_ = 0;  // days of start and end, as written
  std::vector<UncertainParameter> uncertain_;
  std::vector<PersonId> reach_people_;  // sorted by (day, person)
  std::vector<std::uint32_t> reach_day_begin_;
};

/// A registered type: its name, one-line description, and factory.
struct InterventionType {
  std::string name, description, parameters;
  std::unique_ptr<Intervention> (*make)(io::Reader& node, const Scenario& scenario);
};
const std::vector<InterventionType>& intervention_types();

/// Parses every intervention node of the scenario (scenario_from_tree does, once, at load); unknown
/// types and keys fail with the valid names and a suggestion, at the node's file:line:column.
/// `strict`: effects and costs must be distributions with provenance (`validate --strict`).
std::vector<std::unique_ptr<Intervention>> build_interventions(const Scenario& scenario, bool strict = false);
/// One replicate's interventions: fresh instances of the ones parsed at load, in order.
std::vector<std::unique_ptr<Intervention>> replicate_interventions(const Scenario& scenario);

// --- template implementation ---
template <class Extra>
void Intervention::draw_reach(InterventionContext& ctx, int, Extra extra) {
  reach_people_.clear();
  const int span = std::max(1, schedule_.end - schedule_.start);
  const std::uint16_t key = reach_key();
  std::vector<std::pair<std::uint32_t, PersonId>> hits;
  if (coverage_ > 0 && schedule_.end > schedule_.start) {  // an empty schedule reaches nobody
    const auto& pop = ctx.pop;
    for (std::size_t d = 0; d + 1 < pop.dept_begin.size(); ++d) {
      if (!targeting_.department_targeted(int(d))) continue;
      for (PersonId i = pop.dept_begin[d]; i < pop.dept_begin[d + 1]; ++i) {
        Draws dr(ctx.rng, i, 0, Stream::InterventionReach, key);
        const double u = dr.uniform();
        const std::uint32_t day = std::uint32_t(schedule_.start) + dr.below(std::uint32_t(span));
        if (!targeting_.matches(pop, i, int(day))) continue;
        if (u < coverage_ * extra(i, int(day))) hits.push_back({day, i});
      }
    }
  }
  std::sort(hits.begin(), hits.end());
  reach_day_begin_.assign(std::size_t(span) + 1, 0);
  for (auto& [day, i] : hits) ++reach_day_begin_[day - schedule_.start + 1];
  for (std::size_t k = 1; k < reach_day_begin_.size(); ++k) reach_day_begin_[k] += reach_day_begin_[k - 1];
  for (auto& h : hits) reach_people_.push_back(h.second);
}

}  // namespace redes
