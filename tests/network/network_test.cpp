// Tests for network/: structure of every layer (symmetric, simple, sorted), each generator's
// defining property against the scenario's inputs at 200,000 persons, Pareto scaling, identical
// graphs for any thread count, and edge lists read from files (with positioned errors).
// Statistical checks use fixed seeds and state their tolerance.
#include "sim/network/network.hpp"

#include <gtest/gtest.h>
#include <tbb/global_control.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "sim/core/errors.hpp"
#include "sim/scenario/scenario.hpp"
#include "tests/support/temp_dir.hpp"

namespace redes {
namespace {

namespace fs = std::filesystem;

const char* const kSmall = REDES_SOURCE_DIR "/scenarios/workshop/small.yaml";
const char* const kBaseline = REDES_SOURCE_DIR "/scenarios/paraguay/baseline.yaml";

constexpr int kFacebook = 1, kWhatsapp = 2, kInstagram = 3, kTiktok = 4, kTelegram = 6;

std::uint32_t degree(const Network& net, int layer, std::uint32_t v) {
  auto [a, b] = net.neighbours(layer, v);
  return std::uint32_t(b - a);
}

bool has_tie(const Network& net, int layer, std::uint32_t u, std::uint32_t v) {
  auto [a, b] = net.neighbours(layer, u);
  return std::binary_search(a, b, v);
}

/// Symmetric, no self-loops, no duplicates, rows sorted; every vertex present.
void expect_simple_symmetric(const Network& net, int layer, std::size_t n) {
  const auto& g = net.layers[layer];
  ASSERT_EQ(g.m_forward.m_rowstart.size(), n + 1) << layer_name(layer);
  for (std::uint32_t v = 0; v < n; ++v) {
    auto [a, b] = net.neighbours(layer, v);
    for (auto* p = a; p != b; ++p) {
      ASSERT_LT(*p, n) << layer_name(layer);
      ASSERT_NE(*p, v) << layer_name(layer) << ": self-loop at " << v;
      if (p + 1 != b) {
        ASSERT_LT(*p, *(p + 1)) << layer_name(layer) << ": row " << v << " unsorted or duplicated";
      }
      ASSERT_TRUE(has_tie(net, layer, *p, v)) << layer_name(layer) << ": " << v << "->" << *p << " without the reverse";
    }
  }
}

/// Hill estimator of the survival tail exponent from the largest `k` values.
double hill(std::vector<std::uint32_t> x, std::size_t k) {
  std::sort(x.begin(), x.end(), std::greater<>());
  double h = 0;
  for (std::size_t i = 0; i < k; ++i) h += std::log(double(x[i]) / double(x[k]));
  return double(k) / h;
}

/// A 200,000-person population and network shared by the structural and statistical tests.
class NetworkLarge : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    sc_ = std::make_unique<Scenario>(load_scenario(kSmall));
    sc_->population.size = 200'000;
    pop_ = std::make_unique<Population>(build_population(*sc_, 20240801));
    net_ = std::make_unique<Network>(build_network(*sc_, *pop_, 20240801));
  }
  static void TearDownTestSuite() {
    net_.reset();
    pop_.reset();
    sc_.reset();
  }
  static const Scenario& sc() { return *sc_; }
  static const Population& pop() { return *pop_; }
  static const Network& net() { return *net_; }
  static std::vector<std::uint32_t> degrees_of(int layer, const std::vector<std::uint32_t>& who) {
    std::vector<std::uint32_t> out;
    out.reserve(who.size());
    for (auto v : who) out.push_back(degree(net(), layer, v));
    return out;
  }

 private:
  static std::unique_ptr<Scenario> sc_;
  static std::unique_ptr<Population> pop_;
  static std::unique_ptr<Network> net_;
};
std::unique_ptr<Scenario> NetworkLarge::sc_;
std::unique_ptr<Population> NetworkLarge::pop_;
std::unique_ptr<Network> NetworkLarge::net_;

