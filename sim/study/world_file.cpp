#include "sim/study/world_file.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_reduce.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>
#include <type_traits>

#include "sim/core/errors.hpp"
#include "sim/core/fnv1a.hpp"
#include "sim/output/output.hpp"

namespace redes {
namespace {

namespace fs = std::filesystem;

std::string edge_list_value(const Scenario& sc, const std::string& file) {
  if (file.empty()) return "";
  fs::path p(file);
  if (!p.is_absolute()) p = sc.file.parent_path() / p;  // as build_network resolves it
  std::ifstream in(p, std::ios::binary);
  if (!in) return file + " (unreadable)";
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return fmt::format("{} (contents {:016x})", file, fnv1a(bytes));
}

const std::string kKeys = "world_keys", kSeed = "world_seed", kVersion = "world_builder_version",
                  kFingerprint = "world_fingerprint";

std::string keys_text(const std::vector<std::pair<std::string, std::string>>& keys) {
  std::string s;
  for (const auto& [k, v] : keys) s += k + " = " + v + "\n";
  return s;
}

template <class T>
void put(h5::Writer& f, const std::string& path, const std::string& axis, const std::vector<T>& v,
         std::string_view unit = "") {
  f.array(path, {h5::Axis{axis, {}, {}, v.size()}}, std::span<const T>(v), unit);
}

class Loader {
 public:
  Loader(const fs::path& file) : file_(file), in_(file) {}
  template <class T>
  std::vector<T> read(const std::string& path, std::size_t expected) const {
    if (!in_.exists(path)) fail("has no '" + path + "'");
    std::vector<T> v = in_.read_as<T>(path);
    if (v.size() != expected)
      fail("'" + path + "' has " + std::to_string(v.size()) + " values, expected " + std::to_string(expected));
    return v;
  }
  template <class T>
  std::vector<T> read_any(const std::string& path) const {
    if (!in_.exists(path)) fail("has no '" + path + "'");
    return in_.read_as<T>(path);
  }
  /// Ascending offsets from 0 to `end` (an index into another array).
  void offsets(const std::string& what, const std::vector<std::uint32_t>& v, std::size_t end) const {
    if (v.empty() || v.front() != 0 || v.back() != end || !std::is_sorted(v.begin(), v.end()))
      fail("'" + what + "' is not an ascending offset table from 0 to " + std::to_string(end));
  }
  template <class T>
  void below(const std::string& what, const std::vector<T>& v, std::size_t bound) const {
    static_assert(std::is_unsigned_v<T>, "the largest value bounds them all only when none is negative");
    // The largest value, in parallel: the whole country's ties are 263 M values to check.
    const T largest = tbb::parallel_reduce(
        tbb::blocked_range<std::size_t>(0, v.size(), std::size_t{1} << 16), T{},
        [&](const tbb::blocked_range<std::size_t>& r, T m) {
          for (std::size_t k = r.begin(); k < r.end(); ++k) m = std::max(m, v[k]);
          return m;
        },
        [](T a, T b) { return std::max(a, b); });
    if (!v.empty() && std::size_t(largest) >= bound)
      fail("'" + what + "' holds " + std::to_string(largest) + ", not below " + std::to_string(bound));
  }
  [[noreturn]] void fail(const std::string& what) const {
    throw IoError(file_.string() + ": " + what + "; rebuild it with `redes population SCENARIO -o " + file_.string() +
                  "`");
  }
  const h5::Reader& in() const { return in_; }
  /// A /metadata attribute the check needs; a file written before it existed is refused, not guessed at.
  std::string attribute(const std::string& name) const {
    try {
      return in_.attribute_string("/metadata", name);
    } catch (const IoError&) {
      fail("has no /metadata attribute '" + name + "' (written by an older redes, or not a population file)");
    }
  }

