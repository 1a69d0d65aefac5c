// The execution feedback port (执行反馈): what the implementing departments
// report they did with a measure of an item, kept for good, and relayed to
// the platforms that take it (platform-api.md §7) as a batch queue of its own.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "store/batch_queue.hpp"

namespace cg::store {

// One report, as accepted (department-api.md §5).
struct FeedbackReport {
  std::string feedback_id;  // fb-…: the same report sent again has the same id
  std::string department;
  int64_t item_id = 0;         // the item reported on, or 0 for a check's hit:
  std::string check_id;        // the check (信用核查) whose hit the department acted on
  int64_t subject_index = -1;  // that subject's place in the check
  std::string record_id;
  int64_t version = 0;
  std::string catalog;  // catalog_id@version of the item's measures
  std::string measure_id;
  std::string action;  // applied | not_applicable | lifted
  std::string on;      // YYYY-MM-DD
  std::string case_ref, note;
  std::string actor;        // who reported it: department:<dept>/<token name>, or adapter:<plugin>@<version>
  std::string received_at;  // RFC 3339, set by the store
};

enum class ReportOutcome {
  Accepted,   // stored and queued for the platforms
  Duplicate,  // held already with the same content: nothing changed
  Conflict,   // held already with other content: refused
};

struct ReportFilter {
  std::string department;  // "" = every department
  int64_t item_id = 0;     // 0 = every item
  int64_t after_id = 0;
  size_t limit = 100;
};

// A report with its relay to each platform: {"provincial": "pending" |
// "delivered" | "dead: <code>"}.
struct StoredReport {
  int64_t id = 0;
  FeedbackReport report;
  std::vector<std::pair<std::string, std::string>> relay;
};

class FeedbackReports : public BatchQueue {
 public:
  // Stores the report and queues it for each destination, with its audit
  // entry, in one transaction; the report that is already held is not
  // queued again. A report is sent to a destination once the destination
  // holds its record version (delivered there, or pulled from it).
  virtual Result<ReportOutcome> add(const FeedbackReport& report, const std::vector<std::string>& destinations) = 0;
  // The reports held, in the order they came, with their relay.
  virtual Result<std::vector<StoredReport>> list(const ReportFilter& filter) = 0;
  // Reports waiting for a destination, and those it refused.
  struct RelayStats {
    int64_t pending = 0, dead = 0;
  };
  virtual Result<RelayStats> relay_stats(const std::string& destination) = 0;
};

}  // namespace cg::store
