// SHA-256 and HMAC-SHA256 (OpenSSL), lowercase hex.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace cg::sdk {

std::string sha256_hex(std::string_view data);
// sha256_hex of the parts one after the other, without joining them.
std::string sha256_hex_concat(std::initializer_list<std::string_view> parts);
// The first `hex_chars` (even, at most 64) characters of sha256_hex(parts
// joined by `separator`), without building the joined text.
std::string sha256_hex_prefix(std::initializer_list<std::string_view> parts, char separator, size_t hex_chars);
std::string hmac_sha256_hex(std::string_view key, std::string_view data);
std::string to_hex(const unsigned char* data, size_t size);

}  // namespace cg::sdk
