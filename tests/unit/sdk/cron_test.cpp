// Cron expressions, evaluated in China Standard Time whatever the machine's
// time zone.
#include <gtest/gtest.h>

#include <chrono>
#include <credit_gateway/support/cron.hpp>

namespace {

using cg::sdk::Cron;
using namespace std::chrono;

// An instant given in UTC.
system_clock::time_point utc(int y, unsigned mo, unsigned d, int h, int mi) {
  return sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi};
}

TEST(Cron, TheNextRunIsInChinaStandardTime) {
  auto c = Cron::parse("30 2 * * *");  // 02:30 CST = 18:30 UTC the day before
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->next_after(utc(2026, 12, 4, 17, 0)), utc(2026, 12, 4, 18, 30));
  EXPECT_EQ(c->next_after(utc(2026, 12, 4, 18, 30)), utc(2026, 12, 5, 18, 30)) << "strictly after";
  EXPECT_EQ(c->last_at_or_before(utc(2026, 12, 4, 18, 30)), utc(2026, 12, 4, 18, 30));
  EXPECT_EQ(c->last_at_or_before(utc(2026, 12, 4, 18, 29)), utc(2026, 12, 3, 18, 30));
}

TEST(Cron, StepsRangesAndWeekdays) {
  auto every5 = Cron::parse("*/5 * * * *");
  ASSERT_TRUE(every5.ok());
  EXPECT_EQ(every5->next_after(utc(2026, 12, 4, 10, 2)), utc(2026, 12, 4, 10, 5));
  // Saturday 2026-12-05 CST: the next working-day morning is Monday 09:00 CST.
  auto weekdays = Cron::parse("0 9 * * 1-5");
  ASSERT_TRUE(weekdays.ok());
  EXPECT_EQ(weekdays->next_after(utc(2026, 12, 5, 3, 0)), utc(2026, 12, 7, 1, 0));
  auto sunday = Cron::parse("0 0 * * 7");  // 7 is Sunday, as 0 is
  ASSERT_TRUE(sunday.ok());
  EXPECT_EQ(sunday->next_after(utc(2026, 12, 5, 3, 0)), utc(2026, 12, 5, 16, 0));
}

TEST(Cron, OffNeverRuns) {
  auto c = Cron::parse("off");
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->next_after(utc(2026, 12, 4, 0, 0)).has_value());
  EXPECT_EQ(c->text(), "off");
}

TEST(Cron, AnExpressionItCannotReadIsAnErrorThatQuotesIt) {
  for (const char* bad : {"* * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *", "* * * * 8", "a * * * *",
                          "*/0 * * * *", "5-1 * * * *", ""}) {
    auto c = Cron::parse(bad);
    EXPECT_FALSE(c.ok()) << "'" << bad << "'";
  }
  auto c = Cron::parse("* * *");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("5 fields"), std::string::npos) << c.error().message;
}

}  // namespace
