// recruitment/recruiters: recruiters as abstract agents: where they operate, how they split
// effort across strategies and platforms, how many targets they can handle, arrest and replacement.
#pragma once
#include <array>
#include <climits>
#include <cstdint>
#include <vector>

#include "sim/core/labels.hpp"
#include "sim/core/rng.hpp"
#include "sim/network/network.hpp"
#include "sim/scenario/scenario.hpp"

namespace redes {

inline constexpr std::int32_t kFree = INT32_MIN;  // arrested_on while free (days may be negative in the warm-up)

struct Recruiter {
  std::uint8_t home = 0;         // department index
  PersonId embedded_in = kNone;  // anchor person for trusted-contact recruiters
  float hunting_share = 0;       // online effort: hunting vs fishing
  std::int32_t active_from = 0;  // first day of activity (vacant slots and replacements start later)
  std::int32_t arrested_on = kFree;
  std::uint16_t active_targets = 0;  // pipelines before `recruited`
  std::uint16_t reports = 0;         // reports to institutions about this recruiter
  std::uint32_t slot = 0;            // the initial slot this one descends from: department << 24 | kind << 23 | k
  std::uint16_t generation = 0;      // 0 = initial, +1 per replacement; (slot, generation) keys draws
  bool embedded() const { return embedded_in != kNone; }
  bool arrested() const { return arrested_on != kFree; }
  bool active(int day) const { return day >= active_from && !arrested(); }
};

/// Platform effort of online recruiters with no intervention (open platforms with users), normalised.
std::array<double, kPlatforms> baseline_platform_mix(const Scenario& sc, const Population& pop);

/// Daily arrest probability. Online recruiters are traced through platform data (effort-weighted
/// cooperation). Trusted contacts leave platform traces only when they use WhatsApp (share
/// trusted.ict_share); otherwise only testimony (reports) exposes them, so that part scales with
/// k_reports * reports alone.
double arrest_probability(const Scenario& sc, int home, bool embedded, int reports, double online_cooperation,
                          double whatsapp_cooperation, double enforcement_mult);

/// Expected active recruiters by department: national density per_100k, density per head in a
/// department proportional to its weight (a department's share is weight x population).
std::vector<double> expected_active_recruiters(const Scenario& sc, const Population& pop);

/// Initial recruiter slots on day `start` (the first simulated day), in the steady state of
/// arrest and replacement: per department and kind a Poisson number of slots with mean
/// active x (1 + p R) (p daily arrest probability without reports, R mean replacement days), each
/// vacant with probability pR / (1 + pR) and then filled after a memoryless delay. Expected active
/// recruiters are expected_active_recruiters(), at any population size.
std::vector<Recruiter> initial_recruiters(const Scenario& sc, const Population& pop, const Rng& rng, int start = 0);
/// The replacement of `replaced` (same slot, next generation, same home and kind; a trusted
/// contact is anchored at a tie of the arrested one's anchor, i.e. in the same community).
Recruiter replacement_recruiter(const Scenario& sc, const Population& pop, const Network& net, const Rng& rng,
                                const Recruiter& replaced, int day);

}  // namespace redes
