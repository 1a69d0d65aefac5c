#include "publicity/publicity_report.hpp"

#include <algorithm>

#include "calendar/date.hpp"

namespace cg::publicity {

using nlohmann::json;

namespace {

std::string why_unaccepted(const store::PublicityRow& r) {
  if (r.quarantine_id > 0)
    return "quarantined (#" + std::to_string(r.quarantine_id) + ", " + r.quarantine_rule +
           (r.quarantine_field.empty() ? "" : " " + r.quarantine_field) + "): correct it and replay";
  if (!r.dead_letter.empty()) return "rejected by " + r.dead_letter;
  return "waiting for delivery";
}

std::string csv_cell(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

Result<std::vector<ReportEntry>> report(store::Store& st, const calendar::WorkingDays& days, const ReportFilter& f,
                                        const std::string& today) {
  if (!f.state.empty() && std::find(kStates.begin(), kStates.end(), f.state) == kStates.end())
    return make_error("bad_request",
                      "state '" + f.state + "' is none of on_time, late, overdue, at_risk, pending, unknown", "state");
  for (const auto& [name, value] : {std::pair{"from", &f.from}, std::pair{"to", &f.to}})
    if (!value->empty())
      if (auto d = calendar::parse_date(*value); !d.ok()) return make_error("bad_request", d.error().message, name);
  store::PublicityFilter pf{f.department, f.from, f.to, f.unaccepted};
  auto rows = st.publicity().list(pf);
  if (!rows.ok()) return rows.error();
  std::vector<ReportEntry> out;
  for (auto& row : *rows) {
    ReportEntry e;
    const bool unaccepted = row.accepted_at.empty();
    std::optional<std::string> accepted_on;
    if (!unaccepted) accepted_on = row.accepted_at.substr(0, 10);  // the day in China Standard Time
    auto t = timeliness(days, row.decided_on, accepted_on, today, row.quarantine_id > 0 || !row.dead_letter.empty());
    if (t.ok()) {
      e.timeliness = *t;
    } else {
      e.timeliness.state = "unknown";
      e.error = t.error().message;
    }
    if (unaccepted) e.reason = why_unaccepted(row);
    e.row = std::move(row);
    if (!f.state.empty() && e.timeliness.state != f.state) continue;
    out.push_back(std::move(e));
  }
  return out;
}

json to_json(const ReportEntry& e) {
  const auto& r = e.row;
  json j = {{"record_id", r.record_id},   {"department", r.department},           {"kind", r.kind},
            {"decided_on", r.decided_on}, {"document_number", r.document_number}, {"state", e.timeliness.state}};
  if (!e.timeliness.due_on.empty()) j["due_on"] = e.timeliness.due_on;
  if (e.timeliness.state == "late" || e.timeliness.state == "overdue")
    j["working_days_late"] = e.timeliness.working_days_late;
  if (e.timeliness.state == "at_risk" || e.timeliness.state == "pending")
    j["working_days_left"] = e.timeliness.working_days_left;
  if (!r.accepted_at.empty()) j["accepted_at"] = r.accepted_at;
  j["accepted"] = r.accepted;
  if (!e.reason.empty()) j["reason"] = e.reason;
  if (r.quarantine_id > 0) j["quarantine_id"] = r.quarantine_id;
  if (!e.error.empty()) j["error"] = e.error;
  return j;
}

std::string csv_header() {
  return "record_id,department,kind,document_number,decided_on,due_on,state,working_days_late,working_days_left,"
         "accepted_at,accepted_by,reason\r\n";
}

std::string to_csv_line(const ReportEntry& e) {
  const auto& r = e.row;
  std::string by;
  for (const auto& [dest, at] : r.accepted) by += (by.empty() ? "" : " ") + dest + "=" + at;
  const std::vector<std::string> cells = {r.record_id,
                                          r.department,
                                          r.kind,
                                          r.document_number,
                                          r.decided_on,
                                          e.timeliness.due_on,
                                          e.timeliness.state,
                                          std::to_string(e.timeliness.working_days_late),
                                          std::to_string(e.timeliness.working_days_left),
                                          r.accepted_at,
                                          by,
                                          e.error.empty() ? e.reason : e.error};
  std::string line;
  for (size_t i = 0; i < cells.size(); ++i) line += (i ? "," : "") + csv_cell(cells[i]);
  return line + "\r\n";
}

std::map<std::pair<std::string, std::string>, int64_t> counts(const std::vector<ReportEntry>& entries) {
  std::map<std::pair<std::string, std::string>, int64_t> out;
  for (const auto& e : entries) ++out[{e.row.department, e.timeliness.state}];
  return out;
}

}  // namespace cg::publicity
