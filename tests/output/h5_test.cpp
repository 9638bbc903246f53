// Tests for io/h5: labelled arrays round-trip, shared scales, slices, tables, attributes, and the
// write-to-temporary-then-rename protocol.
#include "sim/output/h5.hpp"

#include <gtest/gtest.h>
#include <hdf5_hl.h>
#include <malloc.h>
#include <unistd.h>

#include <cmath>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "tests/support/temp_dir.hpp"

namespace redes::h5 {
namespace {

namespace fs = std::filesystem;

class H5Test : public ::testing::Test {
 protected:
  fs::path file(const std::string& name = "out.h5") const { return dir_ / name; }
  std::vector<std::string> listing() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_)) names.push_back(e.path().filename().string());
    return names;
  }

  const redes::testing::TempDir tmp_{"redes-h5"};
  const fs::path& dir_ = tmp_.path;
};

Axis categorical(std::string name, std::vector<std::string> labels) {
  return Axis{std::move(name), std::move(labels), {}};
}
Axis numeric(std::string name, std::vector<std::int64_t> values) {
  return Axis{std::move(name), {}, std::move(values)};
}
Axis plain(std::string name, std::size_t extent) {
  Axis a{std::move(name), {}, {}};
  a.extent = extent;
  return a;
}

const std::vector<std::string> kRoutes = {"hunting", "fishing", "trusted_contact"};

// Message of the IoError thrown by f (fails the test if none is thrown).
template <class F>
std::string io_error(F&& f) {
  try {
    f();
  } catch (const IoError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected IoError";
  return "";
}

TEST_F(H5Test, Int32ArrayRoundTripsWithLabelsScalesAndUnit) {
  const std::vector<std::int32_t> data = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, -12};
  {
    Writer w(file());
    w.array("/trajectories/transitions", {numeric("day", {0, 1, 2, 3}), categorical("route", kRoutes)},
            std::span<const std::int32_t>(data), "persons/day");
    w.commit();
  }
  Reader r(file());
  EXPECT_EQ(r.shape("/trajectories/transitions"), (std::vector<std::size_t>{4, 3}));
  EXPECT_EQ(r.dim_labels("/trajectories/transitions"), (std::vector<std::string>{"day", "route"}));
  EXPECT_EQ(r.scale_labels("/trajectories/transitions", 1), kRoutes);
  EXPECT_EQ(r.scale_labels("/trajectories/transitions", 0), (std::vector<std::string>{"0", "1", "2", "3"}));
  EXPECT_EQ(r.read_int("/trajectories/transitions"), std::vector<std::int64_t>(data.begin(), data.end()));
  EXPECT_EQ(r.attribute_string("/trajectories/transitions", "unit"), "persons/day");
  EXPECT_EQ(r.read_int("/labels/day"), (std::vector<std::int64_t>{0, 1, 2, 3}));
  EXPECT_EQ(r.children("/labels"), (std::vector<std::string>{"day", "route"}));
}

TEST_F(H5Test, Int64ArrayRoundTrips) {
  const std::vector<std::int64_t> data = {std::int64_t{1} << 40, -7, 0, 42};
  {
    Writer w(file());
    w.array("/x", {numeric("year", {2019, 2020, 2021, 2022})}, std::span<const std::int64_t>(data));
    w.commit();
  }
  Reader r(file());
  EXPECT_EQ(r.read_int("/x"), data);
  EXPECT_EQ(r.scale_labels("/x", 0), (std::vector<std::string>{"2019", "2020", "2021", "2022"}));
  EXPECT_FALSE(r.exists("/x/unit"));
}

TEST_F(H5Test, DoubleArrayRoundTripsAndConvertsBothWays) {
  const std::vector<double> data = {0.5, -1.25, 3.0, std::nan(""), 1e300, 2.75};
  const std::vector<std::int32_t> ints = {7, -3};
  {
    Writer w(file());
    w.array("/compare/cost", {categorical("gender", {"female", "male"}), plain("k", 3)}, std::span<const double>(data),
            "USD");
    w.array("/ints", {categorical("gender", {"female", "male"})}, std::span<const std::int32_t>(ints));
    w.commit();
  }
  Reader r(file());
  const std::vector<double> got = r.read_double("/compare/cost");
  ASSERT_EQ(got.size(), data.size());
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (std::isnan(data[i]))
      EXPECT_TRUE(std::isnan(got[i]));
    else
      EXPECT_EQ(got[i], data[i]);
  }
  EXPECT_EQ(r.read_double("/ints"), (std::vector<double>{7.0, -3.0}));
  EXPECT_EQ(r.read_int("/compare/cost")[1], -1);  // HDF5 converts toward zero
  EXPECT_EQ(r.dim_labels("/compare/cost"), (std::vector<std::string>{"gender", "k"}));
  // An axis with neither labels nor values gets a dimension label but no scale.
  EXPECT_TRUE(r.scale_labels("/compare/cost", 1).empty());
  EXPECT_FALSE(r.exists("/labels/k"));
  EXPECT_EQ(r.attribute_string("/compare/cost", "unit"), "USD");
}

