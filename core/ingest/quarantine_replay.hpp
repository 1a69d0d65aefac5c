// A quarantine entry replayed: the records mapped again from it are stored
// and the entry marked replayed, audited, in one transaction.
#pragma once

#include "store/store.hpp"

namespace cg::ingest {

// "not_found" when no open entry has that id (replayed already, or none).
Result<store::IngestResult> replay_quarantined(store::Store& store, int64_t id, const store::IngestBatch& batch);

}  // namespace cg::ingest
