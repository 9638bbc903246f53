#include "sim/present/lists.hpp"

#include <stdexcept>

#include "sim/core/labels.hpp"
#include "sim/interventions/intervention.hpp"
#include "sim/output/run_datasets.hpp"
#include "sim/present/format.hpp"
#include "sim/recruitment/route.hpp"
#include "sim/scenario/reader.hpp"

namespace redes {

std::string describe_list(std::string_view what, bool markdown) {
  std::string out;
  if (what == "outputs") {  // the output dictionary; --markdown is the table of output_format.md
    if (markdown) return run_datasets_markdown();
    for (const auto& d : run_datasets())
      out += cformat("/%-36s %-12s %s\n", std::string(d.path).c_str(), std::string(d.unit).c_str(),
                     std::string(d.meaning).c_str());
  } else if (what == "interventions") {
    for (const auto& t : intervention_types())
      out += cformat(
          "%-22s %s\n%-22s   own keys: %s; common keys: name, start, end, half_life_days, coverage, targeting, cost\n",
          t.name.c_str(), t.description.c_str(), "", t.parameters.c_str());
  } else if (what == "routes") {
    for (const auto& t : recruitment_routes())
      out += cformat("%-22s %s\n", std::string(kRouteNames[std::size_t(t.label)]).c_str(), t.description.c_str());
  } else if (what == "keys") {
    for (const auto& k : io::key_catalogue())
      out += markdown
                 ? cformat("| `%s` | %s | %s | %s | %s |\n", k.path.c_str(), k.type.c_str(), k.range.c_str(),
                           k.default_text.empty() ? "required" : k.default_text.c_str(), k.doc.c_str())
                 : cformat("%-50s %-8s %-30s %s\n", k.path.c_str(), k.type.c_str(), k.range.c_str(), k.doc.c_str());
  } else {
    throw std::invalid_argument("nothing to list as '" + std::string(what) + "'");
  }
  return out;
}

}  // namespace redes
