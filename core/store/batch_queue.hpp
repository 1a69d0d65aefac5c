// A queue of entries that go to a platform in batches: what a delivery lane
// (delivery/delivery_worker.hpp) claims, sends and answers. The outbox of
// record versions and the relay of departments' execution feedback are two.
#pragma once

#include <initializer_list>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace cg::store {

struct OutboxEntry {
  int64_t id = 0;
  std::string destination;
  std::string record_id;
  int64_t version = 0;
  std::string body;        // the JSON sent: a canonical record, or an execution feedback
  int64_t created_ms = 0;  // when the version was stored (delivery latency)
  // What the platform's result names the entry by: "" for a record version
  // (its record_id), the feedback_id of an execution feedback.
  std::string feedback_id;
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

class BatchQueue {
 public:
  virtual ~BatchQueue() = default;

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
  // The platform's answers: delivered entries are done, rejected ones are
  // kept with the platform's error (the outbox: dead letters; stale
  // versions dropped).
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
};

}  // namespace cg::store
