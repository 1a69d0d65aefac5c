// Enforces every rule of the canonical record spec.
#pragma once

#include <string>
#include <vector>

#include "record/record.hpp"

namespace cg {

// One broken rule. `rule` is a stable identifier (docs/canonical-record.md
// lists them), `field` the canonical field path, `message` human text with
// personal ID numbers masked.
struct Violation {
  std::string rule;
  std::string field;
  std::string message;
};

struct ValidationOptions {
  // Today in CST as YYYYMMDD; birth dates after it are invalid. 0 = use the clock.
  int today_yyyymmdd = 0;
};

std::vector<Violation> validate_record(const Record& r, const ValidationOptions& opts = {});

}  // namespace cg
