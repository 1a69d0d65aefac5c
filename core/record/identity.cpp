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

std::string content_digest(const Record& r) {
  Record c = r;
  c.version = 0;
  c.updated_at.reset();
  c.source.received_at.reset();
  c.source.mapping.reset();
  c.status.clear();
  return sha256_hex(to_json_text(c));
}

}  // namespace cg
