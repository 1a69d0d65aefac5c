// The quarantine port on SQLite. Records::ingest adds entries through add()
// and add_refused_unit(), in the batch's transaction.
#pragma once

#include "record/quarantine_entry.hpp"
#include "store/quarantine.hpp"
#include "store/records.hpp"
#include "store/sqlite/audit_log.hpp"
#include "store/sqlite/connection.hpp"

namespace cg::store::sqlite_store {

class SqliteQuarantine final : public Quarantine {
 public:
  SqliteQuarantine(Connection& c, SqliteAuditLog& audit) : c_(c), audit_(audit) {}
  Status prepare();

  Result<std::vector<QuarantineRow>> list(const QuarantineFilter& f) override;
  Result<nlohmann::json> counts() override;
  Status mark_replayed(int64_t id, const std::string& actor, const std::vector<std::string>& record_ids) override;

  // A broken record of `batch` (its entry's text and fingerprint made
  // ahead); true when it is new, false when the same one is open already.
  Result<bool> add(const IngestBatch& batch, const QuarantineEntry& q, const std::string& entry_text,
                   const std::string& fingerprint, const std::string& now);
  // The batch's unit refused whole, with its bytes; true when new.
  Result<bool> add_refused_unit(const IngestBatch& batch, const std::string& now);

 private:
  Connection& c_;
  SqliteAuditLog& audit_;
  sqlite::Stmt insert_;
};

}  // namespace cg::store::sqlite_store
