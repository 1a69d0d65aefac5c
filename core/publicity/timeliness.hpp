// 双公示 timeliness (catalog.md): a licence or penalty is published on time
// when a platform accepted it by the end of the 7th working day after its
// decision (24:00 China Standard Time). One record's deadline and state.
#pragma once

#include <optional>
#include <string>

#include "calendar/working_days.hpp"

namespace cg::publicity {

inline constexpr int kPublishWithinWorkingDays = 7;
// Not yet accepted with this many working days or fewer left: at risk.
inline constexpr int kAtRiskWorkingDays = 2;

struct Timeliness {
  std::string due_on;  // YYYY-MM-DD
  // on_time | late (accepted after due_on) | overdue (not accepted, due_on
  // passed) | at_risk (not accepted, kAtRiskWorkingDays or fewer left, or
  // held where it cannot go on by itself) | pending (not accepted, time left)
  std::string state;
  int working_days_late = 0;  // late and overdue: working days after due_on up to acceptance or today
  int working_days_left = 0;  // at_risk and pending: working days after today up to due_on
};

// `accepted_on`: the day (CST) a platform first accepted it, if one has.
// `held`: quarantined or rejected, so it waits for someone to act.
// An error when a date is malformed or falls in a year without a calendar.
Result<Timeliness> timeliness(const calendar::WorkingDays& days, const std::string& decided_on,
                              const std::optional<std::string>& accepted_on, const std::string& today, bool held);

}  // namespace cg::publicity
