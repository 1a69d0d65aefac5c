// The sync ledger port on SQLite.
#pragma once

#include "store/sqlite/connection.hpp"
#include "store/sync_ledger.hpp"

namespace cg::store::sqlite_store {

class SqliteSyncLedger final : public SyncLedger {
 public:
  explicit SqliteSyncLedger(Connection& c) : c_(c) {}

  Result<std::optional<std::string>> cursor(const std::string& source) override;
  Status save_cursor(const std::string& source, const std::string& cursor) override;
  Result<bool> applied(const std::string& change_id) override;
  Status mark_applied(const AppliedChange& change) override;
  Status keep_waiting(const WaitingChange& change) override;
  Result<std::vector<WaitingChange>> waiting(const WaitingFilter& filter) override;
  Status drop_waiting(const std::string& change_id) override;
  Result<int64_t> waiting_count() override;
  Status open_objection(const std::string& record_id, const std::string& objection_id,
                        const std::string& opened_at) override;
  Result<std::optional<std::string>> resolve_objection(const std::string& record_id, const std::string& objection_id,
                                                       const std::string& resolved_at,
                                                       const std::string& outcome) override;

 private:
  Connection& c_;
};

}  // namespace cg::store::sqlite_store