TEST_F(NetworkLarge, EveryLayerIsSimpleSymmetricAndSorted) {
  ASSERT_EQ(net().layers.size(), std::size_t(kLayers));
  for (int layer = 0; layer < kLayers; ++layer) {
    SCOPED_TRACE(layer_name(layer));
    expect_simple_symmetric(net(), layer, pop().size());
    EXPECT_GT(net().layers[layer].m_forward.m_column.size(), 0u) << "empty layer";
  }
  EXPECT_EQ(layer_name(kHousehold), "household");
  EXPECT_EQ(layer_name(kSchoolWork), "school_work");
  EXPECT_EQ(layer_name(kNeighbourhood), "neighbourhood");
  EXPECT_EQ(layer_name(layer_of_platform(kWhatsapp)), "whatsapp");
  EXPECT_EQ(layer_name(kLayers - 1), "classroom_video");
}

// --- household ---------------------------------------------------------------------------------

TEST_F(NetworkLarge, HouseholdsAreCliquesWithNoTiesAcross) {
  const auto& h = pop().household;
  const std::uint32_t n = std::uint32_t(pop().size());
  for (std::uint32_t first = 0; first < n;) {
    std::uint32_t end = first + 1;
    while (end < n && h[end] == first) ++end;
    for (std::uint32_t i = first; i < end; ++i) {
      // Neighbours are exactly the other members: the members are consecutive, so the row is
      // [first, end) without i.
      auto [a, b] = net().neighbours(kHousehold, i);
      ASSERT_EQ(std::uint32_t(b - a), end - first - 1) << "person " << i;
      std::uint32_t expect = first;
      for (auto* p = a; p != b; ++p, ++expect) {
        if (expect == i) ++expect;
        ASSERT_EQ(*p, expect) << "person " << i;
      }
    }
    first = end;
  }
}

// --- school and work ---------------------------------------------------------------------------

TEST_F(NetworkLarge, SchoolWorkMeanDegree) {
  const auto s = net().degree_stats(kSchoolWork);
  // Each person starts Poisson(k/2) ties; each tie counts at both ends: mean k, less the rare
  // duplicates and self-ties. 3% tolerance.
  EXPECT_NEAR(s.mean, sc().network.school_work_degree, 0.03 * sc().network.school_work_degree);
}

TEST_F(NetworkLarge, SchoolWorkDepartmentAndAgeMixing) {
  const int nd = sc().department_count();
  const double n = double(pop().size());
  const double c = sc().network.school_work_cross_department, s = sc().network.school_work_same_age;
  std::vector<double> dept(nd, 0), age(kAgeGroups, 0);
  std::vector<std::vector<double>> dept_age(nd, std::vector<double>(kAgeGroups, 0));
  for (std::uint32_t i = 0; i < n; ++i) {
    const int a = int(pop().age_group(i, 0));
    ++dept[pop().department[i]], ++age[a], ++dept_age[pop().department[i]][a];
  }
  // A started tie leaves the department with probability c (a uniform draw over everyone) and
  // lands in another department with probability 1 - n_d / n; every person starts the same
  // expected number of ties, so the expected cross share is c * (1 - sum_d (n_d / n)^2).
  double sum_sq = 0;
  for (double x : dept) sum_sq += (x / n) * (x / n);
  const double expected_cross = c * (1 - sum_sq);
  // Same age group: c * n_a / n + (1 - c) * (s + (1 - s) * n_{d,a} / n_d), averaged over persons.
  double expected_same_age = 0;
  for (int d = 0; d < nd; ++d)
    for (int a = 0; a < kAgeGroups; ++a)
      expected_same_age += dept_age[d][a] / n * (c * age[a] / n + (1 - c) * (s + (1 - s) * dept_age[d][a] / dept[d]));

  double ties = 0, cross = 0, same_age = 0;
  for (std::uint32_t i = 0; i < n; ++i) {
    auto [a, b] = net().neighbours(kSchoolWork, i);
    for (auto* p = a; p != b; ++p) {
      ++ties;
      cross += pop().department[*p] != pop().department[i];
      same_age += pop().age_group(*p, 0) == pop().age_group(i, 0);
    }
  }
  const double undirected = ties / 2;  // each tie seen from both ends
  const double cross_share = cross / ties, same_age_share = same_age / ties;
  EXPECT_GE(1 - cross_share, 1 - c - 0.002);
  // 5 standard errors over the undirected ties (independent draws).
  EXPECT_NEAR(cross_share, expected_cross, 5 * std::sqrt(expected_cross * (1 - expected_cross) / undirected));
  EXPECT_NEAR(same_age_share, expected_same_age,
              5 * std::sqrt(expected_same_age * (1 - expected_same_age) / undirected));
}

