// Tests for sweep/sensitivity: Sobol indices of test functions with known analytic indices
// (Ishigami, an additive linear model), bootstrap interval coverage and width, constant output,
// argument checks. Fixed seeds; tolerances are stated with each check and the reference values
// come from formulas, never from a previous run.
#include "sim/sweep/sensitivity.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <functional>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <vector>

#include "sim/sweep/design.hpp"

namespace redes::sweep {
namespace {

using Model = std::function<double(const std::vector<double>&)>;

// One model output per point of saltelli_design(n, dims), in its layout.
std::vector<double> run_design(std::size_t n, std::size_t dims, const Model& model) {
  const UnitDesign d = saltelli_design(n, dims);
  std::vector<double> f(d.points), x(dims);
  for (std::size_t p = 0; p < d.points; ++p) {
    for (std::size_t k = 0; k < dims; ++k) x[k] = d.at(p, k);
    f[p] = model(x);
  }
  return f;
}

constexpr double kPi = std::numbers::pi;
constexpr double kA = 7.0, kB = 0.1;

// Ishigami on [-pi, pi]^3, from unit coordinates.
double ishigami(const std::vector<double>& u) {
  const double x1 = -kPi + 2 * kPi * u[0], x2 = -kPi + 2 * kPi * u[1], x3 = -kPi + 2 * kPi * u[2];
  const double s2 = std::sin(x2);
  return std::sin(x1) + kA * s2 * s2 + kB * std::pow(x3, 4) * std::sin(x1);
}

struct Analytic {
  std::vector<double> first, total;
};

// Ishigami & Homma (1990); Sobol & Levitan (1999): V_3 = 0 and the only interaction is V_13.
Analytic ishigami_analytic() {
  const double pi4 = std::pow(kPi, 4), pi8 = std::pow(kPi, 8);
  const double v = kA * kA / 8 + kB * pi4 / 5 + kB * kB * pi8 / 18 + 0.5;
  const double v1 = 0.5 * std::pow(1 + kB * pi4 / 5, 2);
  const double v2 = kA * kA / 8;
  const double v13 = 8 * kB * kB * pi8 / 225;  // b^2 pi^8 (1/18 - 1/50)
  return {{v1 / v, v2 / v, 0.0}, {(v1 + v13) / v, v2 / v, v13 / v}};
}

const SobolIndices& ishigami_indices(std::size_t n) {
  static const SobolIndices fine = sobol_indices(8192, 3, run_design(8192, 3, ishigami), 500, 0.95, 1);
  static const SobolIndices coarse = sobol_indices(512, 3, run_design(512, 3, ishigami), 500, 0.95, 1);
  return n == 8192 ? fine : coarse;
}

TEST(SobolIshigami, AnalyticValuesAreConsistent) {
  // Guards the reference itself: the partial variances sum to V (no higher interactions).
  const Analytic a = ishigami_analytic();
  EXPECT_NEAR(a.first[0] + a.first[1] + a.first[2] + (a.total[2] - a.first[2]), 1.0, 1e-12);
  EXPECT_NEAR(a.first[0], 0.3139, 1e-4);
  EXPECT_NEAR(a.first[1], 0.4424, 1e-4);
  EXPECT_NEAR(a.total[0], 0.5576, 1e-4);
  EXPECT_NEAR(a.total[2], 0.2437, 1e-4);
}

TEST(SobolIshigami, RecoversAnalyticIndices) {
  const Analytic a = ishigami_analytic();
  const SobolIndices& s = ishigami_indices(8192);
  ASSERT_EQ(s.first.size(), 3u);
  ASSERT_EQ(s.total.size(), 3u);
  const double pi4 = std::pow(kPi, 4), pi8 = std::pow(kPi, 8);
  EXPECT_NEAR(s.variance, kA * kA / 8 + kB * pi4 / 5 + kB * kB * pi8 / 18 + 0.5, 0.02 * s.variance);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_NEAR(s.first[i], a.first[i], 0.02) << "S" << i + 1;
    EXPECT_NEAR(s.total[i], a.total[i], 0.02) << "ST" << i + 1;
  }
}

TEST(SobolIshigami, BootstrapIntervalsContainAnalyticValues) {
  const Analytic a = ishigami_analytic();
  const SobolIndices& s = ishigami_indices(8192);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_LE(s.first_lo[i], s.first[i]) << "S" << i + 1;
    EXPECT_GE(s.first_hi[i], s.first[i]) << "S" << i + 1;
    EXPECT_LE(s.first_lo[i], a.first[i]) << "S" << i + 1;
    EXPECT_GE(s.first_hi[i], a.first[i]) << "S" << i + 1;
    EXPECT_LE(s.total_lo[i], a.total[i]) << "ST" << i + 1;
    EXPECT_GE(s.total_hi[i], a.total[i]) << "ST" << i + 1;
  }
}

TEST(SobolIshigami, CoarserRunHasWiderIntervals) {
  // 16 times fewer base rows: the bootstrap width should grow by about 4.
  const SobolIndices& fine = ishigami_indices(8192);
  const SobolIndices& coarse = ishigami_indices(512);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_GT(coarse.first_hi[i] - coarse.first_lo[i], fine.first_hi[i] - fine.first_lo[i]) << "S" << i + 1;
    EXPECT_GT(coarse.total_hi[i] - coarse.total_lo[i], fine.total_hi[i] - fine.total_lo[i]) << "ST" << i + 1;
  }
}

