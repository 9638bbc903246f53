// present/analysis: `redes report` and `redes export` run the Python analysis (analysis/) with an
// interpreter that has its dependencies, whatever `python3` comes first on PATH (pyenv's or
// conda's often lacks h5py). The question "which Python?" is answered here once.
#pragma once
#include <string>

namespace redes {

/// Replaces this process by analysis.report (analysis.decision with `decision`) on a redes file or
/// folder, in the chosen language; `output` "" = the analysis's default. Its exit code becomes ours.
[[noreturn]] void exec_report(const std::string& path, const std::string& output, bool decision);
/// Replaces this process by analysis.export: every summary dataset of `file` as a tidy table.
[[noreturn]] void exec_export(const std::string& file, const std::string& format, const std::string& output);

}  // namespace redes
