// SHA-256 and HMAC-SHA256, lowercase hex: the SDK's, which core uses too.
#pragma once

#include <credit_gateway/support/hash.hpp>

namespace cg {

using sdk::hmac_sha256_hex;
using sdk::sha256_hex;
using sdk::sha256_hex_concat;
using sdk::sha256_hex_prefix;
using sdk::to_hex;

}  // namespace cg
