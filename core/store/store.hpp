// The durable store: records with versions, quarantine, and the audit.
// SQLite is the embedded default (sqlite_store.cpp); the interface is what a
// PostgreSQL store implements for several gateway nodes.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "mapping/quarantine_entry.hpp"
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
  std::vector<mapping::QuarantineEntry> quarantined;
  std::optional<mapping::FileFailure> failure;  // the unit was refused whole
  std::string failure_raw;                      // its bytes, kept for replay
  std::string failure_mapping;                  // name@revision
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

struct QuarantineFilter {
  std::optional<int64_t> id;
  std::string status = "open";  // open | replayed | all
  std::string department;
  std::string mapping;  // name (any revision) or name@revision
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

// Delivery to the platforms: an outbox entry per (destination, record version).
struct OutboxEntry {
  int64_t id = 0;
  std::string destination;
  std::string record_id;
  int64_t version = 0;
  std::string body;        // the canonical record JSON, exactly as it will be sent
  int64_t created_ms = 0;  // when the version was stored (delivery latency)
};

struct OutboxBatch {
  std::string batch_id;  // the same on every retry of this batch
  int64_t attempts = 0;
  std::vector<OutboxEntry> entries;
};

// The batches of one destination that this process is sending right now,
// shared by its delivery lanes. A claim passes over them, and marks the batch
// it returns busy before it returns: claims that wait one behind the other in
// the store writer's queue never hand one batch to two lanes, without a lane
// holding a lock while it waits. The sender unmarks a batch once its outcome
// is recorded (complete_and_claim does it for the answered batch). Thread-safe.
class BusyBatches {
 public:
  BusyBatches() = default;
  BusyBatches(std::initializer_list<std::string> ids) : ids_(ids) {}
  [[nodiscard]] bool contains(const std::string& id) const {
    std::lock_guard<std::mutex> lock(mu_);
    return ids_.count(id) > 0;
  }
  void insert(const std::string& id) {
    std::lock_guard<std::mutex> lock(mu_);
    ids_.insert(id);
  }
  void erase(const std::string& id) {
    std::lock_guard<std::mutex> lock(mu_);
    ids_.erase(id);
  }
  [[nodiscard]] size_t size() const {
    std::lock_guard<std::mutex> lock(mu_);
    return ids_.size();
  }
  [[nodiscard]] size_t size_besides(const std::string& id) const {
    std::lock_guard<std::mutex> lock(mu_);
    return ids_.size() - ids_.count(id);
  }

 private:
  mutable std::mutex mu_;
  std::set<std::string> ids_;
};

// What a platform did with one record of a batch (docs/platform-api.md).
enum class DeliveryStatus {
  Accepted,   // stored as sent
  Duplicate,  // it held this version already
  Stale,      // it holds a newer version; this one is ignored, not a dead letter
  Rejected,   // refused: a dead letter that an operator can see and replay
};

struct DeliveryOutcome {
  int64_t outbox_id = 0;
  DeliveryStatus status = DeliveryStatus::Rejected;
  std::string error_code, error_field, error_message;  // of a rejection

  [[nodiscard]] bool dead() const { return status == DeliveryStatus::Rejected; }
  // Counted as delivered (reconciliation's figures).
  [[nodiscard]] bool delivered() const {
    return status == DeliveryStatus::Accepted || status == DeliveryStatus::Duplicate;
  }
};

struct DeadLetterFilter {
  std::string destination, record_id, error_code;
  std::string from, to;  // RFC 3339 bounds on dead_at; empty = open
  std::optional<int64_t> id;
  size_t limit = 1000;
};

struct DeadLetter {
  int64_t id = 0;
  std::string destination, record_id, error_code, error_field, error_message, dead_at, body;
  int64_t version = 0;
  int64_t attempts = 0;
};

struct OutboxStats {
  int64_t pending = 0, inflight = 0, dead = 0;
  int64_t oldest_pending_age_s = 0;
};

struct ReconcileFigures {
  int64_t count = 0;
  std::string digest;  // hex SHA-256 of "record_id:version\n" lines sorted by record_id
  std::vector<std::pair<std::string, int64_t>> records;
};

// One run of a scheduled job.
struct JobRun {
  std::string job;
  std::string started_at, finished_at;
  int64_t started_ms = 0;
  std::string status;  // ok | error
  nlohmann::json counts = nlohmann::json::object();
  std::string error;
};

// A record version (or event) a department must receive back (联合奖惩 反馈).
struct FeedbackItem {
  int64_t id = 0;
  std::string department, record_id;
  int64_t version = 0;
  nlohmann::json event;  // {"type": created|updated|status_changed|record_upsert, "change_id", "from", "to", "at", ...}
  std::string body;      // the canonical record version
  int64_t attempts = 0;
};

// Departments that must receive a record version, for an event type.
using FeedbackRouter =
    std::function<std::vector<std::string>(const Record& r, const std::string& event_type, const std::string& origin)>;

// Which destinations a stored record version goes to. Records that came from
// a platform ("platform:<name>" origin) must not be routed back to it.
using OutboxRouter = std::function<std::vector<std::string>(const Record& r, const std::string& origin)>;

class Store {
 public:
  virtual ~Store() = default;

