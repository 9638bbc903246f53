// End-to-end tests of `redes optimize` on the tiny decision scenario (2,000 persons, 2 years,
// 2 draws x 1 replicate): it writes /optimize, the best allocation is within budget and the best
// of the feasible ones, a budget of 0 funds nothing, the printed figures are the file's, and a
// bad options file fails with file:line:column and the key, and no output.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <string>

#include "sim/output/h5.hpp"
#include "tests/support/shell.hpp"
#include "tests/support/temp_dir.hpp"

namespace redes {
namespace {

namespace fs = std::filesystem;
using testing::quote;

class OptimizeCli : public ::testing::Test {
 protected:
  testing::ShellResult optimize(const std::string& options, double budget, const fs::path& out, int threads = 2) const {
    return testing::run_shell(quote(REDES_BINARY) + " optimize " + quote(root_ + "/tests/data/decision_tiny.yaml") +
                                  " --options " + quote(options) +
                                  fmt::format(" --budget {:.0f} --threads {}", budget, threads) +
                                  " --draws 2 --replicates 1 --seed 5 -o " + quote(out.string()),
                              dir_);
  }
  const std::string root_ = REDES_SOURCE_DIR;
  const redes::testing::TempDir tmp_{"redes-optimize"};
  const fs::path& dir_ = tmp_.path;
};

// Budget 500,000 USD: each of data protection and investigators costs a few hundred thousand
// (lognormal costs), so some allocations fit and funding both does not (asserted below).
TEST_F(OptimizeCli, WritesTheBestAllocationWithinBudgetAndPrintsTheFilesNumbers) {
  const double budget = 500000;
  const fs::path out = dir_ / "opt.h5";
  const auto r = optimize(root_ + "/tests/data/optimize_tiny.yaml", budget, out);
  ASSERT_EQ(r.code, 0) << r.err << r.out;
  h5::Reader f(out);
  const auto cost = f.read_double("/optimize/allocations/cost_mean"),
             averted = f.read_double("/optimize/allocations/averted_mean");
  const auto lo = f.read_double("/optimize/allocations/averted_lo"),
             hi = f.read_double("/optimize/allocations/averted_hi");
  const auto feasible = f.read_int("/optimize/allocations/feasible");
  const auto win = f.read_double("/optimize/allocations/win_share");
  ASSERT_EQ(cost.size(), 6u);  // 3 x 2 levels, exhaustive
  EXPECT_EQ(f.shape("/optimize/allocations/victims_averted"), (std::vector<std::size_t>{6, 2}));
  const std::size_t best = std::size_t(std::stoll(f.attribute_string("/optimize", "best_allocation")));
  ASSERT_LT(best, cost.size());
  EXPECT_LE(cost[best], budget);
  int n_feasible = 0;
  double share = 0;
  for (std::size_t a = 0; a < cost.size(); ++a) {
    EXPECT_EQ(feasible[a], cost[a] <= budget);
    if (feasible[a]) {
      ++n_feasible, share += win[a];
      EXPECT_LE(averted[a], averted[best]);
    } else {
      EXPECT_EQ(win[a], 0.0);
    }
  }
  EXPECT_GT(n_feasible, 1);                 // the budget funds something ...
  EXPECT_LT(n_feasible, int(cost.size()));  // ... but not everything
  EXPECT_NEAR(share, 1.0, 1e-12);
  const auto coverage = f.read_double("/optimize/best/coverage");
  ASSERT_EQ(coverage.size(), 2u);
  EXPECT_GT(averted[best], 0.0);  // measured 0.5 at seed 5: something in budget helps
  EXPECT_GT(coverage[0] + coverage[1], 0.0);
  // Equity of the best allocation by department, age group and gender.
  for (const char* dim : {"department", "age_group", "gender"})
    for (const char* s : {"_mean", "_lo", "_hi"})
      EXPECT_TRUE(f.exists(std::string("/optimize/best/averted_by_") + dim + s)) << dim << s;
  EXPECT_EQ(f.read_double("/optimize/best/averted_by_gender_mean").size(), 2u);
  EXPECT_NE(f.attribute_string("/optimize", "estimate").find("model estimate"), std::string::npos);
  // Printed numbers are the file's.
  EXPECT_NE(r.out.find("MODEL ESTIMATE"), std::string::npos);
  EXPECT_NE(r.out.find(fmt::format("victims averted: {:.2f} (95% interval over draws {:.2f} to {:.2f})", averted[best],
                                   lo[best], hi[best])),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(fmt::format("cost: {:.0f} USD", cost[best])), std::string::npos) << r.out;
  const auto gm = f.read_double("/optimize/best/averted_by_gender_mean");
  EXPECT_NE(r.out.find(fmt::format("female {:.2f}", gm[0])), std::string::npos) << r.out;
  EXPECT_EQ(f.attribute_string("/metadata", "kind"), "optimize");
}

TEST_F(OptimizeCli, SameNumbersForAnyThreadCount) {
  const std::string opts = root_ + "/tests/data/optimize_tiny.yaml";
  const auto a = optimize(opts, 500000, dir_ / "t1.h5", 1), b = optimize(opts, 500000, dir_ / "t2.h5", 2);
  ASSERT_EQ(a.code, 0) << a.err;
  ASSERT_EQ(b.code, 0) << b.err;
  h5::Reader fa(dir_ / "t1.h5"), fb(dir_ / "t2.h5");
  for (const char* ds : {"/optimize/allocations/cost", "/optimize/allocations/victims_averted",
                         "/optimize/best/averted_by_department_mean"})
    EXPECT_EQ(fa.read_double(ds), fb.read_double(ds)) << ds;
  EXPECT_EQ(a.out.substr(0, a.out.rfind("wrote")), b.out.substr(0, b.out.rfind("wrote")));
}

TEST_F(OptimizeCli, ZeroBudgetFundsNothing) {
  const fs::path opts = dir_ / "one.yaml", out = dir_ / "zero.h5";
  std::ofstream(opts) << "options:\n  - {intervention: " << root_
                      << "/scenarios/paraguay/interventions/data_protection.yaml, coverage: [1]}\n";
  const auto r = optimize(opts.string(), 0, out);
  ASSERT_EQ(r.code, 0) << r.err << r.out;
  h5::Reader f(out);
  EXPECT_EQ(f.read_double("/optimize/best/coverage"), std::vector<double>{0.0});
  const auto cost = f.read_double("/optimize/allocations/cost_mean");
  ASSERT_EQ(cost.size(), 2u);
  EXPECT_GT(cost[1], 0.0);  // funding it costs something, so 0 cannot fund it ...
  EXPECT_GT(f.read_double("/optimize/allocations/averted_mean")[1],
            0.0);  // ... though it would avert victims (0.5 at seed 5)
  EXPECT_NE(r.out.find("do not fund data protection law"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("victims averted: 0.00 (95% interval over draws 0.00 to 0.00)"), std::string::npos) << r.out;
}

TEST_F(OptimizeCli, BadOptionsFileNamesPositionAndKeyAndWritesNothing) {
  const fs::path opts = dir_ / "bad.yaml", out = dir_ / "bad.h5";
  std::ofstream(opts) << "options:\n  - {intervention: " << root_
                      << "/scenarios/workshop/literacy.yaml, coverage: [0.5]}\n"
                      << "  - {intervention: " << root_ << "/scenarios/workshop/reporting.yaml, coverge: [0.5]}\n";
  auto r = optimize(opts.string(), 1000, out);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find(opts.string() + ":3:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("coverge"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
  std::ofstream(opts) << "options:\n  - {intervention: " << root_
                      << "/scenarios/workshop/literacy.yaml, coverage: [0.5, 0.25]}\n";
  r = optimize(opts.string(), 1000, out);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find(opts.string() + ":2:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("coverage"), std::string::npos) << r.err;
  std::ofstream(opts) << "options:\n  - {intervention: nowhere.yaml, coverage: [0.5]}\n";
  r = optimize(opts.string(), 1000, out);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find(opts.string() + ":2:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("intervention"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
}

}  // namespace
}  // namespace redes
