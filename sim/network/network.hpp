// network: the multilayer social graph. One Boost.Graph compressed_sparse_row_graph per layer over
// the same person ids: household, school/work, neighbourhood (offline) and one per platform
// (ties only among that platform's users). Generation is parallel and deterministic: every tie a
// person initiates comes from that person's own random stream, and each layer's edge list is
// sorted before the CSR is built, so the graph is identical for any thread count.
#pragma once
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "sim/population/population.hpp"

namespace redes {

using LayerGraph = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                                      boost::no_property, std::uint32_t, std::uint32_t>;

enum Layer : int { kHousehold = 0, kSchoolWork = 1, kNeighbourhood = 2, kFirstPlatformLayer = 3 };
inline constexpr int kLayers = kFirstPlatformLayer + kPlatforms - 1;  // platforms 1..7
inline int layer_of_platform(int platform) { return kFirstPlatformLayer + platform - 1; }
std::string layer_name(int layer);

struct DegreeStats {
  double mean = 0, sd = 0;
  std::uint32_t max = 0, p99 = 0;
  std::size_t nodes_with_ties = 0, ties = 0;  // ties counted once per direction
};

struct Network {
  std::vector<LayerGraph> layers;  // kLayers, each with population-size vertices
  std::size_t total_directed_ties() const;
  std::size_t memory_bytes() const;
  DegreeStats degree_stats(int layer, const std::vector<std::uint32_t>* only = nullptr) const;
  /// Neighbours of `v` in `layer` as a contiguous range (CSR row).
  std::pair<const std::uint32_t*, const std::uint32_t*> neighbours(int layer, std::uint32_t v) const {
    const auto& g = layers[layer];
    const auto* col = g.m_forward.m_column.data();
    return {col + g.m_forward.m_rowstart[v], col + g.m_forward.m_rowstart[v + 1]};
  }
  /// An upper bound on v's degree in every platform layer (UINT32_MAX when unknown), from one byte
  /// per person: lets the exposure loop see that a share draw lands past the row without reading it.
  std::uint32_t platform_degree_bound(std::uint32_t v) const {
    if (platform_degree_cap.empty() || platform_degree_cap[v] == kDegreeCapUnknown) return UINT32_MAX;
    return platform_degree_cap[v];
  }
  void prefetch_degree_bound(std::uint32_t v) const {
    if (!platform_degree_cap.empty()) __builtin_prefetch(platform_degree_cap.data() + v);
  }
  /// Fills platform_degree_cap from the layers (after building or loading them).
  void index_platform_degrees();
  static constexpr std::uint8_t kDegreeCapUnknown = 255;  // degree 255 or more
  std::vector<std::uint8_t> platform_degree_cap;          // per person: largest platform-layer degree, capped
};

/// Builds every layer for `pop` from the scenario's generators or edge lists.
Network build_network(const Scenario& scenario, const Population& pop, std::uint32_t seed);

/// Undirected ties -> symmetric CSR (sorted, duplicates and self-loops dropped).
LayerGraph make_layer(std::vector<std::uint64_t>& packed_pairs, std::size_t vertices);

/// A graph holding these CSR arrays as they are (moved in): row v's neighbours are
/// column[rowstart[v] .. rowstart[v + 1]). The edges carry no properties, so this is all of it.
LayerGraph layer_from_csr(std::vector<std::uint32_t> rowstart, std::vector<std::uint32_t> column);

/// Reads a CSV of person index pairs ("a,b" per line; optional header; '#' comments).
/// Errors (IoError) name file:line:column and what is wrong.
std::vector<std::uint64_t> read_edge_list(const std::filesystem::path& file, std::size_t vertices);

/// Scale of a Pareto(alpha) law truncated at `cap` whose mean is `mean` (platform degree weights).
double pareto_scale_for_mean(double mean, double alpha, double cap);

inline std::uint64_t pack(std::uint32_t a, std::uint32_t b) { return std::uint64_t(a) << 32 | b; }

}  // namespace redes
