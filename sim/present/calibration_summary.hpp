// present/calibration_summary: the printed summary of `redes calibrate`: history-matching waves,
// ABC generations, the posterior of each parameter, the fit of every target and the implied hidden
// and true victims, each a model estimate with its interval.
#pragma once
#include <filesystem>
#include <string>

#include "sim/calibration/calibration.hpp"

namespace redes {

/// `out` is the calibration file just written: the posterior summary is read back from it.
std::string describe_calibration(const calib::CalibrationSpec& spec, const calib::CalibrationResult& res,
                                 const std::filesystem::path& out);

}  // namespace redes
