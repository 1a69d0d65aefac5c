#include "store/batch_texts.hpp"

#include "common/hash.hpp"

namespace cg::store {

std::string new_record_body(const Record& r) {
  if (r.version == 1) return to_json_text(r);
  Record first = r;
  first.version = 1;
  return to_json_text(first);
}

std::string quarantine_fingerprint(const mapping::QuarantineEntry& q) {
  return sha256_hex(q.mapping + "\x1f" + std::to_string(q.record_spec) + "\x1f" + q.raw);
}

BatchTexts make_texts(const std::vector<Record>& records,
                      const std::vector<mapping::QuarantineEntry>& quarantined) {
  BatchTexts t;
  t.digests.reserve(records.size());
  t.new_bodies.reserve(records.size());
  for (const auto& r : records) {
    t.digests.push_back(content_digest(r));  // version and updated_at do not count
    t.new_bodies.push_back(new_record_body(r));
  }
  t.quarantine_entries.reserve(quarantined.size());
  t.quarantine_fingerprints.reserve(quarantined.size());
  for (const auto& q : quarantined) {
    t.quarantine_entries.push_back(mapping::to_json(q).dump());
    t.quarantine_fingerprints.push_back(quarantine_fingerprint(q));
  }
  return t;
}

}  // namespace cg::store
