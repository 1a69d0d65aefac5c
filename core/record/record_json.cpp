#include <algorithm>
#include <array>
#include <string_view>

#include "record/record.hpp"

namespace cg {

namespace {

using nlohmann::json;

// ---- writing ----
void put(json& j, const char* key, const std::optional<std::string>& v) {
  if (v && !v->empty()) j[key] = *v;
}
void put(json& j, const char* key, const std::optional<int64_t>& v) {
  if (v) j[key] = *v;
}

json person_json(const Person& p) {
  json j = json::object();
  put(j, "name", p.name);
  put(j, "id_type", p.id_type);
  put(j, "id_number", p.id_number);
  return j;
}
json authority_json(const Authority& a) {
  json j = json::object();
  put(j, "name", a.name);
  put(j, "uscc", a.uscc);
  return j;
}

}  // namespace

json to_json(const Record& r) {
  json j = json::object();
  j["record_id"] = r.record_id;
  j["version"] = r.version;
  j["kind"] = r.kind;
  j["status"] = r.status;
  put(j, "region", r.region);
  put(j, "updated_at", r.updated_at);

  json s = json::object();
  s["type"] = r.subject.type;
  s["name"] = r.subject.name;
  put(s, "uscc", r.subject.uscc);
  put(s, "id_type", r.subject.id_type);
  put(s, "id_number", r.subject.id_number);
  if (r.subject.legal_representative) {
    json lr = person_json(*r.subject.legal_representative);
    if (!lr.empty()) s["legal_representative"] = std::move(lr);
  }
  j["subject"] = std::move(s);

  json d = json::object();
  put(d, "document_number", r.decision.document_number);
  put(d, "decided_on", r.decision.decided_on);
  put(d, "valid_from", r.decision.valid_from);
  put(d, "valid_until", r.decision.valid_until);
  put(d, "publish_until", r.decision.publish_until);
  if (r.decision.authority) {
    json a = authority_json(*r.decision.authority);
    if (!a.empty()) d["authority"] = std::move(a);
  }
  j["decision"] = std::move(d);

  const Detail& t = r.detail;
  json x = json::object();
  put(x, "violation_type", t.violation_type);
  put(x, "facts", t.facts);
  put(x, "basis", t.basis);
  if (t.penalty_types) x["penalty_types"] = *t.penalty_types;
  put(x, "content", t.content);
  put(x, "fine_fen", t.fine_fen);
  put(x, "confiscated_fen", t.confiscated_fen);
  put(x, "license_name", t.license_name);
  put(x, "license_number", t.license_number);
  put(x, "license_category", t.license_category);
  put(x, "case_number", t.case_number);
  put(x, "court", t.court);
  put(x, "obligation", t.obligation);
  put(x, "performance", t.performance);
  put(x, "amount_fen", t.amount_fen);
  put(x, "removal_reason", t.removal_reason);
  put(x, "removed_on", t.removed_on);
  put(x, "honour", t.honour);
  put(x, "commitment_type", t.commitment_type);
  put(x, "commitment_matter", t.commitment_matter);
  put(x, "commitment_status", t.commitment_status);
  put(x, "fulfilment_due", t.fulfilment_due);
  put(x, "breach_facts", t.breach_facts);
  if (!t.extra.empty()) x["extra"] = t.extra;
  if (!x.empty()) j["detail"] = std::move(x);

  json src = json::object();
  src["department"] = r.source.department;
  put(src, "system", r.source.system);
  src["source_key"] = r.source.source_key;
  put(src, "received_at", r.source.received_at);
  put(src, "mapping", r.source.mapping);
  j["source"] = std::move(src);
  return j;
}

namespace {
// A handful of names each: a scan of views beats a tree of strings.
template <size_t N>
bool in(const std::array<std::string_view, N>& names, std::string_view v) {
  return std::find(names.begin(), names.end(), v) != names.end();
}
constexpr std::array<std::string_view, 9> kKinds{"admin_license",         "admin_penalty",      "dishonest_debtor",
                                                 "major_tax_violation",   "abnormal_operation", "serious_dishonesty",
                                                 "procurement_violation", "red_list",           "credit_commitment"};
constexpr std::array<std::string_view, 5> kStatuses{"active", "suspended", "repaired", "revoked", "expired"};
constexpr std::array<std::string_view, 4> kSubjectTypes{"legal_person", "individual_business", "natural_person",
                                                        "government_agency"};
constexpr std::array<std::string_view, 6> kIdTypes{
    "resident_id", "passport", "hk_macao_pass", "taiwan_pass", "foreign_permanent_resident", "other"};
constexpr std::array<std::string_view, 7> kPenaltyTypes{
    "warning", "fine", "confiscation", "suspension", "license_revocation", "detention", "other"};
constexpr std::array<std::string_view, 4> kCommitmentTypes{"notification_approval", "deficiency_acceptance",
                                                           "certificate_substitute", "other"};
constexpr std::array<std::string_view, 3> kCommitmentStatuses{"pending", "fulfilled", "breached"};
}  // namespace

bool is_known_commitment_type(const std::string& v) {
  return in(kCommitmentTypes, v);
}
bool is_known_commitment_status(const std::string& v) {
  return in(kCommitmentStatuses, v);
}

bool is_known_kind(const std::string& v) {
  return in(kKinds, v);
}
bool is_known_status(const std::string& v) {
  return in(kStatuses, v);
}
bool is_known_subject_type(const std::string& v) {
  return in(kSubjectTypes, v);
}
bool is_known_id_type(const std::string& v) {
  return in(kIdTypes, v);
}
bool is_known_penalty_type(const std::string& v) {
  return in(kPenaltyTypes, v);
}

}  // namespace cg
