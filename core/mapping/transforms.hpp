// The value transforms a mapping can apply (docs/mappings.md, "Transforms").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/result.hpp"
#include "mapping/spec.hpp"

namespace cg::mapping {

// A value on its way from the source to a canonical field.
using Value = std::variant<std::monostate, std::string, int64_t, std::vector<std::string>>;

inline bool is_absent(const Value& v) {
  return std::holds_alternative<std::monostate>(v);
}

// Parses a date in one of `formats` (every known form when empty:
// 2024年3月19日, 2024/5/20, 2024-05-20, 2024.5.20, 20240615, and an RFC 3339
// instant's date) into YYYY-MM-DD. The date must exist in the calendar.
Result<std::optional<std::string>> parse_date(std::string_view value, const std::vector<std::string>& formats);
bool date_format_valid(const std::string& format);
// 2099-12-31 and 9999-12-31: the forms departments use for "no end date".
std::vector<std::string> default_open_ended();

// Exact decimal money to fen: "3,640,313.00" with scale 100 (yuan) is
// 364031300; "2.35" with scale 1000000 (万元) is 2350000. Never a float: a
// value finer than one fen, or too large for 64 bits, is an error.
Result<int64_t> parse_money(std::string_view value, int64_t scale);

// Applies one transform. Errors carry a rule code (invalid_date,
// invalid_money, unknown_code) for quarantine.
Status apply_transform(const Transform& t, Value& v, const MappingSpec& spec);

}  // namespace cg::mapping
