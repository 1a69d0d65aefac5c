// The feedback port: record versions and events that departments must
// receive back (联合奖惩 反馈), written with the versions that cause them.
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "record/record.hpp"

namespace cg::store {

// One department that must receive a record version (an item), with what
// the catalog asks of it there.
struct FeedbackRoute {
  std::string department;
  nlohmann::json measures = nlohmann::json::array();  // [{"measure_id", "name", "type", "basis"}]
  std::string catalog;                                // catalog_id@version that named them
  std::string due_on;  // YYYY-MM-DD, the working-day deadline; "" when no measure asks for feedback
};

struct FeedbackItem {
  int64_t id = 0;
  std::string department, record_id;
  int64_t version = 0;
  nlohmann::json event;  // {"type": created|updated|status_changed|record_upsert, "change_id", "from", "to", "at", ...}
  std::string body;      // the canonical record version
  int64_t attempts = 0;
  nlohmann::json measures = nlohmann::json::array();
  std::string catalog, due_on;
  std::string received_at;  // RFC 3339: when the item was made
  bool answered = false;    // the department reported on every measure (FeedbackReports)
};

// The departments that must receive a record version, for an event type, on
// `today` (YYYY-MM-DD, China Standard Time): deadlines count from it.
using FeedbackRouter = std::function<std::vector<FeedbackRoute>(const Record& r, const std::string& event_type,
                                                                const std::string& origin, const std::string& today)>;

// Which of a department's items to list (department-api.md §4).
struct ItemFilter {
  std::string department;  // "" = every department's (operators)
  // "pending": every item with a measure not yet reported on, "overdue":
  // those past due_on on `today`, "all".
  std::string state = "pending";
  std::string today;     // YYYY-MM-DD, for "overdue"
  int64_t after_id = 0;  // items with a greater id, in id order
  size_t limit = 100;
};

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
  // A department's items as the department API lists them, whatever their
  // delivery to its adapter.
  virtual Result<std::vector<FeedbackItem>> items(const ItemFilter& filter) = 0;
  // Up to `max` items overdue on `today` that were not found overdue before,
  // now marked found (audited, feedback.overdue), in id order.
  virtual Result<std::vector<FeedbackItem>> note_overdue(const std::string& today, size_t max) = 0;
  // Items overdue on `today`, by department.
  virtual Result<std::map<std::string, int64_t>> overdue_counts(const std::string& today) = 0;
  // Whether the department was ever sent an item for the record (any version).
  virtual Result<bool> sent_to(const std::string& department, const std::string& record_id) = 0;
};

}  // namespace cg::store
