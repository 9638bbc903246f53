// Tests for decision/distribution: quantiles against closed forms, reading distributions from
// YAML (median used), errors at the right key, and strict mode refusing a plain number.
#include "sim/decision/distribution.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "sim/core/errors.hpp"
#include "sim/scenario/yaml_tree.hpp"

namespace redes {
namespace {

double read(const std::string& yaml, bool strict, std::vector<UncertainParameter>& out) {
  const io::Node node = io::parse_yaml(yaml, "test.yaml");
  io::Reader r(node, "interventions[0]", strict);
  const double v = read_uncertain(r, "effect", -1, io::Range::unit(), "effect", "effect", out);
  r.finish();
  return v;
}

TEST(DistributionTest, QuantilesMatchClosedForms) {
  Distribution tri{Distribution::Kind::Triangular, 0.0, 0.25, 1.0};
  // Triangular CDF on the left of the mode: u = x^2 / ((max-min)(mode-min)).
  EXPECT_NEAR(tri.quantile(0.1), std::sqrt(0.1 * 1.0 * 0.25), 1e-12);
  // median on the right: max - sqrt(0.5 (max-min)(max-mode))
  EXPECT_NEAR(tri.median(), 1.0 - std::sqrt(0.5 * 0.75), 1e-12);
  Distribution uni{Distribution::Kind::Uniform, 2.0, 0, 6.0};
  EXPECT_NEAR(uni.quantile(0.25), 3.0, 1e-12);
  Distribution beta;
  beta.kind = Distribution::Kind::Beta;
  beta.alpha = beta.beta = 2;
  beta.min = 0, beta.max = 10;
  EXPECT_NEAR(beta.median(), 5.0, 1e-9);  // symmetric
  Distribution logn;
  logn.kind = Distribution::Kind::Lognormal;
  logn.median_ = 100;
  logn.sd_log = 0.4;
  EXPECT_NEAR(logn.median(), 100.0, 1e-9);
  EXPECT_NEAR(logn.quantile(0.8413447460685429), 100 * std::exp(0.4), 1e-6);  // one sd above
}

TEST(DistributionTest, ReadsDistributionAndUsesItsMedian) {
  std::vector<UncertainParameter> out;
  const double v = read("effect: {distribution: uniform, min: 0.1, max: 0.5, source: \"trial\"}\n", true, out);
  EXPECT_NEAR(v, 0.3, 1e-12);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].provenance, "trial");
  EXPECT_FALSE(out[0].assumed);
}

TEST(DistributionTest, PlainNumberLoadsForUsersButNotStrictly) {
  std::vector<UncertainParameter> out;
  EXPECT_NEAR(read("effect: 0.3\n", false, out), 0.3, 1e-12);
  EXPECT_TRUE(out.empty());
  try {
    read("effect: {value: 0.3, assumed: \"guess\"}\n", true, out);
    FAIL() << "strict read accepted a plain number";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("interventions[0].effect"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("distribution"), std::string::npos) << e.what();
  }
}

TEST(DistributionTest, BadDistributionsNameTheKey) {
  std::vector<UncertainParameter> out;
  auto message = [&](const std::string& yaml) {
    try {
      read(yaml, false, out);
    } catch (const ScenarioError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("effect: {distribution: uniform, min: 0.1, max: 0.5}\n").find("source"), std::string::npos);
  EXPECT_NE(message("effect: {distribution: triangular, min: 0.1, max: 0.5, source: x}\n").find("'mode'"),
            std::string::npos);
  EXPECT_NE(message("effect: {distribution: uniform, min: 0.1, max: 1.5, source: x}\n").find("outside"),
            std::string::npos);
  EXPECT_NE(message("effect: {distribution: lognormal, median: 0.2, sd_log: 0.3, source: x}\n").find("outside"),
            std::string::npos);
  EXPECT_NE(message("effect: {distribution: uniform, min: 0.1, max: 0.5, source: x, mdoe: 1}\n").find("test.yaml:1"),
            std::string::npos);
}

}  // namespace
}  // namespace redes
