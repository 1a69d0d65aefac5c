#include <credit_gateway/support/cron.hpp>
#include <sstream>
#include <vector>

namespace cg::sdk {

namespace {

using namespace std::chrono;

template <size_t N>
Status field(const std::string& text, int lo, int hi, std::bitset<N>& out, bool& any, const char* name) {
  any = text == "*";
  std::stringstream ss(text);
  std::string part;
  while (std::getline(ss, part, ',')) {
    int step = 1;
    auto slash = part.find('/');
    if (slash != std::string::npos) {
      try {
        step = std::stoi(part.substr(slash + 1));
      } catch (...) {
        step = 0;
      }
      if (step <= 0) return make_error("cron", std::string("bad step in the ") + name + " field: '" + part + "'");
      part = part.substr(0, slash);
    }
    int a = lo, b = hi;
    if (part != "*") {
      auto dash = part.find('-');
      try {
        a = std::stoi(part.substr(0, dash));
        b = dash == std::string::npos ? (slash == std::string::npos ? a : hi) : std::stoi(part.substr(dash + 1));
      } catch (...) {
        return make_error("cron", std::string("bad ") + name + " field: '" + text + "'");
      }
    }
    if (a < lo || b > hi || a > b)
      return make_error("cron", std::string(name) + " must be within " + std::to_string(lo) + "-" + std::to_string(hi) +
                                    ": '" + text + "'");
    for (int v = a; v <= b; v += step) out.set(static_cast<size_t>(v));
  }
  return {};
}

}  // namespace

Result<Cron> Cron::parse(const std::string& expr) {
  std::stringstream ss(expr);
  std::vector<std::string> f;
  std::string x;
  while (ss >> x) f.push_back(x);
  if (f.size() == 1 && f[0] == "off") {  // never by itself; run on demand only
    Cron c;
    c.text_ = "off";
    c.off_ = true;
    return c;
  }
  if (f.size() != 5)
    return make_error("cron",
                      "a cron expression has 5 fields (minute hour day-of-month month day-of-week): '" + expr + "'");
  Cron c;
  c.text_ = expr;
  bool any = false;
  if (auto s = field(f[0], 0, 59, c.minute_, any, "minute"); !s) return s.error();
  if (auto s = field(f[1], 0, 23, c.hour_, any, "hour"); !s) return s.error();
  if (auto s = field(f[2], 1, 31, c.dom_, c.dom_any_, "day-of-month"); !s) return s.error();
  if (auto s = field(f[3], 1, 12, c.month_, any, "month"); !s) return s.error();
  if (auto s = field(f[4], 0, 7, c.dow_, c.dow_any_, "day-of-week"); !s) return s.error();
  if (c.dow_.test(7)) c.dow_.set(0);  // 7 is Sunday too
  return c;
}

bool Cron::matches_minute(sys_seconds cst) const {
  auto day = floor<days>(cst);
  year_month_day ymd{day};
  hh_mm_ss hms{cst - day};
  weekday wd{day};
  if (!minute_.test(static_cast<size_t>(hms.minutes().count())) ||
      !hour_.test(static_cast<size_t>(hms.hours().count())) || !month_.test(unsigned(ymd.month())))
    return false;
  bool dom = dom_.test(unsigned(ymd.day()));
  bool dow = dow_.test(wd.c_encoding());
  // As in Vixie cron: when both day fields are restricted, either may match.
  if (!dom_any_ && !dow_any_) return dom || dow;
  return dom && dow;
}

std::optional<system_clock::time_point> Cron::next_after(system_clock::time_point t) const {
  if (off_) return std::nullopt;
  auto cst = floor<minutes>(time_point_cast<seconds>(t) + hours(8)) + minutes(1);
  for (int i = 0; i < 366 * 24 * 60; ++i, cst += minutes(1))
    if (matches_minute(sys_seconds(cst))) return system_clock::time_point(cst - hours(8));
  return std::nullopt;
}

std::optional<system_clock::time_point> Cron::last_at_or_before(system_clock::time_point t) const {
  if (off_) return std::nullopt;
  auto cst = floor<minutes>(time_point_cast<seconds>(t) + hours(8));
  for (int i = 0; i < 366 * 24 * 60; ++i, cst -= minutes(1))
    if (matches_minute(sys_seconds(cst))) return system_clock::time_point(cst - hours(8));
  return std::nullopt;
}

}  // namespace cg::sdk
