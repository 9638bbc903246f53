// core/errors: the typed errors that carry a position in a scenario file.
#pragma once
#include <stdexcept>
#include <string>

namespace redes {

/// A place in a scenario file. Lines and columns are 1-based; 0 means "unknown".
struct Location {
  std::string file;
  int line = 0;
  int column = 0;
  std::string str() const;  // "file:line:column"
};

/// Bad scenario input: names the file, line, column and dotted key path.
class ScenarioError : public std::runtime_error {
 public:
  ScenarioError(Location where, std::string key_path, std::string detail);
  const Location& where() const { return where_; }
  const std::string& key_path() const { return key_path_; }
  const std::string& detail() const { return detail_; }

 private:
  Location where_;
  std::string key_path_;
  std::string detail_;
};

/// A file that cannot be read or written (output, edge lists, HDF5).
class IoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace redes
