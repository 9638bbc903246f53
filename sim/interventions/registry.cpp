// The one explicit list of intervention types (no static registration a linker could drop).
#include <stdexcept>

#include "sim/interventions/types.hpp"

namespace redes {

const std::vector<InterventionType>& intervention_types() {
  static const std::vector<InterventionType> types = {
      {"digital_literacy", "school or community training; raises digital literacy", "effect", make_digital_literacy},
      {"awareness_campaign",
       "mass or social media campaign; raises awareness, limited by device access, spreads along ties",
       "effect, channel, offline_reach, peer_spread, peer_effect", make_awareness_campaign},
      {"caregiver_training", "parents and caregivers; raises supervision of minors", "effect", make_caregiver_training},
      {"platform_moderation", "ad takedown and fake-profile detection on platforms", "platforms, effect, cooperation",
       make_platform_moderation},
      {"reporting_channel", "hotline or messaging reporting link; more reports and detection", "effect",
       make_reporting_channel},
      {"enforcement_capacity", "investigators by department; more arrests and rescues", "effect",
       make_enforcement_capacity},
      {"data_protection", "personal data protection; less visible to hunters", "effect", make_data_protection},
  };
  return types;
}

std::vector<std::unique_ptr<Intervention>> build_interventions(const Scenario& sc, bool strict) {
  std::vector<std::unique_ptr<Intervention>> out;
  std::vector<std::string> names;
  for (auto& t : intervention_types()) names.push_back(t.name);
  for (std::size_t k = 0; k < sc.interventions.size(); ++k) {
    const auto& spec = sc.interventions[k];
    io::Reader r(spec.node, "interventions[" + std::to_string(k) + "]", strict);
    std::string type = r.choice("type", names, "intervention type");
    for (auto& t : intervention_types())
      if (t.name == type) out.push_back(t.make(r, sc));
  }
  return out;
}

std::vector<std::unique_ptr<Intervention>> replicate_interventions(const Scenario& sc) {
  std::vector<std::unique_ptr<Intervention>> out;
  for (const auto& spec : sc.interventions) {
    if (!spec.parsed)
      throw std::logic_error("intervention '" + spec.name + "' was not parsed when its scenario was loaded");
    out.push_back(spec.parsed->instance(sc));
  }
  return out;
}

}  // namespace redes
