// The canonical fields a mapping may set, with their types.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace cg::mapping {

enum class FieldType { String, Date, Fen, StringList };

// Type of a mappable canonical field ("subject.name", "detail.extra.xyz"),
// or nullopt when the path is not one a mapping may set.
std::optional<FieldType> canonical_field_type(const std::string& path);
// All mappable paths (detail.extra.* shown as "detail.extra.<name>"), for
// "did you mean" suggestions and documentation.
const std::vector<std::string>& mappable_fields();

}  // namespace cg::mapping
