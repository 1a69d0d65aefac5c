#include "credit_report/verification_code.hpp"

#include <openssl/rand.h>

#include <array>

namespace cg::credit_report {

namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";  // Crockford's base32
constexpr size_t kChars = 16;

std::string with_dashes(const std::string& chars) {
  std::string out;
  for (size_t i = 0; i < chars.size(); ++i) {
    if (i && i % 4 == 0) out += '-';
    out += chars[i];
  }
  return out;
}

}  // namespace

Result<std::string> new_verification_code() {
  std::array<unsigned char, kChars * 5 / 8> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
    return make_error("report", "no random bytes for a verification code (OpenSSL RAND_bytes)");
  std::string chars;
  unsigned buffer = 0;
  int bits = 0;
  for (unsigned char b : bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      chars += kAlphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return with_dashes(chars);
}

std::optional<std::string> normalise_verification_code(std::string_view text) {
  std::string chars;
  for (char c : text) {
    if (c == '-' || c == ' ') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c == 'O') c = '0';
    if (c == 'I' || c == 'L') c = '1';
    if (kAlphabet.find(c) == std::string_view::npos || chars.size() == kChars) return std::nullopt;
    chars += c;
  }
  if (chars.size() != kChars) return std::nullopt;
  return with_dashes(chars);
}

}  // namespace cg::credit_report
