#include "common/hash.hpp"
#include "record/record.hpp"

namespace cg {

std::string compute_record_id(const std::string& department, const std::string& kind, const std::string& source_key) {
  // SHA-256 of department, kind and source key joined by U+001F; 32 hex characters.
  return sha256_hex_prefix({department, kind, source_key}, '\x1f', 32);
}

std::string content_digest(const Record& r) {
  return sha256_hex(content_digest_text(r));
}

}  // namespace cg
