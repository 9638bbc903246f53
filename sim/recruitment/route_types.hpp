// recruitment/route_types: factories of the built-in routes, listed once in registry.cpp.
#pragma once
#include <memory>

#include "sim/recruitment/route.hpp"

namespace redes {
std::unique_ptr<RecruitmentRoute> make_hunting(const Scenario&);
std::unique_ptr<RecruitmentRoute> make_fishing(const Scenario&);
std::unique_ptr<RecruitmentRoute> make_trusted_contact(const Scenario&);
}  // namespace redes
