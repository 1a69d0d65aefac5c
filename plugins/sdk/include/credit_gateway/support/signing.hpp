// Request signing of the platform contract v1 (docs/platform-api.md §1).
#pragma once

#include <credit_gateway/support/hash.hpp>
#include <string>
#include <string_view>

namespace cg::sdk {

// string_to_sign = METHOD \n PATH_AND_QUERY \n timestamp \n nonce \n hex(SHA-256(body))
inline std::string string_to_sign(const std::string& method, const std::string& path_and_query,
                                  const std::string& timestamp_ms, const std::string& nonce, std::string_view body) {
  return method + "\n" + path_and_query + "\n" + timestamp_ms + "\n" + nonce + "\n" + sha256_hex(body);
}

// Lower-case hex of HMAC-SHA256(secret, string_to_sign).
inline std::string sign_request(const std::string& secret, const std::string& method, const std::string& path_and_query,
                                const std::string& timestamp_ms, const std::string& nonce, std::string_view body) {
  return hmac_sha256_hex(secret, string_to_sign(method, path_and_query, timestamp_ms, nonce, body));
}

}  // namespace cg::sdk
