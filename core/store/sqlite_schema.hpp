// The SQLite store's tables, and the upgrade of older store files.
#pragma once

#include "common/result.hpp"
#include "store/sqlite.hpp"

namespace cg::store {

inline constexpr int kSqliteSchemaVersion = 5;

// Creates the tables of a new store, upgrades an older one in one
// transaction, and refuses a store written by a newer gateway.
Status ensure_sqlite_schema(sqlite::Db& db);

}  // namespace cg::store
