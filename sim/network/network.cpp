#include "sim/network/network.hpp"

#include <tbb/combinable.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <sstream>

#include "sim/core/alias_table.hpp"
#include "sim/core/errors.hpp"

namespace redes {

std::string layer_name(int layer) {
  switch (layer) {
    case kHousehold:
      return "household";
    case kSchoolWork:
      return "school_work";
    case kNeighbourhood:
      return "neighbourhood";
    default:
      return std::string(kPlatformNames[layer - kFirstPlatformLayer + 1]);
  }
}

namespace {

constexpr std::size_t kChunk = 1 << 14;  // persons per generation task

/// Runs gen(person, out) for every person in [0, n) in parallel; returns all pairs. Order is
/// irrelevant: make_layer sorts. Two passes, counting then writing in place: the generators draw
/// by person (counter-based), so both passes make the same ties, and no per-chunk copies sit
/// beside the whole array (at country scale they were the largest transient of a layer).
template <class Gen>
std::vector<std::uint64_t> generate(std::size_t n, Gen gen) {
  struct Count {
    std::size_t n = 0;
    void push_back(std::uint64_t) { ++n; }
  };
  struct Write {
    std::uint64_t* at;
    void push_back(std::uint64_t e) { *at++ = e; }
  };
  const std::size_t chunks = (n + kChunk - 1) / kChunk;
  std::vector<std::size_t> offset(chunks + 1, 0);
  tbb::parallel_for(std::size_t(0), chunks, [&](std::size_t c) {
    Count out;
    for (std::size_t i = c * kChunk; i < std::min(n, (c + 1) * kChunk); ++i) gen(std::uint32_t(i), out);
    offset[c + 1] = out.n;
  });
  for (std::size_t c = 0; c < chunks; ++c) offset[c + 1] += offset[c];
  std::vector<std::uint64_t> all(offset.back());
  tbb::parallel_for(std::size_t(0), chunks, [&](std::size_t c) {
    Write out{all.data() + offset[c]};
    for (std::size_t i = c * kChunk; i < std::min(n, (c + 1) * kChunk); ++i) gen(std::uint32_t(i), out);
  });
  return all;
}

}  // namespace

LayerGraph layer_from_csr(std::vector<std::uint32_t> rowstart, std::vector<std::uint32_t> column) {
  LayerGraph g;
  g.m_forward.m_rowstart = std::move(rowstart);
  g.m_forward.m_column = std::move(column);
  return g;
}

LayerGraph make_layer(std::vector<std::uint64_t>& pairs, std::size_t vertices) {
  // Each tie once, as (smaller, larger): sorted, without duplicates or self-loops.
  tbb::parallel_for(std::size_t(0), pairs.size(), [&](std::size_t k) {
    const std::uint64_t a = pairs[k] >> 32, b = pairs[k] & 0xffffffffu;
    pairs[k] = a < b ? (a << 32) | b : (b << 32) | a;
  });
  tbb::parallel_sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  pairs.erase(
      std::remove_if(pairs.begin(), pairs.end(), [](std::uint64_t e) { return (e >> 32) == (e & 0xffffffffu); }),
      pairs.end());
  // The symmetric CSR filled by counting, rather than both directions listed and sorted (a third
  // less memory at country scale). In pair order, row v receives its smaller neighbours (from
  // (u, v)) before its larger ones (from (v, w)), each ascending, so every row comes out sorted.
  // rowstart[v + 1] serves as row v's fill cursor, so no second array of cursors is needed (24 MB
  // for the whole country): after the fill it holds row v's end, which is row v + 1's start.
  std::vector<std::uint32_t> rowstart(vertices + 1, 0);
  for (std::uint64_t e : pairs) ++rowstart[(e >> 32) + 1], ++rowstart[(e & 0xffffffffu) + 1];
  for (std::size_t v = 0; v < vertices; ++v) rowstart[v + 1] += rowstart[v];
  std::vector<std::uint32_t> column(2 * pairs.size());
  // Shift down one place: rowstart[v + 1] = start of row v, the cursor; rowstart[0] is unused.
  for (std::size_t v = vertices; v > 0; --v) rowstart[v] = rowstart[v - 1];
  for (std::uint64_t e : pairs) {
    const auto a = std::uint32_t(e >> 32), b = std::uint32_t(e);
    column[rowstart[a + 1]++] = b;
    column[rowstart[b + 1]++] = a;
  }
  rowstart[0] = 0;
  std::vector<std::uint64_t>().swap(pairs);
  return layer_from_csr(std::move(rowstart), std::move(column));
}

std::size_t Network::total_directed_ties() const {
  std::size_t t = 0;
  for (auto& g : layers) t += g.m_forward.m_column.size();
  return t;
}

std::size_t Network::memory_bytes() const {
  std::size_t b = platform_degree_cap.capacity();
  for (auto& g : layers) b += g.m_forward.m_column.capacity() * 4 + g.m_forward.m_rowstart.capacity() * 4;
  return b;
}

void Network::index_platform_degrees() {
  const std::size_t n = layers.empty() ? 0 : layers[0].m_forward.m_rowstart.size() - 1;
  platform_degree_cap.assign(n, 0);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n), [&](const auto& r) {
    for (std::size_t v = r.begin(); v != r.end(); ++v) {
      std::uint32_t most = 0;
      for (int l = kFirstPlatformLayer; l < kLayers; ++l) {
        const auto& rs = layers[std::size_t(l)].m_forward.m_rowstart;
        most = std::max(most, rs[v + 1] - rs[v]);
      }
      platform_degree_cap[v] = std::uint8_t(std::min<std::uint32_t>(most, kDegreeCapUnknown));
    }
  });
}

