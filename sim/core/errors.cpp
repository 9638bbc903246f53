// core/errors: formatting of positioned scenario errors.
#include "sim/core/errors.hpp"

#include <utility>

namespace redes {

std::string Location::str() const {
  std::string out = file.empty() ? std::string("<input>") : file;
  if (line > 0) {
    out += ':' + std::to_string(line);
    if (column > 0) out += ':' + std::to_string(column);
  }
  return out;
}

namespace {

std::string format_error(const Location& where, const std::string& key_path, const std::string& detail) {
  std::string out = where.str() + ": ";
  if (!key_path.empty()) out += "key '" + key_path + "': ";
  return out + detail;
}

}  // namespace

ScenarioError::ScenarioError(Location where, std::string key_path, std::string detail)
    : std::runtime_error(format_error(where, key_path, detail)),
      where_(std::move(where)),
      key_path_(std::move(key_path)),
      detail_(std::move(detail)) {}

}  // namespace redes