TEST_F(H5Test, ArraysAreChunkedShuffledAndDeflated) {
  // 2 x 1000 x 300 int32 = 2.4 MB: chunks must stay under 1 MiB.
  std::vector<std::int32_t> data(2 * 1000 * 300);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::int32_t>(i % 97);
  {
    Writer w(file());
    w.array("/big", {plain("replicate", 2), plain("day", 1000), plain("cell", 300)},
            std::span<const std::int32_t>(data));
    w.commit();
  }
  hid_t f = H5Fopen(file().c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(f, 0);
  hid_t ds = H5Dopen2(f, "/big", H5P_DEFAULT);
  hid_t dcpl = H5Dget_create_plist(ds);
  EXPECT_EQ(H5Pget_layout(dcpl), H5D_CHUNKED);
  hsize_t chunk[3] = {0, 0, 0};
  ASSERT_EQ(H5Pget_chunk(dcpl, 3, chunk), 3);
  EXPECT_EQ(chunk[0], 1u);
  EXPECT_GE(chunk[1], 1u);
  EXPECT_LE(chunk[0] * chunk[1] * chunk[2] * 4, hsize_t{1} << 20);
  ASSERT_EQ(H5Pget_nfilters(dcpl), 2);
  unsigned flags = 0, level = 0;
  std::size_t nvalues = 1;
  EXPECT_EQ(H5Pget_filter2(dcpl, 0, &flags, nullptr, nullptr, 0, nullptr, nullptr), H5Z_FILTER_SHUFFLE);
  EXPECT_EQ(H5Pget_filter2(dcpl, 1, &flags, &nvalues, &level, 0, nullptr, nullptr), H5Z_FILTER_DEFLATE);
  EXPECT_EQ(level, 4u);
  EXPECT_LT(H5Dget_storage_size(ds), data.size() * 4 / 4);  // compresses well
  H5Pclose(dcpl);
  H5Dclose(ds);
  H5Fclose(f);
  Reader r(file());
  const std::vector<std::int64_t> got = r.read_int("/big");
  ASSERT_EQ(got.size(), data.size());
  EXPECT_EQ(got[123456], 123456 % 97);
  EXPECT_EQ(got.back(), static_cast<std::int64_t>((data.size() - 1) % 97));
}

// One-dimensional arrays are read with their chunks inflated in parallel (read_chunks_in_parallel):
// every type the population file uses, several chunks and a partial last one, compressible and
// incompressible data (where deflate gives up and HDF5 stores the chunk unfiltered).
template <class T>
std::vector<T> pattern(std::size_t n, bool noisy) {
  std::vector<T> v(n);
  std::uint64_t x = 88172645463325252ull;
  for (std::size_t i = 0; i < n; ++i) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;  // xorshift: bytes that do not compress
    v[i] = noisy ? static_cast<T>(x % 1000003) : static_cast<T>(i % 251);
  }
  return v;
}

template <class T>
void expect_round_trip(const fs::path& path, std::size_t n, bool noisy) {
  const std::vector<T> data = pattern<T>(n, noisy);
  {
    Writer w(path);
    w.array("/v", {plain("person", n)}, std::span<const T>(data));
    w.commit();
  }
  EXPECT_EQ(Reader(path).read_as<T>("/v"), data) << sizeof(T) << "-byte values, noisy " << noisy;
}

TEST_F(H5Test, OneDimensionalArraysReadInParallelEqualWhatWasWritten) {
  const std::size_t n = 3 * (std::size_t{1} << 18) + 17;  // four chunks of 4-byte values, the last partial
  for (bool noisy : {false, true}) {
    expect_round_trip<std::uint8_t>(file(), n, noisy);
    expect_round_trip<std::uint16_t>(file(), n, noisy);
    expect_round_trip<std::uint32_t>(file(), n, noisy);
    expect_round_trip<std::int32_t>(file(), n, noisy);
    expect_round_trip<float>(file(), n, noisy);
  }
  expect_round_trip<std::uint32_t>(file(), 5, false);  // one partial chunk
}

