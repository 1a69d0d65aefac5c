// The SQLite store's tables, and the upgrade of older store files.
#pragma once

#include "common/result.hpp"
#include "store/sqlite/db.hpp"

namespace cg::store {

inline constexpr int kSqliteSchemaVersion = 12;

// The records row whose id is `param` (of the table named `alias`, "" or
// "r."), found through `records_key`, the index of the ids' first 8
// characters (schema 6). The unary `+` keeps SQLite from putting the bound
// id in place of the column inside the index's expression (its constant
// propagation), after which the index would no longer match and every row
// would be read.
#define CG_RECORD_IS(alias, param) \
  "substr(" alias "record_id, 1, 8) = substr(" param ", 1, 8) AND +" alias "record_id = " param

// The records whose subject's `column` (subject_uscc or subject_id_number)
// is `param`, through that column's index of the characters from `from` on
// (records_uscc: 11, records_id_number and records_legal_rep: 9); `+` as
// above.
// (SQL text, kept in one readable piece.)
// clang-format off
#define CG_SUBJECT_IS(column, from, param)                                           \
  "r." column " IS NOT NULL AND substr(r." column ", " from ") = substr(" param ", " \
  from ") AND +r." column " = " param
// clang-format on
#define CG_USCC_IS(param) CG_SUBJECT_IS("subject_uscc", "11", param)
#define CG_ID_NUMBER_IS(param) CG_SUBJECT_IS("subject_id_number", "9", param)
#define CG_LEGAL_REP_IS(param) CG_SUBJECT_IS("legal_rep_id_number", "9", param)

// Creates the tables of a new store, upgrades an older one in one
// transaction, and refuses a store written by a newer gateway.
Status ensure_sqlite_schema(sqlite::Db& db);

}  // namespace cg::store