// --- neighbourhood -----------------------------------------------------------------------------

TEST_F(NetworkLarge, NeighbourhoodDegreeAndDepartment) {
  const int k = sc().network.neighbourhood_degree, half = k / 2;
  const double r = sc().network.neighbourhood_rewire;
  const std::uint32_t n = std::uint32_t(pop().size());
  double exact = 0, total = 0;
  for (std::uint32_t i = 0; i < n; ++i) {
    auto [a, b] = net().neighbours(kNeighbourhood, i);
    for (auto* p = a; p != b; ++p) ASSERT_EQ(pop().department[*p], pop().department[i]) << "tie leaves the department";
    exact += (b - a) == k;
    total += double(b - a);
  }
  // Every person starts k/2 ties, so the mean is k less rare duplicates: 2% tolerance.
  EXPECT_NEAR(total / n, k, 0.02 * k);
  // Degree is exactly k when the kept ring predecessors (Binomial(k/2, 1 - r)) and the rewired
  // ties arriving (about Poisson(r k/2)) add up to k/2. 0.01 covers duplicates and 5 SE.
  double p_exact = 0;
  for (int j = 0; j <= half; ++j) {
    const double binom = std::exp(std::lgamma(half + 1.0) - std::lgamma(half - j + 1.0) - std::lgamma(j + 1.0)) *
                         std::pow(1 - r, half - j) * std::pow(r, j);
    const double pois = std::exp(-r * half) * std::pow(r * half, j) / std::exp(std::lgamma(j + 1.0));
    p_exact += binom * pois;  // j predecessors rewired away, j random ties arrive
  }
  EXPECT_GT(exact / n, 0.5) << "most persons have exactly the ring degree";
  EXPECT_NEAR(exact / n, p_exact, 0.01);
}

TEST(NetworkNeighbourhood, WithoutRewiringEveryoneHasTheRingDegree) {
  Scenario sc = load_scenario(kSmall);
  sc.network.neighbourhood_rewire = 0;
  const Population pop = build_population(sc, 5);
  const Network net = build_network(sc, pop, 5);
  const int k = sc.network.neighbourhood_degree;
  const std::uint32_t n = std::uint32_t(pop.size());
  for (std::uint32_t lo = 0; lo < n;) {
    std::uint32_t hi = lo;
    while (hi < n && pop.department[hi] == pop.department[lo] && pop.urban[hi] == pop.urban[lo]) ++hi;
    const std::uint32_t size = hi - lo;
    for (std::uint32_t i = lo; i < hi; ++i) {
      auto [a, b] = net.neighbours(kNeighbourhood, i);
      if (size > std::uint32_t(k)) {
        ASSERT_EQ(b - a, k) << "person " << i;
        // The ring: k/2 cell neighbours on each side (wrapping inside the cell).
        for (int s = 1; s <= k / 2; ++s) {
          ASSERT_TRUE(has_tie(net, kNeighbourhood, i, lo + (i - lo + s) % size));
          ASSERT_TRUE(has_tie(net, kNeighbourhood, i, lo + (i - lo + size - s) % size));
        }
      } else {
        ASSERT_LE(b - a, std::ptrdiff_t(size) - 1);
      }
      for (auto* p = a; p != b; ++p) ASSERT_TRUE(*p >= lo && *p < hi) << "tie leaves the cell";
    }
    lo = hi;
  }
}

// --- platforms ---------------------------------------------------------------------------------

TEST_F(NetworkLarge, PlatformTiesOnlyAmongUsers) {
  for (int p = 1; p < kPlatforms; ++p) {
    const int layer = layer_of_platform(p);
    for (std::uint32_t i = 0; i < pop().size(); ++i) {
      auto [a, b] = net().neighbours(layer, i);
      if (a == b) continue;
      ASSERT_TRUE(pop().ever_uses(i, p)) << kPlatformNames[p] << ": non-user " << i << " has ties";
      for (auto* q = a; q != b; ++q) ASSERT_TRUE(pop().ever_uses(*q, p)) << kPlatformNames[p];
    }
  }
}

