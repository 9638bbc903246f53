// Tests for decision/study (`compare --draws --posterior`): posterior draws drive the spread of
// victims averted, the variance split is stored, and the decision outputs
// keep their invariants on real runs. Runs the tiny sweep test scenario (2,000 persons, 1 year).
#include "sim/decision/study.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "sim/output/h5.hpp"
#include "tests/support/temp_dir.hpp"

namespace redes::decision {
namespace {

namespace fs = std::filesystem;
const std::string kRoot = REDES_SOURCE_DIR;

// A calibration file with two equally weighted particles far apart in recruiter density.
std::string fake_posterior(const redes::testing::TempDir& dir) {
  const fs::path p = dir.path / "posterior.h5";
  h5::Writer f(p);
  const h5::Axis particle{"particle", {}, {0, 1}, 0};
  const h5::Axis parameter{"parameter", {"recruitment.recruiters.per_100k"}, {}, 0};
  const std::vector<double> theta = {0, 2000}, weight = {0.5, 0.5};
  f.array("/calibration/posterior/theta", {particle, parameter}, theta, "");
  f.array("/calibration/posterior/weight", {particle}, weight, "");
  f.commit();
  return p.string();
}

DrawsOptions options() {
  DrawsOptions o;
  o.baseline = kRoot + "/tests/data/decision_tiny.yaml";
  o.interventions = {kRoot + "/scenarios/workshop/literacy.yaml", kRoot + "/scenarios/workshop/reporting.yaml"};
  o.draws = 8;
  o.replicates = 2;
  o.seed = 5;
  o.seed_given = true;
  o.wtp = 20000;
  return o;
}

TEST(DrawsStudy, PosteriorDrivesTheSpreadOverDrawsAndIsStoredWithItsVarianceSplit) {
  const DrawsResult a = run_draws(options());
  DrawsOptions with = options();
  const redes::testing::TempDir dir("redes-draws-study");
  with.posterior = fake_posterior(dir);
  const DrawsResult b = run_draws(with);
  ASSERT_EQ(b.options.size(), 3u);
  ASSERT_NE(b.options[1].find("iteracy"), std::string::npos) << b.options[1];
  for (std::size_t k = 1; k < 3; ++k) {
    SCOPED_TRACE(b.options[k]);
    // Draws of the particle with no recruiters avert exactly nothing; those of the dense one do:
    // the posterior, not only effect uncertainty, drives the spread over draws (a comparison of
    // interval widths is asserted only where the contrast is large, for literacy below).
    int none = 0, dense_averting = 0;
    for (std::size_t d = 0; d < b.averted.size(); ++d) {
      if (b.parameter_values[0][d] == 0) {
        ++none;
        EXPECT_EQ(b.averted[d][k], 0.0);
      } else {
        dense_averting += b.averted[d][k] != 0.0;
      }
    }
    EXPECT_GT(none, 0);
    EXPECT_LE(b.summary[k].averted_lo, 0.0);
    // Literacy acts on victims directly; the reporting channel acts on records and, through
    // arrests, on victims only slowly, so in one year of this tiny world it may avert none.
    if (k == 1) {
      EXPECT_GT(dense_averting, 0);
      EXPECT_GT(b.summary[k].variance.total, 0.0);
      // Wider than over effect draws alone at the default 200 per 100k: the posterior spans a
      // world with no victims and one with ten times the recruiters.
      EXPECT_GT(b.summary[k].averted_hi - b.summary[k].averted_lo, a.summary[k].averted_hi - a.summary[k].averted_lo);
      RecordProperty("width_with_posterior", std::to_string(b.summary[k].averted_hi - b.summary[k].averted_lo));
      RecordProperty("width_without", std::to_string(a.summary[k].averted_hi - a.summary[k].averted_lo));
    }
    // The split is stored and adds up (the parameter share may be 0 when noise hides it).
    EXPECT_NEAR(b.summary[k].variance.total, b.summary[k].variance.parameter + b.summary[k].variance.stochastic, 1e-9);
  }
  // Inputs: the posterior key first, then each intervention's uncertain effect and costs.
  ASSERT_GE(b.parameters.size(), 2u);
  EXPECT_EQ(b.parameters[0], "recruitment.recruiters.per_100k");
  for (double v : b.parameter_values[0]) EXPECT_TRUE(v == 0 || v == 2000);
  for (const auto& row : b.ceac) {
    double s = 0;
    for (double p : row) s += p;
    EXPECT_NEAR(s, 1.0, 1e-12);
  }
  for (double e : b.evppi) {
    EXPECT_GE(e, -0.05 * b.evpi_at_wtp - 1e-6);
    EXPECT_LE(e, 1.05 * b.evpi_at_wtp + 1e-6);
  }
  // The file holds the decision datasets.
  const fs::path out = dir.path / "decision.h5";
  write_draws(out.string(), with, b);
  h5::Reader r(out);
  for (const char* ds : {"/decision/ce_plane/cost", "/decision/ce_plane/victims_averted", "/decision/ceac",
                         "/decision/evpi", "/decision/evppi", "/decision/frontier/status", "/decision/frontier/icer",
                         "/decision/variance_parameter", "/decision/variance_stochastic"})
    EXPECT_TRUE(r.exists(ds)) << ds;
  EXPECT_NE(r.attribute_string("/decision", "estimate").find("model estimate"), std::string::npos);
}

TEST(DrawsStudy, SameSeedSameNumbers) {
  DrawsOptions o = options();
  o.draws = 2;
  const DrawsResult a = run_draws(o);
  o.threads = 1;
  const DrawsResult b = run_draws(o);
  EXPECT_EQ(a.averted, b.averted);
  EXPECT_EQ(a.cost, b.cost);
}

}  // namespace
}  // namespace redes::decision
