// digital_literacy: school or community training in digital safety; raises digital literacy.
#include "sim/interventions/person_reach.hpp"
#include "sim/interventions/types.hpp"

namespace redes {
namespace {
class DigitalLiteracy final : public PersonReach {
 public:
  std::unique_ptr<Intervention> clone() const override { return std::make_unique<DigitalLiteracy>(*this); }
  DigitalLiteracy(io::Reader& r, const Scenario& sc) {
    read_common(r, sc);
    trait_ = Trait::Literacy;
    read_effect(r, "literacy gain: L += effect * (1 - L)");
    r.finish();
  }
};
}  // namespace
std::unique_ptr<Intervention> make_digital_literacy(io::Reader& r, const Scenario& sc) {
  return std::make_unique<DigitalLiteracy>(r, sc);
}
}  // namespace redes
