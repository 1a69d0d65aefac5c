#include "common/hash.hpp"

#include <openssl/evp.h>

#include <memory>
#include <openssl/hmac.h>
#include <openssl/sha.h>

namespace cg {

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

}  // namespace

std::string sha256_hex(std::string_view data) {
  static const std::unique_ptr<EVP_MD, MdFree> fetched(EVP_MD_fetch(nullptr, "SHA256", nullptr));
  const EVP_MD* md = fetched ? fetched.get() : EVP_sha256();
  thread_local std::unique_ptr<EVP_MD_CTX, CtxFree> ctx(EVP_MD_CTX_new());
  unsigned char digest[SHA256_DIGEST_LENGTH];
  unsigned int len = 0;
  if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1 || EVP_DigestFinal_ex(ctx.get(), digest, &len) != 1) {
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);  // the slow way, never wrong
    len = SHA256_DIGEST_LENGTH;
  }
  return to_hex(digest, len);
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &len);
  return to_hex(digest, len);
}

}  // namespace cg
