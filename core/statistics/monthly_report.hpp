// The monthly report an office prints and files (跟踪监测): for one
// department or the whole region, the month's figures beside the five
// months before it, as tables and bar charts, and the month's 双公示
// timeliness; an A4 PDF.
#pragma once

#include <chrono>
#include <string>

#include "calendar/working_days.hpp"
#include "config/config.hpp"
#include "store/store.hpp"

namespace cg::statistics {

// `month` YYYY-MM; `department` "" for the whole region. Errors:
// "bad_request" naming `month` or `department`; the store's; "document".
Result<std::string> monthly_report_pdf(store::Store& st, const config::Config& cfg, const calendar::WorkingDays& days,
                                       const std::string& month, const std::string& department,
                                       std::chrono::system_clock::time_point now);

}  // namespace cg::statistics
