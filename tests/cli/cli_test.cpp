// End-to-end tests of the `redes` executable (REDES_BINARY): the run file matches the layout of
// sim/output/output_format.md ("Run file"), `inspect` prints model estimates, bad scenarios fail
// with exit code 2, a file:line:column position and no output, `validate` accepts the bundled
// scenarios, and run files are identical (datasets, compared with h5diff) for 1, 2 and 4 threads.
#include <gtest/gtest.h>
#include <hdf5.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "sim/core/labels.hpp"
#include "sim/output/h5.hpp"
#include "sim/scenario/scenario.hpp"
#include "tests/support/shell.hpp"
#include "tests/support/temp_dir.hpp"

namespace redes {
namespace {

namespace fs = std::filesystem;

using Result = testing::ShellResult;
using testing::quote;
using testing::slurp;

class CliTest : public ::testing::Test {
 protected:
  /// Runs a shell command line, capturing stdout and stderr.
  Result sh(const std::string& cmd) const { return testing::run_shell(cmd, dir_); }
  Result redes(const std::string& args) const { return sh(quote(REDES_BINARY) + " " + args); }
  static std::string scenario(const std::string& rel) { return std::string(REDES_SOURCE_DIR) + "/scenarios/" + rel; }

  const redes::testing::TempDir tmp_{"redes-cli"};
  const fs::path& dir_ = tmp_.path;
};

std::vector<std::string> names(const auto& arr) { return to_strings(arr); }

// `redes list routes` names every registered route by its output label, one a line, in the
// registry's order.
TEST_F(CliTest, ListRoutesNamesEveryRegisteredRoute) {
  Result r = redes("list routes");
  ASSERT_EQ(r.code, 0) << r.err;
  std::vector<std::string> listed;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) listed.push_back(line.substr(0, line.find(' ')));
  EXPECT_EQ(listed, names(kRouteNames)) << r.out;
}

// 9. A run file has every group and dataset of the "Run file" section, with the documented
// dimension labels in order, the documented label values, sizes and attributes.
TEST_F(CliTest, RunFileMatchesOutputFormat) {
  const fs::path file = dir_ / "run.h5";
  Result r = redes("run " + quote(scenario("workshop/small.yaml")) + " -o " + quote(file.string()) +
                   " --replicates 2 --threads 2 --seed 3");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("MODEL ESTIMATES"), std::string::npos) << r.out;
  ASSERT_TRUE(fs::exists(file));
  for (const auto& e : fs::directory_iterator(dir_))
    EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos) << "temporary file left: " << e.path();

  h5::Reader f(file);
  const Scenario sc = load_scenario(scenario("workshop/small.yaml"));
  const std::size_t R = 2, D = std::size_t(sc.days), ND = std::size_t(sc.department_count());
  const std::size_t Y = std::size_t(sc.year_of_day(sc.days - 1) - sc.start_year + 1);
  ASSERT_EQ(ND, 18u);
  using Dims = std::vector<std::string>;
  const std::map<std::string, Dims> datasets = {
      {"/trajectories/stock", {"replicate", "day", "stage", "route", "platform", "age_group", "gender"}},
      {"/trajectories/stock_by_department", {"replicate", "day", "stage", "department"}},
      {"/trajectories/transitions", {"replicate", "day", "transition", "route"}},
      {"/trajectories/recruiters_active", {"replicate", "day"}},
      {"/summary/victims", {"replicate"}},
      {"/summary/victims_by_route", {"replicate", "route"}},
      {"/summary/victims_by_platform", {"replicate", "platform"}},
      {"/summary/victims_by_age_group", {"replicate", "age_group"}},
      {"/summary/victims_by_gender", {"replicate", "gender"}},
      {"/summary/victims_by_department", {"replicate", "department"}},
      {"/summary/victims_by_exploitation", {"replicate", "exploitation"}},
      {"/summary/victims_by_destination", {"replicate", "destination"}},
      {"/summary/victims_by_means", {"replicate", "means"}},
      {"/summary/victims_by_year", {"replicate", "year"}},
      {"/summary/attempts_by_route", {"replicate", "route"}},
      {"/summary/exits", {"replicate", "transition"}},
      {"/summary/recruiters_arrested", {"replicate"}},
      {"/observed/recorded_cases", {"replicate", "year", "institution", "department", "sex_recorded", "age_group"}},
      {"/observed/recorded_ict", {"replicate", "year", "institution"}},
      {"/observed/recorded_victims", {"replicate", "year"}},
      {"/observed/true_victims", {"replicate", "year"}},
      {"/observed/hidden_ratio", {"replicate"}},
      {"/interventions/reach", {"replicate", "day", "intervention"}},
      {"/interventions/cost", {"replicate", "day", "intervention"}},
  };
  const std::vector<std::string> stages(kStageNames.begin(), kStageNames.begin() + kActiveStages);
  const std::map<std::string, std::vector<std::string>> labels = {
      {"stage", stages},
      {"transition", names(kStageNames)},
      {"route", {"hunting", "fishing", "trusted_contact"}},
      {"platform",
       {"offline", "facebook", "whatsapp", "instagram", "tiktok", "discord_games", "telegram", "classroom_video"}},
      {"age_group", {"child", "adolescent", "young_adult", "adult"}},
      {"gender", {"female", "male"}},
      {"exploitation", {"sexual", "labour", "online_sexual"}},
      {"destination", {"same_department", "other_department", "argentina", "spain", "brazil", "chile", "bolivia"}},
      {"means", {"job_offer", "romance", "sextortion", "travel_debt"}},
      {"institution", {"prosecutor", "police", "childhood_ministry", "women_ministry"}},
      {"sex_recorded", {"female", "male", "not_recorded"}},
  };
  EXPECT_EQ(names(kStageNames), (std::vector<std::string>{"contacted", "engaged", "groomed", "offered", "recruited",
                                                          "exploited", "declined", "blocked_or_reported", "intervened",
                                                          "removed_by_platform", "rescued", "escaped"}));
  const std::map<std::string, std::size_t> sizes = {
      {"replicate", R}, {"day", D}, {"year", Y}, {"department", ND}, {"intervention", 0}};
  for (const std::string group : {"/trajectories", "/summary", "/observed", "/interventions", "/metadata", "/labels"})
    EXPECT_TRUE(f.exists(group)) << group;
  for (const auto& [path, dims] : datasets) {
    SCOPED_TRACE(path);
    ASSERT_TRUE(f.exists(path));
    EXPECT_EQ(f.dim_labels(path), dims);
    const auto shape = f.shape(path);
    ASSERT_EQ(shape.size(), dims.size());
    for (std::size_t k = 0; k < dims.size(); ++k) {
      if (auto it = labels.find(dims[k]); it != labels.end()) {
        EXPECT_EQ(shape[k], it->second.size()) << dims[k];
        EXPECT_EQ(f.scale_labels(path, int(k)), it->second) << dims[k];
      } else {
        EXPECT_EQ(shape[k], sizes.at(dims[k])) << dims[k];
      }
    }
  }
  // Departments in scenario order; years 2019..2023.
  const auto depts = f.scale_labels("/summary/victims_by_department", 1);
  ASSERT_EQ(depts.size(), ND);
  EXPECT_EQ(depts.front(), "Asuncion");
  EXPECT_EQ(depts.back(), "Alto Paraguay");
  const auto years = f.read_int("/labels/year");
  ASSERT_EQ(years.size(), Y);
  for (std::size_t y = 0; y < Y; ++y) EXPECT_EQ(years[y], sc.start_year + std::int64_t(y));
  // Units and estimate labels.
  EXPECT_EQ(f.attribute_string("/trajectories/stock", "unit"), "persons");
  EXPECT_EQ(f.attribute_string("/trajectories/transitions", "unit"), "persons/day");
  EXPECT_EQ(f.attribute_string("/trajectories/recruiters_active", "unit"), "recruiters");
  EXPECT_EQ(f.attribute_string("/summary/victims", "estimate"), "model estimate");
  EXPECT_EQ(f.attribute_string("/summary", "estimate"), "model estimate");
  EXPECT_EQ(f.attribute_string("/observed", "estimate"), "model estimate");
  // The event table and its label attributes.
  ASSERT_TRUE(f.exists("/events"));
  EXPECT_EQ(f.attribute_string("/events", "stage_labels"),
            "contacted,engaged,groomed,offered,recruited,exploited,declined,blocked_or_reported,intervened,"
            "removed_by_platform,rescued,escaped");
  EXPECT_EQ(f.attribute_string("/events", "route_labels"), "hunting,fishing,trusted_contact");
  EXPECT_EQ(f.attribute_string("/events", "platform_labels"),
            "offline,facebook,whatsapp,instagram,tiktok,discord_games,telegram,classroom_video");
  // Group attributes: /interventions `types`; /metadata as documented.
  EXPECT_EQ(f.attribute_string("/interventions", "types"), "");
  for (const char* a :
       {"redes_version", "git_commit", "scenario_file", "scenario_text", "seed", "replicates", "threads", "start_date",
        "days", "agents", "recruiters_initial", "started_at", "finished_at", "kind"})
    EXPECT_NO_THROW(f.attribute_string("/metadata", a)) << a;
  EXPECT_EQ(f.attribute_string("/metadata", "kind"), "run");
  EXPECT_EQ(f.attribute_string("/metadata", "seed"), "3");
  EXPECT_EQ(f.attribute_string("/metadata", "replicates"), "2");
  EXPECT_EQ(f.attribute_string("/metadata", "days"), std::to_string(sc.days));
  EXPECT_EQ(f.attribute_string("/metadata", "start_date"), sc.start_date);
  EXPECT_EQ(f.attribute_string("/metadata", "agents"), std::to_string(sc.population.size));
  EXPECT_EQ(f.attribute_string("/metadata", "recruiters_initial"),
            std::to_string(std::llround(sc.recruiters.per_100k * double(sc.population.size) / 1e5)));
  EXPECT_NE(f.attribute_string("/metadata", "scenario_text").find("Workshop small Paraguay"), std::string::npos);

  // Contents agree across datasets: victims = persons entering `recruited` (transitions), per
  // replicate; victims by year sum to victims; true victims by year = victims by year.
  const auto victims = f.read_int("/summary/victims");
  const auto transitions = f.read_int("/trajectories/transitions");
  const auto by_year = f.read_int("/summary/victims_by_year");
  const auto true_by_year = f.read_int("/observed/true_victims");
  EXPECT_EQ(by_year, true_by_year);
  for (std::size_t rep = 0; rep < R; ++rep) {
    std::int64_t recruited = 0, yearly = 0;
    for (std::size_t d = 0; d < D; ++d)
      for (int rt = 0; rt < kRoutes; ++rt)
        recruited += transitions[((rep * D + d) * kTransitions + int(Stage::Recruited)) * kRoutes + rt];
    for (std::size_t y = 0; y < Y; ++y) yearly += by_year[rep * Y + y];
    EXPECT_EQ(victims[rep], recruited) << "replicate " << rep;
    EXPECT_EQ(victims[rep], yearly) << "replicate " << rep;
    EXPECT_GT(victims[rep], 0);
  }

  // `inspect` prints the headline, flagged as model estimates.
  Result ins = redes("inspect " + quote(file.string()));
  ASSERT_EQ(ins.code, 0) << ins.err;
  EXPECT_NE(ins.out.find("MODEL ESTIMATES"), std::string::npos) << ins.out;
  EXPECT_NE(ins.out.find("victims"), std::string::npos) << ins.out;
  EXPECT_NE(ins.out.find("run file"), std::string::npos) << ins.out;
}

