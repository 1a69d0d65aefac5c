// A JSON string literal, byte for byte as nlohmann's dump() writes it (UTF-8
// kept, '"', '\\' and control characters escaped): the store's bodies and
// digests, and the raw text of quarantined records, are written with it.
#pragma once

#include <string>
#include <string_view>

namespace cg {

// Appends `v` to `out` as a quoted JSON string.
void append_json_string(std::string& out, std::string_view v);

// The first byte at or after `i` that JSON must escape in a string (a
// control character, '"' or '\\'), or v.size(): eight bytes at a time.
size_t next_json_special(std::string_view v, size_t i);

}  // namespace cg
