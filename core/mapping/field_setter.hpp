// Writes a mapped value straight into its canonical field (no intermediate
// JSON tree): the mapping engine's hot path. The field's writer is found once,
// when the mapping loads, not per record.
#pragma once

#include <optional>
#include <string>

#include "mapping/transforms.hpp"
#include "record/record.hpp"

namespace cg::mapping {

class FieldSetter {
 public:
  FieldSetter() = default;  // sets nothing: assign() is false
  // The writer of a mappable field (canonical_field_type() knows it);
  // nullopt for any other path.
  [[nodiscard]] static std::optional<FieldSetter> for_field(const std::string& path);

  // `v` has the field's type already (the engine's finalize step); an absent
  // value leaves the field unset. False for a value of another type.
  bool assign(Record& r, Value&& v) const;

 private:
  using Fn = bool (*)(Record&, Value&&);
  Fn fn_ = nullptr;
  std::string extra_;  // detail.extra.<name>: the name
};

// One-off form of the above: false for a path or a type that does not fit.
bool assign_field(Record& r, const std::string& path, Value&& v);

}  // namespace cg::mapping
