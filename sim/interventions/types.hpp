// interventions/types: factories of the built-in types, listed once in registry.cpp.
#pragma once
#include <memory>

#include "sim/interventions/intervention.hpp"

namespace redes {
std::unique_ptr<Intervention> make_digital_literacy(io::Reader&, const Scenario&);
std::unique_ptr<Intervention> make_awareness_campaign(io::Reader&, const Scenario&);
std::unique_ptr<Intervention> make_caregiver_training(io::Reader&, const Scenario&);
std::unique_ptr<Intervention> make_platform_moderation(io::Reader&, const Scenario&);
std::unique_ptr<Intervention> make_reporting_channel(io::Reader&, const Scenario&);
std::unique_ptr<Intervention> make_enforcement_capacity(io::Reader&, const Scenario&);
std::unique_ptr<Intervention> make_data_protection(io::Reader&, const Scenario&);
}  // namespace redes
