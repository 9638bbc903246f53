// data_protection: a personal data protection law with training; less of a person's life is
// visible to hunters (privacy exposure is cut by `effect` for those reached).
#include "sim/interventions/person_reach.hpp"
#include "sim/interventions/types.hpp"

namespace redes {
namespace {
class DataProtection final : public PersonReach {
 public:
  std::unique_ptr<Intervention> clone() const override { return std::make_unique<DataProtection>(*this); }
  DataProtection(io::Reader& r, const Scenario& sc) {
    read_common(r, sc);
    trait_ = Trait::PrivacyCut;
    read_effect(r, "cut in privacy exposure: exposure *= 1 - effect");
    r.finish();
  }
};
}  // namespace
std::unique_ptr<Intervention> make_data_protection(io::Reader& r, const Scenario& sc) {
  return std::make_unique<DataProtection>(r, sc);
}
}  // namespace redes
