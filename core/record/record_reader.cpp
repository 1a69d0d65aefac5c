// Canonical records read from JSON with simdjson: one pass over each object's
// fields, each key dispatched to its member; no JSON tree of our own.
#include "record/record_reader.hpp"

#include <string_view>

namespace cg {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;
using Key = std::string_view;

std::string where(Key prefix, Key key) {
  if (key.empty()) return prefix.empty() ? "record" : std::string(prefix);
  if (prefix.empty()) return std::string(key);
  std::string w;
  w.reserve(prefix.size() + 1 + key.size());
  return w.append(prefix).append(".").append(key);
}
Error type_error(Key prefix, Key key, const char* what) {
  return make_error("type", what, where(prefix, key));
}
Error unknown(Key prefix, Key key) {
  return make_error("unknown_field", "unknown field", where(prefix, key));
}

Status read(element v, Key prefix, Key key, std::string& out) {
  std::string_view s;
  if (v.get_string().get(s)) return type_error(prefix, key, "must be a string");
  out.assign(s);
  return {};
}
Status read(element v, Key prefix, Key key, std::optional<std::string>& out) {
  return read(v, prefix, key, out.emplace());
}
Status read(element v, Key prefix, Key key, std::optional<int64_t>& out) {
  int64_t i = 0;
  element_type t = v.type();
  if ((t != element_type::INT64 && t != element_type::UINT64) || v.get_int64().get(i))
    return type_error(prefix, key, "must be an integer");
  out = i;
  return {};
}

// Calls on_field(key, value) for each field of the object `v`, stopping at
// the first error.
template <class OnField>
Status each_field(element v, Key prefix, OnField&& on_field) {
  simdjson::dom::object o;
  if (v.get_object().get(o)) return type_error(prefix, "", "must be an object");
  for (auto field : o) {
    Status st = on_field(field.key, field.value);
    if (!st) return st;
  }
  return {};
}

Status read_person(element v, Key p, Person& out) {
  return each_field(v, p, [&](Key k, element x) -> Status {
    if (k == "name") return read(x, p, k, out.name);
    if (k == "id_type") return read(x, p, k, out.id_type);
    if (k == "id_number") return read(x, p, k, out.id_number);
    return unknown(p, k);
  });
}

Status read_authority(element v, Key p, Authority& out) {
  return each_field(v, p, [&](Key k, element x) -> Status {
    if (k == "name") return read(x, p, k, out.name);
    if (k == "uscc") return read(x, p, k, out.uscc);
    return unknown(p, k);
  });
}

Status read_subject(element v, Subject& s) {
  constexpr Key p = "subject";
  return each_field(v, p, [&](Key k, element x) -> Status {
    if (k == "type") return read(x, p, k, s.type);
    if (k == "name") return read(x, p, k, s.name);
    if (k == "uscc") return read(x, p, k, s.uscc);
    if (k == "id_type") return read(x, p, k, s.id_type);
    if (k == "id_number") return read(x, p, k, s.id_number);
    if (k == "legal_representative")
      return read_person(x, "subject.legal_representative", s.legal_representative.emplace());
    return unknown(p, k);
  });
}

Status read_decision(element v, Decision& d) {
  constexpr Key p = "decision";
  return each_field(v, p, [&](Key k, element x) -> Status {
    if (k == "document_number") return read(x, p, k, d.document_number);
    if (k == "decided_on") return read(x, p, k, d.decided_on);
    if (k == "valid_from") return read(x, p, k, d.valid_from);
    if (k == "valid_until") return read(x, p, k, d.valid_until);
    if (k == "publish_until") return read(x, p, k, d.publish_until);
    if (k == "authority") return read_authority(x, "decision.authority", d.authority.emplace());
    return unknown(p, k);
  });
}

Status read_penalty_types(element v, std::vector<std::string>& out) {
  simdjson::dom::array a;
  if (v.get_array().get(a)) return type_error("detail", "penalty_types", "must be an array of strings");
  for (element e : a) {
    std::string_view s;
    if (e.get_string().get(s)) return type_error("detail", "penalty_types", "must be an array of strings");
    out.emplace_back(s);
  }
  return {};
}

Status read_extra(element v, std::map<std::string, std::string>& out) {
  constexpr Key p = "detail.extra";
  return each_field(v, p, [&](Key k, element x) -> Status { return read(x, p, k, out[std::string(k)]); });
}

Status read_detail(element v, Detail& t) {
  constexpr Key p = "detail";
  return each_field(v, p, [&](Key k, element x) -> Status {
    switch (k.empty() ? '\0' : k.front()) {  // a first cut, then the exact name
      case 'a':
        if (k == "amount_fen") return read(x, p, k, t.amount_fen);
        break;
      case 'b':
        if (k == "basis") return read(x, p, k, t.basis);
        if (k == "breach_facts") return read(x, p, k, t.breach_facts);
        break;
      case 'c':
        if (k == "content") return read(x, p, k, t.content);
        if (k == "confiscated_fen") return read(x, p, k, t.confiscated_fen);
        if (k == "case_number") return read(x, p, k, t.case_number);
        if (k == "court") return read(x, p, k, t.court);
        if (k == "commitment_type") return read(x, p, k, t.commitment_type);
        if (k == "commitment_matter") return read(x, p, k, t.commitment_matter);
        if (k == "commitment_status") return read(x, p, k, t.commitment_status);
        break;
      case 'e':
        if (k == "extra") return read_extra(x, t.extra);
        break;
      case 'f':
        if (k == "facts") return read(x, p, k, t.facts);
        if (k == "fine_fen") return read(x, p, k, t.fine_fen);
        if (k == "fulfilment_due") return read(x, p, k, t.fulfilment_due);
        break;
      case 'h':
        if (k == "honour") return read(x, p, k, t.honour);
        break;
      case 'l':
        if (k == "license_name") return read(x, p, k, t.license_name);
        if (k == "license_number") return read(x, p, k, t.license_number);
        if (k == "license_category") return read(x, p, k, t.license_category);
        break;
      case 'o':
        if (k == "obligation") return read(x, p, k, t.obligation);
        break;
      case 'p':
        if (k == "penalty_types") return read_penalty_types(x, t.penalty_types.emplace());
        if (k == "performance") return read(x, p, k, t.performance);
        break;
      case 'r':
        if (k == "removal_reason") return read(x, p, k, t.removal_reason);
        if (k == "removed_on") return read(x, p, k, t.removed_on);
        break;
      case 'v':
        if (k == "violation_type") return read(x, p, k, t.violation_type);
        break;
      default:
        break;
    }
    return unknown(p, k);
  });
}

Status read_source(element v, Source& s) {
  constexpr Key p = "source";
  return each_field(v, p, [&](Key k, element x) -> Status {
    if (k == "department") return read(x, p, k, s.department);
    if (k == "system") return read(x, p, k, s.system);
    if (k == "source_key") return read(x, p, k, s.source_key);
    if (k == "received_at") return read(x, p, k, s.received_at);
    if (k == "mapping") return read(x, p, k, s.mapping);
    return unknown(p, k);
  });
}

}  // namespace

