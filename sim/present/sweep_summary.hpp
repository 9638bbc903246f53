// present/sweep_summary: the printed summary of `redes sweep`: runs done, speed, and the Sobol
// indices with their intervals once the design is complete (read back from the file written).
#pragma once
#include <string>

#include "sim/study/sweep_study.hpp"

namespace redes {

std::string describe_sweep(const SweepResult& res);

}  // namespace redes