// 9. A misspelt key: exit code 2, stderr names file:line:column and the key, nothing written.
TEST_F(CliTest, BadScenarioFailsWithPositionAndNoOutput) {
  const fs::path bad = dir_ / "bad.yaml";
  {
    std::ofstream out(bad);
    out << "include: " << scenario("workshop/small.yaml") << "\n"
        << "name: misspelt\n"
        << "recruitment:\n"
        << "  fishing:\n"
        << "    ad_rat: 0.3\n";
  }
  const fs::path out_dir = dir_ / "out";
  const fs::path file = out_dir / "bad.h5";
  Result r = redes("run " + quote(bad.string()) + " -o " + quote(file.string()) + " --replicates 1");
  EXPECT_EQ(r.code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find(bad.string() + ":5:5"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("ad_rat"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("ad_rate"), std::string::npos) << "should suggest the valid key: " << r.err;
  EXPECT_FALSE(fs::exists(file));
  if (fs::exists(out_dir))
    for (const auto& e : fs::directory_iterator(out_dir)) ADD_FAILURE() << "left behind: " << e.path();
  for (const auto& e : fs::directory_iterator(dir_))
    EXPECT_EQ(e.path().filename().string().find("bad.h5"), std::string::npos) << "left behind: " << e.path();

  Result v = redes("validate " + quote(bad.string()));
  EXPECT_EQ(v.code, 2);
  EXPECT_TRUE(std::regex_search(v.err, std::regex("bad\\.yaml:[0-9]+:[0-9]+"))) << v.err;
}

// Damaged HDF5 files: `inspect` says what is wrong and exits 3, never crashes. The fuzzer's
// findings (forged files that crashed libhdf5 inside H5Literate and H5HG_read) are replayed; then
// every v2 B-tree leaf of a real run file is damaged in turn (checksum no longer matches), which
// crashed `inspect` when the leaf indexed /summary. MALLOC_PERTURB_ makes that crash certain.
TEST_F(CliTest, InspectRefusesDamagedFilesWithoutCrashing) {
  const std::string finding = std::string(REDES_SOURCE_DIR) + "/tests/fuzz/regressions/fuzz_h5/h5-literate-crash";
  Result f = redes("inspect " + quote(finding));
  EXPECT_EQ(f.code, 3) << f.out << f.err;
  EXPECT_NE(f.err.find("not a file written by redes"), std::string::npos) << f.err;
  // A second finding: a run file whose label strings name a global heap object that is not there
  // (libhdf5 1.10 followed a wild pointer in H5HG_read; SIGSEGV before the check).
  const std::string heap = std::string(REDES_SOURCE_DIR) + "/tests/fuzz/regressions/fuzz_h5/h5hg-read-crash";
  Result h = redes("inspect " + quote(heap));
  EXPECT_EQ(h.code, 3) << h.out << h.err;
  EXPECT_NE(h.err.find("variable-length string attribute"), std::string::npos) << h.err;
  // A third: a forged heap reference in the attribute /metadata@kind kept libhdf5 inside H5HG_read
  // for over 100 s. Variable-length attributes are refused before libhdf5 reads them.
  const std::string loop = std::string(REDES_SOURCE_DIR) + "/tests/fuzz/regressions/fuzz_h5/h5-attribute-heap-loop";
  Result l = sh("timeout 20 " + quote(REDES_BINARY) + " inspect " + quote(loop));
  EXPECT_EQ(l.code, 3) << l.out << l.err;
  EXPECT_NE(l.err.find("variable-length string attribute"), std::string::npos) << l.err;
  // A fourth: a forged free-space record in a global heap hid, from a check that stopped at free
  // space, a later record of the same index that overran its collection (libhdf5 reads on and
  // copies it: a heap-buffer-overflow in H5HG_read). The check now walks the heap as libhdf5 does.
  const std::string hidden =
      std::string(REDES_SOURCE_DIR) + "/tests/fuzz/regressions/fuzz_h5/h5hg-free-space-hides-record";
  Result d = redes("inspect " + quote(hidden));
  EXPECT_EQ(d.code, 3) << d.out << d.err;
  EXPECT_NE(d.err.find("damaged variable-length data"), std::string::npos) << d.err;

  const fs::path run = dir_ / "run.h5";
  Result r = redes("run " + quote(std::string(REDES_SOURCE_DIR) + "/tests/data/sweep_tiny_scenario.yaml") +
                   " --replicates 1 --threads 1 -o " + quote(run.string()));
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string bytes = slurp(run);
  int leaves = 0, summary_refused = 0;
  for (std::size_t at = bytes.find("BTLF"); at != std::string::npos; at = bytes.find("BTLF", at + 1), ++leaves) {
    std::string damaged = bytes;
    damaged[at + 6] = static_cast<char>(damaged[at + 6] ^ 0xff);  // first record, after signature, version, type
    const fs::path bad = dir_ / "damaged.h5";
    { std::ofstream(bad, std::ios::binary) << damaged; }
    Result i = sh("MALLOC_PERTURB_=165 " + quote(REDES_BINARY) + " inspect " + quote(bad.string()));
    EXPECT_TRUE(i.code == 0 || i.code == 3) << "leaf at byte " << at << ": exit " << i.code << " " << i.err;
    if (i.code == 3) {
      EXPECT_NE(i.err.find(bad.string() + ": "), std::string::npos) << i.err;
    }
    if (i.err.find("cannot list group '/summary'") != std::string::npos) ++summary_refused;
  }
  EXPECT_GE(leaves, 3);
  EXPECT_EQ(summary_refused, 1);
}

// 9. `validate` accepts every bundled scenario.
TEST_F(CliTest, ValidateAcceptsBundledScenarios) {
  for (const char* rel :
       {"workshop/small.yaml", "paraguay/baseline.yaml", "paraguay/sample.yaml", "paraguay/pandemic-2020.yaml"}) {
    Result r = redes("validate " + quote(scenario(rel)));
    EXPECT_EQ(r.code, 0) << rel << ": " << r.err;
    EXPECT_NE(r.out.find("valid scenario"), std::string::npos) << r.out;
  }
}

/// The raw records of a compound table (native layout), read with the HDF5 C API.
std::vector<unsigned char> table_bytes(const fs::path& file, const std::string& path, std::size_t& records) {
  std::vector<unsigned char> bytes;
  records = 0;
  const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) return bytes;
  const hid_t ds = H5Dopen2(f, path.c_str(), H5P_DEFAULT);
  if (ds >= 0) {
    const hid_t ftype = H5Dget_type(ds);
    const hid_t mtype = H5Tget_native_type(ftype, H5T_DIR_ASCEND);
    const hid_t space = H5Dget_space(ds);
    records = std::size_t(H5Sget_simple_extent_npoints(space));
    bytes.assign(records * H5Tget_size(mtype), 0);
    if (!bytes.empty() && H5Dread(ds, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data()) < 0) bytes.clear();
    H5Sclose(space);
    H5Tclose(mtype);
    H5Tclose(ftype);
    H5Dclose(ds);
  }
  H5Fclose(f);
  return bytes;
}

// 8. The same run with 1, 2 and 4 threads writes identical datasets (h5diff over the whole file
// except /metadata, whose threads/started_at/finished_at/speed legitimately differ). h5diff exits
// 0 when no differences are found, 1 when some are; but it also exits 0 when it finds objects
// "not comparable" (e.g. tables of different lengths), so its -c listing is checked too: only the
// empty intervention datasets (no interventions in the scenario) and the dimension-scale reference
// attributes may be not comparable. The event tables are also compared record by record. A run
// with another seed must differ, so the comparison is not vacuous.
TEST_F(CliTest, DeterminismRunFilesIdenticalForAnyThreadCount) {
  if (std::system("h5diff --version >/dev/null 2>&1") != 0) GTEST_SKIP() << "h5diff (hdf5-tools) not installed";
  auto run = [&](int threads, int seed) {
    const fs::path file = dir_ / ("t" + std::to_string(threads) + "-s" + std::to_string(seed) + ".h5");
    Result r = redes("run " + quote(scenario("workshop/small.yaml")) + " -o " + quote(file.string()) +
                     " --replicates 3 --threads " + std::to_string(threads) + " --seed " + std::to_string(seed));
    EXPECT_EQ(r.code, 0) << r.err;
    return file;
  };
  const std::regex allowed_not_comparable(
      "Not comparable: <(DIMENSION_LIST|REFERENCE_LIST) of .*|"
      "Not comparable: </(interventions/reach|interventions/cost|labels/intervention|interventions/intervention)> or "
      ".*");
  auto not_comparable = [&](const std::string& listing) {
    std::vector<std::string> bad;
    std::istringstream in(listing);
    for (std::string line; std::getline(in, line);)
      if (line.rfind("Not comparable", 0) == 0 && !std::regex_match(line, allowed_not_comparable)) bad.push_back(line);
    return bad;
  };
  const fs::path one = run(1, 7);
  std::size_t n_one = 0;
  const auto events_one = table_bytes(one, "/events", n_one);
  ASSERT_GT(n_one, 1000u);
  for (int threads : {2, 4}) {
    SCOPED_TRACE(std::to_string(threads) + " threads vs 1");
    const fs::path other = run(threads, 7);
    Result d = sh("h5diff -c --exclude-path /metadata " + quote(one.string()) + " " + quote(other.string()));
    EXPECT_EQ(d.code, 0) << d.out << d.err;
    EXPECT_EQ(not_comparable(d.out), std::vector<std::string>{}) << d.out;
    std::size_t n = 0;
    EXPECT_EQ(table_bytes(other, "/events", n), events_one);
    EXPECT_EQ(n, n_one);
  }
  const fs::path seed8 = run(2, 8);
  Result d = sh("h5diff -c --exclude-path /metadata " + quote(one.string()) + " " + quote(seed8.string()));
  EXPECT_EQ(d.code, 1) << "runs with different seeds should differ:\n" << d.out << d.err;
  EXPECT_NE(d.out.find("/trajectories/stock"), std::string::npos) << d.out;
  std::size_t n8 = 0;
  EXPECT_NE(table_bytes(seed8, "/events", n8), events_one);
}

// 10. `run` and `compare` with --population (a file from `redes population -o`) write the same datasets
// as building the world (h5diff as in 8, and the event tables record by record); a file built for
// another population size, network degree or seed is refused with exit code 3, naming the file and the
// key, and nothing is written.
TEST_F(CliTest, PopulationFileGivesIdenticalRunsAndRefusesAnotherScenario) {
  if (std::system("h5diff --version >/dev/null 2>&1") != 0) GTEST_SKIP() << "h5diff (hdf5-tools) not installed";
  const std::string small = quote(scenario("workshop/small.yaml"));
  const fs::path pop = dir_ / "pop.h5";
  Result p = redes("population " + small + " --seed 7 -o " + quote(pop.string()));
  ASSERT_EQ(p.code, 0) << p.err;
  const std::regex allowed_not_comparable(
      "Not comparable: <(DIMENSION_LIST|REFERENCE_LIST) of .*|"
      "Not comparable: </(interventions/reach|interventions/cost|labels/intervention|interventions/intervention)> or "
      ".*|"
      "Not comparable: "
      "</(arms/baseline/interventions/(reach|cost|interventions_in_baseline)|labels/interventions_in_baseline)> or .*");
  auto identical = [&](const fs::path& a, const fs::path& b) {
    Result d = sh("h5diff -c --exclude-path /metadata " + quote(a.string()) + " " + quote(b.string()));
    EXPECT_EQ(d.code, 0) << d.out << d.err;
    std::istringstream in(d.out);
    for (std::string line; std::getline(in, line);)
      if (line.rfind("Not comparable", 0) == 0 && !std::regex_match(line, allowed_not_comparable))
        ADD_FAILURE() << line;
  };
  const std::string run_args = " --replicates 2 --threads 2 --seed 7 -o ";
  const fs::path built = dir_ / "built.h5", loaded = dir_ / "loaded.h5";
  Result a = redes("run " + small + run_args + quote(built.string()));
  ASSERT_EQ(a.code, 0) << a.err;
  Result b = redes("run " + small + " --population " + quote(pop.string()) + run_args + quote(loaded.string()));
  ASSERT_EQ(b.code, 0) << b.err;
  EXPECT_NE(b.err.find("loading population"), std::string::npos) << b.err;
  identical(built, loaded);
  std::size_t n_built = 0, n_loaded = 0;
  EXPECT_EQ(table_bytes(built, "/events", n_built), table_bytes(loaded, "/events", n_loaded));
  EXPECT_GT(n_built, 100u);
  EXPECT_EQ(n_built, n_loaded);

  const std::string arms = small + " " + quote(scenario("workshop/literacy.yaml"));
  const fs::path cb = dir_ / "compare-built.h5", cl = dir_ / "compare-loaded.h5";
  const std::string compare_args = " --replicates 1 --threads 2 --seed 7 -o ";
  Result c1 = redes("compare " + arms + compare_args + quote(cb.string()));
  ASSERT_EQ(c1.code, 0) << c1.err;
  Result c2 = redes("compare " + arms + " --population " + quote(pop.string()) + compare_args + quote(cl.string()));
  ASSERT_EQ(c2.code, 0) << c2.err;
  identical(cb, cl);

  auto refused = [&](const std::string& override_line, const std::string& args, const std::string& expected) {
    SCOPED_TRACE(override_line + args);
    const fs::path other = dir_ / "other.yaml", out = dir_ / "refused.h5";
    {
      std::ofstream o(other);
      o << "include: " << scenario("workshop/small.yaml") << "\nname: other\n";
      if (!override_line.empty()) o << "override:\n  " << override_line << "\n";
    }
    Result r = redes("run " + quote(other.string()) + " --population " + quote(pop.string()) + " --replicates 1 " +
                     args + " -o " + quote(out.string()));
    EXPECT_EQ(r.code, 3) << r.out << r.err;
    EXPECT_NE(r.err.find(pop.string()), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(expected), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out));
    for (const auto& e : fs::directory_iterator(dir_))
      EXPECT_EQ(e.path().filename().string().find("refused.h5"), std::string::npos) << "left behind: " << e.path();
  };
  refused("population.size: 20002", "--seed 7", "population.size is 20000 in the file but 20002");
  refused("network.neighbourhood.degree: 8", "--seed 7", "network.neighbourhood.degree is 6 in the file but 8");
  refused("", "--seed 8", "seed differs");
  // The population file is an input: an output over it is refused and the file kept.
  const auto pop_bytes = slurp(pop);
  Result over = redes("run " + small + " --population " + quote(pop.string()) + " --seed 7 -o " + quote(pop.string()));
  EXPECT_EQ(over.code, 3) << over.err;
  EXPECT_NE(over.err.find("would destroy the input"), std::string::npos) << over.err;
  EXPECT_EQ(slurp(pop), pop_bytes);
}

}  // namespace
}  // namespace redes
