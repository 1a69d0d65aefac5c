// The statistics port: figures counted in the store as things happen, in
// the transaction of what they count, by day (China Standard Time),
// department, kind and destination, so that they last across restarts and
// are never recomputed from logs. Read back summed by period and grouping.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace cg::store {

// The figures, and what each counts (its dimensions):
//   received              valid records a department sent (department, kind)
//   pulled                other regions' records taken from a platform (department, kind)
//   created, changed      new records, and new versions of stored ones (department, kind)
//   quarantined:<rule>    new quarantine entries by the rule they broke (department, kind)
//   accepted, rejected    record versions a platform took or refused (department, kind, destination)
//   items                 items sent to a department that implements a measure (department, kind)
// and, from the check ledger (Checks::statistics): checks:<verdict>,
// checked_subjects, hit_subjects (department).
struct StatisticsQuery {
  std::string from, to;          // days, inclusive; empty: unbounded
  std::string period = "month";  // day | month | quarter | year
  bool by_department = false, by_kind = false, by_destination = false;
  std::string figure;  // one figure, or a prefix ending in ':'; empty: all
};

struct StatisticsRow {
  std::string period;                         // 2026-12-07, 2026-12, 2026-Q4 or 2026
  std::string department, kind, destination;  // "" when not grouped by it
  std::string figure;
  int64_t n = 0;
};

// `figure` as a query's `figure` asks for it: all when that is empty, the
// same figure, or those it begins when it ends in ':'.
inline bool figure_wanted(const std::string& wanted, const std::string& figure) {
  if (wanted.empty() || wanted == figure) return true;
  return wanted.back() == ':' && figure.starts_with(wanted);
}

class Statistics {
 public:
  virtual ~Statistics() = default;
  // In period, then grouping, then figure order.
  virtual Result<std::vector<StatisticsRow>> query(const StatisticsQuery& q) = 0;
};

}  // namespace cg::store
