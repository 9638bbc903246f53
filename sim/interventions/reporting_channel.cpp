// reporting_channel: a hotline or messaging reporting link; recognised attempts are reported more
// often (more arrests) and institutions detect more cases (observation model).
#include "sim/interventions/intervention.hpp"
#include "sim/interventions/types.hpp"

namespace redes {
namespace {
class ReportingChannel final : public Intervention {
 public:
  std::unique_ptr<Intervention> clone() const override { return std::make_unique<ReportingChannel>(*this); }
  ReportingChannel(io::Reader& r, const Scenario& sc) {
    read_common(r, sc);
    read_uncertain_into(r, "effect", -1, io::Range::unit(),
                        "added probability that a recognised attempt is reported, and relative rise in detection",
                        "effect", effect_);
    r.finish();
  }
  unsigned phases() const override { return kPhaseModifiers; }
  DayReport act(InterventionContext& ctx, Phase, int day) override {
    const double s = schedule_.strength(day) * coverage_ * effect_;
    for (std::size_t d = 0; d < ctx.modifiers.reporting_add.size(); ++d)
      if (targeting_.department_targeted(int(d))) ctx.modifiers.reporting_add[d] += s;
    return {0, day_cost(day, 0)};
  }

 private:
  double effect_ = 0;
};
}  // namespace
std::unique_ptr<Intervention> make_reporting_channel(io::Reader& r, const Scenario& sc) {
  return std::make_unique<ReportingChannel>(r, sc);
}
}  // namespace redes
