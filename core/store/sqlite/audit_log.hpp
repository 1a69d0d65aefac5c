// The audit port on SQLite. The other ports write their changes' entries
// through write(), in their own transaction.
#pragma once

#include <string>

#include "store/audit_log.hpp"
#include "store/sqlite/connection.hpp"

namespace cg::store::sqlite_store {

class SqliteAuditLog final : public AuditLog {
 public:
  explicit SqliteAuditLog(Connection& c) : c_(c) {}
  Status prepare();

  Status append(const AuditEntry& entry) override;
  using AuditLog::append;
  Result<std::vector<AuditRow>> list(const std::string& record_id, size_t limit) override;

  // One entry, in the caller's transaction. `rid`: the record's row, when
  // the caller has it (0: looked up by record_id; none for a record that is
  // not stored, such as a quarantined one).
  Status write(const std::string& at, const std::string& actor, const std::string& action, const std::string& record_id,
               int64_t version, const std::string& source, const std::string& detail, int64_t rid = 0);
  // The id of the entry this connection wrote last.
  [[nodiscard]] int64_t last_id() const { return last_id_; }

 private:
  Connection& c_;
  sqlite::Stmt insert_;
  int64_t last_id_ = 0;
};

}  // namespace cg::store::sqlite_store
