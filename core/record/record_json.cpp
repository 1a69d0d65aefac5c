#include <set>
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

// ---- reading ----
class Reader {
 public:
  explicit Reader(std::string prefix) : prefix_(std::move(prefix)) {}

  // Checks that `j` is an object with only `allowed` keys.
  Status object(const json& j, std::initializer_list<std::string_view> allowed) const {
    if (!j.is_object()) return make_error("type", "must be an object", name(""));
    for (auto it = j.begin(); it != j.end(); ++it) {
      const std::string& k = it.key();
      bool ok = false;
      for (std::string_view a : allowed) ok = ok || k == a;
      if (!ok) return make_error("unknown_field", "unknown field", name(k));
    }
    return {};
  }
  Status str(const json& j, const char* key, std::optional<std::string>& out) const {
    auto it = j.find(key);
    if (it == j.end()) return {};
    if (!it->is_string()) return make_error("type", "must be a string", name(key));
    out = it->get_ref<const std::string&>();
    return {};
  }
  Status req_str(const json& j, const char* key, std::string& out) const {
    auto it = j.find(key);
    if (it == j.end()) return {};
    if (!it->is_string()) return make_error("type", "must be a string", name(key));
    out = it->get_ref<const std::string&>();
    return {};
  }
  Status integer(const json& j, const char* key, std::optional<int64_t>& out) const {
    auto it = j.find(key);
    if (it == j.end()) return {};
    if (!it->is_number_integer()) return make_error("type", "must be an integer", name(key));
    out = it->get<int64_t>();
    return {};
  }
  [[nodiscard]] std::string name(const std::string& key) const {
    if (key.empty()) return prefix_.empty() ? "record" : prefix_;
    return prefix_.empty() ? key : prefix_ + "." + key;
  }

 private:
  std::string prefix_;
};

#define CG_TRY(expr)        \
  do {                      \
    auto _st = (expr);      \
    if (!_st) return _st.error(); \
  } while (0)

Result<Person> read_person(const json& j, const std::string& prefix) {
  Reader r(prefix);
  Person p;
  CG_TRY(r.object(j, {"name", "id_type", "id_number"}));
  CG_TRY(r.str(j, "name", p.name));
  CG_TRY(r.str(j, "id_type", p.id_type));
  CG_TRY(r.str(j, "id_number", p.id_number));
  return p;
}

