#include "calendar/date.hpp"

#include <charconv>
#include <cstdio>

namespace cg::calendar {

using namespace std::chrono;

Result<Date> parse_date(std::string_view text) {
  auto bad = [&] {
    return make_error("bad_date", "'" + std::string(text.substr(0, 40)) + "' is not a date (YYYY-MM-DD)");
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return bad();
  int y = 0;
  unsigned m = 0, d = 0;
  auto num = [&](size_t at, size_t len, auto& out) {
    for (size_t i = at; i < at + len; ++i)
      if (text[i] < '0' || text[i] > '9') return false;
    return std::from_chars(text.data() + at, text.data() + at + len, out).ec == std::errc();
  };
  if (!num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d)) return bad();
  const year_month_day ymd{year{y}, month{m}, day{d}};
  if (!ymd.ok()) return bad();
  return sys_days{ymd};
}

std::string format_date(Date d) {
  const year_month_day ymd{d};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

int year_of(Date d) {
  return static_cast<int>(year_month_day{d}.year());
}

bool is_weekend(Date d) {
  const weekday w{d};
  return w == Saturday || w == Sunday;
}

}  // namespace cg::calendar