  // Stores new records (version 1), changed ones (version + 1, keeping their
  // lifecycle status), leaves identical re-sends alone, adds quarantine
  // entries (once per distinct broken record), and audits every change.
  virtual Result<IngestResult> ingest(const IngestBatch& batch) = 0;
  // Several batches (units from different sources) in one transaction: one
  // durable commit for all of them, or none of them stored.
  virtual Result<std::vector<IngestResult>> ingest_group(const std::vector<const IngestBatch*>& batches) = 0;
  // A replay: the batch's records are stored and the quarantine entry marked
  // replayed, in one transaction.
  virtual Result<IngestResult> resolve_quarantine(int64_t id, const IngestBatch& batch) = 0;

  virtual Result<std::optional<StoredRecord>> get_record(const std::string& record_id) = 0;
  virtual Result<std::vector<Record>> record_history(const std::string& record_id) = 0;
  virtual Status for_each_record(const std::string& kind, const std::function<void(const StoredRecord&)>& fn) = 0;
  virtual Result<int64_t> count_records() = 0;
  virtual Result<std::vector<QuarantineRow>> list_quarantine(const QuarantineFilter& filter) = 0;
  virtual Result<std::vector<AuditRow>> list_audit(const std::string& record_id, size_t limit) = 0;

  // Outbox. Entries are written by ingest() in the same transaction as the
  // record version they carry, for every destination the router names.
  virtual void set_outbox_router(OutboxRouter router) = 0;
  // The batch to send next: an unfinished one again (same batch id), else a
  // new one of up to `max` due entries; empty when nothing is due.
  // `busy` names batches being sent right now by this process (not offered
  // again); the batch returned is added to it. A new batch is made only while
  // fewer than `max_in_flight` are unfinished, and never while an unfinished
  // one waits for its retry.
  virtual Result<OutboxBatch> claim_batch(const std::string& destination, size_t max, const std::string& node_id,
                                          BusyBatches& busy, size_t max_in_flight) = 0;
  Result<OutboxBatch> claim_batch(const std::string& destination, size_t max, const std::string& node_id) {
    BusyBatches none;
    return claim_batch(destination, max, node_id, none, 1);
  }
  virtual Status complete_batch(const std::string& destination, const OutboxBatch& batch,
                                const std::vector<DeliveryOutcome>& outcomes) = 0;
  // A batch's answers recorded, the batch taken out of `busy` (recorded or
  // not: unrecorded, it is offered again), then the next batch claimed as
  // claim_batch does: one call, so that a store whose calls wait in one queue
  // (StoreWriter) is waited for once per batch, not twice. No claim is made if
  // the answers were not recorded.
  struct CompletedAndClaimed {
    Status completed;
    Result<OutboxBatch> next = OutboxBatch{};
  };
  virtual CompletedAndClaimed complete_and_claim(const std::string& destination, const OutboxBatch& batch,
                                                 const std::vector<DeliveryOutcome>& outcomes, size_t max,
                                                 const std::string& node_id, BusyBatches& busy, size_t max_in_flight) {
    CompletedAndClaimed out{complete_batch(destination, batch, outcomes)};
    busy.erase(batch.batch_id);
    if (out.completed) out.next = claim_batch(destination, max, node_id, busy, max_in_flight);
    return out;
  }
  // Keeps the batch (same id, same content) for another try after delay_ms.
  virtual Status retry_batch(const std::string& destination, const std::string& batch_id, int64_t delay_ms,
                             const std::string& error) = 0;
  // Gives the batch's entries back to the queue without a batch id (a batch
  // that must be cut smaller, or whose id the platform refused).
  virtual Status release_batch(const std::string& destination, const std::string& batch_id, const std::string& why) = 0;
  virtual Result<OutboxStats> outbox_stats(const std::string& destination) = 0;
  virtual Result<std::vector<DeadLetter>> list_dead_letters(const DeadLetterFilter& f) = 0;
  // Back to the queue with the same record version; returns how many.
  virtual Result<int64_t> replay_dead_letters(const DeadLetterFilter& f, const std::string& actor) = 0;
  // Queues the current version of a record for a destination again.
  virtual Status requeue(const std::string& destination, const std::string& record_id, const std::string& actor) = 0;
  // The records whose newest accepted version reached `destination` on `date` (CST).
  virtual Result<ReconcileFigures> delivered_on(const std::string& destination, const std::string& date) = 0;

