// What a 专用信用报告 shows (seed policy of 盐城, 近一年/近两年/近三年): the
// subject's records of the window, by the department that provided each
// (its domain): penalties and list entries with their decision, authority
// and status; licences, red lists and commitments apart. Repaired and
// revoked records are never shown, nor one repaired at any time (a record
// since reinstated included). Every domain the gateway receives is
// listed, "无违法违规记录" where it has no penalty or list entry.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "credit_report/report_window.hpp"
#include "store/store.hpp"

namespace cg::credit_report {

struct Domain {
  std::string id, name;  // court, 法院
};

struct ContentRequest {
  std::string uscc;  // normalised and checked
  std::string name;  // as asked; "" takes the name of the subject's newest record
  int64_t years = 1;
  ReportWindow window;
  std::vector<Domain> domains;  // the departments the gateway receives
};

// In the window: a record decided in it, or a list entry (not a penalty or
// licence) in force during some of it.
bool in_window(const Record& r, const ReportWindow& w);

// {"subject": {"name", "uscc"}, "years", "window": {"from", "to"},
//  "domains": [{"id", "name", "adverse": [entry], "other": [entry]}]};
// entry: record_id, kind, kind_name, status, status_name, decided_on,
// document_number, authority, summary, valid_until.
Result<nlohmann::json> report_content(store::Store& st, const ContentRequest& req);

}  // namespace cg::credit_report
