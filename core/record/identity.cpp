#include "common/hash.hpp"
#include "record/record.hpp"

namespace cg {

std::string compute_record_id(const std::string& department, const std::string& kind,
                              const std::string& source_key) {
  std::string input;
  input.reserve(department.size() + kind.size() + source_key.size() + 2);
  input += department;
  input += '\x1f';
  input += kind;
  input += '\x1f';
  input += source_key;
  return sha256_hex(input).substr(0, 32);
}

std::string content_digest(const Record& r) { return sha256_hex(content_digest_text(r)); }

}  // namespace cg
