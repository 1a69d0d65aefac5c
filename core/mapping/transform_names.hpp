// The transforms a mapping may name, in one place: the loader reads names
// from here, and a test checks that docs/mappings.md documents each one.
#pragma once

#include <array>
#include <string_view>

#include "mapping/spec.hpp"

namespace cg::mapping {

// Transforms given by name alone: "transform": ["trim", "upper"].
struct NamedTransform {
  std::string_view name;
  Transform::Op op;
};
inline constexpr std::array<NamedTransform, 6> kNamedTransforms = {{
    {"trim", Transform::Op::Trim},
    {"fullwidth_to_ascii", Transform::Op::FullwidthToAscii},
    {"upper", Transform::Op::Upper},
    {"lower", Transform::Op::Lower},
    {"remove_spaces", Transform::Op::RemoveSpaces},
    {"date", Transform::Op::Date},
}};

// Transforms given as an object, by their first key: {"money": "yuan"}.
inline constexpr std::array<std::string_view, 4> kTransformObjects = {"date", "money", "code_table", "replace"};
// The other keys such an object may have, with the transform they belong to.
inline constexpr std::array<std::string_view, 3> kTransformOptions = {"open_ended", "split", "with"};

}  // namespace cg::mapping