TEST_F(NetworkLarge, PlatformMeanDegree) {
  for (int p = 1; p < kPlatforms; ++p) {
    const auto& pp = sc().platforms[p];
    const auto s = net().degree_stats(layer_of_platform(p), &pop().users[p]);
    // Chung-Lu with Pareto weights of mean `mean_degree`: expected degree = weight. Duplicates
    // of hub pairs are dropped, more so with heavier tails: 5% at tail >= 3, 10% below.
    const double tol = pp.degree_tail >= 3.0 ? 0.05 : 0.10;
    EXPECT_NEAR(s.mean, pp.mean_degree, tol * pp.mean_degree) << kPlatformNames[p] << " tail " << pp.degree_tail;
    // Heavy tail: the largest degree is far above the mean.
    EXPECT_GT(double(s.max), 8 * pp.mean_degree) << kPlatformNames[p];
  }
}

TEST_F(NetworkLarge, PlatformDegreeTailExponent) {
  // Expected degrees are Pareto with density exponent `degree_tail`, so degree survival decays
  // with exponent degree_tail - 1. Hill estimator on the top 1% of users: within 0.35.
  // Only for tails whose top 1% lies well below the cap of 50 x mean (the cap thins the very top
  // of heavier tails and biases Hill upward).
  for (int p : {kFacebook, kWhatsapp}) {
    const auto deg = degrees_of(layer_of_platform(p), pop().users[p]);
    const std::size_t k = deg.size() / 100;
    const double a = hill(deg, k);
    EXPECT_NEAR(a, sc().platforms[p].degree_tail - 1, 0.35) << kPlatformNames[p] << " top " << k;
  }
  // Heavier tails put more of their degree in hubs: the top 1% holds a larger share of ties.
  auto top_share = [&](int p) {
    auto deg = degrees_of(layer_of_platform(p), pop().users[p]);
    std::sort(deg.begin(), deg.end(), std::greater<>());
    const double all = std::accumulate(deg.begin(), deg.end(), 0.0);
    return std::accumulate(deg.begin(), deg.begin() + std::ptrdiff_t(deg.size() / 100), 0.0) / all;
  };
  EXPECT_GT(top_share(kTiktok), top_share(kWhatsapp));
}

TEST_F(NetworkLarge, PlatformSameDepartmentShare) {
  const int nd = sc().department_count();
  for (int p : {kFacebook, kWhatsapp, kInstagram, kTiktok, kTelegram}) {
    const auto& users = pop().users[p];
    const auto& ub = pop().users_begin[p];
    const double s = sc().platforms[p].same_department;
    // A started tie stays local with probability s, else is drawn over all users by weight and
    // lands in the same department with probability W_d / W ~ U_d / U (weights i.i.d.).
    double u = double(users.size()), chance = 0, started = 0;
    for (int d = 0; d < nd; ++d) {
      const double ud = ub[d + 1] - ub[d];
      chance += (ud / u) * (ud / u);
      started += ud;
    }
    const double expected = s + (1 - s) * chance;
    double ties = 0, same = 0;
    for (auto i : users) {
      auto [a, b] = net().neighbours(layer_of_platform(p), i);
      for (auto* q = a; q != b; ++q) ++ties, same += pop().department[*q] == pop().department[i];
    }
    // Ties cluster on hubs, so binomial standard errors understate the noise, and duplicates
    // are dropped more often in the smaller local pools: 0.01 absolute.
    EXPECT_NEAR(same / ties, expected, 0.01) << kPlatformNames[p];
  }
}

