// Writes a mapped value straight into its canonical field (no intermediate
// JSON tree): the mapping engine's hot path.
#pragma once

#include <string>

#include "mapping/transforms.hpp"
#include "record/record.hpp"

namespace cg::mapping {

// `path` is a mappable field (canonical_field_type() knows it) and `v` has
// that field's type already (the engine's finalize step); an absent value
// leaves the field unset. Returns false for a path or type that does not fit.
bool assign_field(Record& r, const std::string& path, Value&& v);

}  // namespace cg::mapping
