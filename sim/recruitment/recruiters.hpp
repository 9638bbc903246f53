// recruitment/recruiters: recruiters as abstract agents: where they operate, how they split
// effort across strategies and platforms, how many targets they can handle, arrest and replacement.
#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include "sim/core/labels.hpp"
#include "sim/core/rng.hpp"
#include "sim/io/scenario.hpp"
#include "sim/network/network.hpp"

namespace redes {

struct Recruiter {
  std::uint8_t home = 0;               // department index
  PersonId embedded_in = kNone;        // person node for trusted-contact recruiters
  float hunting_share = 0;             // online effort: hunting vs fishing
  std::int32_t active_from = 0;        // first day of activity (replacements start later)
  std::int32_t arrested_on = -1;       // -1 while free
  std::uint16_t active_targets = 0;    // pipelines before `recruited`
  std::uint16_t reports = 0;           // reports to institutions about this recruiter
  bool embedded() const { return embedded_in != kNone; }
  bool active(int day) const { return day >= active_from && arrested_on < 0; }
};

/// Initial recruiters: count = per_100k * population / 1e5, homes by department weight, a share
/// embedded in a random person of the home department.
std::vector<Recruiter> initial_recruiters(const Scenario& sc, const Population& pop, const Rng& rng);
/// A replacement for recruiter `replaced` (same home and kind), drawn from its own stream.
Recruiter replacement_recruiter(const Scenario& sc, const Population& pop, const Rng& rng, const Recruiter& replaced,
                                RecruiterId new_id, int day);

}  // namespace redes
