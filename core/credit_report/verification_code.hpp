// The 核验码 of a 专用信用报告: 80 random bits (OpenSSL's RAND_bytes) in
// Crockford's base32, written XXXX-XXXX-XXXX-XXXX: easy to read out and
// type, impossible to guess.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace cg::credit_report {

Result<std::string> new_verification_code();

// A code as someone typed or scanned it (lower case, without dashes,
// spaces, O for 0, I or L for 1), written as new_verification_code writes
// it; nullopt when it cannot be one.
std::optional<std::string> normalise_verification_code(std::string_view text);

}  // namespace cg::credit_report
