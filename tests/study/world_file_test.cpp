// A stored world (redes population -o) loads back field for field (day-0 arrays, ageing versions,
// user indices, every graph layer), and is refused, naming the file and the first differing key or
// the seed, when the scenario or seed it was built for differs.
#include "sim/study/world_file.hpp"

#include <gtest/gtest.h>

#include <string>

#include "sim/core/errors.hpp"
#include "sim/output/output.hpp"
#include "tests/support/temp_dir.hpp"

namespace redes {
namespace {

Scenario small() {
  Scenario sc = load_scenario(std::string(REDES_SOURCE_DIR) + "/scenarios/workshop/small.yaml");
  sc.population.size = 4000;
  sc.days = 3 * 365;  // long enough for slots to age and be renewed (later versions)
  return sc;
}

std::string store(const testing::TempDir& dir, const Scenario& sc, std::uint32_t seed, const World& w) {
  const std::string file = dir.file("pop.h5");
  h5::Writer f(file);
  write_metadata(f, sc, "population", seed, 0, 1, now_iso());
  write_world(f, sc, seed, w);
  f.commit();
  return file;
}

std::string refusal(const std::string& file, const Scenario& sc, std::uint32_t seed) {
  try {
    load_world(file, sc, seed);
  } catch (const IoError& e) {
    return e.what();
  }
  return "(loaded)";
}

TEST(WorldFile, LoadsEveryFieldTheBuilderMakes) {
  const testing::TempDir dir("redes-world-file");
  const Scenario sc = small();
  const World built = build_world(sc, 11);
  ASSERT_GT(built.pop.versions.size(), 0u) << "the test needs ageing versions to round-trip";
  const std::string file = store(dir, sc, 11, built);
  const World loaded = load_world(file, sc, 11);
  const Population &a = built.pop, &b = loaded.pop;
  EXPECT_EQ(a.department, b.department);
  EXPECT_EQ(a.urban, b.urban);
  EXPECT_EQ(a.gender, b.gender);
  EXPECT_EQ(a.birth_day, b.birth_day);
  EXPECT_EQ(a.household, b.household);
  EXPECT_EQ(a.device, b.device);
  EXPECT_EQ(a.platforms, b.platforms);
  for (auto m : {&Population::poverty, &Population::family_conflict, &Population::migration_wish,
                 &Population::job_seeking, &Population::privacy_exposure, &Population::screen_hours,
                 &Population::digital_literacy, &Population::awareness, &Population::supervision})
    EXPECT_EQ(a.*m, b.*m);
  EXPECT_EQ(a.dept_begin, b.dept_begin);
  EXPECT_EQ(a.users, b.users);
  EXPECT_EQ(a.users_begin, b.users_begin);
  ASSERT_EQ(a.versions.size(), b.versions.size());
  EXPECT_TRUE(b.next_version_day.empty() && b.version_begin.empty()) << "held once, in slot_keys";
  for (std::size_t i = 0; i <= a.size(); ++i) {
    ASSERT_EQ(a.version_begin_of(i), b.version_begin_of(i)) << i;
    if (i < a.size()) {
      ASSERT_EQ(a.next_version_day_of(PersonId(i)), b.next_version_day_of(PersonId(i))) << i;
    }
  }
  for (std::size_t k = 0; k < a.versions.size(); ++k) {
    const PersonVersion &x = a.versions[k], &y = b.versions[k];
    ASSERT_EQ(x.from_day, y.from_day) << k;
    const PersonTraits &s = x.traits, &t = y.traits;
    ASSERT_TRUE(s.birth_day == t.birth_day && s.generation == t.generation && s.gender == t.gender &&
                s.device == t.device && s.platforms == t.platforms && s.poverty == t.poverty &&
                s.family_conflict == t.family_conflict && s.migration_wish == t.migration_wish &&
                s.job_seeking == t.job_seeking && s.privacy_exposure == t.privacy_exposure &&
                s.screen_hours == t.screen_hours && s.digital_literacy == t.digital_literacy &&
                s.awareness == t.awareness && s.supervision == t.supervision)
        << "version " << k;
  }
  ASSERT_EQ(loaded.net.layers.size(), built.net.layers.size());
  for (std::size_t l = 0; l < built.net.layers.size(); ++l) {
    EXPECT_EQ(built.net.layers[l].m_forward.m_rowstart, loaded.net.layers[l].m_forward.m_rowstart)
        << layer_name(int(l));
    EXPECT_EQ(built.net.layers[l].m_forward.m_column, loaded.net.layers[l].m_forward.m_column) << layer_name(int(l));
    EXPECT_EQ(num_vertices(built.net.layers[l]), num_vertices(loaded.net.layers[l]));
    EXPECT_EQ(num_edges(built.net.layers[l]), num_edges(loaded.net.layers[l]));
  }
  EXPECT_GT(built.net.total_directed_ties(), 0u);
}

// The packed per-slot records the exposure loops read (Population::key) say what the full traits say,
// on every day of the run, for a built and for a loaded world.
TEST(WorldFile, PackedSlotKeysAgreeWithTheTraitsOnEveryDay) {
  const testing::TempDir dir("redes-world-keys");
  const Scenario sc = small();
  const World built = build_world(sc, 11);
  const World loaded = load_world(store(dir, sc, 11, built), sc, 11);
  std::size_t later = 0;
  for (const Population* pop : {&built.pop, &loaded.pop})
    for (int day = -30; day < sc.days; day += 7)
      for (PersonId i = 0; i < pop->size(); ++i) {
        const PersonTraits t = pop->traits(i, day);
        const Population::Key k = pop->key(i, day);
        ASSERT_TRUE(k.birth_day == t.birth_day && k.platforms == t.platforms && k.device == t.device &&
                    k.gender == t.gender)
            << "person " << i << " day " << day;
        later += pop->later(i, day) != nullptr;
      }
  EXPECT_GT(later, 1000u) << "the test needs slots in a later version";
}

// A slot whose first later version does not start on its next_version_day would read another slot's
// versions (or past the end): refused at load, naming the file and the dataset.
TEST(WorldFile, RefusesVersionDaysThatDoNotMatchTheVersions) {
  const testing::TempDir dir("redes-world-versions");
  const Scenario sc = small();
  World w = build_world(sc, 11);
  std::size_t none = 0;
  while (w.pop.version_begin_of(none) != w.pop.version_begin_of(none + 1)) ++none;
  w.pop.slot_keys[none].next_version_day = 100;  // a slot without versions that claims one (as written)
  const std::string file = store(dir, sc, 11, w);
  const std::string msg = refusal(file, sc, 11);
  EXPECT_NE(msg.find(file), std::string::npos) << msg;
  EXPECT_NE(msg.find("next_version_day' of person " + std::to_string(none)), std::string::npos) << msg;
}

TEST(WorldFile, RefusesAnotherScenarioOrSeedNamingFileAndKey) {
  const testing::TempDir dir("redes-world-refuse");
  const Scenario sc = small();
  const std::string file = store(dir, sc, 11, build_world(sc, 11));
  EXPECT_EQ(refusal(file, sc, 11), "(loaded)");

  Scenario size = sc;
  size.population.size = 4001;
  size.population.female_share = 0.4;  // later in the key order: the first difference is named
  std::string msg = refusal(file, size, 11);
  EXPECT_NE(msg.find(file), std::string::npos) << msg;
  EXPECT_NE(msg.find("population.size is 4000 in the file but 4001"), std::string::npos) << msg;

  Scenario degree = sc;
  degree.network.neighbourhood_degree += 2;
  msg = refusal(file, degree, 11);
  EXPECT_NE(msg.find("network.neighbourhood.degree"), std::string::npos) << msg;

  Scenario platform = sc;
  platform.platforms[1].mean_degree *= 2;
  msg = refusal(file, platform, 11);
  EXPECT_NE(msg.find("platforms." + std::string(kPlatformNames[1]) + ".mean_degree"), std::string::npos) << msg;

  Scenario days = sc;
  days.days = 365;  // ageing versions depend on the days simulated
  msg = refusal(file, days, 11);
  EXPECT_NE(msg.find("calendar.years"), std::string::npos) << msg;

  Scenario recruiters = sc;  // keys the builders do not read do not matter
  recruiters.recruiters.per_100k *= 2;
  EXPECT_EQ(refusal(file, recruiters, 11), "(loaded)");

  msg = refusal(file, sc, 12);
  EXPECT_NE(msg.find(file), std::string::npos) << msg;
  EXPECT_NE(msg.find("seed differs"), std::string::npos) << msg;
}

}  // namespace
}  // namespace redes
