// present/run_summary: the printed summaries of a world, a run and a comparison, built from the
// study's typed results (sim/study) in the chosen language (sim/i18n). The CLI prints them; the
// server or a notebook could show the same text. Every victim number is a model estimate with its interval.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>

#include "sim/study/study.hpp"

namespace redes {

/// A line saying how sample counts scale to the population represented, or "" at full scale.
std::string scale_note(const Scenario& sc);

/// `redes population`: departments, age groups, attribute means and each layer's degrees.
std::string describe_population(const Scenario& sc, std::uint32_t seed, const World& w);

/// `redes run`: the estimates over replicates, the shares of minors and women, the top departments.
std::string describe_run(const RunRequest& request, const RunResult& result, const std::filesystem::path& out);

/// `redes compare`: victims averted per intervention, with benefits, cost and who benefits most.
std::string describe_compare(const CompareRequest& request, const CompareResult& result,
                             const std::filesystem::path& out);

}  // namespace redes
