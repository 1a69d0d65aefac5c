// The local objections port on SQLite: one row each in `local_objections` (the platform's objections are the sync
// ledger's `objections`).
#pragma once

#include "store/objections.hpp"
#include "store/sqlite/audit_log.hpp"
#include "store/sqlite/connection.hpp"

namespace cg::store::sqlite_store {

class SqliteObjections final : public Objections {
 public:
  SqliteObjections(Connection& c, SqliteAuditLog& audit) : c_(c), audit_(audit) {}

  Result<RaiseOutcome> raise(const Objection& o) override;
  Result<std::optional<Objection>> get(const std::string& objection_id) override;
  Result<std::vector<Objection>> list(const ObjectionFilter& filter) override;
  Result<std::map<std::string, int64_t>> counts() override;
  Status answered(const std::string& objection_id, const std::string& state, const std::string& answer) override;

 private:
  Connection& c_;
  SqliteAuditLog& audit_;
};

}  // namespace cg::store::sqlite_store