  // Scheduled jobs: the history of runs, and a lock so that no two runs of a
  // job overlap, whichever process started them.
  virtual Status record_job_run(const JobRun& run) = 0;
  virtual Result<std::vector<JobRun>> job_runs(const std::string& job, size_t limit) = 0;
  virtual Result<bool> try_lock_job(const std::string& job, const std::string& owner, int64_t ttl_ms) = 0;
  virtual Status unlock_job(const std::string& job, const std::string& owner) = 0;

  // Two-way sync. The cursor of a platform's change feed, and a page of its
  // changes applied: each change_id at most once, every resulting status
  // change a new version (with its outbox, feedback and audit), and the
  // cursor saved, all in one transaction.
  virtual Result<std::optional<std::string>> sync_cursor(const std::string& source) = 0;
  virtual Result<nlohmann::json> apply_changes(const std::string& source, const nlohmann::json& changes,
                                               const std::string& next_cursor, const std::string& actor) = 0;
  // Active records whose valid_until or publish_until is before `today` become expired.
  virtual Result<int64_t> expire_records(const std::string& today, const std::string& actor) = 0;

  // Feedback to departments, written with the versions that cause it.
  virtual void set_feedback_router(FeedbackRouter router) = 0;
  // Up to `max` due items for a department, leased for lease_ms.
  virtual Result<std::vector<FeedbackItem>> claim_feedback(const std::string& department, size_t max,
                                                           int64_t lease_ms) = 0;
  virtual Status complete_feedback(int64_t id, bool delivered, const std::string& error, int64_t retry_ms) = 0;
  virtual Result<nlohmann::json> feedback_stats() = 0;

  // For operators: an audit entry for an action (who, what), a write probe
  // for readiness, the open quarantine by department and rule, and every
  // record of a subject.
  virtual Status append_audit(const std::string& actor, const std::string& action, const nlohmann::json& detail) = 0;
  virtual Status check_writable() = 0;
  virtual Result<nlohmann::json> quarantine_counts() = 0;
  virtual Result<std::vector<StoredRecord>> records_of_subject(const std::string& uscc,
                                                               const std::string& id_number) = 0;
};

struct StoreOptions {
  std::string synchronous = "full";  // SQLite: full (safe against power loss) | normal
  int64_t cache_kib = 4096;          // page cache of this connection
  // No automatic WAL checkpoint in this connection's commits: a WalCheckpointer
  // thread does it (the write connection, whose commits are the bottleneck).
  bool background_checkpoint = false;
  // A store file that does not exist yet is made (readable by the gateway's
  // user only); with false, it is an error (commands that only read).
  bool create = true;
  // An existing 0-byte file is made a new store only when asked (store init):
  // otherwise it is refused, as a store whose contents were lost would be.
  bool init_empty_file = false;
  // PRAGMA quick_check before the store is used (the gateway's start).
  bool quick_check = false;
};

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path, const StoreOptions& opts = {});

// PRAGMA integrity_check of the store at `path` (which must exist): each
// problem SQLite reports, in `problems`.
Status check_sqlite_store(const std::string& path, std::vector<std::string>& problems);

}  // namespace cg::store
