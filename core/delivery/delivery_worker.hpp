// Pushes one destination's outbox to its platform: batches, retries with
// capped exponential backoff and jitter, a circuit breaker, and every answer
// handled. Each destination has its own threads: one platform down never
// holds another. `concurrency` lanes per destination send batches at once,
// each with its own connection to the platform; their store handles all
// write through the gateway's one write connection (store/store_writer).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "config/config.hpp"
#include "delivery/circuit_breaker.hpp"
#include "delivery/connector.hpp"
#include "store/store_access.hpp"

namespace cg::delivery {

// What a worker delivers: record versions (the outbox, POST
// /api/v1/records:batch) or departments' execution feedback (POST
// /api/v1/feedback:batch, platform-api.md §7). Both are batches with an
// idempotency key, retried and answered per entry; what a platform refuses
// is kept with its error (records as dead letters, feedback marked dead).
enum class Stream { Records, Feedback };

struct WorkerStatus {
  CircuitState circuit = CircuitState::Closed;
  int64_t consecutive_failures = 0;
  std::string last_success_at, last_error, last_error_at;
  int64_t batches = 0, records_delivered = 0, dead_letters = 0, retries = 0;
  // Latency from a version's arrival at the gateway (its unit handed in by
  // the plugin, or its change applied) to the platform's answer, in seconds.
  static constexpr double kBuckets[] = {0.05, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 10, 30, 60, 300, 1800};
  static constexpr size_t kBucketCount = sizeof(kBuckets) / sizeof(kBuckets[0]);
  int64_t latency_counts[kBucketCount + 1] = {0};  // one per bucket, the last is +Inf
  double latency_sum = 0;
  int64_t latency_n = 0;
};

class DeliveryWorker {
 public:
  DeliveryWorker(config::Config cfg, config::DestinationConfig dest, std::unique_ptr<Connector> connector,
                 std::unique_ptr<store::StoreAccess> store, Stream stream = Stream::Records);
  ~DeliveryWorker();
  DeliveryWorker(const DeliveryWorker&) = delete;
  DeliveryWorker& operator=(const DeliveryWorker&) = delete;

  // One more lane: batches sent at the same time as the others'.
  void add_lane(std::unique_ptr<Connector> connector, std::unique_ptr<store::StoreAccess> store);
  void start();
  void stop();  // finishes the request under way, then returns
  [[nodiscard]] WorkerStatus status() const;
  [[nodiscard]] const std::string& name() const { return dest_.name; }
  [[nodiscard]] Stream stream() const { return stream_; }

  // One round on the first lane: claim a batch, send it, record the outcome.
  // Returns false when there was nothing to send.
  bool deliver_once() {
    bool sent = deliver_once(*lanes_.front());
    record_answers(*lanes_.front());
    return sent;
  }

 private:
  // A batch the platform answered whose answers are not in the store yet:
  // they are recorded with the lane's next claim (one store call for both).
  // Until then the batch stays in sending_, so no lane offers it again.
  struct Answered {
    store::OutboxBatch batch;
    std::vector<store::DeliveryOutcome> outcomes;
    int64_t delivered = 0, dead = 0;
  };
  struct Lane {
    std::unique_ptr<Connector> connector;
    std::unique_ptr<store::StoreAccess> store;
    std::thread thread;
    std::optional<Answered> answered;
    // The request body, kept between batches: a batch of 1,000 records is
    // 1.4 MB, which malloc would map and unmap (and the kernel fault in) for
    // every batch.
    std::string body;
  };
  bool deliver_once(Lane& lane);
  void send(Lane& lane, store::OutboxBatch& b);
  void record_answers(Lane& lane);  // the lane's answered batch, on its own
  void answers_recorded(const Answered& a, const Status& recorded);
  void loop(Lane& lane);
  int64_t backoff_ms(int64_t attempts) const;  // the destination's retry_min_ms and retry_max_ms
  void release(Lane& lane, const store::OutboxBatch& b);
  void failure(Lane& lane, const store::OutboxBatch& b, const std::string& why, int64_t delay_ms);
  store::BatchQueue& queue(store::Store& s) const;  // the stream's
  PlatformAnswer push(Lane& lane, const std::string& batch_id);

  config::Config cfg_;
  config::DestinationConfig dest_;
  Stream stream_;
  std::vector<std::unique_ptr<Lane>> lanes_;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  WorkerStatus status_;
  std::atomic<int64_t> batch_size_;
  CircuitBreaker breaker_;      // under mu_
  store::BusyBatches sending_;  // batches a lane is sending now (a claim adds its batch)
};

}  // namespace cg::delivery
