// The credit checks port on SQLite: one row each in `checks`.
#pragma once

#include "store/checks.hpp"
#include "store/sqlite/connection.hpp"

namespace cg::store::sqlite_store {

class SqliteChecks final : public Checks {
 public:
  explicit SqliteChecks(Connection& c) : c_(c) {}

  Status add(const StoredCheck& check) override;
  Result<std::optional<StoredCheck>> get(const std::string& check_id) override;
  Result<std::vector<StoredCheck>> list(const CheckFilter& filter) override;

 private:
  Connection& c_;
};

}  // namespace cg::store::sqlite_store
