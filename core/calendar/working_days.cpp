#include "calendar/working_days.hpp"

#include <algorithm>
#include <filesystem>

#include "common/json_check.hpp"

namespace cg::calendar {

namespace fs = std::filesystem;

Result<WorkingDays> WorkingDays::load_dir(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return make_error("calendar", "no calendar folder " + dir, dir);
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".json") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  if (files.empty()) return make_error("calendar", "no calendar (cn-YYYY.json) in " + dir, dir);
  WorkingDays w;
  std::vector<Error> problems;
  for (const auto& f : files) {
    auto doc = JsoncDocument::load_file(f);
    if (!doc.ok()) {
      problems.push_back(doc.error());
      continue;
    }
    for (auto& p : w.add_year(*doc)) problems.push_back(std::move(p));
  }
  if (problems.empty()) return w;
  std::string msg = "the calendars in " + dir + " are refused:";
  for (const auto& p : problems) msg += "\n  " + p.to_string();
  return make_error("calendar", msg, dir);
}

std::vector<Error> WorkingDays::add_year(const JsoncDocument& doc) {
  JsonChecker c(doc);
  const auto& j = doc.value();
  if (!c.keys(j, "", {"year", "source", "holidays", "workdays"}, "a calendar")) return c.problems;
  const auto y = c.integer(j, "year", "", 1949, 9999);
  if (!j.contains("year")) c.problem("", "a calendar needs its year");
  Year out;
  if (auto s = c.str(j, "source", "", false)) out.source = *s;
  auto dates = [&](const char* key, std::set<Date>& into) {
    const std::string ptr = std::string("/") + key;
    if (!j.contains(key)) return c.problem("", std::string("a calendar needs its ") + key + " (a list, may be empty)");
    if (!j[key].is_array()) return c.problem(ptr, std::string(key) + " must be a list of dates");
    for (size_t i = 0; i < j[key].size(); ++i) {
      const std::string at = ptr + "/" + std::to_string(i);
      const auto& v = j[key][i];
      auto d = v.is_string() ? parse_date(v.get<std::string>()) : Result<Date>(make_error("bad_date", "not a date"));
      if (!d.ok()) {
        c.problem(at, d.error().message);
        continue;
      }
      if (y && year_of(*d) != *y) c.problem(at, format_date(*d) + " is not in " + std::to_string(*y));
      if (!into.insert(*d).second) c.problem(at, format_date(*d) + " is listed twice");
    }
  };
  dates("holidays", out.holidays);
  dates("workdays", out.workdays);
  for (const auto& d : out.workdays) {
    if (!is_weekend(d))
      c.problem("/workdays", format_date(d) + " is a weekday: workdays lists the weekend days worked");
    if (out.holidays.count(d)) c.problem("/workdays", format_date(d) + " is both a holiday and a workday");
  }
  const std::string stem = fs::path(doc.name()).stem().string();
  if (y && stem.size() == 7 && stem.rfind("cn-", 0) == 0 && stem.substr(3) != std::to_string(*y))
    c.problem("/year", "the file is named for " + stem.substr(3) + " but holds " + std::to_string(*y));
  if (y && years_.count(static_cast<int>(*y))) c.problem("/year", "a second calendar for " + std::to_string(*y));
  if (c.problems.empty() && y) years_[static_cast<int>(*y)] = std::move(out);
  return c.problems;
}

std::vector<int> WorkingDays::years() const {
  std::vector<int> out;
  for (const auto& [y, _] : years_) out.push_back(y);
  return out;
}

Result<const WorkingDays::Year*> WorkingDays::year(Date d) const {
  const int y = year_of(d);
  auto it = years_.find(y);
  if (it == years_.end())
    return make_error("no_calendar", "no working-day calendar for " + std::to_string(y) + " (needed for " +
                                         format_date(d) + "): add cn-" + std::to_string(y) +
                                         ".json to the calendar folder");
  return &it->second;
}

Result<bool> WorkingDays::is_working_day(Date d) const {
  auto y = year(d);
  if (!y.ok()) return y.error();
  if ((*y)->workdays.count(d)) return true;
  return !is_weekend(d) && !(*y)->holidays.count(d);
}

Result<Date> WorkingDays::add(Date d, int n) const {
  Date at = d;
  for (int found = 0; found < n;) {
    at += std::chrono::days(1);
    auto w = is_working_day(at);
    if (!w.ok()) return w.error();
    if (*w) ++found;
  }
  return at;
}

Result<int> WorkingDays::count_after(Date from, Date to) const {
  int n = 0;
  for (Date at = from + std::chrono::days(1); at <= to; at += std::chrono::days(1)) {
    auto w = is_working_day(at);
    if (!w.ok()) return w.error();
    if (*w) ++n;
  }
  return n;
}

}  // namespace cg::calendar