TEST(NetworkPareto, ScaleGivesTheTargetTruncatedMean) {
  struct Case {
    double mean, alpha, cap;
  } cases[] = {{10, 3.0, 500}, {12, 2.5, 600}, {8, 2.2, 400}, {5, 2.05, 250}, {3, 10, 150}, {8, 2.2, 20}};
  for (const auto& c : cases) {
    const double xm = pareto_scale_for_mean(c.mean, c.alpha, c.cap);
    ASSERT_GT(xm, 0);
    ASSERT_LE(xm, c.mean);
    const double a = c.alpha - 1;  // survival exponent
    // E[min(X, cap)] = integral of the survival function over [0, cap]: xm + int_xm^cap
    // (xm/x)^a dx, by Simpson's rule in log x (independent of the code's closed form).
    const int steps = 20000;
    const double t0 = std::log(xm), t1 = std::log(c.cap), h = (t1 - t0) / steps;
    double integral = 0;
    for (int k = 0; k <= steps; ++k) {
      const double x = std::exp(t0 + k * h);
      const double f = std::pow(xm / x, a) * x;
      integral += f * (k == 0 || k == steps ? 1 : k % 2 ? 4 : 2);
    }
    integral *= h / 3;
    EXPECT_NEAR(xm + integral, c.mean, 1e-6 * c.mean) << "alpha " << c.alpha << " cap " << c.cap;
    // And by sampling, as the generator draws the weights: xm * U^(-1/a), capped.
    const Rng rng(17, 0);
    Draws d(rng, 0, 0, Stream::Test);
    const std::size_t n = 1'000'000;
    double sum = 0, sq = 0;
    for (std::size_t k = 0; k < n; ++k) {
      const double w = std::min(c.cap, xm * std::pow(d.uniform(), -1.0 / a));
      sum += w, sq += w * w;
    }
    const double m = sum / double(n), se = std::sqrt((sq / double(n) - m * m) / double(n));
    EXPECT_NEAR(m, c.mean, 5 * se) << "alpha " << c.alpha << " cap " << c.cap;
  }
  // A mean at or above the cap: every weight is the cap.
  EXPECT_DOUBLE_EQ(pareto_scale_for_mean(10, 2.5, 4), 4);
}

// --- determinism -------------------------------------------------------------------------------

TEST(NetworkDeterminism, IdenticalForOneTwoAndFourThreads) {
  Scenario sc = load_scenario(kSmall);
  sc.population.size = 60'000;  // 4 generation chunks of 16,384 persons
  const Population pop = build_population(sc, 8);
  auto build_with = [&](std::size_t threads) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    return build_network(sc, pop, 8);
  };
  const Network one = build_with(1), two = build_with(2), four = build_with(4);
  for (int layer = 0; layer < kLayers; ++layer) {
    const auto& g1 = one.layers[layer].m_forward;
    EXPECT_GT(g1.m_column.size(), 0u) << layer_name(layer);
    for (const Network* other : {&two, &four}) {
      const auto& g = other->layers[layer].m_forward;
      EXPECT_TRUE(g.m_rowstart == g1.m_rowstart) << layer_name(layer);
      EXPECT_TRUE(g.m_column == g1.m_column) << layer_name(layer);
    }
  }
  // A different seed gives a different graph (the household layer depends on the population only).
  const Network other_seed = build_network(sc, pop, 9);
  EXPECT_TRUE(other_seed.layers[kHousehold].m_forward.m_column == one.layers[kHousehold].m_forward.m_column);
  EXPECT_FALSE(other_seed.layers[kSchoolWork].m_forward.m_column == one.layers[kSchoolWork].m_forward.m_column);
}

// --- make_layer and edge lists -----------------------------------------------------------------

TEST(NetworkMakeLayer, SymmetrisesAndDropsDuplicatesAndSelfLoops) {
  std::vector<std::uint64_t> pairs = {pack(0, 1), pack(1, 0), pack(2, 2), pack(3, 1), pack(0, 1), pack(4, 0)};
  const LayerGraph g = make_layer(pairs, 5);
  Network net;
  net.layers.push_back(g);
  auto row = [&](std::uint32_t v) {
    auto [a, b] = net.neighbours(0, v);
    return std::vector<std::uint32_t>(a, b);
  };
  EXPECT_EQ(row(0), (std::vector<std::uint32_t>{1, 4}));
  EXPECT_EQ(row(1), (std::vector<std::uint32_t>{0, 3}));
  EXPECT_EQ(row(2), (std::vector<std::uint32_t>{}));
  EXPECT_EQ(row(3), (std::vector<std::uint32_t>{1}));
  EXPECT_EQ(row(4), (std::vector<std::uint32_t>{0}));
  EXPECT_EQ(net.total_directed_ties(), 6u);
  // Degrees 2, 2, 0, 1, 1.
  const DegreeStats s = net.degree_stats(0);
  EXPECT_DOUBLE_EQ(s.mean, 6.0 / 5);
  EXPECT_NEAR(s.sd, std::sqrt(10.0 / 5 - 1.44), 1e-12);
  EXPECT_EQ(s.max, 2u);
  EXPECT_EQ(s.nodes_with_ties, 4u);
  EXPECT_EQ(s.ties, 6u);
  const std::vector<std::uint32_t> only = {0, 2};
  const DegreeStats o = net.degree_stats(0, &only);
  EXPECT_DOUBLE_EQ(o.mean, 1.0);
  EXPECT_EQ(o.max, 2u);
  EXPECT_EQ(o.nodes_with_ties, 1u);
  EXPECT_GT(net.memory_bytes(), 0u);
}

