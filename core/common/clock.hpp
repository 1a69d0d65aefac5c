// Time in China Standard Time (UTC+08:00, no daylight saving).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace cg {

using SysTime = std::chrono::system_clock::time_point;

// RFC 3339 with +08:00 offset, second precision: 2024-07-21T09:30:00+08:00.
std::string rfc3339_cst(SysTime t);
std::string now_rfc3339_cst();
// Calendar date in CST: 2024-07-21.
std::string date_cst(SysTime t);
int64_t unix_millis(SysTime t);

}  // namespace cg
