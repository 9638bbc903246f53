// interventions/person_reach: the shared shape of interventions that reach persons (training,
// campaigns, data protection): draw who is reached and when, then raise one trait on that day.
#pragma once
#include "sim/interventions/intervention.hpp"

namespace redes {

class PersonReach : public Intervention {
 public:
  unsigned phases() const override { return kPhaseReach; }
  void prepare(InterventionContext& ctx, int index) override {
    layer_ = ctx.boosts.reserve(trait_, ctx.pop.size());
    if (spread_)
      spread_layer_ = trait_ == Trait::Awareness ? layer_ : ctx.boosts.reserve(Trait::Awareness, ctx.pop.size());
    draw_reach(ctx, index, [&](PersonId i, int day) { return reach_factor(ctx, i, day); });
  }
  DayReport act(InterventionContext& ctx, Phase, int day) override {
    auto [b, e] = reached_on(day);
    for (auto* it = b; it != e; ++it) {
      ctx.boosts.raise(trait_, layer_, *it, day, effect_, float(schedule_.half_life));
      if (spread_) pass_on(ctx, *it, day);
    }
    return {e - b, day_cost(day, e - b)};
  }

 protected:
  /// Extra reach probability of person i (e.g. needs a device); coverage multiplies it.
  virtual double reach_factor(InterventionContext&, PersonId, int /*day*/) { return 1.0; }
  /// Peers warn peers: each offline tie gets part of the awareness effect.
  void pass_on(InterventionContext& ctx, PersonId i, int day) {
    const double p = ctx.scenario.peer_spread;
    if (p <= 0) return;
    Draws d(ctx.rng, i, std::uint32_t(day), Stream::PeerSpread, reach_key());
    for (int l = 0; l < 3; ++l) {
      auto [b, e] = ctx.net.neighbours(l, i);
      for (auto* it = b; it != e; ++it)
        if (d.uniform() < p)
          ctx.boosts.raise(Trait::Awareness, spread_layer_, *it, day, effect_ * peer_effect_,
                           float(schedule_.half_life));
    }
  }
  void read_effect(io::Reader& r, std::string_view doc) {
    read_uncertain_into(r, "effect", -1, io::Range::unit(), doc, "effect", effect_);
  }

  Trait trait_ = Trait::Literacy;
  double effect_ = 0, peer_effect_ = 0.5;
  int layer_ = 0, spread_layer_ = 0;  // this intervention's own boost layers
};

}  // namespace redes
