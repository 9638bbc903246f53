// caregiver_training: parents and caregivers learn to supervise minors online; raises the
// supervision of the minors whose caregivers are reached (targeting is of the minors, ages 0-17).
#include "sim/interventions/person_reach.hpp"
#include "sim/interventions/types.hpp"

namespace redes {
namespace {
class CaregiverTraining final : public PersonReach {
 public:
  std::unique_ptr<Intervention> clone() const override { return std::make_unique<CaregiverTraining>(*this); }
  CaregiverTraining(io::Reader& r, const Scenario& sc) {
    read_common(r, sc);
    trait_ = Trait::Supervision;
    targeting_.max_age = std::min(targeting_.max_age, 17);
    read_effect(r, "supervision gain of the minors: S += effect * (1 - S)");
    r.finish();
  }
};
}  // namespace
std::unique_ptr<Intervention> make_caregiver_training(io::Reader& r, const Scenario& sc) {
  return std::make_unique<CaregiverTraining>(r, sc);
}
}  // namespace redes
