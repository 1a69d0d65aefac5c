#include "mapping/canonical_fields.hpp"

#include <map>

namespace cg::mapping {

namespace {
const std::map<std::string, FieldType>& table() {
  static const std::map<std::string, FieldType> t{
      {"region", FieldType::String},
      {"status", FieldType::String},
      {"subject.type", FieldType::String},
      {"subject.name", FieldType::String},
      {"subject.uscc", FieldType::String},
      {"subject.id_type", FieldType::String},
      {"subject.id_number", FieldType::String},
      {"subject.legal_representative.name", FieldType::String},
      {"subject.legal_representative.id_type", FieldType::String},
      {"subject.legal_representative.id_number", FieldType::String},
      {"decision.document_number", FieldType::String},
      {"decision.decided_on", FieldType::Date},
      {"decision.valid_from", FieldType::Date},
      {"decision.valid_until", FieldType::Date},
      {"decision.publish_until", FieldType::Date},
      {"decision.authority.name", FieldType::String},
      {"decision.authority.uscc", FieldType::String},
      {"detail.violation_type", FieldType::String},
      {"detail.facts", FieldType::String},
      {"detail.basis", FieldType::String},
      {"detail.penalty_types", FieldType::StringList},
      {"detail.content", FieldType::String},
      {"detail.fine_fen", FieldType::Fen},
      {"detail.confiscated_fen", FieldType::Fen},
      {"detail.license_name", FieldType::String},
      {"detail.license_number", FieldType::String},
      {"detail.license_category", FieldType::String},
      {"detail.case_number", FieldType::String},
      {"detail.court", FieldType::String},
      {"detail.obligation", FieldType::String},
      {"detail.performance", FieldType::String},
      {"detail.amount_fen", FieldType::Fen},
      {"detail.removal_reason", FieldType::String},
      {"detail.removed_on", FieldType::Date},
      {"detail.honour", FieldType::String},
      {"detail.commitment_type", FieldType::String},
      {"detail.commitment_matter", FieldType::String},
      {"detail.commitment_status", FieldType::String},
      {"detail.fulfilment_due", FieldType::Date},
      {"detail.breach_facts", FieldType::String},
      {"source.system", FieldType::String},
  };
  return t;
}
}  // namespace

std::optional<FieldType> canonical_field_type(const std::string& path) {
  static const std::string kExtra = "detail.extra.";
  if (path.rfind(kExtra, 0) == 0) {
    std::string name = path.substr(kExtra.size());
    if (name.empty() || name.find('.') != std::string::npos) return std::nullopt;
    return FieldType::String;
  }
  auto it = table().find(path);
  if (it == table().end()) return std::nullopt;
  return it->second;
}

const std::vector<std::string>& mappable_fields() {
  static const std::vector<std::string> v = [] {
    std::vector<std::string> out;
    for (const auto& [k, _] : table()) out.push_back(k);
    out.push_back("detail.extra.<name>");
    return out;
  }();
  return v;
}

}  // namespace cg::mapping
