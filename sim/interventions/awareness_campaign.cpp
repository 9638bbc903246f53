// awareness_campaign: mass or social media campaign on trafficking and its signs; raises awareness.
// Social media campaigns reach only people online (the digital divide); awareness may pass along ties.
#include "sim/interventions/person_reach.hpp"
#include "sim/interventions/types.hpp"

namespace redes {
namespace {
class AwarenessCampaign final : public PersonReach {
 public:
  std::unique_ptr<Intervention> clone() const override { return std::make_unique<AwarenessCampaign>(*this); }
  AwarenessCampaign(io::Reader& r, const Scenario& sc) {
    read_common(r, sc);
    trait_ = Trait::Awareness;
    read_effect(r, "awareness gain: A += effect * (1 - A)");
    std::string channel = r.choice("channel", {"social_media", "mass_media"}, "social_media",
                                   "social_media reaches only people with a device; mass_media reaches anyone");
    needs_device_ = channel == "social_media";
    offline_reach_ = r.number("offline_reach", 1.0, io::Range::unit(),
                              "mass media: reach of people without a device relative to those with one");
    spread_ =
        r.boolean("peer_spread", true, "reached persons warn their offline ties (probability: scenario peer_spread)");
    peer_effect_ = r.number("peer_effect", 0.5, io::Range::unit(), "share of the effect passed to a warned tie");
    r.finish();
  }

 protected:
  double reach_factor(InterventionContext& ctx, PersonId i, int day) override {
    if (ctx.pop.has_device(i, day)) return 1.0;
    return needs_device_ ? 0.0 : offline_reach_;
  }

 private:
  bool needs_device_ = true;
  double offline_reach_ = 1.0;
};
}  // namespace
std::unique_ptr<Intervention> make_awareness_campaign(io::Reader& r, const Scenario& sc) {
  return std::make_unique<AwarenessCampaign>(r, sc);
}
}  // namespace redes
