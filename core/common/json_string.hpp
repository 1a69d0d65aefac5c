// A JSON string literal, byte for byte as nlohmann's dump() writes it (UTF-8
// kept, '"', '\\' and control characters escaped): the store's bodies and
// digests, and the raw text of quarantined records, are written with it.
#pragma once

#include <string>
#include <string_view>

namespace cg {

// Appends `v` to `out` as a quoted JSON string.
void append_json_string(std::string& out, std::string_view v);

}  // namespace cg
