#include "store/batch_texts.hpp"

#include "common/hash.hpp"

namespace cg::store {

std::string quarantine_fingerprint(const QuarantineEntry& q) {
  return sha256_hex(q.mapping + "\x1f" + std::to_string(q.record_spec) + "\x1f" + q.raw);
}

BatchTexts make_texts(const std::vector<Record>& records, const std::vector<QuarantineEntry>& quarantined) {
  BatchTexts t;
  t.digests.reserve(records.size());
  t.new_bodies.reserve(records.size());
  for (const auto& r : records) {
    // The body as a new record (version 1) and the content digest (version
    // and updated_at do not count), from one serialisation.
    auto texts = body_and_digest(r, 1);
    t.digests.push_back(std::move(texts.digest));
    t.new_bodies.push_back(std::move(texts.body));
  }
  t.quarantine_entries.reserve(quarantined.size());
  t.quarantine_fingerprints.reserve(quarantined.size());
  for (const auto& q : quarantined) {
    t.quarantine_entries.push_back(to_json(q).dump());
    t.quarantine_fingerprints.push_back(quarantine_fingerprint(q));
  }
  return t;
}

}  // namespace cg::store