TEST(SobolLinear, AdditiveModelHasEqualFirstAndTotal) {
  // f = 2 x1 + x2: V1 = 4/12, V2 = 1/12, so S1 = 0.8, S2 = 0.2 and no interactions.
  const std::size_t n = 4096;
  const SobolIndices s =
      sobol_indices(n, 2, run_design(n, 2, [](const std::vector<double>& x) { return 2 * x[0] + x[1]; }));
  EXPECT_NEAR(s.variance, 5.0 / 12.0, 0.01);
  EXPECT_NEAR(s.first[0], 0.8, 0.02);
  EXPECT_NEAR(s.first[1], 0.2, 0.02);
  EXPECT_NEAR(s.total[0], 0.8, 0.02);
  EXPECT_NEAR(s.total[1], 0.2, 0.02);
  EXPECT_NEAR(s.first[0], s.total[0], 0.02);
  EXPECT_NEAR(s.first[1], s.total[1], 0.02);
}

TEST(SobolLinear, LargeOutputOffsetDoesNotChangeIndices) {
  // Indices are invariant under f + c; centring keeps the estimate from drowning in c.
  const std::size_t n = 1024;
  const auto base = run_design(n, 2, [](const std::vector<double>& x) { return 2 * x[0] + x[1]; });
  auto shifted = base;
  for (double& v : shifted) v += 1e6;
  const SobolIndices a = sobol_indices(n, 2, base), b = sobol_indices(n, 2, shifted);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_NEAR(a.first[i], b.first[i], 1e-6);
    EXPECT_NEAR(a.total[i], b.total[i], 1e-6);
  }
}

TEST(SobolIndicesBootstrap, DeterministicInSeed) {
  const std::size_t n = 256;
  const auto f = run_design(n, 3, ishigami);
  const SobolIndices a = sobol_indices(n, 3, f, 200, 0.9, 5), b = sobol_indices(n, 3, f, 200, 0.9, 5);
  const SobolIndices c = sobol_indices(n, 3, f, 200, 0.9, 6);
  EXPECT_EQ(a.first_lo, b.first_lo);
  EXPECT_EQ(a.total_hi, b.total_hi);
  EXPECT_EQ(a.first, c.first);  // point estimates do not depend on the seed
  EXPECT_NE(a.first_lo, c.first_lo);
}

TEST(SobolConstant, GivesNaNNotACrash) {
  const std::size_t n = 64, dims = 3;
  const std::vector<double> f(n * (dims + 2), 0.1);
  const SobolIndices s = sobol_indices(n, dims, f);
  EXPECT_EQ(s.variance, 0.0);
  ASSERT_EQ(s.first.size(), dims);
  for (std::size_t i = 0; i < dims; ++i) {
    EXPECT_TRUE(std::isnan(s.first[i]));
    EXPECT_TRUE(std::isnan(s.total[i]));
    EXPECT_TRUE(std::isnan(s.first_lo[i]));
    EXPECT_TRUE(std::isnan(s.total_hi[i]));
  }
}

TEST(SobolConstant, NonFiniteOutputGivesNaN) {
  // A failed run recorded as NaN must not crash the bootstrap's sort. Layout: point 5 is A_1,
  // point 7 is AB^(0)_1, which enters only index 0.
  const std::size_t n = 64, dims = 3;
  const auto good = run_design(n, dims, ishigami);
  auto f = good;
  f[5] = std::numeric_limits<double>::quiet_NaN();
  const SobolIndices all = sobol_indices(n, dims, f, 50);
  for (std::size_t i = 0; i < dims; ++i)
    EXPECT_TRUE(std::isnan(all.first[i]) && std::isnan(all.first_lo[i]) && std::isnan(all.total_hi[i]));
  f = good;
  f[7] = std::numeric_limits<double>::infinity();
  const SobolIndices one = sobol_indices(n, dims, f, 50);
  EXPECT_TRUE(std::isnan(one.first[0]) && std::isnan(one.first_lo[0]) && std::isnan(one.first_hi[0]));
  EXPECT_TRUE(std::isnan(one.total_lo[0]) && std::isnan(one.total_hi[0]));
  for (std::size_t i = 1; i < dims; ++i)
    EXPECT_TRUE(std::isfinite(one.first[i]) && std::isfinite(one.first_lo[i]) && std::isfinite(one.total_hi[i]));
}

TEST(SobolArguments, WrongSizeThrows) {
  EXPECT_THROW(sobol_indices(16, 3, std::vector<double>(16 * 5 - 1, 1.0)), std::invalid_argument);
  EXPECT_THROW(sobol_indices(16, 3, std::vector<double>(16 * 3, 1.0)), std::invalid_argument);
  EXPECT_THROW(sobol_indices(1, 3, std::vector<double>(5, 1.0)), std::invalid_argument);
  EXPECT_THROW(sobol_indices(16, 0, std::vector<double>(32, 1.0)), std::invalid_argument);
  const auto f = run_design(16, 3, ishigami);
  EXPECT_THROW(sobol_indices(16, 3, f, -1), std::invalid_argument);
  EXPECT_THROW(sobol_indices(16, 3, f, 100, 1.0), std::invalid_argument);
  EXPECT_THROW(sobol_indices(16, 3, f, 100, 0.0), std::invalid_argument);
  EXPECT_NO_THROW(sobol_indices(16, 3, f, 0));
}

}  // namespace
}  // namespace redes::sweep
