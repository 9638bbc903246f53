// study/compare_file: compare_study writing the file of `redes compare` (sim/output/output_format.md),
// and the arms of a comparison from intervention files. The CLI and the Python module
// (sim/python) both call these, so a comparison from Python is the CLI's file.
#pragma once
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "sim/output/h5.hpp"
#include "sim/scenario/yaml_tree.hpp"
#include "sim/study/study.hpp"

namespace redes {

/// One arm per intervention file (the baseline with the file's interventions added), named by the
/// file; with "baseline" first in the names. Throws when a name is empty, has '/', or repeats.
std::pair<std::vector<Scenario>, std::vector<std::string>> load_arms(const io::Node& base_tree,
                                                                     const std::filesystem::path& base_file,
                                                                     const std::vector<std::string>& files);

/// The axis of a "who benefits" breakdown (department, age_group, gender, route, platform).
h5::Axis compare_axis(const Scenario& sc, const std::string& dim);

/// Runs `request` and writes `out` under a temporary name, renamed at the end (nothing under `out`
/// when cancelled or failed). `callbacks.start` and `on_replicate` are called after the file's own.
CompareResult compare_to_file(const CompareRequest& request, const std::filesystem::path& out,
                              const Callbacks& callbacks, const std::string& started_at);

}  // namespace redes
