// The records port: canonical records with their versions. Writing a version
// writes, in the same transaction, its audit entry, its outbox entries (one
// per destination the outbox's router names) and its feedback items.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "record/quarantine_entry.hpp"
#include "record/record.hpp"
#include "store/batch_texts.hpp"

namespace cg::store {

// One unit of input after mapping: everything in it is committed in one
// transaction, or nothing is.
struct IngestBatch {
  std::string actor;             // who: "adapter:court-file-drop@1.0.0", "operator:alice"
  std::string source;            // from where: a file, a URL, a peer, a request id
  std::string origin = "local";  // "local", or "platform:<name>" for records pulled from a platform
  int64_t arrived_ms = 0;        // when the unit reached the gateway (Unix ms); 0 = now
  std::vector<Record> records;
  std::vector<QuarantineEntry> quarantined;
  std::optional<FileFailure> failure;  // the unit was refused whole
  std::string failure_raw;             // its bytes, kept for replay
  std::string failure_mapping;         // name@revision
  std::string failure_department;
  // The digests, bodies and quarantine entries' text, made ahead of the
  // write connection (make_texts, on the mapping thread); when they are not
  // (texts_ready() false) the store makes them.
  BatchTexts texts;
  [[nodiscard]] bool texts_ready() const {
    return texts.digests.size() == records.size() && texts.new_bodies.size() == records.size() &&
           texts.quarantine_entries.size() == quarantined.size() &&
           texts.quarantine_fingerprints.size() == quarantined.size();
  }
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
  size_t quarantined = 0;            // new quarantine entries
  size_t quarantine_duplicates = 0;  // the same broken record seen again
  std::vector<StoredVersion> stored;
};

struct StoredRecord {
  Record record;
  std::string origin;
};

// A version written by a rule rather than a department's feed: a platform's
// change, an expiry.
struct VersionWrite {
  std::string actor;                                // who: "sync:provincial", "job:expiry"
  std::string source;                               // the change id, "expiry 2026-12-05"
  std::string origin;                               // the record's origin ("local", "platform:<name>")
  std::string cause;                                // the version's cause: "status:repaired", "upsert:provincial"
  nlohmann::json event = nlohmann::json::object();  // the feedback event: {"type": status_changed|record_upsert, ...}
  bool created = false;                             // a record not stored yet (the version as given)
};

// Whose records a check reads: a subject's own, by USCC or ID number, or
// those of the subjects whose legal representative has the ID number
// (落实到人); only the kinds named (those a measure of the scenario applies to).
struct InForceQuery {
  std::string uscc;
  std::string id_number;
  bool as_legal_representative = false;  // id_number as a legal representative's
  std::vector<std::string> kinds;
};

class Records {
 public:
  virtual ~Records() = default;

  // Stores new records (version 1), changed ones (version + 1, keeping their
  // lifecycle status), leaves identical re-sends alone, adds quarantine
  // entries (once per distinct broken record), and audits every change.
  virtual Result<IngestResult> ingest(const IngestBatch& batch) = 0;
  // Several batches (units from different sources) in one transaction: one
  // durable commit for all of them, or none of them stored.
  virtual Result<std::vector<IngestResult>> ingest_group(const std::vector<const IngestBatch*>& batches) = 0;
  // `r` as the record's next version (r.version must be it), or as a new
  // record (w.created), with its audit, outbox entries and feedback items.
  virtual Status write_version(const Record& r, const VersionWrite& w) = 0;

  virtual Result<std::optional<StoredRecord>> get(const std::string& record_id) = 0;
  virtual Result<std::vector<Record>> history(const std::string& record_id) = 0;
  // Every record (of `kind`, when not empty), in record id order.
  virtual Status for_each(const std::string& kind, const std::function<void(const StoredRecord&)>& fn) = 0;
  virtual Result<int64_t> count() = 0;
  // The records of a subject (up to `limit`), by USCC or, when it is empty, by ID number.
  virtual Result<std::vector<StoredRecord>> of_subject(const std::string& uscc, const std::string& id_number,
                                                       int64_t limit = 1000) = 0;
  // The records (up to 1,000) that may trigger a measure for a subject
  // (信用核查): status active or suspended, kind among the query's.
  virtual Result<std::vector<StoredRecord>> in_force(const InForceQuery& q) = 0;
  // Active records whose valid_until or publish_until is before `today`.
  virtual Result<std::vector<StoredRecord>> active_ending_before(const std::string& today) = 0;
};

}  // namespace cg::store
