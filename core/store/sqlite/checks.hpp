// The credit checks port on SQLite: the check ledger, a file of its own
// beside the store (checks_ledger_path), so that keeping a check never waits
// for the store's write lock, which the ingest holds for its batches and
// WAL checkpoints.
#pragma once

#include <memory>
#include <string>

#include "store/checks.hpp"
#include "store/sqlite/connection.hpp"

namespace cg::store::sqlite_store {

class SqliteChecks final : public Checks {
 public:
  // Opens the ledger at `path`, made private when it does not exist yet;
  // `durable` as the store's `synchronous`.
  static Result<std::unique_ptr<SqliteChecks>> open(const std::string& path, bool durable);

  // Moves the checks that a store of schema 10 kept in its own `checks`
  // table into the ledger; a check already there is kept as it is, so a
  // move cut short is finished by the next one. The store's upgrade then
  // drops the table.
  Status take_from(sqlite::Db& store);

  Status add(const StoredCheck& check) override;
  Result<std::optional<StoredCheck>> get(const std::string& check_id) override;
  Result<std::vector<StoredCheck>> list(const CheckFilter& filter) override;
  Result<std::vector<StatisticsRow>> statistics(const StatisticsQuery& q) override;

 private:
  explicit SqliteChecks(sqlite::Db db) : c_(std::move(db)) {}
  Connection c_;
};

}  // namespace cg::store::sqlite_store
