// SHA-256 and HMAC-SHA256 (OpenSSL), lowercase hex.
#pragma once

#include <string>
#include <string_view>

namespace cg {

std::string sha256_hex(std::string_view data);
std::string hmac_sha256_hex(std::string_view key, std::string_view data);
std::string to_hex(const unsigned char* data, size_t size);

}  // namespace cg
