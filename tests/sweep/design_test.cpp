// Tests for sweep/design: the grid's order and levels, the Latin hypercube's one-point-per-stratum
// property and its determinism in the seed, and the Saltelli layout (A, B, AB^(i) blocks).
#include "sim/sweep/design.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <set>
#include <stdexcept>
#include <vector>

namespace redes::sweep {
namespace {

TEST(DesignGrid, PointCountIsProductOfLevels) {
  const UnitDesign d = grid_design({3, 1, 4});
  EXPECT_EQ(d.points, 12u);
  EXPECT_EQ(d.dims, 3u);
  EXPECT_EQ(d.u.size(), 36u);
  EXPECT_EQ(d.base, 0u);
}

TEST(DesignGrid, EndpointsAndSingleLevel) {
  const UnitDesign d = grid_design({3, 1, 4});
  std::set<double> dim0, dim1, dim2;
  for (std::size_t p = 0; p < d.points; ++p) {
    dim0.insert(d.at(p, 0));
    dim1.insert(d.at(p, 1));
    dim2.insert(d.at(p, 2));
  }
  EXPECT_EQ(dim0, (std::set<double>{0.0, 0.5, 1.0}));
  EXPECT_EQ(dim1, (std::set<double>{0.5}));  // L = 1: the centre
  EXPECT_EQ(dim2, (std::set<double>{0.0, 1.0 / 3.0, 2.0 / 3.0, 1.0}));
}

TEST(DesignGrid, LastDimensionVariesFastest) {
  const UnitDesign d = grid_design({2, 3});
  const std::vector<double> expected = {0, 0, 0, 0.5, 0, 1, 1, 0, 1, 0.5, 1, 1};
  EXPECT_EQ(d.u, expected);
}

TEST(DesignGrid, RejectsBadLevels) {
  EXPECT_THROW(grid_design({}), std::invalid_argument);
  EXPECT_THROW(grid_design({3, 0}), std::invalid_argument);
  EXPECT_THROW(grid_design({-2}), std::invalid_argument);
  EXPECT_THROW(grid_design({1000, 1000, 11}), std::invalid_argument);  // 11 million points
  EXPECT_NO_THROW(grid_design({1000, 10}));
}

TEST(DesignLatinHypercube, EveryStratumHoldsOnePointPerDimension) {
  for (std::size_t n : {1u, 7u, 100u, 1000u}) {
    const std::size_t dims = 5;
    const UnitDesign d = latin_hypercube(n, dims, 42);
    ASSERT_EQ(d.points, n);
    ASSERT_EQ(d.dims, dims);
    ASSERT_EQ(d.u.size(), n * dims);
    for (std::size_t k = 0; k < dims; ++k) {
      std::vector<int> count(n, 0);
      for (std::size_t p = 0; p < n; ++p) {
        const double x = d.at(p, k);
        ASSERT_GE(x, 0.0);
        ASSERT_LT(x, 1.0);
        ++count[std::size_t(std::floor(x * double(n)))];
      }
      for (std::size_t s = 0; s < n; ++s) EXPECT_EQ(count[s], 1) << "n=" << n << " dim=" << k << " stratum=" << s;
    }
  }
}

TEST(DesignLatinHypercube, SameSeedSameDesignOtherSeedOtherDesign) {
  const UnitDesign a = latin_hypercube(50, 3, 7), b = latin_hypercube(50, 3, 7), c = latin_hypercube(50, 3, 8);
  EXPECT_EQ(a.u, b.u);
  EXPECT_NE(a.u, c.u);
  // Not just different jitter: the stratum orders differ too.
  std::size_t moved = 0;
  for (std::size_t p = 0; p < 50; ++p) moved += std::floor(a.at(p, 0) * 50) != std::floor(c.at(p, 0) * 50);
  EXPECT_GT(moved, 0u);
}

TEST(DesignLatinHypercube, DimensionsArePermutedIndependently) {
  const UnitDesign d = latin_hypercube(200, 2, 3);
  std::size_t same = 0;
  for (std::size_t p = 0; p < 200; ++p) same += std::floor(d.at(p, 0) * 200) == std::floor(d.at(p, 1) * 200);
  EXPECT_LT(same, 10u);  // independent permutations agree in ~1 place on average
}

TEST(DesignLatinHypercube, RejectsBadArguments) {
  EXPECT_THROW(latin_hypercube(0, 2, 1), std::invalid_argument);
  EXPECT_THROW(latin_hypercube(10, 0, 1), std::invalid_argument);
}

TEST(DesignSaltelli, LayoutOfABlocks) {
  const std::size_t n = 64, dims = 4;
  const UnitDesign d = saltelli_design(n, dims);
  ASSERT_EQ(d.points, n * (dims + 2));
  ASSERT_EQ(d.dims, dims);
  ASSERT_EQ(d.base, n);
  ASSERT_EQ(d.u.size(), d.points * dims);
  for (double x : d.u) {
    ASSERT_GE(x, 0.0);
    ASSERT_LT(x, 1.0);
  }
  std::size_t identical_ab = 0;
  for (std::size_t j = 0; j < n; ++j) {
    const std::size_t a = j * (dims + 2), b = a + 1;
    bool same = true;
    for (std::size_t k = 0; k < dims; ++k) same = same && d.at(a, k) == d.at(b, k);
    identical_ab += same;
    for (std::size_t i = 0; i < dims; ++i) {
      const std::size_t ab = a + 2 + i;
      for (std::size_t k = 0; k < dims; ++k)
        EXPECT_EQ(d.at(ab, k), k == i ? d.at(b, k) : d.at(a, k)) << "row " << j << " AB^" << i << " col " << k;
    }
  }
  EXPECT_EQ(identical_ab, 0u);
}

TEST(DesignSaltelli, NoDegeneratePointsAndDistinctRows) {
  // Neither the origin nor the centre (Boost's first point) is used: both have A_j == B_j.
  const std::size_t n = 128, dims = 3;
  const UnitDesign d = saltelli_design(n, dims);
  std::set<std::vector<double>> a_rows;
  for (std::size_t j = 0; j < n; ++j) {
    const std::size_t a = j * (dims + 2);
    const std::vector<double> row = {d.at(a, 0), d.at(a, 1), d.at(a, 2)};
    EXPECT_NE(row, std::vector<double>(3, 0.0));
    EXPECT_NE(row, std::vector<double>(3, 0.5));
    a_rows.insert(row);
  }
  EXPECT_EQ(a_rows.size(), n);
}

TEST(DesignSaltelli, ColumnsAreStratified) {
  // Sobol points 0..n-1 (n a power of 2) put one point in each bin [s/n, (s+1)/n) of every
  // coordinate. Using points 2..n+1 swaps two, so a bin holds at most 2, at least n - 4 hold one,
  // and the column mean is within 1/n of 1/2; independent uniforms would miss the mean by about
  // 0.29/sqrt(n) = 0.009.
  const std::size_t n = 1024, dims = 5;
  const UnitDesign d = saltelli_design(n, dims);
  for (std::size_t block = 0; block < 2; ++block)
    for (std::size_t k = 0; k < dims; ++k) {
      std::vector<int> count(n, 0);
      double mean = 0;
      for (std::size_t j = 0; j < n; ++j) {
        const double x = d.at(j * (dims + 2) + block, k);
        mean += x;
        ++count[std::size_t(x * double(n))];
      }
      mean /= double(n);
      EXPECT_NEAR(mean, 0.5, 1.0 / double(n)) << "block " << block << " col " << k;
      std::size_t ones = 0;
      for (int c : count) {
        EXPECT_LE(c, 2);
        ones += c == 1;
      }
      EXPECT_GE(ones, n - 4) << "block " << block << " col " << k;
    }
}

TEST(DesignSaltelli, RejectsBadArguments) {
  EXPECT_THROW(saltelli_design(1, 3), std::invalid_argument);
  EXPECT_THROW(saltelli_design(16, 0), std::invalid_argument);
  EXPECT_THROW(saltelli_design(16, 65), std::invalid_argument);
  EXPECT_NO_THROW(saltelli_design(4, 64));
}

}  // namespace
}  // namespace redes::sweep
