// Calendar dates as the records and the calendars write them: YYYY-MM-DD.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace cg::calendar {

using Date = std::chrono::sys_days;

// A valid date (the day exists in its month and year), else an error that
// quotes the text.
Result<Date> parse_date(std::string_view text);
std::string format_date(Date d);
int year_of(Date d);
bool is_weekend(Date d);

}  // namespace cg::calendar
