// interventions/effects: what prevention can change during a run, as one per-replicate state the
// engine reads. Person effects are boosts b in [0,1] toward 1 (x_eff = x + (1-x) b, or a cut
// x_eff = x (1-b) for privacy exposure), stored as the value at the last update and decayed in
// closed form with a half-life when read; platform and department effects are daily additive terms.
#pragma once
#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include "sim/core/labels.hpp"

namespace redes {

enum class Trait : int { Literacy, Awareness, Supervision, PrivacyCut, kCount };

class PersonBoosts {
 public:
  /// Allocates lazily: a trait no intervention touches costs no memory and reads as zero.
  void reserve(Trait t, std::size_t persons) {
    auto& s = slots_[int(t)];
    if (s.empty()) s.assign(persons, Slot{});
  }
  bool active(Trait t) const { return !slots_[int(t)].empty(); }

  /// Boost in effect on `day`.
  double get(Trait t, PersonId i, int day) const {
    const auto& s = slots_[int(t)];
    if (s.empty()) return 0.0;
    const Slot& v = s[i];
    if (v.value == 0.0f) return 0.0;
    if (v.half_life <= 0 || day <= v.day) return v.value;
    return v.value * std::exp2(-double(day - v.day) / v.half_life);
  }
  /// Moves the boost toward 1 by `effect` (x += effect (1 - x)), restarting its decay clock.
  void raise(Trait t, PersonId i, int day, double effect, float half_life_days) {
    auto& v = slots_[int(t)][i];
    double cur = get(t, i, day);
    v.value = float(cur + effect * (1.0 - cur));
    v.day = day;
    v.half_life = half_life_days;
  }

 private:
  struct Slot {
    float value = 0.0f;
    std::int32_t day = 0;
    float half_life = 0.0f;  // days; 0 = no decay
  };
  std::array<std::vector<Slot>, int(Trait::kCount)> slots_;
};

/// Daily modifiers set by interventions before the recruiters act (reset each day).
struct DailyModifiers {
  std::array<double, kPlatforms> moderation_add{}, cooperation_add{};
  std::vector<double> enforcement_mult;  // per department, multiplies capacity (1 = none)
  std::vector<double> reporting_add;     // per department, raises report_prob and detection
  void reset(int departments) {
    moderation_add.fill(0.0);
    cooperation_add.fill(0.0);
    enforcement_mult.assign(departments, 1.0);
    reporting_add.assign(departments, 0.0);
  }
};

}  // namespace redes
