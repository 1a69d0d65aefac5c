// The outbox port: delivery to the platforms, an entry per (destination,
// record version), sent in batches; the dead letters that platforms refused;
// the figures of what was delivered, for reconciliation.
#pragma once

#include <functional>
#include <initializer_list>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/result.hpp"
#include "record/record.hpp"

namespace cg::store {

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

// Which destinations a stored record version goes to. Records that came from
// a platform ("platform:<name>" origin) must not be routed back to it.
using OutboxRouter = std::function<std::vector<std::string>(const Record& r, const std::string& origin)>;

class Outbox {
 public:
  virtual ~Outbox() = default;

  // The destinations of every version written from now on (none without one).
  virtual void set_router(OutboxRouter router) = 0;

  // The batch to send next: an unfinished one again (same batch id), else a
  // new one of up to `max` due entries; empty when nothing is due.
  // `busy` names batches being sent right now by this process (not offered
  // again); the batch returned is added to it. A new batch is made only while
  // fewer than `max_in_flight` are unfinished, and never while an unfinished
  // one waits for its retry.
  virtual Result<OutboxBatch> claim_batch(const std::string& destination, size_t max, BusyBatches& busy,
                                          size_t max_in_flight) = 0;
  Result<OutboxBatch> claim_batch(const std::string& destination, size_t max) {
    BusyBatches none;
    return claim_batch(destination, max, none, 1);
  }
  // The platform's answers: delivered entries leave the outbox (and count in
  // delivered_on), rejected ones become dead letters, stale ones are dropped.
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
  CompletedAndClaimed complete_and_claim(const std::string& destination, const OutboxBatch& batch,
                                         const std::vector<DeliveryOutcome>& outcomes, size_t max, BusyBatches& busy,
                                         size_t max_in_flight) {
    CompletedAndClaimed out{complete_batch(destination, batch, outcomes)};
    busy.erase(batch.batch_id);
    if (out.completed) out.next = claim_batch(destination, max, busy, max_in_flight);
    return out;
  }
  // Keeps the batch (same id, same content) for another try after delay_ms.
  virtual Status retry_batch(const std::string& destination, const std::string& batch_id, int64_t delay_ms,
                             const std::string& error) = 0;
  // Gives the batch's entries back to the queue without a batch id (a batch
  // that must be cut smaller, or whose id the platform refused).
  virtual Status release_batch(const std::string& destination, const std::string& batch_id) = 0;
  virtual Result<OutboxStats> stats(const std::string& destination) = 0;

  virtual Result<std::vector<DeadLetter>> dead_letters(const DeadLetterFilter& f) = 0;
  // Back to the queue with the same record version, audited; returns how many.
  virtual Result<int64_t> replay_dead_letters(const DeadLetterFilter& f, const std::string& actor) = 0;
  // Queues the current version of a record for a destination again, audited.
  virtual Status requeue(const std::string& destination, const std::string& record_id, const std::string& actor) = 0;
  // The records whose newest accepted version reached `destination` on `date` (CST).
  virtual Result<ReconcileFigures> delivered_on(const std::string& destination, const std::string& date) = 0;
};

}  // namespace cg::store
