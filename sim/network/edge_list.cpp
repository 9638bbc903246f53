// network/edge_list: the CSV reader for layers given as edge lists (its own unit so the fuzzer
// builds it without the generators).
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <string>

#include "sim/core/errors.hpp"
#include "sim/network/network.hpp"

namespace redes {

std::vector<std::uint64_t> read_edge_list(const std::filesystem::path& file, std::size_t vertices) {
  std::ifstream in(file);
  if (!in) throw IoError(file.string() + ": cannot open edge list");
  std::vector<std::uint64_t> out;
  std::string line;
  int line_no = 0;
  bool first_row = true;  // a header may only be the first line that is not blank or a comment
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    auto comma = line.find(',');
    auto where = [&](std::size_t col) {
      return file.string() + ":" + std::to_string(line_no) + ":" + std::to_string(col + 1) + ": ";
    };
    if (comma == std::string::npos)
      throw IoError(where(first) + "expected two person indices separated by a comma, got '" + line + "'");
    std::uint64_t ab[2];
    std::size_t starts[2] = {first, comma + 1};
    std::size_t ends[2] = {comma, line.size()};
    bool header = false;
    for (int k = 0; k < 2; ++k) {
      std::string field = line.substr(starts[k], ends[k] - starts[k]);
      auto a = field.find_first_not_of(" \t"), b = field.find_last_not_of(" \t");
      field = a == std::string::npos ? "" : field.substr(a, b - a + 1);
      std::size_t col = starts[k] + (a == std::string::npos ? 0 : a);
      // A header's first field is a name (a letter, '_' or a quote); "-1" or "0,b" are bad data.
      if (k == 0 && first_row && !field.empty() &&
          (std::isalpha(static_cast<unsigned char>(field[0])) || field[0] == '_' || field[0] == '"' ||
           field[0] == '\'')) {
        header = true;
        break;
      }
      char* endp = nullptr;
      unsigned long long v = field.empty() ? 0 : std::strtoull(field.c_str(), &endp, 10);
      if (field.empty() || *endp != '\0' || field[0] == '-')
        throw IoError(where(col) + "expected a person index (non-negative integer), got '" + field + "'");
      if (v >= vertices)
        throw IoError(where(col) + "person index " + field + " is out of range: the population has " +
                      std::to_string(vertices) + " persons (0.." + std::to_string(vertices - 1) + ")");
      ab[k] = v;
    }
    first_row = false;
    if (header) continue;
    out.push_back(pack(std::uint32_t(ab[0]), std::uint32_t(ab[1])));
  }
  return out;
}

}  // namespace redes
