// platform_moderation: ad takedown and fake-profile detection on chosen platforms, plus optional
// cooperation with investigators. Acts on platform parameters, not on persons.
#include "sim/interventions/intervention.hpp"
#include "sim/interventions/types.hpp"

namespace redes {
namespace {
class PlatformModeration final : public Intervention {
 public:
  std::unique_ptr<Intervention> clone() const override { return std::make_unique<PlatformModeration>(*this); }
  PlatformModeration(io::Reader& r, const Scenario& sc) {
    read_common(r, sc);
    std::vector<std::string> plats(kPlatformNames.begin() + 1, kPlatformNames.end());
    for (auto& p : r.strings("platforms", plats, "platforms whose moderation rises"))
      platforms_.push_back(int(std::find(kPlatformNames.begin(), kPlatformNames.end(), p) - kPlatformNames.begin()));
    if (platforms_.empty()) r.fail("platforms", "name at least one platform");
    read_uncertain_into(r, "effect", -1, io::Range::probability(),
                        "added daily removal probability of ads and fake profiles", "effect", effect_);
    cooperation_ = r.number("cooperation", 0.0, io::Range::unit(), "added cooperation with investigators");
    r.finish();
  }
  unsigned phases() const override { return kPhaseModifiers; }
  DayReport act(InterventionContext& ctx, Phase, int day) override {
    const double s = schedule_.strength(day) * coverage_;
    for (int p : platforms_) {
      ctx.modifiers.moderation_add[p] += effect_ * s;
      ctx.modifiers.cooperation_add[p] += cooperation_ * s;
    }
    return {0, day_cost(day, 0)};
  }

 private:
  std::vector<int> platforms_;
  double effect_ = 0, cooperation_ = 0;
};
}  // namespace
std::unique_ptr<Intervention> make_platform_moderation(io::Reader& r, const Scenario& sc) {
  return std::make_unique<PlatformModeration>(r, sc);
}
}  // namespace redes
