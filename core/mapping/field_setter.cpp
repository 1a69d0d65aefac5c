#include "mapping/field_setter.hpp"

#include <string_view>
#include <unordered_map>

namespace cg::mapping {

namespace {

using Setter = bool (*)(Record&, Value&&);

// The value's alternative for a field: T for a T or an std::optional<T>.
template <typename D>
struct Alternative {
  using type = D;
};
template <typename T>
struct Alternative<std::optional<T>> {
  using type = T;
};

template <typename D>
bool take(Value& v, D& out) {
  auto* p = std::get_if<typename Alternative<D>::type>(&v);
  if (!p) return false;
  out = std::move(*p);
  return true;
}

Person& lr(Record& r) {
  if (!r.subject.legal_representative) r.subject.legal_representative.emplace();
  return *r.subject.legal_representative;
}

Authority& authority(Record& r) {
  if (!r.decision.authority) r.decision.authority.emplace();
  return *r.decision.authority;
}

#define CG_FIELD(path, expr)                                 \
  {                                                          \
    path, [](Record& r, Value&& v) { return take(v, expr); } \
  }

const std::unordered_map<std::string_view, Setter>& setters() {
  static const std::unordered_map<std::string_view, Setter> t{
      CG_FIELD("region", r.region),
      CG_FIELD("status", r.status),
      CG_FIELD("subject.type", r.subject.type),
      CG_FIELD("subject.name", r.subject.name),
      CG_FIELD("subject.uscc", r.subject.uscc),
      CG_FIELD("subject.id_type", r.subject.id_type),
      CG_FIELD("subject.id_number", r.subject.id_number),
      CG_FIELD("subject.legal_representative.name", lr(r).name),
      CG_FIELD("subject.legal_representative.id_type", lr(r).id_type),
      CG_FIELD("subject.legal_representative.id_number", lr(r).id_number),
      CG_FIELD("decision.document_number", r.decision.document_number),
      CG_FIELD("decision.decided_on", r.decision.decided_on),
      CG_FIELD("decision.valid_from", r.decision.valid_from),
      CG_FIELD("decision.valid_until", r.decision.valid_until),
      CG_FIELD("decision.publish_until", r.decision.publish_until),
      CG_FIELD("decision.authority.name", authority(r).name),
      CG_FIELD("decision.authority.uscc", authority(r).uscc),
      CG_FIELD("detail.violation_type", r.detail.violation_type),
      CG_FIELD("detail.facts", r.detail.facts),
      CG_FIELD("detail.basis", r.detail.basis),
      CG_FIELD("detail.penalty_types", r.detail.penalty_types),
      CG_FIELD("detail.content", r.detail.content),
      CG_FIELD("detail.fine_fen", r.detail.fine_fen),
      CG_FIELD("detail.confiscated_fen", r.detail.confiscated_fen),
      CG_FIELD("detail.license_name", r.detail.license_name),
      CG_FIELD("detail.license_number", r.detail.license_number),
      CG_FIELD("detail.license_category", r.detail.license_category),
      CG_FIELD("detail.case_number", r.detail.case_number),
      CG_FIELD("detail.court", r.detail.court),
      CG_FIELD("detail.obligation", r.detail.obligation),
      CG_FIELD("detail.performance", r.detail.performance),
      CG_FIELD("detail.amount_fen", r.detail.amount_fen),
      CG_FIELD("detail.removal_reason", r.detail.removal_reason),
      CG_FIELD("detail.removed_on", r.detail.removed_on),
      CG_FIELD("detail.honour", r.detail.honour),
      CG_FIELD("detail.commitment_type", r.detail.commitment_type),
      CG_FIELD("detail.commitment_matter", r.detail.commitment_matter),
      CG_FIELD("detail.commitment_status", r.detail.commitment_status),
      CG_FIELD("detail.fulfilment_due", r.detail.fulfilment_due),
      CG_FIELD("detail.breach_facts", r.detail.breach_facts),
      CG_FIELD("source.system", r.source.system),
  };
  return t;
}

#undef CG_FIELD

}  // namespace

std::optional<FieldSetter> FieldSetter::for_field(const std::string& path) {
  static constexpr std::string_view kExtra = "detail.extra.";
  FieldSetter f;
  if (path.size() > kExtra.size() && path.compare(0, kExtra.size(), kExtra) == 0) {
    f.extra_ = path.substr(kExtra.size());
    return f;
  }
  auto it = setters().find(path);
  if (it == setters().end()) return std::nullopt;
  f.fn_ = it->second;
  return f;
}

bool FieldSetter::assign(Record& r, Value&& v) const {
  if (is_absent(v)) return true;
  if (fn_) return fn_(r, std::move(v));
  if (extra_.empty()) return false;  // not a mappable field
  auto* s = std::get_if<std::string>(&v);
  if (!s) return false;
  r.detail.extra.insert_or_assign(extra_, std::move(*s));
  return true;
}

bool assign_field(Record& r, const std::string& path, Value&& v) {
  auto setter = FieldSetter::for_field(path);
  return setter && setter->assign(r, std::move(v));
}

}  // namespace cg::mapping
