// 双公示 deadlines and states against the shipped calendars: every pair of
// the wave-2 samples' deadlines-2.json, and each state at its edges.
#include "publicity/timeliness.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "../test_support.hpp"

namespace {

using cg::publicity::timeliness;

const cg::calendar::WorkingDays& publicity_calendar() {
  static const cg::calendar::WorkingDays w = [] {
    auto r = cg::calendar::WorkingDays::load_dir(cg::test::source_dir() + "/config/calendar");
    if (!r.ok()) throw std::runtime_error(r.error().message);
    return std::move(r.value());
  }();
  return w;
}

cg::publicity::Timeliness state_of(const std::string& decided, std::optional<std::string> accepted,
                                   const std::string& today, bool held = false) {
  auto t = timeliness(publicity_calendar(), decided, accepted, today, held);
  EXPECT_TRUE(t.ok()) << t.error().to_string();
  return t.ok() ? *t : cg::publicity::Timeliness{};
}

}  // namespace

TEST(Timeliness, EveryDeadlineOfTheWave2SamplesIsTheSeventhWorkingDay) {
  std::ifstream in(cg::test::source_dir() + "/tests/fixtures/wave2/deadlines-2.json");
  const auto cases = nlohmann::json::parse(in);
  ASSERT_EQ(cases.size(), 27u);
  for (const auto& c : cases) {
    auto t = timeliness(publicity_calendar(), c["decided_on"], std::nullopt, c["decided_on"], false);
    ASSERT_TRUE(t.ok()) << t.error().to_string();
    EXPECT_EQ(t->due_on, c["due_on"].get<std::string>()) << c["document_number"];
  }
}

// Decided Thursday 2025-12-25: the 7th working day after is Tuesday
// 2026-01-06 (New Year's holiday 1-3 January, Sunday the 4th worked).
TEST(Timeliness, AcceptedByTheEndOfTheDueDayIsOnTimeAndAfterItLateByWorkingDays) {
  auto t = state_of("2025-12-25", "2026-01-06", "2026-03-01");
  EXPECT_EQ(t.due_on, "2026-01-06");
  EXPECT_EQ(t.state, "on_time");
  EXPECT_EQ(state_of("2025-12-25", "2025-12-25", "2026-03-01").state, "on_time");
  t = state_of("2025-12-25", "2026-01-07", "2026-03-01");
  EXPECT_EQ(t.state, "late");
  EXPECT_EQ(t.working_days_late, 1);
  t = state_of("2025-12-25", "2026-01-12", "2026-03-01");  // over a weekend
  EXPECT_EQ(t.working_days_late, 4);
}

TEST(Timeliness, UnacceptedIsPendingThenAtRiskWithTwoWorkingDaysLeftThenOverdue) {
  auto t = state_of("2025-12-25", std::nullopt, "2025-12-31");
  EXPECT_EQ(t.state, "pending");
  EXPECT_EQ(t.working_days_left, 3);                       // the 4th, 5th and 6th of January
  t = state_of("2025-12-25", std::nullopt, "2026-01-02");  // a holiday: still the 4th, 5th and 6th
  EXPECT_EQ(t.state, "pending");
  t = state_of("2025-12-25", std::nullopt, "2026-01-04");
  EXPECT_EQ(t.state, "at_risk");
  EXPECT_EQ(t.working_days_left, 2);
  t = state_of("2025-12-25", std::nullopt, "2026-01-06");
  EXPECT_EQ(t.state, "at_risk");
  EXPECT_EQ(t.working_days_left, 0);
  t = state_of("2025-12-25", std::nullopt, "2026-01-07");
  EXPECT_EQ(t.state, "overdue");
  EXPECT_EQ(t.working_days_late, 1);
}

TEST(Timeliness, HeldInQuarantineOrRejectedIsAtRiskWhateverTimeIsLeft) {
  EXPECT_EQ(state_of("2025-12-25", std::nullopt, "2025-12-26", true).state, "at_risk");
  EXPECT_EQ(state_of("2025-12-25", std::nullopt, "2026-01-08", true).state, "overdue");
}

TEST(Timeliness, AYearWithoutACalendarIsAnErrorNamingIt) {
  auto t = timeliness(publicity_calendar(), "2031-03-02", std::nullopt, "2031-03-02", false);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().message.find("2031"), std::string::npos) << t.error().message;
  EXPECT_FALSE(timeliness(publicity_calendar(), "2026-02-30", std::nullopt, "2026-03-01", false).ok());
}
