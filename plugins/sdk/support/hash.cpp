#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <credit_gateway/support/hash.hpp>
#include <memory>
#include <optional>

namespace cg::sdk {

std::string to_hex(const unsigned char* data, size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(size * 2, '0');
  for (size_t i = 0; i < size; ++i) {
    out[2 * i] = kHex[data[i] >> 4];
    out[2 * i + 1] = kHex[data[i] & 0x0f];
  }
  return out;
}

namespace {

// SHA256() looks the algorithm up on every call (OpenSSL 3): on the per-record
// path (record ids, digests) one fetched algorithm and one context per thread.
struct CtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct MdFree {
  void operator()(EVP_MD* m) const { EVP_MD_free(m); }
};

// SHA-256 of the parts joined by `separator` (none when it is absent),
// without joining them.
void sha256_parts(std::initializer_list<std::string_view> parts, std::optional<char> separator,
                  unsigned char (&digest)[SHA256_DIGEST_LENGTH]) {
  static const std::unique_ptr<EVP_MD, MdFree> fetched(EVP_MD_fetch(nullptr, "SHA256", nullptr));
  const EVP_MD* md = fetched ? fetched.get() : EVP_sha256();
  thread_local std::unique_ptr<EVP_MD_CTX, CtxFree> ctx(EVP_MD_CTX_new());
  unsigned int len = 0;
  bool ok = ctx && EVP_DigestInit_ex(ctx.get(), md, nullptr) == 1;
  bool first = true;
  for (std::string_view p : parts) {
    if (!first && separator) ok = ok && EVP_DigestUpdate(ctx.get(), &*separator, 1) == 1;
    first = false;
    ok = ok && EVP_DigestUpdate(ctx.get(), p.data(), p.size()) == 1;
  }
  ok = ok && EVP_DigestFinal_ex(ctx.get(), digest, &len) == 1 && len == SHA256_DIGEST_LENGTH;
  if (ok) return;
  std::string joined;  // the slow way, never wrong
  first = true;
  for (std::string_view p : parts) {
    if (!first && separator) joined += *separator;
    first = false;
    joined += p;
  }
  SHA256(reinterpret_cast<const unsigned char*>(joined.data()), joined.size(), digest);
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  sha256_parts({data}, std::nullopt, digest);
  return to_hex(digest, SHA256_DIGEST_LENGTH);
}

std::string sha256_hex_concat(std::initializer_list<std::string_view> parts) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  sha256_parts(parts, std::nullopt, digest);
  return to_hex(digest, SHA256_DIGEST_LENGTH);
}

std::string sha256_hex_prefix(std::initializer_list<std::string_view> parts, char separator, size_t hex_chars) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  sha256_parts(parts, separator, digest);
  return to_hex(digest, std::min<size_t>(hex_chars / 2, SHA256_DIGEST_LENGTH));
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), digest, &len);
  return to_hex(digest, len);
}

}  // namespace cg::sdk
