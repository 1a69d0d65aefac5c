#include "common/clock.hpp"

#include <cstdio>

namespace cg {

namespace {
struct Civil {
  int y;
  unsigned m, d, hh, mm, ss;
};
Civil civil_cst(SysTime t) {
  using namespace std::chrono;
  auto cst = floor<seconds>(t) + hours(8);
  auto day = floor<days>(cst);
  year_month_day ymd{day};
  hh_mm_ss hms{cst - day};
  return Civil{int(ymd.year()),
               unsigned(ymd.month()),
               unsigned(ymd.day()),
               static_cast<unsigned>(hms.hours().count()),
               static_cast<unsigned>(hms.minutes().count()),
               static_cast<unsigned>(hms.seconds().count())};
}
}  // namespace

std::string rfc3339_cst(SysTime t) {
  Civil c = civil_cst(t);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02u:%02u:%02u+08:00", c.y, c.m, c.d, c.hh, c.mm, c.ss);
  return buf;
}

std::string now_rfc3339_cst() {
  return rfc3339_cst(std::chrono::system_clock::now());
}

std::string date_cst(SysTime t) {
  Civil c = civil_cst(t);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", c.y, c.m, c.d);
  return buf;
}

int64_t unix_millis(SysTime t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace cg