DegreeStats Network::degree_stats(int layer, const std::vector<std::uint32_t>* only) const {
  const auto& rs = layers[layer].m_forward.m_rowstart;
  std::vector<std::uint32_t> deg;
  if (only) {
    deg.reserve(only->size());
    for (auto v : *only) deg.push_back(rs[v + 1] - rs[v]);
  } else {
    deg.resize(rs.size() - 1);
    for (std::size_t v = 0; v + 1 < rs.size(); ++v) deg[v] = rs[v + 1] - rs[v];
  }
  DegreeStats s;
  if (deg.empty()) return s;
  double sum = 0, sq = 0;
  for (auto d : deg) {
    sum += d;
    sq += double(d) * d;
    s.nodes_with_ties += d > 0;
    s.max = std::max(s.max, d);
  }
  s.ties = std::size_t(sum);
  s.mean = sum / deg.size();
  s.sd = std::sqrt(std::max(0.0, sq / deg.size() - s.mean * s.mean));
  auto k = deg.begin() + std::ptrdiff_t(0.99 * (deg.size() - 1));
  std::nth_element(deg.begin(), k, deg.end());
  s.p99 = *k;
  return s;
}

namespace {

std::filesystem::path relative_to(const Scenario& sc, const std::string& file) {
  std::filesystem::path p(file);
  return p.is_absolute() ? p : sc.file.parent_path() / p;
}

std::vector<std::uint64_t> household_ties(const Population& pop) {
  return generate(pop.size(), [&](std::uint32_t i, auto& out) {
    const std::uint32_t h = pop.household[i];
    for (std::uint32_t j = i + 1; j < pop.size() && pop.household[j] == h; ++j) out.push_back(pack(i, j));
  });
}

/// Homophilous block model: blocks are department x age group; a tie stays in the age group with
/// `same_age`, leaves the department with `cross`.
std::vector<std::uint64_t> school_work_ties(const Scenario& sc, const Population& pop, const Rng& rng) {
  const int nd = sc.department_count();
  const std::size_t n = pop.size();
  std::vector<std::uint32_t> block_of(n), members(n), begin(nd * kAgeGroups + 1, 0);
  for (std::size_t i = 0; i < n; ++i) {
    block_of[i] = pop.department[i] * kAgeGroups + int(pop.age_group(std::uint32_t(i), 0));
    ++begin[block_of[i] + 1];
  }
  for (std::size_t b = 1; b < begin.size(); ++b) begin[b] += begin[b - 1];
  std::vector<std::uint32_t> fill(begin.begin(), begin.end() - 1);
  for (std::size_t i = 0; i < n; ++i) members[fill[block_of[i]]++] = std::uint32_t(i);
  const double half = sc.network.school_work_degree / 2;
  return generate(n, [&](std::uint32_t i, auto& out) {
    Draws dr(rng, i, 0, Stream::LayerSchoolWork);
    const std::uint32_t k = dr.poisson(half);
    const int d = pop.department[i];
    for (std::uint32_t t = 0; t < k; ++t) {
      std::uint32_t j;
      if (dr.uniform() < sc.network.school_work_cross_department) {
        j = dr.below(std::uint32_t(n));
      } else if (dr.uniform() < sc.network.school_work_same_age) {
        std::uint32_t b = block_of[i], size = begin[b + 1] - begin[b];
        j = members[begin[b] + dr.below(size)];
      } else {
        std::uint32_t lo = pop.dept_begin[d], size = pop.dept_begin[d + 1] - lo;
        j = lo + dr.below(size);
      }
      out.push_back(pack(i, j));
    }
  });
}

/// Watts-Strogatz ring within each department's urban and rural cells, rewired inside the department.
std::vector<std::uint64_t> neighbourhood_ties(const Scenario& sc, const Population& pop, const Rng& rng) {
  const int half = sc.network.neighbourhood_degree / 2;
  const std::size_t n = pop.size();
  std::vector<std::uint32_t> cell_begin(n), cell_end(n);
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j < n && pop.department[j] == pop.department[i] && pop.urban[j] == pop.urban[i]) ++j;
    for (std::size_t k = i; k < j; ++k) cell_begin[k] = std::uint32_t(i), cell_end[k] = std::uint32_t(j);
    i = j;
  }
  return generate(n, [&](std::uint32_t i, auto& out) {
    const std::uint32_t lo = cell_begin[i], size = cell_end[i] - lo;
    if (size < 2) return;
    Draws dr(rng, i, 0, Stream::LayerNeighbourhood);
    const int d = pop.department[i];
    const std::uint32_t dlo = pop.dept_begin[d], dsize = pop.dept_begin[d + 1] - dlo;
    for (int s = 1; s <= half && std::uint32_t(s) < size; ++s) {
      std::uint32_t j = lo + (i - lo + s) % size;
      if (dr.uniform() < sc.network.neighbourhood_rewire) j = dlo + dr.below(dsize);
      out.push_back(pack(i, j));
    }
  });
}

}  // namespace

