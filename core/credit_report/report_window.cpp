#include "credit_report/report_window.hpp"

namespace cg::credit_report {

namespace {

// `d` moved by whole months, kept within the month it lands in (01-31 + 1
// month = 02-28 or 02-29).
calendar::Date add_months(calendar::Date d, int months) {
  const std::chrono::year_month_day ymd{d};
  const auto ym = std::chrono::year_month{ymd.year(), ymd.month()} + std::chrono::months{months};
  const auto last = std::chrono::year_month_day_last{ym.year(), std::chrono::month_day_last{ym.month()}};
  const auto day = std::min(ymd.day(), last.day());
  return std::chrono::sys_days{ym.year() / ym.month() / day};
}

}  // namespace

Result<ReportWindow> report_window(const calendar::WorkingDays& days, const std::string& made_on, int64_t years) {
  if (years < 1 || years > 3) return make_error("bad_request", "years must be 1, 2 or 3", "years");
  auto made = calendar::parse_date(made_on);
  if (!made.ok()) return made.error();
  calendar::Date to = *made - std::chrono::days{1};
  for (int guard = 0; guard < 60; ++guard, to -= std::chrono::days{1}) {
    auto working = days.is_working_day(to);
    if (!working.ok()) return working.error();
    if (*working) break;
  }
  ReportWindow w;
  w.to = calendar::format_date(to);
  w.from = calendar::format_date(add_months(to, -12 * static_cast<int>(years)) + std::chrono::days{1});
  w.expires_on = calendar::format_date(add_months(*made, 1));
  return w;
}

}  // namespace cg::credit_report
