#include "common/log_throttle.hpp"

#include <gtest/gtest.h>

using cg::log::RepeatThrottle;
using std::chrono::milliseconds;

TEST(LogThrottle, ARepeatedMessageIsWrittenWithBackoffAndACount) {
  RepeatThrottle t;
  const auto t0 = RepeatThrottle::Clock::now();
  int written = 0;
  int64_t counted = 0;
  // 60 s of the same error 30 times a second (a full disk, say).
  for (int i = 0; i < 1800; ++i) {
    auto d = t.admit("store|disk full", t0 + milliseconds(i * 33));
    if (d.write) {
      ++written;
      counted += d.repeated;
    }
  }
  EXPECT_LE(written, 8) << "1 s, 2 s, 4 s, ... intervals, not 1800 lines";
  EXPECT_GE(written, 5);
  auto later = t.admit("store|disk full", t0 + milliseconds(200'000));
  ASSERT_TRUE(later.write);
  EXPECT_EQ(written + 1 + counted + later.repeated, 1801) << "every occurrence is written or counted in a line";
  EXPECT_TRUE(t.admit("other|another error", t0 + milliseconds(59'400)).write) << "each message on its own";
}

TEST(LogThrottle, AMessageQuietForItsIntervalStartsOver) {
  RepeatThrottle t;
  const auto t0 = RepeatThrottle::Clock::now();
  EXPECT_TRUE(t.admit("k", t0).write);
  EXPECT_FALSE(t.admit("k", t0 + milliseconds(500)).write);
  auto d = t.admit("k", t0 + milliseconds(1100));
  EXPECT_TRUE(d.write);
  EXPECT_EQ(d.repeated, 1);
  EXPECT_TRUE(t.admit("k", t0 + milliseconds(10'000)).write);
  EXPECT_FALSE(t.admit("k", t0 + milliseconds(10'500)).write) << "back to a 1 s interval";
  EXPECT_TRUE(t.admit("k", t0 + milliseconds(11'100)).write);
}
