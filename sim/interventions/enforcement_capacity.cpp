// enforcement_capacity: more investigators in chosen departments; arrests and rescues there rise.
#include "sim/interventions/intervention.hpp"
#include "sim/interventions/types.hpp"

namespace redes {
namespace {
class EnforcementCapacity final : public Intervention {
 public:
  std::unique_ptr<Intervention> clone() const override { return std::make_unique<EnforcementCapacity>(*this); }
  EnforcementCapacity(io::Reader& r, const Scenario& sc) {
    read_common(r, sc);
    read_uncertain_into(r, "effect", -1, io::Range::non_negative(),
                        "relative rise in investigative capacity (1 = doubled)", "effect", effect_);
    r.finish();
  }
  unsigned phases() const override { return kPhaseModifiers; }
  DayReport act(InterventionContext& ctx, Phase, int day) override {
    const double s = schedule_.strength(day) * coverage_ * effect_;
    for (std::size_t d = 0; d < ctx.modifiers.enforcement_mult.size(); ++d)
      if (targeting_.department_targeted(int(d))) ctx.modifiers.enforcement_mult[d] *= 1 + s;
    return {0, day_cost(day, 0)};
  }

 private:
  double effect_ = 0;
};
}  // namespace
std::unique_ptr<Intervention> make_enforcement_capacity(io::Reader& r, const Scenario& sc) {
  return std::make_unique<EnforcementCapacity>(r, sc);
}
}  // namespace redes
