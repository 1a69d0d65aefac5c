#include "publicity/timeliness.hpp"

namespace cg::publicity {

Result<Timeliness> timeliness(const calendar::WorkingDays& days, const std::string& decided_on,
                              const std::optional<std::string>& accepted_on, const std::string& today, bool held) {
  auto decided = calendar::parse_date(decided_on);
  if (!decided.ok()) return decided.error();
  auto due = days.add(*decided, kPublishWithinWorkingDays);
  if (!due.ok()) return due.error();
  Timeliness t;
  t.due_on = calendar::format_date(*due);
  if (accepted_on) {
    auto accepted = calendar::parse_date(*accepted_on);
    if (!accepted.ok()) return accepted.error();
    if (*accepted <= *due) {
      t.state = "on_time";
      return t;
    }
    auto late = days.count_after(*due, *accepted);
    if (!late.ok()) return late.error();
    t.state = "late";
    t.working_days_late = *late;
    return t;
  }
  auto now = calendar::parse_date(today);
  if (!now.ok()) return now.error();
  if (*now > *due) {
    auto late = days.count_after(*due, *now);
    if (!late.ok()) return late.error();
    t.state = "overdue";
    t.working_days_late = *late;
    return t;
  }
  auto left = days.count_after(*now, *due);
  if (!left.ok()) return left.error();
  t.working_days_left = *left;
  t.state = held || *left <= kAtRiskWorkingDays ? "at_risk" : "pending";
  return t;
}

}  // namespace cg::publicity