// make_layer fills the CSR by counting; it must give exactly the graph of Boost's sorted-edges
// constructor over both directions of every tie (what it did before), on a random multigraph with
// duplicates in both directions, self-loops and isolated vertices.
TEST(NetworkMakeLayer, EqualsBoostsSortedEdgesConstructorOverBothDirections) {
  constexpr std::uint32_t n = 2000;
  std::vector<std::uint64_t> pairs;
  std::uint64_t x = 88172645463325252ull;  // xorshift64: fixed, enough for test data
  auto next = [&] { return x ^= x << 13, x ^= x >> 7, x ^= x << 17; };
  for (int k = 0; k < 30000; ++k) {
    const auto a = std::uint32_t(next() % (n - 100)), b = std::uint32_t(next() % (n - 100));  // last 100 isolated
    pairs.push_back(pack(a, b));
    if (k % 7 == 0) pairs.push_back(pack(b, a));
    if (k % 11 == 0) pairs.push_back(pack(a, a));
  }
  std::vector<std::pair<std::uint32_t, std::uint32_t>> both;
  for (std::uint64_t e : pairs) {
    const auto a = std::uint32_t(e >> 32), b = std::uint32_t(e);
    if (a == b) continue;
    both.push_back({a, b});
    both.push_back({b, a});
  }
  std::sort(both.begin(), both.end());
  both.erase(std::unique(both.begin(), both.end()), both.end());
  const LayerGraph want(boost::edges_are_sorted, both.begin(), both.end(), n);
  const LayerGraph got = make_layer(pairs, n);
  EXPECT_EQ(got.m_forward.m_rowstart, want.m_forward.m_rowstart);
  EXPECT_EQ(got.m_forward.m_column, want.m_forward.m_column);
  EXPECT_EQ(num_vertices(got), num_vertices(want));
  EXPECT_EQ(num_edges(got), num_edges(want));
  EXPECT_GT(num_edges(got), 50000u);
}

class EdgeListFile : public ::testing::Test {
 protected:
  fs::path write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
  /// The IoError message of reading `text` with `vertices` persons.
  std::string error_of(const std::string& text, std::size_t vertices = 10) {
    const fs::path p = write("bad.csv", text);
    try {
      read_edge_list(p, vertices);
    } catch (const IoError& e) {
      return e.what();
    }
    ADD_FAILURE() << "no IoError for:\n" << text;
    return "";
  }
  std::string at(int line, int column) {
    return (dir_ / "bad.csv").string() + ":" + std::to_string(line) + ":" + std::to_string(column) + ":";
  }
  const redes::testing::TempDir tmp_{"redes-edgelist"};
  const fs::path& dir_ = tmp_.path;
};

TEST_F(EdgeListFile, ReadsPairsWithHeaderCommentsAndBlankLines) {
  const fs::path p = write("ok.csv",
                           "# ties from a survey\n"
                           "source,target\n"
                           "0,1\n"
                           "  2 , 3 \n"
                           "\n"
                           "   # indented comment\n"
                           "4,0\r\n"
                           "9,9\n");
  const auto pairs = read_edge_list(p, 10);
  EXPECT_EQ(pairs, (std::vector<std::uint64_t>{pack(0, 1), pack(2, 3), pack(4, 0), pack(9, 9)}));
  // Header on the very first line, no comments.
  const auto plain = read_edge_list(write("plain.csv", "a,b\n5,6\n"), 10);
  EXPECT_EQ(plain, (std::vector<std::uint64_t>{pack(5, 6)}));
  // No header at all.
  EXPECT_EQ(read_edge_list(write("bare.csv", "7,8"), 10), (std::vector<std::uint64_t>{pack(7, 8)}));
  EXPECT_TRUE(read_edge_list(write("empty.csv", ""), 10).empty());
}