 private:
  fs::path file_;
  h5::Reader in_;
};

}  // namespace

std::vector<std::pair<std::string, std::string>> world_keys(const Scenario& sc) {
  std::vector<std::pair<std::string, std::string>> k;
  auto add = [&](std::string key, std::string value) { k.emplace_back(std::move(key), std::move(value)); };
  auto num = [](double x) { return fmt::format("{}", x); };
  auto list = [](const auto& v) { return fmt::format("[{}]", fmt::join(v, ", ")); };
  const auto& p = sc.population;
  add("population.size", std::to_string(p.size));
  add("population.departments", list(p.departments));
  add("population.department_share", list(p.department_share));
  add("population.urban_share", list(p.urban_share));
  add("population.poverty_rate", list(p.poverty_rate));
  add("population.poverty_urban_factor", num(p.poverty_urban_factor));
  add("population.poverty_rural_factor", num(p.poverty_rural_factor));
  add("population.female_share", num(p.female_share));
  {
    std::string bands;
    for (const auto& b : p.age_bands)
      bands += fmt::format("{}{}-{}: {}", bands.empty() ? "" : ", ", b.lo, b.hi, b.share);
    add("population.age_bands", "[" + bands + "]");
  }
  add("population.mean_household_size", num(p.mean_household_size));
  const std::string a = "population.attributes.";
  add(a + "spread", num(p.attribute_spread));
  add(a + "family_conflict_median", num(p.family_conflict_mean));
  add(a + "family_conflict_poverty_corr", num(p.family_conflict_poverty_corr));
  add(a + "device_access", list(p.device_access));
  add(a + "device_rural_factor", num(p.device_rural_factor));
  add(a + "device_poverty_factor", num(p.device_poverty_factor));
  add(a + "screen_hours", list(p.screen_hours));
  add(a + "privacy_exposure", list(p.privacy_exposure));
  add(a + "digital_literacy", list(p.digital_literacy));
  add(a + "literacy_rural_penalty", num(p.literacy_rural_penalty));
  add(a + "literacy_poverty_penalty", num(p.literacy_poverty_penalty));
  add(a + "awareness_median", num(p.awareness_mean));
  add(a + "supervision_child", num(p.supervision_child));
  add(a + "supervision_adolescent", num(p.supervision_adolescent));
  add(a + "supervision_conflict_penalty", num(p.supervision_conflict_penalty));
  add(a + "job_seeking_base", num(p.job_seeking_base));
  add(a + "job_seeking_poverty", num(p.job_seeking_poverty));
  add(a + "migration_wish_base", num(p.migration_wish_base));
  add(a + "migration_wish_poverty", num(p.migration_wish_poverty));
  // Slots age and are renewed over the simulated days.
  add("calendar.years (days simulated)", std::to_string(sc.days));
  const auto& n = sc.network;
  add("network.household.edge_list", edge_list_value(sc, n.household_edge_list));
  add("network.school_work.mean_degree", num(n.school_work_degree));
  add("network.school_work.same_age_group", num(n.school_work_same_age));
  add("network.school_work.cross_department", num(n.school_work_cross_department));
  add("network.school_work.edge_list", edge_list_value(sc, n.school_work_edge_list));
  add("network.neighbourhood.degree", std::to_string(n.neighbourhood_degree));
  add("network.neighbourhood.rewire", num(n.neighbourhood_rewire));
  add("network.neighbourhood.edge_list", edge_list_value(sc, n.neighbourhood_edge_list));
  for (int q = 1; q < kPlatforms; ++q) {
    const auto& pl = sc.platforms[q];
    const std::string b = "platforms." + std::string(kPlatformNames[q]);
    add(b, pl.enabled ? "present" : "absent");
    if (!pl.enabled) continue;
    add(b + ".use", list(pl.use));
    add(b + ".mean_degree", num(pl.mean_degree));
    add(b + ".degree_tail", num(pl.degree_tail));
    add(b + ".same_department", num(pl.same_department));
    add(b + ".edge_list", edge_list_value(sc, pl.edge_list));
  }
  return k;
}

void write_world(h5::Writer& f, const Scenario& sc, std::uint32_t seed, const World& w) {
  const Population& pop = w.pop;
  const std::string text = keys_text(world_keys(sc));
  f.attribute("/metadata", kKeys, text);
  f.attribute("/metadata", kFingerprint, fmt::format("{:016x}", fnv1a(text)));
  f.attribute("/metadata", kSeed, std::int64_t(seed));
  f.attribute("/metadata", kVersion, std::int64_t(kWorldBuilderVersion));
  f.group("/population");
  const std::string P = "/population/";
  put(f, P + "department", "person", pop.department);
  put(f, P + "urban", "person", pop.urban);
  put(f, P + "gender", "person", pop.gender);
  put(f, P + "birth_day", "person", pop.birth_day, "day");
  put(f, P + "household", "person", pop.household);
  put(f, P + "device", "person", pop.device);
  put(f, P + "platforms", "person", pop.platforms);
  put(f, P + "poverty", "person", pop.poverty);
  put(f, P + "family_conflict", "person", pop.family_conflict);
  put(f, P + "migration_wish", "person", pop.migration_wish);
  put(f, P + "job_seeking", "person", pop.job_seeking);
  put(f, P + "privacy_exposure", "person", pop.privacy_exposure);
  put(f, P + "screen_hours", "person", pop.screen_hours, "hours/day");
  put(f, P + "digital_literacy", "person", pop.digital_literacy);
  put(f, P + "awareness", "person", pop.awareness);
  put(f, P + "supervision", "person", pop.supervision);
  put(f, P + "dept_begin", "department_bound", pop.dept_begin);
  f.attribute("/population", "department_labels", fmt::format("{}", fmt::join(sc.population.departments, ",")));
  for (std::size_t q = 0; q < pop.users.size(); ++q) {
    const std::string b = P + "users/" + std::string(kPlatformNames[q]);
    f.group(b);
    put(f, b + "/persons", "user", pop.users[q]);
    put(f, b + "/begin", "department_bound", pop.users_begin[q]);
  }
  {  // held in slot_keys; written one array at a time
    std::vector<std::int32_t> next(pop.size());
    for (std::size_t i = 0; i < next.size(); ++i) next[i] = pop.next_version_day_of(PersonId(i));
    put(f, P + "next_version_day", "person", next, "day");
  }
  {
    std::vector<std::uint32_t> begin(pop.size() + 1);
    for (std::size_t i = 0; i < begin.size(); ++i) begin[i] = pop.version_begin_of(i);
    put(f, P + "version_begin", "person_bound", begin);
  }
  // Later versions of slots, one array per field (HDF5 compound tables have no typed reader here).
  const auto& v = pop.versions;
  auto field = [&](const std::string& name, auto get) {
    std::vector<decltype(get(v.front()))> x;
    x.reserve(v.size());
    for (const auto& e : v) x.push_back(get(e));
    put(f, P + "versions/" + name, "version", x);
  };
  f.group(P + "versions");
  field("from_day", [](const PersonVersion& e) { return e.from_day; });
  field("birth_day", [](const PersonVersion& e) { return e.traits.birth_day; });
  field("generation", [](const PersonVersion& e) { return e.traits.generation; });
  field("gender", [](const PersonVersion& e) { return e.traits.gender; });
  field("device", [](const PersonVersion& e) { return e.traits.device; });
  field("platforms", [](const PersonVersion& e) { return e.traits.platforms; });
  field("poverty", [](const PersonVersion& e) { return e.traits.poverty; });
  field("family_conflict", [](const PersonVersion& e) { return e.traits.family_conflict; });
  field("migration_wish", [](const PersonVersion& e) { return e.traits.migration_wish; });
  field("job_seeking", [](const PersonVersion& e) { return e.traits.job_seeking; });
  field("privacy_exposure", [](const PersonVersion& e) { return e.traits.privacy_exposure; });
  field("screen_hours", [](const PersonVersion& e) { return e.traits.screen_hours; });
  field("digital_literacy", [](const PersonVersion& e) { return e.traits.digital_literacy; });
  field("awareness", [](const PersonVersion& e) { return e.traits.awareness; });
  field("supervision", [](const PersonVersion& e) { return e.traits.supervision; });
  for (int l = 0; l < kLayers; ++l) {
    const auto& g = w.net.layers[std::size_t(l)].m_forward;
    const std::string base = "/network/" + layer_name(l);
    f.group(base);
    put(f, base + "/rowstart", "row", g.m_rowstart);
    put(f, base + "/column", "tie", g.m_column);
  }
}

void check_world_file(const fs::path& file, const Scenario& sc, std::uint32_t seed) {
  const Loader L(file);
  const h5::Reader& in = L.in();
  if (!in.exists("/metadata") || !in.exists("/population") || !in.exists("/network"))
    throw IoError(file.string() + ": not a population file (write one with `redes population SCENARIO -o FILE`)");
  {
    const std::string version = L.attribute(kVersion);
    if (version != std::to_string(kWorldBuilderVersion))
      L.fail("was written by a population builder of version " + version + " (this redes builds version " +
             std::to_string(kWorldBuilderVersion) + ")");
  }
  // The scenario check: the first differing key, then the seed.
  const auto want = world_keys(sc);
  std::istringstream stored(L.attribute(kKeys));
  std::string line;
  std::size_t i = 0;
  while (std::getline(stored, line)) {
    const auto eq = line.find(" = ");
    const std::string key = line.substr(0, eq), value = eq == std::string::npos ? "" : line.substr(eq + 3);
    if (i >= want.size() || want[i].first != key)
      throw IoError(file.string() + ": was built for another scenario: it has key '" + key + "' where scenario " +
                    sc.file.string() + " has " + (i < want.size() ? "'" + want[i].first + "'" : "no more keys"));
    if (want[i].second != value)
      throw IoError(file.string() + ": was built for another scenario: " + key + " is " + value + " in the file but " +
                    want[i].second + " in " + sc.file.string() + "; rebuild it with `redes population " +
                    sc.file.string() + " -o FILE`");
    ++i;
  }
  if (i != want.size())
    throw IoError(file.string() + ": was built for another scenario: it lacks key '" + want[i].first + "' of " +
                  sc.file.string());
  const std::string file_seed = L.attribute(kSeed);
  if (file_seed != std::to_string(seed))
    throw IoError(file.string() + ": was built with seed " + file_seed + ", this run uses seed " +
                  std::to_string(seed) + " (the seed differs; pass --seed " + file_seed +
                  " or rebuild the file with --seed " + std::to_string(seed) + ")");
}

World load_world(const fs::path& file, const Scenario& sc, std::uint32_t seed) {
  const auto t0 = std::chrono::steady_clock::now();
  check_world_file(file, sc, seed);
  const Loader L(file);

  World w;
  Population& pop = w.pop;
  const std::size_t n = std::size_t(sc.population.size), nd = std::size_t(sc.department_count());
  const std::string P = "/population/";
  pop.department = L.read<std::uint8_t>(P + "department", n);
  pop.urban = L.read<std::uint8_t>(P + "urban", n);
  pop.gender = L.read<std::uint8_t>(P + "gender", n);
  pop.birth_day = L.read<std::int32_t>(P + "birth_day", n);
  pop.household = L.read<std::uint32_t>(P + "household", n);
  pop.device = L.read<std::uint8_t>(P + "device", n);
  pop.platforms = L.read<std::uint8_t>(P + "platforms", n);
  pop.poverty = L.read<float>(P + "poverty", n);
  pop.family_conflict = L.read<float>(P + "family_conflict", n);
  pop.migration_wish = L.read<float>(P + "migration_wish", n);
  pop.job_seeking = L.read<float>(P + "job_seeking", n);
  pop.privacy_exposure = L.read<float>(P + "privacy_exposure", n);
  pop.screen_hours = L.read<float>(P + "screen_hours", n);
  pop.digital_literacy = L.read<float>(P + "digital_literacy", n);
  pop.awareness = L.read<float>(P + "awareness", n);
  pop.supervision = L.read<float>(P + "supervision", n);
  pop.dept_begin = L.read<std::uint32_t>(P + "dept_begin", nd + 1);
  // Damaged files must not index out of bounds later: check what the engine indexes with.
  L.below(P + "department", pop.department, nd);
  L.below(P + "urban", pop.urban, 2);
  L.below(P + "gender", pop.gender, kGenders);
  L.below(P + "device", pop.device, 2);
  L.below(P + "platforms", pop.platforms, 1u << kPlatforms);
  L.below(P + "household", pop.household, n);
  L.offsets(P + "dept_begin", pop.dept_begin, n);
  pop.users.resize(kPlatforms);
  pop.users_begin.resize(kPlatforms);
  for (int q = 0; q < kPlatforms; ++q) {
    const std::string b = P + "users/" + std::string(kPlatformNames[q]);
    pop.users[q] = L.read_any<std::uint32_t>(b + "/persons");
    pop.users_begin[q] = L.read<std::uint32_t>(b + "/begin", nd + 1);
    L.below(b + "/persons", pop.users[q], n);
    L.offsets(b + "/begin", pop.users_begin[q], pop.users[q].size());
  }
  pop.next_version_day = L.read<std::int32_t>(P + "next_version_day", n);
  pop.version_begin = L.read<std::uint32_t>(P + "version_begin", n + 1);
  const std::string V = P + "versions/";
  const auto from_day = L.read_any<std::int32_t>(V + "from_day");
  const std::size_t nv = from_day.size();
  L.offsets(P + "version_begin", pop.version_begin, nv);
  const auto birth = L.read<std::int32_t>(V + "birth_day", nv);
  const auto generation = L.read<std::uint16_t>(V + "generation", nv);
  const auto gender = L.read<std::uint8_t>(V + "gender", nv), device = L.read<std::uint8_t>(V + "device", nv),
             platforms = L.read<std::uint8_t>(V + "platforms", nv);
  L.below(V + "gender", gender, kGenders);
  L.below(V + "device", device, 2);
  L.below(V + "platforms", platforms, 1u << kPlatforms);
  pop.versions.resize(nv);
  for (std::size_t k = 0; k < nv; ++k) {
    auto& e = pop.versions[k];
    e.from_day = from_day[k], e.traits.birth_day = birth[k], e.traits.generation = generation[k];
    e.traits.gender = gender[k], e.traits.device = device[k], e.traits.platforms = platforms[k];
  }
  auto floats = [&](const std::string& name, float PersonTraits::*member) {
    const auto x = L.read<float>(V + name, nv);
    for (std::size_t k = 0; k < nv; ++k) pop.versions[k].traits.*member = x[k];
  };
  floats("poverty", &PersonTraits::poverty);
  floats("family_conflict", &PersonTraits::family_conflict);
  floats("migration_wish", &PersonTraits::migration_wish);
  floats("job_seeking", &PersonTraits::job_seeking);
  floats("privacy_exposure", &PersonTraits::privacy_exposure);
  floats("screen_hours", &PersonTraits::screen_hours);
  floats("digital_literacy", &PersonTraits::digital_literacy);
  floats("awareness", &PersonTraits::awareness);
  floats("supervision", &PersonTraits::supervision);
  // A slot's first later version starts on its next_version_day, and a slot without one never changes.
  for (std::size_t i = 0; i < n; ++i) {
    const bool none = pop.version_begin[i] == pop.version_begin[i + 1];
    if (none ? pop.next_version_day[i] != std::numeric_limits<std::int32_t>::max()
             : pop.next_version_day[i] != pop.versions[pop.version_begin[i]].from_day)
      L.fail("'" + P + "next_version_day' of person " + std::to_string(i) + " does not match its versions");
  }
  pop.index_slots();

  w.net.layers.resize(kLayers);
  for (int l = 0; l < kLayers; ++l) {
    const std::string base = "/network/" + layer_name(l);
    auto rs = L.read<std::uint32_t>(base + "/rowstart", n + 1);
    auto col = L.read_any<std::uint32_t>(base + "/column");
    L.offsets(base + "/rowstart", rs, col.size());
    L.below(base + "/column", col, n);
    // The stored arrays are the graph's own CSR (its edges carry no properties): moved in, not
    // rebuilt edge by edge, which took most of the load time and held a second copy.
    w.net.layers[std::size_t(l)] = layer_from_csr(std::move(rs), std::move(col));
  }
  w.net.index_platform_degrees();
  w.build_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return w;
}

void write_world_file(const fs::path& out, const Scenario& sc, std::uint32_t seed, const World& w, int threads) {
  if (out.has_parent_path()) fs::create_directories(out.parent_path());
  h5::Writer f(out);
  write_metadata(f, sc, "population", seed, 0, threads, now_iso());
  write_world(f, sc, seed, w);
  f.commit();
}

}  // namespace redes
