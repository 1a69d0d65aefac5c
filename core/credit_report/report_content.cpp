#include "credit_report/report_content.hpp"

#include <algorithm>
#include <map>

#include "record/kind_names.hpp"

namespace cg::credit_report {

using nlohmann::json;

namespace {

// Penalties and the lists of the dishonest: what "无违法违规记录" denies.
bool adverse(const std::string& kind) {
  return kind != "admin_license" && kind != "red_list" && kind != "credit_commitment";
}

std::string summary_of(const Record& r) {
  const auto& d = r.detail;
  for (const auto* field : {&d.facts, &d.content, &d.violation_type, &d.license_name, &d.obligation})
    if (*field && !(*field)->empty()) return **field;
  return "";
}

json entry_json(const Record& r) {
  json e = {{"record_id", r.record_id},
            {"kind", r.kind},
            {"kind_name", kind_name_zh(r.kind)},
            {"status", r.status},
            {"status_name", status_name_zh(r.status)},
            {"decided_on", r.decision.decided_on.value_or("")},
            {"document_number", r.decision.document_number.value_or("")},
            {"authority", r.decision.authority && r.decision.authority->name ? *r.decision.authority->name : ""},
            {"summary", summary_of(r)},
            {"valid_until", r.decision.valid_until.value_or("")}};
  return e;
}

// Ever repaired: the current version's status, or any earlier one's.
Result<bool> ever_repaired(store::Store& st, const Record& r) {
  if (r.status == "repaired") return true;
  if (r.version <= 1) return false;
  auto versions = st.records().history(r.record_id);
  if (!versions.ok()) return versions.error();
  return std::any_of(versions->begin(), versions->end(), [](const Record& v) { return v.status == "repaired"; });
}

}  // namespace

bool in_window(const Record& r, const ReportWindow& w) {
  const auto& d = r.decision;
  if (!d.decided_on || *d.decided_on > w.to) return false;
  if (*d.decided_on >= w.from) return true;
  if (r.kind == "admin_penalty" || r.kind == "admin_license") return false;
  return !d.valid_until || *d.valid_until >= w.from;
}

Result<json> report_content(store::Store& st, const ContentRequest& req) {
  auto records = st.records().of_subject(req.uscc, "", 1'000'000);
  if (!records.ok()) return records.error();
  std::string name = req.name, newest;
  std::map<std::string, std::vector<const Record*>> by_domain;
  for (const auto& s : *records) {
    const Record& r = s.record;
    if (req.name.empty() && r.updated_at.value_or("") >= newest) {
      newest = r.updated_at.value_or("");
      if (!r.subject.name.empty()) name = r.subject.name;
    }
    if (r.status == "revoked" || !in_window(r, req.window)) continue;
    auto repaired = ever_repaired(st, r);
    if (!repaired.ok()) return repaired.error();
    if (*repaired) continue;
    by_domain[r.source.department].push_back(&r);
  }
  std::vector<Domain> domains = req.domains;
  for (const auto& held : by_domain) {  // a department known only from the platform's records
    const std::string& id = held.first;
    if (std::none_of(domains.begin(), domains.end(), [&](const Domain& d) { return d.id == id; }))
      domains.push_back({id, id});
  }
  json list = json::array();
  for (const auto& d : domains) {
    auto& held = by_domain[d.id];
    std::sort(held.begin(), held.end(), [](const Record* a, const Record* b) {
      return std::tie(a->decision.decided_on, a->record_id) > std::tie(b->decision.decided_on, b->record_id);
    });
    json bad = json::array(), other = json::array();
    for (const Record* r : held) (adverse(r->kind) ? bad : other).push_back(entry_json(*r));
    list.push_back({{"id", d.id}, {"name", d.name}, {"adverse", bad}, {"other", other}});
  }
  return json{{"subject", {{"name", name}, {"uscc", req.uscc}}},
              {"years", req.years},
              {"window", {{"from", req.window.from}, {"to", req.window.to}}},
              {"domains", list}};
}

}  // namespace cg::credit_report