double pareto_scale_for_mean(double mean, double alpha, double cap) {
  // Expected weights are Pareto with density exponent alpha (survival exponent a = alpha - 1),
  // truncated at `cap`: E[min(X, cap)] = x (1 + (1 - (x / cap)^(a - 1)) / (a - 1)). Solve for x.
  const double a = alpha - 1;
  auto truncated_mean = [&](double x) { return x * (1 + (1 - std::pow(x / cap, a - 1)) / (a - 1)); };
  if (mean >= cap) return cap;
  double lo = 0, hi = mean;
  for (int it = 0; it < 100; ++it) {
    double mid = 0.5 * (lo + hi);
    (truncated_mean(mid) < mean ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

namespace {

/// Expected-degree (Chung-Lu) model with Pareto weights among the platform's users: heavy-tailed
/// degrees, a share of ties kept inside the department.
std::vector<std::uint64_t> platform_ties(const Scenario& sc, const Population& pop, const Rng& rng, int p) {
  const auto& pp = sc.platforms[p];
  const auto& users = pop.users[p];
  const auto& ub = pop.users_begin[p];
  const int nd = sc.department_count();
  if (users.size() < 2 || pp.mean_degree <= 0) return {};
  const double alpha = pp.degree_tail;
  const double cap = std::min<double>(double(users.size() - 1), 50.0 * pp.mean_degree);
  const double xmin = pareto_scale_for_mean(pp.mean_degree, alpha, cap);
  std::vector<double> w(users.size());
  tbb::parallel_for(std::size_t(0), users.size(), [&](std::size_t k) {
    Draws dr(rng, users[k], 0, Stream::LayerPlatform, std::uint16_t(p));
    w[k] = std::min(cap, xmin * std::pow(dr.uniform(), -1.0 / (alpha - 1)));
  });
  AliasTable global(w);
  std::vector<AliasTable> local(nd);
  for (int d = 0; d < nd; ++d) local[d] = AliasTable(std::vector<double>(w.begin() + ub[d], w.begin() + ub[d + 1]));
  return generate(users.size(), [&](std::uint32_t k, auto& out) {
    const std::uint32_t i = users[k];
    Draws dr(rng, i, 0, Stream::LayerPlatform, std::uint16_t(100 + p));
    const std::uint32_t ties = dr.poisson(w[k] / 2);
    const int d = pop.department[i];
    for (std::uint32_t t = 0; t < ties; ++t) {
      std::uint32_t j;
      if (dr.uniform() < pp.same_department && !local[d].empty())
        j = users[ub[d] + local[d].draw(dr)];
      else
        j = users[global.draw(dr)];
      out.push_back(pack(i, j));
    }
  });
}

}  // namespace

Network build_network(const Scenario& sc, const Population& pop, std::uint32_t seed) {
  const Rng rng(seed, 0);
  Network net;
  net.layers.resize(kLayers);
  const std::size_t n = pop.size();
  auto build = [&](int layer, const std::string& edge_list, auto generator) {
    std::vector<std::uint64_t> pairs = edge_list.empty() ? generator() : read_edge_list(relative_to(sc, edge_list), n);
    net.layers[layer] = make_layer(pairs, n);
  };
  build(kHousehold, sc.network.household_edge_list, [&] { return household_ties(pop); });
  build(kSchoolWork, sc.network.school_work_edge_list, [&] { return school_work_ties(sc, pop, rng); });
  build(kNeighbourhood, sc.network.neighbourhood_edge_list, [&] { return neighbourhood_ties(sc, pop, rng); });
  // Platform layers from the largest expected to the smallest: a layer's transient arrays (its
  // pairs, the alias tables of its users) are largest for large layers, and the peak memory comes
  // when the graph is nearly complete, so the last layers should be small (about 50 MB less for the
  // whole country). Each layer draws its own numbers, so the order changes no tie.
  std::vector<int> order;
  for (int p = 1; p < kPlatforms; ++p) order.push_back(p);
  const auto expected_ties = [&](int p) { return double(pop.users[p].size()) * sc.platforms[p].mean_degree; };
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return expected_ties(a) > expected_ties(b); });
  for (int p : order)
    build(layer_of_platform(p), sc.platforms[p].edge_list, [&] { return platform_ties(sc, pop, rng, p); });
  net.index_platform_degrees();
  return net;
}

}  // namespace redes
