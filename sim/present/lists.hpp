// present/lists: what `redes list` prints: the output dictionary, the intervention types, the
// recruitment routes and the scenario keys read so far (as text columns or Markdown tables).
#pragma once
#include <string>
#include <string_view>

namespace redes {

/// `what` is "outputs", "interventions", "routes" or "keys" (keys: those the loaded scenarios declared).
std::string describe_list(std::string_view what, bool markdown);

}  // namespace redes
