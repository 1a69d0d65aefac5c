// Working days by the State Council's calendars (catalog.md, "Working days"):
// Monday to Friday unless the year's notice makes it a public holiday, and
// the weekend days the notice makes working days (调休上班). One file per
// year (cn-YYYY.json: year, source, holidays, workdays); a new year is a file
// dropped into the folder. A date in a year without a calendar is an error
// naming the year, never a guess. Everything that counts working days (item
// deadlines, 双公示 timeliness, statistics) counts them here.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "calendar/date.hpp"
#include "common/jsonc.hpp"

namespace cg::calendar {

class WorkingDays {
 public:
  // Every *.json in `dir`. Every problem of every file is named (file:line
  // and what is wrong); one bad file refuses the whole folder.
  static Result<WorkingDays> load_dir(const std::string& dir);
  // One year's calendar; its problems, each with file:line.
  std::vector<Error> add_year(const JsoncDocument& doc);

  [[nodiscard]] std::vector<int> years() const;
  [[nodiscard]] Result<bool> is_working_day(Date d) const;
  // The n-th working day after d (d itself not counted; n = 0 gives d).
  [[nodiscard]] Result<Date> add(Date d, int n) const;
  // The working days after `from` up to and including `to`; 0 when `to` is
  // not after `from`.
  [[nodiscard]] Result<int> count_after(Date from, Date to) const;

 private:
  struct Year {
    std::set<Date> holidays, workdays;
    std::string source;
  };
  [[nodiscard]] Result<const Year*> year(Date d) const;
  std::map<int, Year> years_;
};

}  // namespace cg::calendar
