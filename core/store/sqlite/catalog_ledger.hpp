// The catalog ledger port on SQLite (table catalog_versions).
#pragma once

#include "store/catalog_ledger.hpp"
#include "store/sqlite/audit_log.hpp"
#include "store/sqlite/connection.hpp"

namespace cg::store::sqlite_store {

class SqliteCatalogLedger final : public CatalogLedger {
 public:
  SqliteCatalogLedger(Connection& c, SqliteAuditLog& audit) : c_(c), audit_(audit) {}

  Result<bool> keep(const std::string& ref, const std::string& effective_from, const std::string& text) override;
  Result<std::vector<CatalogVersion>> versions() override;
  Result<std::optional<std::string>> text(const std::string& ref) override;

 private:
  Connection& c_;
  SqliteAuditLog& audit_;
};

}  // namespace cg::store::sqlite_store
