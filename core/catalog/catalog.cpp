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
bool Measure::implemented_by(const std::string& department) const {
  return has(implementing, department);
}

}  // namespace cg::catalog
