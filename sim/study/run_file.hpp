// study/run_file: run_study writing the run file of `redes run` (sim/output/output_format.md). The CLI
// and the Python module (sim/python) both call it, so a run from Python is the CLI's file.
#pragma once
#include <filesystem>
#include <string>

#include "sim/study/study.hpp"

namespace redes {

/// Runs `request` and writes `out` under a temporary name, renamed at the end: when the study is
/// cancelled or fails, nothing is left under `out`. `callbacks.start` and `on_replicate` are
/// called after the file's own; `started_at` is stored in /metadata.
RunResult run_to_file(const RunRequest& request, const std::filesystem::path& out, const Callbacks& callbacks,
                      const std::string& started_at);

}  // namespace redes
