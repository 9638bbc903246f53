// The one explicit list of recruitment routes (no static registration a linker could drop). The
// engine runs them in this order; a route's label is its name in outputs (sim/core/labels.hpp).
#include "sim/recruitment/route_types.hpp"

namespace redes {

const std::vector<RouteType>& recruitment_routes() {
  static const std::vector<RouteType> routes = {
      {Route::Hunting, "online recruiters browse profiles and contact the most vulnerable-looking users", make_hunting},
      {Route::Fishing, "online recruiters post job or modelling ads; users reply and share them", make_fishing},
      {Route::TrustedContact, "a recruiter embedded in a community approaches vulnerable ties", make_trusted_contact},
  };
  return routes;
}

}  // namespace redes
