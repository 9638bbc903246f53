// trusted_contact: a recruiter embedded in a community (a relative, neighbour or acquaintance)
// approaches the most vulnerable of a few of their anchor's ties, offline or over WhatsApp. The
// attempt starts engaged with some trust already, and the account is real (no profile to remove).
#include "sim/recruitment/route_types.hpp"

namespace redes {
namespace {

constexpr int kWhatsApp = 2;  // messaging between people who know each other

class TrustedContact final : public RecruitmentRoute {
 public:
  explicit TrustedContact(const Scenario& sc) : t_(sc.trusted) {}

  std::unique_ptr<RecruitmentRoute> clone() const override { return std::make_unique<TrustedContact>(*this); }
  RouteTraits traits() const override {
    RouteTraits t;
    t.entry = Stage::Engaged;
    t.trust_start = float(t_.trust_start);
    t.fake_profile = false;
    return t;
  }
  bool for_embedded() const override { return true; }

  void act(const RouteWorld& w, Recruiter& rec, RecruiterId r, int day, int free, std::uint8_t route,
           std::vector<Proposal>& out) override {
    Draws d(w.rng, rec.slot, std::uint32_t(day), Stream::TrustedApproach, rec.generation);
    if (free <= 0 || !d.bernoulli(t_.approach_rate)) return;
    const PersonId self = rec.embedded_in;
    std::uint32_t deg[3], total = 0;
    for (int l = 0; l < 3; ++l) {
      auto [b, e] = w.net.neighbours(l, self);
      total += deg[l] = std::uint32_t(e - b);
    }
    if (total == 0) return;
    // Someone in the victim's circle knows who is vulnerable: the most vulnerable of a few ties.
    PersonId j = kNone, last = kNone;
    double best = -1;
    for (int k = 0; k < t_.choice; ++k) {
      std::uint32_t pick = d.below(total);
      int l = 0;
      while (pick >= deg[l]) pick -= deg[l++];
      const PersonId c = last = w.net.neighbours(l, self).first[pick];
      if (!w.available(c) || !w.targetable_age(c, day)) continue;
      const double v = vulnerability(w.sc.vulnerability, w.view(c, day));
      if (v > best) best = v, j = c;
    }
    // A circle with nobody left to approach renews: the anchor moves to a tie (a walk through
    // the same community), as a trusted contact's acquaintances reach beyond one person's ties.
    if (j == kNone) {
      rec.embedded_in = last;
      return;
    }
    int platform = kOffline;
    if (d.bernoulli(t_.ict_share)) {
      if (w.on_platform(j, kWhatsApp, day)) platform = kWhatsApp;
    }
    out.push_back(
        {j, r, order_key(w.rng, j, std::uint32_t(day), rec.slot, rec.generation), route, std::uint8_t(platform)});
  }

 private:
  const TrustedParams& t_;
};

}  // namespace

std::unique_ptr<RecruitmentRoute> make_trusted_contact(const Scenario& sc) {
  return std::make_unique<TrustedContact>(sc);
}

}  // namespace redes
