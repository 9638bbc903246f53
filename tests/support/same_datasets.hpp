// Test support: bit-for-bit comparison of HDF5 datasets between two files, for the tests that
// check a resumed, MPI or other-thread-count run against an uninterrupted one.
#pragma once
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/output/h5.hpp"

namespace redes::testing {

/// Each dataset read as doubles and compared as bytes (so NaN == NaN), with its shape and the labels
/// of every axis.
inline ::testing::AssertionResult same_datasets(const std::filesystem::path& a, const std::filesystem::path& b,
                                                const std::vector<std::string>& datasets) {
  h5::Reader ra(a), rb(b);
  for (const auto& d : datasets) {
    if (!ra.exists(d)) return ::testing::AssertionFailure() << d << " missing in " << a;
    if (!rb.exists(d)) return ::testing::AssertionFailure() << d << " missing in " << b;
    if (ra.shape(d) != rb.shape(d)) return ::testing::AssertionFailure() << d << " has another shape in " << b;
    for (int dim = 0; dim < int(ra.shape(d).size()); ++dim)
      if (ra.scale_labels(d, dim) != rb.scale_labels(d, dim))
        return ::testing::AssertionFailure() << d << " has other labels on axis " << dim << " in " << b;
    const auto x = ra.read_double(d), y = rb.read_double(d);
    for (std::size_t i = 0; i < x.size(); ++i)
      if (std::memcmp(&x[i], &y[i], sizeof(double)) != 0)
        return ::testing::AssertionFailure()
               << d << " differs at flat index " << i << ": " << x[i] << " in " << a << " vs " << y[i] << " in " << b;
  }
  return ::testing::AssertionSuccess();
}

}  // namespace redes::testing