Result<Record> record_from_element(element e) {
  Record rec;
  rec.version = 0;  // absent: 0, as absent strings are empty
  rec.status.clear();
  Status st = each_field(e, "", [&](Key k, element x) -> Status {
    if (k == "record_id") return read(x, "", k, rec.record_id);
    if (k == "version") {
      std::optional<int64_t> v;
      Status s = read(x, "", k, v);
      rec.version = v.value_or(0);
      return s;
    }
    if (k == "kind") return read(x, "", k, rec.kind);
    if (k == "status") return read(x, "", k, rec.status);
    if (k == "region") return read(x, "", k, rec.region);
    if (k == "updated_at") return read(x, "", k, rec.updated_at);
    if (k == "subject") return read_subject(x, rec.subject);
    if (k == "decision") return read_decision(x, rec.decision);
    if (k == "detail") return read_detail(x, rec.detail);
    if (k == "source") return read_source(x, rec.source);
    return unknown("", k);
  });
  if (!st) return st.error();
  return rec;
}

Result<Record> record_from_json_text(std::string_view text) {
  thread_local simdjson::dom::parser parser;  // keeps its buffers between records
  element doc;
  if (auto err = parser.parse(text.data(), text.size()).get(doc))
    return make_error("json", std::string("not JSON: ") + simdjson::error_message(err), "record");
  return record_from_element(doc);
}

Result<Record> record_from_json(const nlohmann::json& j) {
  return record_from_json_text(j.dump());
}

}  // namespace cg
