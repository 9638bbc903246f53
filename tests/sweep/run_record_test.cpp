// The run-record codec shared by the sweep journal and the MPI messages: records round-trip, the
// byte layout is the one journals already on disk hold, and short buffers are refused.
#include "sim/sweep/run_record.hpp"

#include <gtest/gtest.h>

#include <cstring>

#include "sim/core/errors.hpp"

namespace redes::sweep {
namespace {

RunRecord sample(std::int64_t run) {
  RunRecord r;
  r.run = run;
  r.metrics = {0.5 * double(run), -1e300, 3.25};
  r.trajectory = {std::int32_t(run), 0, -7, 2147483647};
  return r;
}

constexpr RecordShape kShape{3, 4};

TEST(RunRecord, RoundTripsOneRecordAndABatch) {
  EXPECT_EQ(record_size(kShape), 8u + 3 * 8 + 4 * 4);
  std::vector<unsigned char> buf(record_size(kShape));
  encode_record(sample(9), kShape, buf);
  const RunRecord back = decode_record(buf, kShape);
  EXPECT_EQ(back.run, 9);
  EXPECT_EQ(back.metrics, sample(9).metrics);
  EXPECT_EQ(back.trajectory, sample(9).trajectory);

  const std::vector<RunRecord> recs{sample(0), sample(5), sample(1LL << 40)};
  const auto bytes = encode_batch(recs, kShape);
  ASSERT_EQ(bytes.size(), 3 * record_size(kShape));
  std::vector<RunRecord> got;
  decode_batch(bytes, kShape, [&](RunRecord&& r) { got.push_back(std::move(r)); });
  ASSERT_EQ(got.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(got[i].run, recs[i].run);
    EXPECT_EQ(got[i].metrics, recs[i].metrics);
    EXPECT_EQ(got[i].trajectory, recs[i].trajectory);
  }
  decode_batch(std::span<const unsigned char>(), kShape, [](RunRecord&&) { FAIL() << "empty batch has no records"; });
}

TEST(RunRecord, LayoutIsRunThenMetricsThenTrajectoryPacked) {
  // Journals on disk hold this layout; changing it would orphan them.
  const RecordShape shape{1, 1};
  RunRecord r;
  r.run = 0x0102030405060708;
  r.metrics = {1.5};
  r.trajectory = {-3};
  std::vector<unsigned char> got(record_size(shape)), want(20);
  encode_record(r, shape, got);
  std::memcpy(want.data(), &r.run, 8);
  std::memcpy(want.data() + 8, &r.metrics[0], 8);
  std::memcpy(want.data() + 16, &r.trajectory[0], 4);
  EXPECT_EQ(got, want);
}

TEST(RunRecord, NoMetricsNoTrajectoryIsJustTheRun) {
  const RecordShape shape{0, 0};
  RunRecord r;
  r.run = 77;
  std::vector<unsigned char> buf(record_size(shape));
  ASSERT_EQ(buf.size(), 8u);
  encode_record(r, shape, buf);
  EXPECT_EQ(decode_record(buf, shape).run, 77);
}

TEST(RunRecord, TruncatedBufferIsRefusedNotReadPastItsEnd) {
  std::vector<unsigned char> buf(record_size(kShape));
  encode_record(sample(2), kShape, buf);
  // A copy of exactly the short length: reading past it would be caught by ASan/valgrind too.
  const std::vector<unsigned char> shortened(buf.begin(), buf.end() - 1);
  try {
    decode_record(shortened, kShape);
    FAIL() << "a short record was accepted";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("47 bytes"), std::string::npos) << e.what();
  }
  auto batch = encode_batch({sample(0), sample(1)}, kShape);
  batch.pop_back();
  int calls = 0;
  EXPECT_THROW(decode_batch(batch, kShape, [&](RunRecord&&) { ++calls; }), IoError);
  EXPECT_EQ(calls, 0) << "no record of a truncated batch is handed on";
}

TEST(RunRecord, WrongShapeIsALogicError) {
  std::vector<unsigned char> buf(record_size(kShape));
  RunRecord r = sample(1);
  r.metrics.pop_back();
  EXPECT_THROW(encode_record(r, kShape, buf), std::logic_error);
  buf.push_back(0);
  EXPECT_THROW(encode_record(sample(1), kShape, buf), std::logic_error);
}

}  // namespace
}  // namespace redes::sweep
