// Feedback for the departments (record versions they must act on: 联合奖惩
// measures, repairs, revocations) between the store and the plugin hosts
// that take it.
//
// Every store call goes to the store writer's thread (store_writer.hpp) and
// none is waited for. The router thread, which calls this, keeps serving the
// plugin hosts while a claim is under way, and the write connection stays the
// only one that commits: a commit from any other connection empties its page
// cache (WAL mode), which had cost the writer a re-read of its pages after
// every feedback acknowledgement (docs/performance.md).
#pragma once

#include <chrono>
#include <cstdint>
#include <future>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "store/store_writer.hpp"

namespace cg::gateway {

// A running plugin host that takes feedback for its department.
struct FeedbackTaker {
  std::string identity;
  std::string department;
};

// A claimed item for a host; it is in flight from the moment poll() gives it.
struct FeedbackToSend {
  std::string identity;
  store::FeedbackItem item;
};

class FeedbackRelay {
 public:
  using Clock = std::chrono::steady_clock;
  struct Options {
    std::chrono::milliseconds every{300};     // between claims
    size_t per_host = 8;                      // items in flight to one host at most
    int64_t lease_ms = 60000;                 // a claimed item's lease in the store
    std::chrono::milliseconds forget{60000};  // an unanswered item stops counting against its host
    int64_t retry_ms = 5000;                  // a refused item is due again after this
  };

  explicit FeedbackRelay(std::shared_ptr<store::StoreWriter> writer);
  FeedbackRelay(std::shared_ptr<store::StoreWriter> writer, Options options);

  // What a finished claim brought, for the router to send. A claim is
  // started when one is due and none is under way; it never waits for one.
  std::vector<FeedbackToSend> poll(Clock::time_point now, const std::vector<FeedbackTaker>& takers);

  // A host's answer for an item: delivered, or refused (offered again later).
  void answered(int64_t id, bool delivered, const std::string& error);

  // An item the gateway could not render for its department.
  void not_rendered(int64_t id, const std::string& error);

  // Whether poll() would start a claim now (and so needs the takers).
  [[nodiscard]] bool due(Clock::time_point now) const { return !claim_.valid() && now >= next_claim_; }
  [[nodiscard]] size_t in_flight() const { return in_flight_.size(); }
  [[nodiscard]] bool claiming() const { return claim_.valid(); }

 private:
  void complete(int64_t id, bool delivered, const std::string& error, int64_t retry_ms);

  std::shared_ptr<store::StoreWriter> writer_;
  Options options_;
  struct InFlight {
    std::string identity;
    Clock::time_point sent;
  };
  std::map<int64_t, InFlight> in_flight_;
  std::future<std::vector<FeedbackToSend>> claim_;
  Clock::time_point next_claim_{};
};

}  // namespace cg::gateway
