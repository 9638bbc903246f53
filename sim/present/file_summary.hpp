// present/file_summary: the headline numbers of a run or compare file written by redes (`redes
// inspect`), read back from the file. Files may be damaged or forged: shapes and labels are checked
// before they are used, and an IoError names what is wrong.
#pragma once
#include <string>

namespace redes {

std::string describe_file(const std::string& file);

}  // namespace redes
