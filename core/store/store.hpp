// The durable store: records with versions, quarantine, and the audit.
// SQLite is the embedded default (sqlite_store.cpp); the interface is what a
// PostgreSQL store implements for several gateway nodes.
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "mapping/quarantine_entry.hpp"
#include "record/record.hpp"

namespace cg::store {

// One unit of input after mapping: everything in it is committed in one
// transaction, or nothing is.
struct IngestBatch {
  std::string actor;    // who: "adapter:court-file-drop@1.0.0", "operator:alice"
  std::string source;   // from where: a file, a URL, a peer, a request id
  std::string origin = "local";  // "local", or "platform:<name>" for records pulled from a platform
  std::vector<Record> records;
  std::vector<mapping::QuarantineEntry> quarantined;
  std::optional<mapping::FileFailure> failure;  // the unit was refused whole
  std::string failure_raw;                      // its bytes, kept for replay
  std::string failure_mapping;                  // name@revision
  std::string failure_department;
};

struct StoredVersion {
  std::string record_id;
  int64_t version = 0;
  bool created = false;
};

struct IngestResult {
  size_t created = 0;
  size_t updated = 0;
  size_t unchanged = 0;
  size_t quarantined = 0;           // new quarantine entries
  size_t quarantine_duplicates = 0; // the same broken record seen again
  std::vector<StoredVersion> stored;
};

struct StoredRecord {
  Record record;
  std::string origin;
};

struct QuarantineFilter {
  std::optional<int64_t> id;
  std::string status = "open";  // open | replayed | all
  std::string department;
  std::string mapping;          // name (any revision) or name@revision
  std::string rule;
  size_t limit = 1000;
};

struct QuarantineRow {
  int64_t id = 0;
  std::string created_at;
  std::string status;
  nlohmann::json entry;  // QuarantineEntry or FileFailure as JSON
  std::string raw;       // bytes of a refused unit (file-level entries)
  bool file_level = false;
};

struct AuditRow {
  int64_t id = 0;
  std::string at, actor, action, record_id, source;
  int64_t version = 0;
  nlohmann::json detail;
};

class Store {
 public:
  virtual ~Store() = default;

  // Stores new records (version 1), changed ones (version + 1, keeping their
  // lifecycle status), leaves identical re-sends alone, adds quarantine
  // entries (once per distinct broken record), and audits every change.
  virtual Result<IngestResult> ingest(const IngestBatch& batch) = 0;
  // A replay: the batch's records are stored and the quarantine entry marked
  // replayed, in one transaction.
  virtual Result<IngestResult> resolve_quarantine(int64_t id, const IngestBatch& batch) = 0;

  virtual Result<std::optional<StoredRecord>> get_record(const std::string& record_id) = 0;
  virtual Result<std::vector<Record>> record_history(const std::string& record_id) = 0;
  virtual Status for_each_record(const std::string& kind, const std::function<void(const StoredRecord&)>& fn) = 0;
  virtual Result<int64_t> count_records() = 0;
  virtual Result<std::vector<QuarantineRow>> list_quarantine(const QuarantineFilter& filter) = 0;
  virtual Result<std::vector<AuditRow>> list_audit(const std::string& record_id, size_t limit) = 0;
};

struct StoreOptions {
  std::string synchronous = "full";  // SQLite: full (safe against power loss) | normal
};

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path, const StoreOptions& opts = {});

}  // namespace cg::store
