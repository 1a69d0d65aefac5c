#include "checks/verdict.hpp"

#include <algorithm>

#include "catalog/feedback_routes.hpp"

namespace cg::checks {

using nlohmann::json;

namespace {

// Rule 3: `on` within [valid_from, else decided_on; valid_until].
bool in_period(const Record& r, const std::string& on) {
  const auto& d = r.decision;
  const auto& from = d.valid_from ? d.valid_from : d.decided_on;
  if (from && on < *from) return false;
  if (d.valid_until && on > *d.valid_until) return false;
  return true;
}

bool same_person(const Person& p, const CheckSubject& s) {
  if (!p.id_number || !s.id_number || *p.id_number != *s.id_number) return false;
  return !p.id_type || !s.id_type || *p.id_type == *s.id_type;
}

struct Hit {
  const store::StoredRecord* at;
  bool via_representative;
  std::vector<const catalog::Measure*> measures;
};

// The measures of `scenario` that `r` triggers for the subject (rule 1;
// through a legal representative, only those extending to them).
std::vector<const catalog::Measure*> measures_of(const catalog::Catalog& catalog, const std::string& scenario,
                                                 const Record& r, bool via_representative) {
  std::vector<const catalog::Measure*> out;
  for (const auto& m : catalog.measures) {
    if (via_representative && !m.extends_to_legal_representative) continue;
    if (std::find(m.scenarios.begin(), m.scenarios.end(), scenario) == m.scenarios.end()) continue;
    if (m.applies_to_record(r)) out.push_back(&m);
  }
  return out;
}

json hit_json(const Hit& h) {
  const Record& r = h.at->record;
  json j = {{"record_id", r.record_id}, {"version", r.version}, {"kind", r.kind}, {"status", r.status}};
  j["via"] = h.via_representative ? "legal_representative" : "self";
  if (h.via_representative) {
    json of = {{"name", r.subject.name}};
    if (r.subject.uscc) of["uscc"] = *r.subject.uscc;
    j["of"] = of;
  }
  if (r.decision.decided_on) j["decided_on"] = *r.decision.decided_on;
  if (r.decision.valid_from) j["valid_from"] = *r.decision.valid_from;
  if (r.decision.valid_until) j["valid_until"] = *r.decision.valid_until;
  if (r.decision.document_number) j["document_number"] = *r.decision.document_number;
  if (r.decision.authority && r.decision.authority->name) j["authority"] = {{"name", *r.decision.authority->name}};
  j["department"] = r.source.department;
  j["origin"] = h.at->origin;
  json measures = json::array();
  if (r.status == "active")
    for (const auto* m : h.measures) measures.push_back(catalog::measure_json(*m));
  j["measures"] = measures;
  return j;
}

// The subject as the answer echoes it (as the caller sent it).
json subject_json(const CheckSubject& s) {
  json j = json::object();
  if (s.uscc) j["uscc"] = *s.uscc;
  if (s.id_type) j["id_type"] = *s.id_type;
  if (s.id_number) j["id_number"] = *s.id_number;
  if (s.name) j["name"] = *s.name;
  return j;
}

}  // namespace

int verdict_rank(const std::string& verdict) {
  if (verdict == "restricted") return 3;
  if (verdict == "incentive") return 2;
  if (verdict == "clear") return 1;
  return 0;
}

std::string verdict_name(int rank) {
  switch (rank) {
    case 3:
      return "restricted";
    case 2:
      return "incentive";
    case 1:
      return "clear";
    case 0:
      return "invalid_subject";
    default:
      return "";
  }
}

json answer_subject(const catalog::Catalog& catalog, const std::string& scenario, const std::string& on,
                    const CheckSubject& subject, const SubjectRecords& records) {
  json out = {{"subject", subject_json(subject)}};
  if (!subject.invalid.empty()) {
    out["verdict"] = "invalid_subject";
    out["reason"] = subject.invalid;
    out["hits"] = json::array();
    return out;
  }
  std::vector<Hit> hits;
  auto consider = [&](const store::StoredRecord& s, bool via) {
    const Record& r = s.record;
    if (r.status != "active" && r.status != "suspended") return;
    if (via && (!r.subject.legal_representative || !same_person(*r.subject.legal_representative, subject))) return;
    if (!in_period(r, on)) return;
    auto measures = measures_of(catalog, scenario, r, via);
    if (!measures.empty()) hits.push_back({&s, via, std::move(measures)});
  };
  for (const auto& s : records.own) consider(s, false);
  for (const auto& s : records.represented) consider(s, true);
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
    if (a.at->record.record_id != b.at->record.record_id) return a.at->record.record_id < b.at->record.record_id;
    return a.via_representative < b.via_representative;
  });
  bool punished = false, rewarded = false;
  json list = json::array();
  for (const auto& h : hits) {
    if (h.at->record.status == "active")
      for (const auto* m : h.measures) (m->type == "incentive" ? rewarded : punished) = true;
    list.push_back(hit_json(h));
  }
  out["verdict"] = punished ? "restricted" : rewarded ? "incentive" : "clear";
  out["hits"] = std::move(list);
  return out;
}

}  // namespace cg::checks
