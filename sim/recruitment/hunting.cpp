// hunting: online recruiters browse profiles on a platform and contact the most vulnerable-looking
// users (vulnerability seen through what they make public). The attempt starts at `contacted`:
// the target may decline the contact.
#include <algorithm>
#include <utility>

#include "sim/recruitment/route_types.hpp"

namespace redes {
namespace {

class Hunting final : public RecruitmentRoute {
 public:
  explicit Hunting(const Scenario& sc) : h_(sc.hunting) {}

  std::unique_ptr<RecruitmentRoute> clone() const override { return std::make_unique<Hunting>(*this); }
  RouteTraits traits() const override {
    RouteTraits t;
    t.entry = Stage::Contacted;
    return t;
  }
  bool for_embedded() const override { return false; }

  void act(const RouteWorld& w, Recruiter& rec, RecruiterId r, int day, int free, std::uint8_t route,
           std::vector<Proposal>& out) override {
    const double h = w.hunting_share(rec);
    Draws hunt(w.rng, rec.slot, std::uint32_t(day), Stream::HuntBrowse, rec.generation);
    if (free <= 0 || !hunt.bernoulli(h)) return;
    const int p = w.draw_platform(hunt);
    if (p == kOffline) return;
    const auto& users = w.pop.users[p];
    const auto& ub = w.pop.users_begin[p];
    std::uint32_t lo = 0, size = std::uint32_t(users.size());
    if (hunt.bernoulli(w.sc.recruiters.local_share)) lo = ub[rec.home], size = ub[rec.home + 1] - ub[rec.home];
    if (size == 0) return;
    const int want = std::min(free, h_.contacts_per_day);
    std::vector<std::pair<double, PersonId>> best;
    for (int b = 0; b < h_.browse_count; ++b) {
      PersonId i = users[lo + hunt.below(size)];
      double z = hunt.normal();
      if (!w.available(i) || !w.on_platform(i, p, day) || !w.targetable_age(i, day)) continue;
      PersonView v = w.view(i, day);
      best.push_back({-visible_vulnerability(w.sc.vulnerability, h_, v, z), i});
    }
    std::sort(best.begin(), best.end());
    for (int k = 0; k < want && k < int(best.size()); ++k) {
      PersonId i = best[k].second;
      out.push_back({i, r, order_key(w.rng, i, std::uint32_t(day), rec.slot, rec.generation), route, std::uint8_t(p)});
    }
  }

 private:
  const HuntingParams& h_;
};

}  // namespace

std::unique_ptr<RecruitmentRoute> make_hunting(const Scenario& sc) { return std::make_unique<Hunting>(sc); }

}  // namespace redes
