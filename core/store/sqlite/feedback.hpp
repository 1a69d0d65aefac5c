// The feedback port on SQLite. Records writes a version's items through
// enqueue(), in the version's transaction.
#pragma once

#include "store/feedback.hpp"
#include "store/sqlite/audit_log.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/statistics.hpp"

namespace cg::store::sqlite_store {

class SqliteFeedback final : public FeedbackQueue {
 public:
  SqliteFeedback(Connection& c, SqliteAuditLog& audit, SqliteStatistics& statistics)
      : c_(c), audit_(audit), statistics_(statistics) {}
  Status prepare();

  void set_router(FeedbackRouter router) override { router_ = std::move(router); }
  Result<std::vector<FeedbackItem>> claim(const std::string& department, size_t max, int64_t lease_ms) override;
  Status complete(int64_t id, bool delivered, const std::string& error, int64_t retry_ms) override;
  Result<nlohmann::json> stats() override;
  Result<std::vector<FeedbackItem>> items(const ItemFilter& filter) override;
  Result<std::vector<FeedbackItem>> note_overdue(const std::string& today, size_t max) override;
  Result<std::map<std::string, int64_t>> overdue_counts(const std::string& today) override;
  Result<bool> sent_to(const std::string& department, const std::string& record_id) override;

  // The items of a version just written. `event`: the platform's change, or
  // null for a record written from a department's feed (then the event is
  // {"type": "created"|"updated"}).
  Status enqueue(const Record& r, const nlohmann::json& event, bool created, const std::string& origin,
                 const std::string& now);

 private:
  Connection& c_;
  SqliteAuditLog& audit_;
  SqliteStatistics& statistics_;
  FeedbackRouter router_;
  sqlite::Stmt insert_;
};

}  // namespace cg::store::sqlite_store
