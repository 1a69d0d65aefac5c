// Pushes one destination's outbox to its platform: batches, retries with
// capped exponential backoff and jitter, a circuit breaker, and every answer
// handled. One thread per destination: one platform down never holds another.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "config/config.hpp"
#include "delivery/connector.hpp"
#include "store/store.hpp"

namespace cg::delivery {

struct WorkerStatus {
  std::string circuit = "closed";  // closed | open | half_open
  int64_t consecutive_failures = 0;
  std::string last_success_at, last_error, last_error_at;
  int64_t batches = 0, records_delivered = 0, dead_letters = 0, retries = 0;
  // Latency from storing a version to the platform's answer, in seconds.
  static constexpr double kBuckets[] = {0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800};
  int64_t latency_counts[12] = {0};  // one per bucket, the last is +Inf
  double latency_sum = 0;
  int64_t latency_n = 0;
};

class DeliveryWorker {
 public:
  DeliveryWorker(config::Config cfg, config::DestinationConfig dest, std::unique_ptr<Connector> connector,
                 std::unique_ptr<store::Store> store);
  ~DeliveryWorker();
  DeliveryWorker(const DeliveryWorker&) = delete;
  DeliveryWorker& operator=(const DeliveryWorker&) = delete;

  void start();
  void stop();  // finishes the request under way, then returns
  [[nodiscard]] WorkerStatus status() const;
  [[nodiscard]] const std::string& name() const { return dest_.name; }

  // One round: claim a batch, send it, record the outcome. Returns false when
  // there was nothing to send (for tests and the loop).
  bool deliver_once();

 private:
  void loop();
  int64_t backoff_ms(int64_t attempts) const;
  void failure(const store::OutboxBatch& b, const std::string& why, int64_t delay_ms);

  config::Config cfg_;
  config::DestinationConfig dest_;
  std::unique_ptr<Connector> connector_;
  std::unique_ptr<store::Store> store_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  WorkerStatus status_;
  int64_t batch_size_;
  std::chrono::steady_clock::time_point open_until_{};
};

}  // namespace cg::delivery
