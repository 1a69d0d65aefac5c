// The period a 专用信用报告 covers: the last 1, 2 or 3 years, ending one
// working day before the day it is made (the records of that day may still
// be on their way); and the last day it is valid, one month after it is made.
#pragma once

#include <string>

#include "calendar/working_days.hpp"
#include "common/result.hpp"

namespace cg::credit_report {

struct ReportWindow {
  std::string from, to;  // YYYY-MM-DD, both included
  std::string expires_on;
};

// Errors: "bad_request" for years outside 1 to 3 (field "years"); the
// calendar's, naming a year it does not have.
Result<ReportWindow> report_window(const calendar::WorkingDays& days, const std::string& made_on, int64_t years);

}  // namespace cg::credit_report
