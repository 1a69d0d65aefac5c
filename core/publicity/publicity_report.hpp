// The 双公示 report: every local licence and penalty decided in a period,
// stored or held in quarantine, with its deadline, its state and, while no
// platform has accepted it, why. For the admin API, `credit-gateway report
// shuanggongshi` (CSV), the metrics and the at-risk alert.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "calendar/working_days.hpp"
#include "publicity/timeliness.hpp"
#include "store/store.hpp"

namespace cg::publicity {

struct ReportFilter {
  std::string department;
  std::string from, to;  // decided_on within [from, to] when set
  std::string state;     // one of kStates when set
  bool unaccepted = false;
};

// Every state an entry can be in; `unknown` when its deadline cannot be
// worked out (a year without a calendar), with the error.
inline const std::vector<std::string> kStates = {"on_time", "late", "overdue", "at_risk", "pending", "unknown"};

struct ReportEntry {
  store::PublicityRow row;
  Timeliness timeliness;
  std::string reason;  // while unaccepted: quarantined, rejected, or waiting for delivery
  std::string error;   // state unknown: why
};

// An error names a filter field (`state`, `from`, `to`) that is malformed.
Result<std::vector<ReportEntry>> report(store::Store& st, const calendar::WorkingDays& days, const ReportFilter& f,
                                        const std::string& today);

nlohmann::json to_json(const ReportEntry& e);
// RFC 4180, a header line first; UTF-8.
std::string csv_header();
std::string to_csv_line(const ReportEntry& e);
// Entries by (department, state).
std::map<std::pair<std::string, std::string>, int64_t> counts(const std::vector<ReportEntry>& entries);

}  // namespace cg::publicity
