// The feedback port: record versions and events that departments must
// receive back (联合奖惩 反馈), written with the versions that cause them.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "record/record.hpp"

namespace cg::store {

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

class FeedbackQueue {
 public:
  virtual ~FeedbackQueue() = default;

  // The departments of every version written from now on (none without one).
  virtual void set_router(FeedbackRouter router) = 0;
  // Up to `max` due items for a department, leased for lease_ms: leases that
  // ran out first, then items in the order they became due.
  virtual Result<std::vector<FeedbackItem>> claim(const std::string& department, size_t max, int64_t lease_ms) = 0;
  // Delivered, or due again after retry_ms with its error noted.
  virtual Status complete(int64_t id, bool delivered, const std::string& error, int64_t retry_ms) = 0;
  // Items by department and state: {"court": {"pending": 3, "delivered": 10}}.
  virtual Result<nlohmann::json> stats() = 0;
};

}  // namespace cg::store