TEST_F(EdgeListFile, MissingComma) {
  const std::string m = error_of("0,1\n5 7\n");
  EXPECT_NE(m.find(at(2, 1)), std::string::npos) << m;
  EXPECT_NE(m.find("comma"), std::string::npos) << m;
}

TEST_F(EdgeListFile, NonNumericField) {
  const std::string m = error_of("0,1\n2,3\n3,x\n");
  EXPECT_NE(m.find(at(3, 3)), std::string::npos) << m;
  EXPECT_NE(m.find("'x'"), std::string::npos) << m;
  const std::string trailing = error_of("1,2\n4, 5z\n");
  EXPECT_NE(trailing.find(at(2, 4)), std::string::npos) << trailing;
  const std::string header_late = error_of("1,2\nsource,target\n");
  EXPECT_NE(header_late.find(at(2, 1)), std::string::npos) << "a header only before the first pair: " << header_late;
}

TEST_F(EdgeListFile, NegativeNumber) {
  const std::string m = error_of("0,1\n0,-2\n");
  EXPECT_NE(m.find(at(2, 3)), std::string::npos) << m;
  EXPECT_NE(m.find("non-negative"), std::string::npos) << m;
  // Also on the first line, where a header may stand: a number is not a header.
  const std::string first = error_of("-1,2\n3,4\n");
  EXPECT_NE(first.find(at(1, 1)), std::string::npos) << first;
  const std::string second_field = error_of("0,b\n");
  EXPECT_NE(second_field.find(at(1, 3)), std::string::npos) << second_field;
  const std::string after_comment = error_of("# c\n-1,2\n");
  EXPECT_NE(after_comment.find(at(2, 1)), std::string::npos) << after_comment;
}

TEST_F(EdgeListFile, IndexOutOfRange) {
  const std::string m = error_of("0,1\n\n0,10\n", 10);
  EXPECT_NE(m.find(at(3, 3)), std::string::npos) << m;
  EXPECT_NE(m.find("10 persons"), std::string::npos) << m;
  EXPECT_NE(m.find("out of range"), std::string::npos) << m;
  const std::string huge = error_of("99999999999,1\n", 10);
  EXPECT_NE(huge.find(at(1, 1)), std::string::npos) << huge;
}

TEST_F(EdgeListFile, MissingFile) { EXPECT_THROW(read_edge_list(dir_ / "absent.csv", 10), IoError); }

TEST_F(EdgeListFile, ScenarioEdgeListReplacesThePlatformLayer) {
  write("ties.csv", "person_a,person_b\n0,1\n1,2\n2,0\n10,999\n");
  const fs::path file = write("scenario.yaml", "include: " + std::string(kBaseline) +
                                                   "\n"
                                                   "override:\n"
                                                   "  population.size: 1000\n"
                                                   "platforms:\n"
                                                   "  telegram:\n"
                                                   "    edge_list: ties.csv\n");
  const Scenario sc = load_scenario(file);
  ASSERT_EQ(sc.platforms[kTelegram].edge_list, "ties.csv");
  const Population pop = build_population(sc, 1);
  const Network net = build_network(sc, pop, 1);
  const int layer = layer_of_platform(kTelegram);
  // Exactly the file's ties, both ways, whoever uses the platform.
  EXPECT_EQ(net.layers[layer].m_forward.m_column.size(), 8u);
  for (auto [u, v] : std::vector<std::pair<std::uint32_t, std::uint32_t>>{{0, 1}, {1, 2}, {2, 0}, {10, 999}}) {
    EXPECT_TRUE(has_tie(net, layer, u, v)) << u << "-" << v;
    EXPECT_TRUE(has_tie(net, layer, v, u)) << v << "-" << u;
  }
  // The other platforms are still generated.
  EXPECT_GT(net.layers[layer_of_platform(kWhatsapp)].m_forward.m_column.size(), 1000u);

  // An index beyond the population is an error naming the edge list's position.
  write("ties.csv", "0,1\n1,1000\n");
  try {
    build_network(sc, pop, 1);
    ADD_FAILURE() << "expected an IoError";
  } catch (const IoError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find((dir_ / "ties.csv").string() + ":2:3:"), std::string::npos) << m;
    EXPECT_NE(m.find("1000 persons"), std::string::npos) << m;
  }
}

}  // namespace
}  // namespace redes
