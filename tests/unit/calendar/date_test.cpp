// Calendar dates as records and calendars write them.
#include "calendar/date.hpp"

#include <gtest/gtest.h>

using cg::calendar::format_date;
using cg::calendar::parse_date;

TEST(CalendarDate, ReadsAndWritesYYYYMMDD) {
  auto d = parse_date("2024-02-29");
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(format_date(*d), "2024-02-29");
  EXPECT_EQ(cg::calendar::year_of(*d), 2024);
  EXPECT_EQ(format_date(*d + std::chrono::days(1)), "2024-03-01");
  EXPECT_TRUE(cg::calendar::is_weekend(*parse_date("2025-09-28")));   // a Sunday
  EXPECT_FALSE(cg::calendar::is_weekend(*parse_date("2025-09-29")));  // a Monday
}

TEST(CalendarDate, RefusesWhatIsNotADayQuotingIt) {
  for (const char* bad : {"2025-02-29", "2025-13-01", "2025-00-10", "2025-1-01", "2025/01/01", "2025-01-01T00:00",
                          "20250101", "", "2025-0a-01", "+025-01-01"}) {
    auto d = parse_date(bad);
    ASSERT_FALSE(d.ok()) << bad;
    EXPECT_EQ(d.error().message, "'" + std::string(bad) + "' is not a date (YYYY-MM-DD)");
  }
}