// The message comes from the parallel reader (libhdf5's own would say its filter failed), so this
// also shows that it, not libhdf5's loop, reads these arrays: 1-byte values (inflated in place) and
// 4-byte ones (unshuffled).
template <class T>
void expect_damaged_chunk_refused(const fs::path& path) {
  const std::size_t n = std::size_t{1} << 21;
  const std::vector<T> data = pattern<T>(n, false);
  {
    Writer w(path);
    w.array("/v", {plain("person", n)}, std::span<const T>(data));
    w.commit();
  }
  hsize_t offset = 0, size = 0;
  haddr_t addr = 0;
  unsigned mask = 0;
  {
    hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t ds = H5Dopen2(f, "/v", H5P_DEFAULT);
    hid_t space = H5Dget_space(ds);
    ASSERT_GE(H5Dget_chunk_info(ds, space, 1, &offset, &mask, &addr, &size), 0);
    H5Sclose(space);
    H5Dclose(ds);
    H5Fclose(f);
  }
  ASSERT_EQ(mask, 0u);
  ASSERT_GT(size, 64u);
  std::fstream io(path, std::ios::in | std::ios::out | std::ios::binary);
  io.seekp(std::streamoff(addr + size / 2));
  const char junk[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  io.write(junk, sizeof junk);
  io.close();
  const std::string e = io_error([&] { (void)Reader(path).read_as<T>("/v"); });
  EXPECT_NE(e.find("'/v'"), std::string::npos) << e;
  EXPECT_NE(e.find("damaged chunk"), std::string::npos) << e;
}

TEST_F(H5Test, DamagedChunkIsAnIoErrorNamingTheDataset) {
  expect_damaged_chunk_refused<std::uint8_t>(file("a.h5"));
  expect_damaged_chunk_refused<std::uint32_t>(file("b.h5"));
}

TEST_F(H5Test, SharedAxisIsStoredOnceAndAttachedToEveryDataset) {
  const std::vector<std::int32_t> a = {1, 2, 3}, b = {4, 5, 6, 7, 8, 9};
  {
    Writer w(file());
    w.array("/summary/victims_by_route", {categorical("route", kRoutes)}, std::span<const std::int32_t>(a));
    w.array("/arms/x/by_route", {numeric("replicate", {0, 1}), categorical("route", kRoutes)},
            std::span<const std::int32_t>(b));
    w.commit();
  }
  Reader r(file());
  EXPECT_EQ(r.children("/labels"), (std::vector<std::string>{"replicate", "route"}));
  EXPECT_EQ(r.scale_labels("/summary/victims_by_route", 0), kRoutes);
  EXPECT_EQ(r.scale_labels("/arms/x/by_route", 1), kRoutes);
  EXPECT_EQ(r.scale_labels("/arms/x/by_route", 0), (std::vector<std::string>{"0", "1"}));
  EXPECT_EQ(r.read_int("/arms/x/by_route"), (std::vector<std::int64_t>{4, 5, 6, 7, 8, 9}));
}

TEST_F(H5Test, RedefiningAnAxisThrows) {
  Writer w(file());
  const std::vector<std::int32_t> three = {1, 2, 3}, two = {1, 2};
  w.array("/a", {numeric("day", {0, 1, 2})}, std::span<const std::int32_t>(three));
  w.array("/same", {numeric("day", {0, 1, 2})}, std::span<const std::int32_t>(three));  // reuse is fine

  std::string msg = io_error([&] { w.array("/b", {numeric("day", {0, 1, 5})}, std::span<const std::int32_t>(three)); });
  EXPECT_NE(msg.find("axis 'day' redefined with different labels"), std::string::npos) << msg;
  msg = io_error([&] { w.array("/c", {numeric("day", {0, 1})}, std::span<const std::int32_t>(two)); });
  EXPECT_NE(msg.find("axis 'day' redefined with different labels"), std::string::npos) << msg;

  w.array("/d", {categorical("route", kRoutes)}, std::span<const std::int32_t>(three));
  msg = io_error([&] {
    w.array("/e", {categorical("route", {"hunting", "trusted_contact", "fishing"})},
            std::span<const std::int32_t>(three));
  });
  EXPECT_NE(msg.find("axis 'route' redefined with different labels"), std::string::npos) << msg;
  // Strings where numbers were stored is also a redefinition.
  msg = io_error([&] { w.array("/f", {categorical("day", {"0", "1", "2"})}, std::span<const std::int32_t>(three)); });
  EXPECT_NE(msg.find("axis 'day' redefined"), std::string::npos) << msg;
  w.commit();

  Reader r(file());
  EXPECT_TRUE(r.exists("/a"));
  EXPECT_FALSE(r.exists("/b"));  // the check happens before the dataset is created
  EXPECT_FALSE(r.exists("/e"));
}

TEST_F(H5Test, SlicesStreamReplicatesIntoPlace) {
  {
    Writer w(file());
    w.create_array_int32("/trajectories/recruiters_active",
                         {numeric("replicate", {0, 1, 2}), numeric("day", {0, 1, 2, 3})}, "recruiters");
    const std::vector<std::int32_t> r2 = {20, 21, 22, 23}, r0 = {0, 1, 2, 3};
    w.write_slice("/trajectories/recruiters_active", 2, std::span<const std::int32_t>(r2));
    w.write_slice("/trajectories/recruiters_active", 0, std::span<const std::int32_t>(r0));

    w.create_array_double("/observed/hidden_ratio", {numeric("replicate", {0, 1, 2})});
    const std::vector<double> one = {2.5};
    w.write_slice("/observed/hidden_ratio", 1, std::span<const double>(one));

    const std::vector<std::int32_t> wrong = {1, 2, 3};
    std::string msg =
        io_error([&] { w.write_slice("/trajectories/recruiters_active", 1, std::span<const std::int32_t>(wrong)); });
    EXPECT_NE(msg.find("/trajectories/recruiters_active"), std::string::npos) << msg;
    msg = io_error([&] { w.write_slice("/trajectories/recruiters_active", 3, std::span<const std::int32_t>(r0)); });
    EXPECT_NE(msg.find("out of range"), std::string::npos) << msg;
    msg = io_error([&] { w.write_slice("/nope", 0, std::span<const std::int32_t>(r0)); });
    EXPECT_NE(msg.find("'/nope'"), std::string::npos) << msg;
    w.commit();
  }
  Reader r(file());
  EXPECT_EQ(r.read_int("/trajectories/recruiters_active"),
            (std::vector<std::int64_t>{0, 1, 2, 3, 0, 0, 0, 0, 20, 21, 22, 23}));
  // Unwritten cells of a real-valued array read as NaN (never a plausible 0); integer ones as 0.
  const auto ratio = r.read_double("/observed/hidden_ratio");
  ASSERT_EQ(ratio.size(), 3u);
  EXPECT_TRUE(std::isnan(ratio[0]) && std::isnan(ratio[2]));
  EXPECT_EQ(ratio[1], 2.5);
  EXPECT_EQ(r.dim_labels("/trajectories/recruiters_active"), (std::vector<std::string>{"replicate", "day"}));
  EXPECT_EQ(r.attribute_string("/trajectories/recruiters_active", "unit"), "recruiters");
}

TEST_F(H5Test, DataSizeMustMatchAxes) {
  Writer w(file());
  const std::vector<std::int32_t> data = {1, 2};
  const std::string msg =
      io_error([&] { w.array("/x", {categorical("route", kRoutes)}, std::span<const std::int32_t>(data)); });
  EXPECT_NE(msg.find("'/x'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("2 values"), std::string::npos) << msg;
  EXPECT_NE(msg.find(file().string()), std::string::npos) << msg;
}

struct Event {
  std::uint16_t replicate;
  std::int32_t day;
  std::uint32_t person;
  std::uint32_t recruiter;
  std::uint8_t from, to, route, platform;
};

std::vector<Writer::Field> event_fields() {
  return {{"replicate", offsetof(Event, replicate), H5T_NATIVE_UINT16},
          {"day", offsetof(Event, day), H5T_NATIVE_INT32},
          {"person", offsetof(Event, person), H5T_NATIVE_UINT32},
          {"recruiter", offsetof(Event, recruiter), H5T_NATIVE_UINT32},
          {"from", offsetof(Event, from), H5T_NATIVE_UINT8},
          {"to", offsetof(Event, to), H5T_NATIVE_UINT8},
          {"route", offsetof(Event, route), H5T_NATIVE_UINT8},
          {"platform", offsetof(Event, platform), H5T_NATIVE_UINT8}};
}

// Reads the whole /events table back through the C API with the same compound layout.
std::vector<Event> read_events(const fs::path& path) {
  hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  hid_t ds = H5Dopen2(f, "/events", H5P_DEFAULT);
  hid_t mem = H5Tcreate(H5T_COMPOUND, sizeof(Event));
  for (const auto& fld : event_fields()) H5Tinsert(mem, fld.name.c_str(), fld.offset, fld.type);
  hid_t space = H5Dget_space(ds);
  std::vector<Event> out(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
  if (!out.empty()) {
    EXPECT_GE(H5Dread(ds, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), 0);
  }
  H5Sclose(space);
  H5Tclose(mem);
  H5Dclose(ds);
  H5Fclose(f);
  return out;
}

TEST_F(H5Test, TableAppendsAccumulate) {
  {
    Writer w(file());
    w.create_table("/events", sizeof(Event), event_fields());
    w.attribute("/events", "route_labels", std::string_view("hunting,fishing,trusted_contact"));
    const std::vector<Event> first = {
        {0, 1, 10, 100, 255, 0, 1, 2}, {0, 2, 11, 100, 0, 1, 1, 2}, {1, 3, 12, 101, 1, 6, 0, 7}};
    const std::vector<Event> second = {{1, 4, 13, 102, 255, 0, 2, 0}, {65535, -1, 4000000000u, 0, 3, 4, 2, 1}};
    w.append_table("/events", first.data(), first.size());
    w.append_table("/events", nullptr, 0);
    w.append_table("/events", second.data(), second.size());
    w.commit();
  }
  Reader r(file());
  EXPECT_EQ(r.shape("/events"), std::vector<std::size_t>{5});
  EXPECT_EQ(r.attribute_string("/events", "route_labels"), "hunting,fishing,trusted_contact");
  const std::vector<Event> got = read_events(file());
  ASSERT_EQ(got.size(), 5u);
  EXPECT_EQ(got[0].from, 255);
  EXPECT_EQ(got[0].person, 10u);
  EXPECT_EQ(got[2].to, 6);
  EXPECT_EQ(got[2].platform, 7);
  EXPECT_EQ(got[3].day, 4);
  EXPECT_EQ(got[4].replicate, 65535);
  EXPECT_EQ(got[4].day, -1);
  EXPECT_EQ(got[4].person, 4000000000u);
  EXPECT_EQ(got[4].route, 2);
}

TEST_F(H5Test, EmptyTableAndEmptyArrays) {
  {
    Writer w(file());
    w.create_table("/events", sizeof(Event), event_fields());
    w.append_table("/events", nullptr, 0);
    const std::vector<std::int32_t> none;
    w.array("/interventions/reach",
            {numeric("replicate", {0, 1}), numeric("day", {0, 1, 2}), categorical("intervention", {})},
            std::span<const std::int32_t>(none));
    w.create_array_double("/interventions/cost",
                          {numeric("replicate", {0, 1}), numeric("day", {0, 1, 2}), categorical("intervention", {})},
                          "USD");
    const std::vector<double> empty_row;
    w.write_slice("/interventions/cost", 1, std::span<const double>(empty_row));
    w.create_array_int32("/empty_first", {plain("run", 0), plain("k", 4)});
    w.commit();
  }
  Reader r(file());
  EXPECT_EQ(r.shape("/events"), std::vector<std::size_t>{0});
  EXPECT_TRUE(read_events(file()).empty());
  EXPECT_EQ(r.shape("/interventions/reach"), (std::vector<std::size_t>{2, 3, 0}));
  EXPECT_TRUE(r.read_int("/interventions/reach").empty());
  EXPECT_TRUE(r.read_double("/interventions/cost").empty());
  EXPECT_EQ(r.dim_labels("/interventions/cost"), (std::vector<std::string>{"replicate", "day", "intervention"}));
  // An empty axis still has an (empty) scale, so readers can look its labels up.
  EXPECT_TRUE(r.exists("/labels/intervention"));
  EXPECT_TRUE(r.scale_labels("/interventions/reach", 2).empty());
  EXPECT_EQ(r.shape("/labels/intervention"), std::vector<std::size_t>{0});
  EXPECT_EQ(r.shape("/empty_first"), (std::vector<std::size_t>{0, 4}));
  EXPECT_EQ(r.attribute_string("/interventions/cost", "unit"), "USD");
}

TEST_F(H5Test, AttributesOfEveryTypeAndOverwrite) {
  {
    Writer w(file());
    w.group("/metadata");
    w.attribute("/metadata", "scenario_file", std::string_view("scenarios/asunción.yaml"));
    w.attribute("/metadata", "scenario_file", std::string_view("scenarios/base.yaml"));  // overwrite
    w.attribute("/metadata", "seed", std::int64_t{-42});
    w.attribute("/metadata", "share", 0.125);
    w.attribute("/metadata", "kind", std::string_view("first"));
    w.attribute("/metadata", "kind", std::int64_t{7});  // overwrite with another type
    w.attribute("/metadata", "city", std::string_view("Asunción"));
    const std::string msg = io_error([&] { w.attribute("/missing", "x", std::int64_t{1}); });
    EXPECT_NE(msg.find("/missing"), std::string::npos) << msg;
    w.commit();
  }
  Reader r(file());
  EXPECT_EQ(r.attribute_string("/metadata", "scenario_file"), "scenarios/base.yaml");
  EXPECT_EQ(r.attribute_string("/metadata", "seed"), "-42");
  EXPECT_EQ(r.attribute_string("/metadata", "share"), "0.125");
  EXPECT_EQ(r.attribute_string("/metadata", "kind"), "7");
  EXPECT_EQ(r.attribute_string("/metadata", "city"), "Asunción");
  const std::string msg = io_error([&] { r.attribute_string("/metadata", "nope"); });
  EXPECT_NE(msg.find("nope"), std::string::npos) << msg;
  EXPECT_NE(msg.find("/metadata"), std::string::npos) << msg;

  // Strings are fixed-length UTF-8 scalars: their bytes and NUL, no global heap reference.
  hid_t f = H5Fopen(file().c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  hid_t a = H5Aopen_by_name(f, "/metadata", "city", H5P_DEFAULT, H5P_DEFAULT);
  hid_t t = H5Aget_type(a);
  hid_t s = H5Aget_space(a);
  EXPECT_EQ(H5Tis_variable_str(t), 0);
  EXPECT_EQ(H5Tget_size(t), std::string("Asunción").size() + 1);
  EXPECT_EQ(H5Tget_cset(t), H5T_CSET_UTF8);
  EXPECT_EQ(H5Sget_simple_extent_type(s), H5S_SCALAR);
  H5Sclose(s);
  H5Tclose(t);
  H5Aclose(a);
  H5Fclose(f);
}

TEST_F(H5Test, GroupsChildrenAndExists) {
  {
    Writer w(file());
    w.group("/a/b/c");
    w.group("/a/b");  // existing: fine
    w.group("/a/zeta");
    w.group("/a/alpha");
    const std::vector<double> v = {1.0};
    w.array("/a/b/data", {plain("k", 1)}, std::span<const double>(v));
    const std::string msg = io_error([&] { w.group("/a/b/data"); });
    EXPECT_NE(msg.find("/a/b/data"), std::string::npos) << msg;
    const std::string dup = io_error([&] { w.array("/a/b/data", {plain("k", 1)}, std::span<const double>(v)); });
    EXPECT_NE(dup.find("/a/b/data"), std::string::npos) << dup;
    w.commit();
  }
  Reader r(file());
  EXPECT_EQ(r.children("/a"), (std::vector<std::string>{"alpha", "b", "zeta"}));
  EXPECT_EQ(r.children("/a/b"), (std::vector<std::string>{"c", "data"}));
  EXPECT_TRUE(r.exists("/"));
  EXPECT_TRUE(r.exists("/a/b/c"));
  EXPECT_TRUE(r.exists("a/b/data"));
  EXPECT_FALSE(r.exists("/a/b/d"));
  EXPECT_FALSE(r.exists("/x/y/z"));
  EXPECT_FALSE(r.exists("/a/b/data/deeper"));
  const std::string msg = io_error([&] { r.shape("/a/b/nope"); });
  EXPECT_NE(msg.find("/a/b/nope"), std::string::npos) << msg;
  EXPECT_NE(msg.find(file().string()), std::string::npos) << msg;
}

// Listing a group whose link index is damaged is an IoError, never a crash. libhdf5 1.10 lists in
// name order by copying the links into a table; when a B-tree node fails its checksum midway it
// frees table entries it never filled (the fuzzer's finding). M_PERTURB fills fresh memory with
// garbage so that free crashes every time instead of only when the heap happens to be zeroed.
TEST_F(H5Test, DamagedGroupIndexIsAnIoErrorNotACrash) {
  {
    Writer w(file());
    // Over 8 links: a B-tree index. 30 links make the table larger than glibc's per-thread cache,
    // which hands out memory without perturbing it.
    for (int i = 0; i < 30; ++i) w.group("/g/member" + std::to_string(i));
    w.commit();
  }
  EXPECT_EQ(Reader(file()).children("/g").size(), 30u);
  std::string bytes;
  {
    std::ifstream in(file(), std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  const std::size_t leaf = bytes.find("BTLF");  // the only v2 B-tree leaf: /g's name index
  ASSERT_NE(leaf, std::string::npos);
  ASSERT_EQ(bytes.find("BTLF", leaf + 1), std::string::npos);
  bytes[leaf + 6] = static_cast<char>(bytes[leaf + 6] ^ 0xff);  // first record, after signature, version, type
  { std::ofstream(file("damaged.h5"), std::ios::binary) << bytes; }

  mallopt(M_PERTURB, 0xa5);
  std::string msg;
  try {
    Reader(file("damaged.h5")).children("/g");
  } catch (const IoError& e) {
    msg = e.what();
  }
  mallopt(M_PERTURB, 0);
  EXPECT_NE(msg.find("cannot list group '/g'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("damaged.h5"), std::string::npos) << msg;
}

// Variable-length strings that libhdf5 would follow into a global heap unchecked are refused
// before reading: in attributes (the fuzzer's file kept H5HG_read busy for minutes) and in
// datasets stored other than contiguously. Contiguous label datasets are read after their heap
// references are checked: a damaged object index is an IoError, not a wild read.
TEST_F(H5Test, VariableLengthStringsOutOfReachOfTheHeapCheckAreRefused) {
  {
    Writer w(file());
    w.group("/metadata");
    w.commit();
  }
  hid_t f = H5Fopen(file().c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  ASSERT_GE(f, 0);
  hid_t vlen = H5Tcopy(H5T_C_S1);
  H5Tset_size(vlen, H5T_VARIABLE);
  hid_t scalar = H5Screate(H5S_SCALAR);
  hid_t a = H5Acreate_by_name(f, "/metadata", "kind", vlen, scalar, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  const char* run = "run";
  H5Awrite(a, vlen, &run);
  H5Aclose(a);
  const hsize_t two = 2;
  hid_t space = H5Screate_simple(1, &two, nullptr);
  hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  H5Pset_chunk(dcpl, 1, &two);
  hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
  H5Pset_create_intermediate_group(lcpl, 1);
  hid_t d = H5Dcreate2(f, "/labels/w", vlen, space, lcpl, dcpl, H5P_DEFAULT);  // a chunked scale
  const char* words[2] = {"a", "b"};
  H5Dwrite(d, vlen, H5S_ALL, H5S_ALL, H5P_DEFAULT, words);
  H5Dclose(d);
  H5Pclose(lcpl);
  d = H5Dcreate2(f, "/y", H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  const double y[2] = {1, 2};
  H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, y);
  hid_t name_type = H5Tcopy(H5T_C_S1);
  H5Tset_size(name_type, 2);
  a = H5Acreate2(d, "axes", name_type, scalar, H5P_DEFAULT, H5P_DEFAULT);
  H5Awrite(a, name_type, "w");
  H5Aclose(a);
  H5Tclose(name_type);
  H5Dclose(d);
  H5Pclose(dcpl);
  H5Sclose(space);
  H5Sclose(scalar);
  H5Tclose(vlen);
  H5Fclose(f);

  Reader r(file());
  std::string msg = io_error([&] { r.attribute_string("/metadata", "kind"); });
  EXPECT_NE(msg.find("variable-length string attribute"), std::string::npos) << msg;
  EXPECT_NE(msg.find(file().string()), std::string::npos) << msg;
  EXPECT_NE(msg.find("/metadata"), std::string::npos) << msg;
  msg = io_error([&] { r.scale_labels("/y", 0); });
  EXPECT_NE(msg.find("chunked or compact"), std::string::npos) << msg;
  EXPECT_NE(msg.find("/labels/w"), std::string::npos) << msg;
}

TEST_F(H5Test, DamagedHeapReferenceOfALabelIsAnIoError) {
  {
    Writer w(file());
    const std::vector<std::int32_t> v = {1, 2, 3};
    w.array("/x", {categorical("route", kRoutes)}, std::span<const std::int32_t>(v));
    w.commit();
  }
  EXPECT_EQ(Reader(file()).scale_labels("/x", 0), kRoutes);
  // Element 0 of /labels/route: length (4 bytes), collection address (8), object index (4).
  hid_t f = H5Fopen(file().c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  hid_t d = H5Dopen2(f, "/labels/route", H5P_DEFAULT);
  const haddr_t at = H5Dget_offset(d);
  H5Dclose(d);
  H5Fclose(f);
  ASSERT_NE(at, HADDR_UNDEF);
  std::string bytes;
  {
    std::ifstream in(file(), std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  bytes[at + 12] = static_cast<char>(0x7f);  // an object index the collection does not hold
  { std::ofstream(file("damaged.h5"), std::ios::binary) << bytes; }
  const std::string msg = io_error([&] { Reader(file("damaged.h5")).scale_labels("/x", 0); });
  EXPECT_NE(msg.find("damaged variable-length data"), std::string::npos) << msg;
  EXPECT_NE(msg.find("/labels/route"), std::string::npos) << msg;
}

// Axis names come from redes' fixed-length 'axes' attribute, never from the dimension-scale
// attributes (variable-length data): a dataset without it, or whose names do not match its rank, is
// an IoError naming the dataset; a scale whose length differs from its dimension too.
TEST_F(H5Test, AxesAttributeNamesTheDimensionsAndIsChecked) {
  {
    Writer w(file());
    const std::vector<double> v(6, 1.0);
    w.array("/a/data", {categorical("route", kRoutes), plain("k", 2)}, std::span<const double>(v));
    w.attribute("/a/data", "note", std::string_view("x"));
    w.commit();
  }
  {
    Reader r(file());
    EXPECT_EQ(r.dim_labels("/a/data"), (std::vector<std::string>{"route", "k"}));
    EXPECT_EQ(r.attribute_string("/a/data", "axes"), "route,k");
    EXPECT_EQ(r.scale_labels("/a/data", 0), kRoutes);
    EXPECT_TRUE(r.scale_labels("/a/data", 1).empty());
    EXPECT_EQ(r.children("/a"), (std::vector<std::string>{"data"}));  // the linked scale is an axis
  }
  auto rewrite_axes = [&](const char* names) {
    hid_t f = H5Fopen(file().c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    H5Adelete_by_name(f, "/a/data", "axes", H5P_DEFAULT);
    if (names != nullptr) {
      hid_t t = H5Tcopy(H5T_C_S1);
      H5Tset_size(t, std::string(names).size() + 1);
      hid_t s = H5Screate(H5S_SCALAR);
      hid_t a = H5Acreate_by_name(f, "/a/data", "axes", t, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
      H5Awrite(a, t, names);
      H5Aclose(a);
      H5Sclose(s);
      H5Tclose(t);
    }
    H5Fclose(f);
  };
  rewrite_axes("route");
  std::string msg = io_error([&] { Reader(file()).dim_labels("/a/data"); });
  EXPECT_NE(msg.find("does not name its 2 dimension(s)"), std::string::npos) << msg;
  rewrite_axes("k,route");  // route's 3 labels for a dimension of 2
  msg = io_error([&] { Reader(file()).scale_labels("/a/data", 1); });
  EXPECT_NE(msg.find("3 labels for 2 entries"), std::string::npos) << msg;
  rewrite_axes(nullptr);
  msg = io_error([&] { Reader(file()).dim_labels("/a/data"); });
  EXPECT_NE(msg.find("has no 'axes' attribute"), std::string::npos) << msg;
  EXPECT_NE(msg.find("/a/data"), std::string::npos) << msg;
}

TEST_F(H5Test, FileAppearsUnderFinalNameOnlyAfterCommit) {
  const fs::path temp = file().string() + ".tmp-" + std::to_string(::getpid());
  {
    Writer w(file());
    EXPECT_EQ(w.final_path(), file());
    const std::vector<std::int32_t> v = {1, 2, 3};
    w.array("/x", {categorical("route", kRoutes)}, std::span<const std::int32_t>(v));
    EXPECT_FALSE(fs::exists(file()));
    EXPECT_TRUE(fs::exists(temp));
    w.commit();
    EXPECT_TRUE(fs::exists(file()));
    EXPECT_FALSE(fs::exists(temp));
    const std::string msg = io_error([&] { w.group("/late"); });
    EXPECT_NE(msg.find("committed"), std::string::npos) << msg;
    EXPECT_THROW(w.commit(), IoError);
  }
  EXPECT_TRUE(fs::exists(file()));  // destructor after commit leaves it alone
  EXPECT_EQ(listing(), std::vector<std::string>{"out.h5"});
  Reader r(file());
  EXPECT_EQ(r.read_int("/x"), (std::vector<std::int64_t>{1, 2, 3}));
}

TEST_F(H5Test, DestructorWithoutCommitLeavesNothing) {
  {
    Writer w(file());
    const std::vector<std::int32_t> v = {1, 2, 3};
    w.array("/x", {categorical("route", kRoutes)}, std::span<const std::int32_t>(v));
  }
  EXPECT_TRUE(listing().empty());
}

TEST_F(H5Test, AbandonedWriterNeverTouchesExistingFinalFile) {
  {
    Writer w(file());
    w.attribute("/", "version", std::int64_t{1});
    w.commit();
  }
  {
    Writer w(file());
    w.attribute("/", "version", std::int64_t{2});
  }
  EXPECT_EQ(listing(), std::vector<std::string>{"out.h5"});
  EXPECT_EQ(Reader(file()).attribute_string("/", "version"), "1");
}

TEST_F(H5Test, MissingDirectoryIsAnIoErrorNamingThePath) {
  const fs::path bad = dir_ / "no" / "such" / "dir" / "run.h5";
  const std::string msg = io_error([&] { Writer w(bad); });
  EXPECT_NE(msg.find(bad.string()), std::string::npos) << msg;
  EXPECT_FALSE(fs::exists(dir_ / "no"));
  const std::string rmsg = io_error([&] { Reader r(bad); });
  EXPECT_NE(rmsg.find(bad.string()), std::string::npos) << rmsg;
}

TEST_F(H5Test, ReaderRejectsNonHdf5File) {
  { std::ofstream(file("text.h5")) << "not hdf5\n"; }
  const std::string msg = io_error([&] { Reader r(file("text.h5")); });
  EXPECT_NE(msg.find("text.h5"), std::string::npos) << msg;
}

}  // namespace
}  // namespace redes::h5
