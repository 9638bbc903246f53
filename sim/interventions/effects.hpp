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
  /// Adds one layer of boosts to trait t for one intervention and returns its id. Each
  /// intervention keeps its own layer so that its own half-life decays its own boost: a single
  /// slot per trait would let the last raise() rewrite an earlier intervention's decay, and two
  /// exponentials with different half-lives have no one-exponential closed form. Layers combine
  /// as independent boosts toward 1: 1 - b = prod_k (1 - b_k). A trait no intervention touches
  /// costs no memory and reads as zero.
  int reserve(Trait t, std::size_t persons) {
    auto& layers = slots_[int(t)];
    layers.emplace_back(persons, Slot{});
    return int(layers.size()) - 1;
  }
  bool active(Trait t) const { return !slots_[int(t)].empty(); }

  /// Boost in effect on `day` (all layers combined).
  double get(Trait t, PersonId i, int day) const {
    const auto& layers = slots_[int(t)];
    if (layers.empty()) return 0.0;
    if (layers.size() == 1) return layers[0][i].at(day);  // the common case, exact as before
    double keep = 1.0;
    for (const auto& l : layers) keep *= 1.0 - l[i].at(day);
    return 1.0 - keep;
  }
  /// Boost of one layer on `day`.
  double get(Trait t, int layer, PersonId i, int day) const { return slots_[int(t)][std::size_t(layer)][i].at(day); }
  /// Moves the layer's boost toward 1 by `effect` (x += effect (1 - x)), restarting its decay
  /// clock; the layer's half-life is its intervention's own.
  void raise(Trait t, int layer, PersonId i, int day, double effect, float half_life_days) {
    auto& v = slots_[int(t)][std::size_t(layer)][i];
    const double cur = v.at(day);
    v.value = float(cur + effect * (1.0 - cur));
    v.day = day;
    v.half_life = half_life_days;
  }

 private:
  struct Slot {
    float value = 0.0f;
    std::int32_t day = 0;
    float half_life = 0.0f;  // days; 0 = no decay
    double at(int d) const {
      if (value == 0.0f) return 0.0;
      if (half_life <= 0 || d <= day) return value;
      return value * std::exp2(-double(d - day) / half_life);
    }
  };
  std::array<std::vector<std::vector<Slot>>, int(Trait::kCount)> slots_;
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
