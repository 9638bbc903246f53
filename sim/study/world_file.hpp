// study/world_file: the population and graph of a scenario stored in HDF5 (`redes population -o`)
// and loaded again (`run --population`, `compare --population`), so a large world is built once.
// The file records every scenario value the builders read, with the seed; loading refuses a file
// built for another scenario or seed rather than silently simulate on the wrong population.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "sim/output/h5.hpp"
#include "sim/study/study.hpp"

namespace redes {

/// Bump when build_population/build_network draw differently for the same keys: older files are refused.
inline constexpr int kWorldBuilderVersion = 1;

/// Every value build_population and build_network read, as (scenario key, value text) pairs in a fixed
/// order; edge-list files count with a hash of their contents.
std::vector<std::pair<std::string, std::string>> world_keys(const Scenario& sc);

/// Writes /population, /network and the fingerprint attributes (/metadata must be written by the caller).
void write_world(h5::Writer& f, const Scenario& sc, std::uint32_t seed, const World& w);

/// `redes population -o`: /metadata, then write_world, into `out` under a temporary name.
void write_world_file(const std::filesystem::path& out, const Scenario& sc, std::uint32_t seed, const World& w,
                      int threads);

/// Only the check of load_world (cheap): commands call it before taking locks or doing any work.
void check_world_file(const std::filesystem::path& file, const Scenario& sc, std::uint32_t seed);

/// Loads the world stored in `file` after checking it was built for `sc` with `seed`. Throws IoError
/// naming the file and the first differing key (or the seed) on a mismatch, or what is damaged.
World load_world(const std::filesystem::path& file, const Scenario& sc, std::uint32_t seed);

}  // namespace redes
