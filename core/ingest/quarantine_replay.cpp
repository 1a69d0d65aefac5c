#include "ingest/quarantine_replay.hpp"

namespace cg::ingest {

Result<store::IngestResult> replay_quarantined(store::Store& store, int64_t id, const store::IngestBatch& batch) {
  return store.transact([&](store::Store& s) -> Result<store::IngestResult> {
    std::vector<std::string> ids;
    for (const auto& r : batch.records) ids.push_back(r.record_id);
    if (auto st = s.quarantine().mark_replayed(id, batch.actor, ids); !st) return st.error();
    auto stored = s.records().ingest(batch);
    if (!stored.ok()) return stored.error();
    if (auto st = s.audit().append(store::AuditEntry{
            batch.actor, "quarantine.replayed", "", 0, batch.source, {{"quarantine_id", id}, {"records", ids}}});
        !st)
      return st.error();
    return stored;
  });
}

}  // namespace cg::ingest
