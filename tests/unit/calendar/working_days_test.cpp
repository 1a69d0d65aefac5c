// Working days by the State Council's calendars, with the calendars the
// gateway ships (config/calendar/).
#include "calendar/working_days.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "../test_support.hpp"

namespace {

using cg::calendar::format_date;
using cg::calendar::parse_date;
using cg::calendar::WorkingDays;

const WorkingDays& shipped_calendar() {
  static const WorkingDays w = [] {
    auto r = WorkingDays::load_dir(cg::test::source_dir() + "/config/calendar");
    if (!r.ok()) throw std::runtime_error(r.error().message);
    return std::move(r.value());
  }();
  return w;
}

std::string add(const char* date, int n) {
  auto d = shipped_calendar().add(*parse_date(date), n);
  return d.ok() ? format_date(*d) : d.error().message;
}

bool working(const char* date) {
  return *shipped_calendar().is_working_day(*parse_date(date));
}

// A calendar folder with these files (name -> text); its refusal, or "".
std::string calendar_refusal(const std::map<std::string, std::string>& files) {
  cg::test::TempDir dir;
  for (const auto& [name, text] : files) cg::test::write_file(dir.file(name), text);
  auto r = WorkingDays::load_dir(dir.path());
  return r.ok() ? "" : r.error().message;
}

TEST(WorkingDays, TheShippedCalendarsCoverTheirYears) {
  EXPECT_EQ(shipped_calendar().years(), (std::vector<int>{2024, 2025, 2026}));
}

TEST(WorkingDays, HolidaysAreNotWorkedAndTheWeekendDaysOfTheNoticeAre) {
  EXPECT_TRUE(working("2025-09-29"));   // a Monday
  EXPECT_FALSE(working("2025-09-27"));  // a Saturday
  EXPECT_TRUE(working("2025-09-28"));   // a Sunday worked (调休上班)
  EXPECT_FALSE(working("2025-10-01"));  // National Day, a Wednesday
  EXPECT_TRUE(working("2025-10-11"));   // a Saturday worked
  EXPECT_FALSE(working("2024-02-12"));  // Spring Festival, a Monday
}

TEST(WorkingDays, TheNthWorkingDayAfterADayDoesNotCountTheDay) {
  EXPECT_EQ(add("2025-09-26", 0), "2025-09-26");
  EXPECT_EQ(add("2025-09-26", 1), "2025-09-28");  // Friday, then the Sunday worked
  EXPECT_EQ(add("2025-09-30", 1), "2025-10-09");  // over the National Day holidays
  EXPECT_EQ(add("2025-09-26", 7), "2025-10-13");  // 28, 29, 30 Sept; 9, 10, 11, 13 Oct
  EXPECT_EQ(add("2025-12-31", 1), "2026-01-04");  // into the next year's notice
  auto n = shipped_calendar().count_after(*parse_date("2025-09-26"), *parse_date("2025-10-13"));
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 7);
  EXPECT_EQ(*shipped_calendar().count_after(*parse_date("2025-10-13"), *parse_date("2025-09-26")), 0);
}

TEST(WorkingDays, AYearWithoutACalendarIsAnErrorNamingIt) {
  EXPECT_EQ(add("2026-12-31", 1),
            "no working-day calendar for 2027 (needed for 2027-01-01): add cn-2027.json to the calendar folder");
  auto w = shipped_calendar().is_working_day(*parse_date("2023-06-01"));
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().code, "no_calendar");
}

TEST(WorkingDays, ANewYearIsAFileDroppedIn) {
  cg::test::TempDir dir;
  for (const auto& f : std::filesystem::directory_iterator(cg::test::source_dir() + "/config/calendar"))
    std::filesystem::copy_file(f.path(), dir.file(f.path().filename().string()));
  cg::test::write_file(dir.file("cn-2027.json"),
                       R"({"year": 2027, "source": "test", "holidays": ["2027-01-01"], "workdays": []})");
  auto w = WorkingDays::load_dir(dir.path());
  ASSERT_TRUE(w.ok()) << w.error().message;
  auto d = w->add(*parse_date("2026-12-31"), 1);  // Friday 1 January 2027 a holiday, then the weekend
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(format_date(*d), "2027-01-04");
}

TEST(WorkingDays, ABadFileRefusesTheFolderNamingEveryProblem) {
  const std::string good = R"({"year": 2025, "holidays": [], "workdays": []})";
  const std::string msg = calendar_refusal({{"cn-2025.json", good}, {"cn-2026.json", R"({"year": 2026, "holdays": [],
  "workdays": ["2026-02-30", "2025-02-08", "2026-01-05", "2026-01-04", "2026-01-04"]})"}});
  for (const char* expected :
       {"cn-2026.json:1: unknown key 'holdays' in a calendar; did you mean 'holidays'?",
        "cn-2026.json:1: a calendar needs its holidays (a list, may be empty)",
        "cn-2026.json:2: '2026-02-30' is not a date (YYYY-MM-DD)", "cn-2026.json:2: 2025-02-08 is not in 2026",
        "2026-01-05 is a weekday: workdays lists the weekend days worked", "2026-01-04 is listed twice"})
    EXPECT_NE(msg.find(expected), std::string::npos) << expected << "\nin: " << msg;
  EXPECT_EQ(msg.find("cn-2025.json"), std::string::npos) << msg;
  EXPECT_NE(calendar_refusal({{"cn-2025.json", good}, {"cn-2027.json", good}}).find("named for 2027 but holds 2025"),
            std::string::npos);
  EXPECT_NE(calendar_refusal({{"a.json", good}, {"b.json", good}}).find("a second calendar for 2025"),
            std::string::npos);
  EXPECT_NE(calendar_refusal({{"cn-2025.json", "{\"year\": 2025, \"holidays\": ["}}).find("cn-2025.json"),
            std::string::npos);
  EXPECT_NE(calendar_refusal({}).find("no calendar (cn-YYYY.json) in"), std::string::npos);
  EXPECT_NE(
      calendar_refusal({{"cn-2025.json", R"({"year": 2025, "holidays": ["2025-10-11"], "workdays": ["2025-10-11"]})"}})
          .find("2025-10-11 is both a holiday and a workday"),
      std::string::npos);
}

}  // namespace