Result<Authority> read_authority(const json& j, const std::string& prefix) {
  Reader r(prefix);
  Authority a;
  CG_TRY(r.object(j, {"name", "uscc"}));
  CG_TRY(r.str(j, "name", a.name));
  CG_TRY(r.str(j, "uscc", a.uscc));
  return a;
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

Result<Record> record_from_json(const json& j) {
  Record rec;
  Reader top("");
  CG_TRY(top.object(j, {"record_id", "version", "kind", "status", "region", "updated_at",
                        "subject", "decision", "detail", "source"}));
  CG_TRY(top.req_str(j, "record_id", rec.record_id));
  std::optional<int64_t> version;
  CG_TRY(top.integer(j, "version", version));
  rec.version = version.value_or(0);
  CG_TRY(top.req_str(j, "kind", rec.kind));
  rec.status.clear();
  CG_TRY(top.req_str(j, "status", rec.status));
  CG_TRY(top.str(j, "region", rec.region));
  CG_TRY(top.str(j, "updated_at", rec.updated_at));

  if (auto it = j.find("subject"); it != j.end()) {
    Reader r("subject");
    CG_TRY(r.object(*it, {"type", "name", "uscc", "id_type", "id_number", "legal_representative"}));
    CG_TRY(r.req_str(*it, "type", rec.subject.type));
    CG_TRY(r.req_str(*it, "name", rec.subject.name));
    CG_TRY(r.str(*it, "uscc", rec.subject.uscc));
    CG_TRY(r.str(*it, "id_type", rec.subject.id_type));
    CG_TRY(r.str(*it, "id_number", rec.subject.id_number));
    if (auto lr = it->find("legal_representative"); lr != it->end()) {
      auto p = read_person(*lr, "subject.legal_representative");
      if (!p) return p.error();
      rec.subject.legal_representative = *p;
    }
  }
  if (auto it = j.find("decision"); it != j.end()) {
    Reader r("decision");
    CG_TRY(r.object(*it, {"document_number", "decided_on", "valid_from", "valid_until",
                          "publish_until", "authority"}));
    CG_TRY(r.str(*it, "document_number", rec.decision.document_number));
    CG_TRY(r.str(*it, "decided_on", rec.decision.decided_on));
    CG_TRY(r.str(*it, "valid_from", rec.decision.valid_from));
    CG_TRY(r.str(*it, "valid_until", rec.decision.valid_until));
    CG_TRY(r.str(*it, "publish_until", rec.decision.publish_until));
    if (auto a = it->find("authority"); a != it->end()) {
      auto au = read_authority(*a, "decision.authority");
      if (!au) return au.error();
      rec.decision.authority = *au;
    }
  }
  if (auto it = j.find("detail"); it != j.end()) {
    Reader r("detail");
    Detail& t = rec.detail;
    CG_TRY(r.object(*it, {"violation_type", "facts", "basis", "penalty_types", "content",
                          "fine_fen", "confiscated_fen", "license_name", "license_number",
                          "license_category", "case_number", "court", "obligation",
                          "performance", "amount_fen", "removal_reason", "removed_on", "extra"}));
    CG_TRY(r.str(*it, "violation_type", t.violation_type));
    CG_TRY(r.str(*it, "facts", t.facts));
    CG_TRY(r.str(*it, "basis", t.basis));
    if (auto p = it->find("penalty_types"); p != it->end()) {
      if (!p->is_array()) return make_error("type", "must be an array of strings", "detail.penalty_types");
      std::vector<std::string> v;
      for (const auto& e : *p) {
        if (!e.is_string()) return make_error("type", "must be an array of strings", "detail.penalty_types");
        v.push_back(e.get<std::string>());
      }
      t.penalty_types = std::move(v);
    }
    CG_TRY(r.str(*it, "content", t.content));
    CG_TRY(r.integer(*it, "fine_fen", t.fine_fen));
    CG_TRY(r.integer(*it, "confiscated_fen", t.confiscated_fen));
    CG_TRY(r.str(*it, "license_name", t.license_name));
    CG_TRY(r.str(*it, "license_number", t.license_number));
    CG_TRY(r.str(*it, "license_category", t.license_category));
    CG_TRY(r.str(*it, "case_number", t.case_number));
    CG_TRY(r.str(*it, "court", t.court));
    CG_TRY(r.str(*it, "obligation", t.obligation));
    CG_TRY(r.str(*it, "performance", t.performance));
    CG_TRY(r.integer(*it, "amount_fen", t.amount_fen));
    CG_TRY(r.str(*it, "removal_reason", t.removal_reason));
    CG_TRY(r.str(*it, "removed_on", t.removed_on));
    if (auto e = it->find("extra"); e != it->end()) {
      if (!e->is_object()) return make_error("type", "must be an object", "detail.extra");
      for (const auto& [k, v] : e->items()) {
        if (!v.is_string()) return make_error("type", "must be a string", "detail.extra." + k);
        t.extra[k] = v.get<std::string>();
      }
    }
  }
  if (auto it = j.find("source"); it != j.end()) {
    Reader r("source");
    CG_TRY(r.object(*it, {"department", "system", "source_key", "received_at", "mapping"}));
    CG_TRY(r.req_str(*it, "department", rec.source.department));
    CG_TRY(r.str(*it, "system", rec.source.system));
    CG_TRY(r.req_str(*it, "source_key", rec.source.source_key));
    CG_TRY(r.str(*it, "received_at", rec.source.received_at));
    CG_TRY(r.str(*it, "mapping", rec.source.mapping));
  }
  return rec;
}

namespace {
bool in(const std::set<std::string>& s, const std::string& v) { return s.count(v) > 0; }
}  // namespace

bool is_known_kind(const std::string& v) {
  static const std::set<std::string> k{"admin_license",       "admin_penalty",
                                       "dishonest_debtor",    "major_tax_violation",
                                       "abnormal_operation",  "serious_dishonesty",
                                       "procurement_violation", "red_list",
                                       "credit_commitment"};
  return in(k, v);
}
bool is_known_status(const std::string& v) {
  static const std::set<std::string> k{"active", "suspended", "repaired", "revoked", "expired"};
  return in(k, v);
}
bool is_known_subject_type(const std::string& v) {
  static const std::set<std::string> k{"legal_person", "individual_business", "natural_person",
                                       "government_agency"};
  return in(k, v);
}
bool is_known_id_type(const std::string& v) {
  static const std::set<std::string> k{"resident_id", "passport", "hk_macao_pass", "taiwan_pass",
                                       "foreign_permanent_resident", "other"};
  return in(k, v);
}
bool is_known_penalty_type(const std::string& v) {
  static const std::set<std::string> k{"warning",   "fine",     "confiscation", "suspension",
                                       "license_revocation", "detention", "other"};
  return in(k, v);
}

}  // namespace cg
