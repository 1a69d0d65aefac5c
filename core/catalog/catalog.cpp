#include "catalog/catalog.hpp"

#include <algorithm>

namespace cg::catalog {

namespace {
bool has(const std::vector<std::string>& names, const std::string& v) {
  return std::find(names.begin(), names.end(), v) != names.end();
}
}  // namespace

bool Measure::applies_to_kind(const std::string& kind) const {
  return has(applies_to, kind);
}
bool Measure::applies_to_subject(const std::string& subject_type) const {
  return has(subject_types, subject_type);
}
bool Measure::applies_to_record(const Record& r) const {
  if (!applies_to_kind(r.kind) || !applies_to_subject(r.subject.type)) return false;
  if (when.empty()) return true;
  const nlohmann::json j = to_json(r);  // only for the few measures with a condition
  for (const auto& [field, value] : when) {
    const nlohmann::json* at = &j;
    size_t start = 0;
    while (at && start <= field.size()) {
      const size_t dot = std::min(field.find('.', start), field.size());
      const std::string part = field.substr(start, dot - start);
      at = at->is_object() && at->contains(part) ? &(*at)[part] : nullptr;
      start = dot + 1;
    }
    if (!at || !at->is_string() || at->get<std::string>() != value) return false;
  }
  return true;
}

bool Measure::implemented_by(const std::string& department) const {
  return has(implementing, department);
}

}  // namespace cg::catalog
