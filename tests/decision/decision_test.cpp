// Tests for decision/decision: the efficiency frontier on a constructed case, the
// acceptability curve, EVPI/EVPPI against analytic values, and the variance split.
#include "sim/decision/decision.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "sim/core/rng.hpp"

namespace redes::decision {
namespace {

// Options (cost USD, victims averted): A is the comparator; B costs more than C and averts
// fewer (dominated); D lies above the line from C to E (extendedly dominated: ICER C->D = 1000
// > ICER D->E = 500); E and F continue the frontier.
TEST(Frontier, DominatedOptionsAreNeverOnTheFrontier) {
  const std::vector<double> cost = {0, 60, 50, 150, 200, 400};
  const std::vector<double> effect = {0, 4, 5, 5.1, 5.2 + 0.1, 5.5};
  // ICERs: A->C 10; C->D 100/0.1 = 1000; D->E 50/0.2 = 250 (D extendedly dominated);
  // C->E 150/0.3 = 500; E->F 200/0.2 = 1000.
  const auto rows = efficiency_frontier(cost, effect);
  EXPECT_EQ(rows[0].status, Status::Frontier);
  EXPECT_TRUE(std::isnan(rows[0].icer));
  EXPECT_EQ(rows[1].status, Status::Dominated);
  EXPECT_EQ(rows[2].status, Status::Frontier);
  EXPECT_EQ(rows[3].status, Status::ExtendedlyDominated);
  EXPECT_EQ(rows[4].status, Status::Frontier);
  EXPECT_EQ(rows[5].status, Status::Frontier);
  EXPECT_NEAR(rows[2].icer, 10.0, 1e-9);
  EXPECT_EQ(rows[4].versus, 2);
  EXPECT_NEAR(rows[4].icer, 500.0, 1e-9);
  EXPECT_NEAR(rows[5].icer, 1000.0, 1e-9);
  for (const auto& r : rows)
    if (r.status != Status::Frontier) {
      EXPECT_TRUE(std::isnan(r.icer));
    }
}

// Random option sets: no frontier option is dominated by any other option, and frontier ICERs
// rise along the frontier.
TEST(Frontier, RandomCasesHaveNoDominatedFrontierOptionAndRisingIcers) {
  Rng rng(7, 0);
  for (std::uint32_t t = 0; t < 200; ++t) {
    Draws d(rng, t, 0, Stream::Test);
    std::vector<double> cost, effect;
    for (int k = 0; k < 7; ++k) {
      cost.push_back(std::round(d.uniform() * 100));
      effect.push_back(std::round(d.uniform() * 20));
    }
    const auto rows = efficiency_frontier(cost, effect);
    double last = -1;
    std::vector<std::pair<double, double>> front;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (rows[i].status != Status::Frontier) continue;
      for (std::size_t j = 0; j < rows.size(); ++j)
        if (j != i) {
          EXPECT_FALSE(cost[j] <= cost[i] && effect[j] >= effect[i] && (cost[j] < cost[i] || effect[j] > effect[i]));
        }
      front.push_back({cost[i], effect[i]});
    }
    std::sort(front.begin(), front.end());
    for (std::size_t k = 1; k < front.size(); ++k) {
      const double icer = (front[k].first - front[k - 1].first) / (front[k].second - front[k - 1].second);
      EXPECT_GE(icer, last - 1e-9);
      last = icer;
    }
  }
}

TEST(Acceptability, SumsToOneAtEveryWillingnessToPay) {
  Rng rng(11, 0);
  Matrix cost(500, std::vector<double>(4)), effect(500, std::vector<double>(4));
  for (std::uint32_t i = 0; i < 500; ++i) {
    Draws d(rng, i, 0, Stream::Test);
    for (int k = 1; k < 4; ++k) {
      cost[i][std::size_t(k)] = 1000.0 * k * (0.5 + d.uniform());
      effect[i][std::size_t(k)] = k * d.uniform() + d.normal();
    }
  }
  std::vector<double> wtps = {0, 10, 100, 300, 1000, 3000, 1e4, 1e5, 1e6};
  const auto ceac = acceptability(cost, effect, wtps);
  ASSERT_EQ(ceac.size(), wtps.size());
  for (const auto& row : ceac) {
    double s = 0;
    for (double p : row) s += p;
    EXPECT_NEAR(s, 1.0, 1e-12);
  }
  EXPECT_DOUBLE_EQ(ceac[0][0], 1.0);  // at zero willingness to pay the free comparator always wins
  EXPECT_GT(ceac.back()[3], 0.5);     // at a very high one, the option averting most on average
}

// Two options with NB_0 = 0 and NB_1 = theta + eps, theta and eps standard normal:
// EVPI = E[max(0, theta + eps)] = sqrt(2) / sqrt(2 pi); EVPPI(theta) = E[max(0, theta)] = 1 / sqrt(2 pi).
TEST(ValueOfInformation, KnownCase) {
  const std::size_t n = 20000;
  Rng rng(3, 0);
  Matrix nb(n, std::vector<double>(2, 0.0));
  std::vector<double> theta(n), eps(n), noise(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    Draws d(rng, i, 0, Stream::Test);
    theta[i] = d.normal();
    eps[i] = d.normal();
    noise[i] = d.normal();
    nb[i][1] = theta[i] + eps[i];
  }
  const double inv = 1.0 / std::sqrt(2 * std::numbers::pi);
  EXPECT_NEAR(evpi(nb), std::sqrt(2.0) * inv, 0.015);
  EXPECT_NEAR(evppi(nb, theta), inv, 0.015);
  EXPECT_NEAR(evppi(nb, eps), inv, 0.015);
  EXPECT_NEAR(evppi(nb, noise), 0.0, 0.015);  // an unrelated parameter is worth nothing to learn
}

// A nonlinear three-option case: for each parameter 0 <= EVPPI <= EVPI up to estimator error.
TEST(ValueOfInformation, PartialIsBetweenZeroAndPerfect) {
  const std::size_t n = 3000;
  Rng rng(5, 0);
  Matrix nb(n, std::vector<double>(3, 0.0));
  std::vector<std::vector<double>> params(3, std::vector<double>(n));
  for (std::uint32_t i = 0; i < n; ++i) {
    Draws d(rng, i, 0, Stream::Test);
    const double a = d.uniform(), b = d.normal(), c = d.uniform();
    params[0][i] = a;
    params[1][i] = b;
    params[2][i] = c;
    nb[i][1] = 2 * a * a - 0.6 + 0.3 * b;
    nb[i][2] = std::sin(3 * b) + 0.5 * c - 0.2;
  }
  const double perfect = evpi(nb);
  EXPECT_GT(perfect, 0.1);
  for (const auto& p : params) {
    const double partial = evppi(nb, p);
    EXPECT_GE(partial, -0.01);
    EXPECT_LE(partial, perfect + 0.01);
  }
}

TEST(SmoothFit, RecoversACubic) {
  std::vector<double> x, y;
  for (int i = 0; i < 200; ++i) {
    x.push_back(-2 + 4.0 * i / 199);
    y.push_back(1 - x.back() + 0.5 * std::pow(x.back(), 3));
  }
  const auto fit = smooth_fit(x, y);
  for (std::size_t i = 0; i < x.size(); ++i) EXPECT_NEAR(fit[i], y[i], 1e-8);
}

// values = draw effect (variance 4) + noise (variance 1): the split recovers both.
TEST(VarianceSplitTest, RecoversParameterAndStochasticShares) {
  Rng rng(9, 0);
  Matrix v(2000, std::vector<double>(10));
  for (std::uint32_t i = 0; i < 2000; ++i) {
    Draws d(rng, i, 0, Stream::Test);
    const double mu = 2 * d.normal();
    for (auto& x : v[i]) x = mu + d.normal();
  }
  const auto s = variance_split(v);
  EXPECT_NEAR(s.parameter, 4.0, 0.3);
  EXPECT_NEAR(s.stochastic, 1.0, 0.05);
  EXPECT_NEAR(s.total, s.parameter + s.stochastic, 1e-12);
}

}  // namespace
}  // namespace redes::decision
