// RAII wrappers for SQLite: a connection, a prepared statement, a transaction.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace cg::sqlite {

class StatementCache;

// Before SQLite's first use in the process (once; Db::open and the WAL
// write-gather's self-test call it): no memory statistics (they take a global
// mutex on every allocation, which every connection's thread contends for);
// SQLite's errors in the store's health.
void configure_process();

// How long a connection waits for another's lock before SQLITE_BUSY.
constexpr int kBusyTimeoutMs = 10000;

class Db {
 public:
  static Result<Db> open(const std::string& path);
  Db(Db&& o) noexcept;
  Db& operator=(Db&& o) noexcept;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  ~Db();

  Status exec(const std::string& sql);
  [[nodiscard]] sqlite3* get() const { return db_; }
  [[nodiscard]] std::string last_error() const { return sqlite3_errmsg(db_); }
  [[nodiscard]] int64_t changes() const { return sqlite3_changes64(db_); }
  [[nodiscard]] int64_t last_insert_id() const { return sqlite3_last_insert_rowid(db_); }
  [[nodiscard]] std::weak_ptr<StatementCache> cache() const { return cache_; }

  // From now on the connection only reads: every statement that would write
  // is refused by SQLite (an authorizer), and a Transaction does not begin,
  // with `why` as its error. For a connection whose writes would no longer
  // keep the store's promises; there is no way back but a new connection.
  void refuse_writes(const std::string& why);
  // Why writes are refused; null while they are not.
  [[nodiscard]] const std::string* writes_refused() const { return refused_.get(); }

 private:
  explicit Db(sqlite3* db);
  sqlite3* db_ = nullptr;
  std::shared_ptr<StatementCache> cache_;  // prepared statements kept for the next Stmt of the same SQL
  std::unique_ptr<std::string> refused_;   // refuse_writes' reason
};

// A prepared statement. Statements of a Db come from its cache and go back to
// it (reset, bindings cleared) when the Stmt ends, so a statement run again
// and again is compiled once per connection.
class Stmt {
 public:
  Stmt() = default;
  Stmt(Db& db, const std::string& sql);
  Stmt(Stmt&& o) noexcept : st_(o.st_), db_(o.db_), cache_(std::move(o.cache_)), sql_(std::move(o.sql_)) {
    o.st_ = nullptr;
  }
  Stmt& operator=(Stmt&& o) noexcept;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt();

  [[nodiscard]] bool ok() const { return st_ != nullptr; }
  [[nodiscard]] sqlite3_stmt* handle() const { return st_; }
  Stmt& reset();
  Stmt& bind(int i, std::string_view v);
  Stmt& bind(int i, int64_t v);
  Stmt& bind_blob(int i, std::string_view v);
  // Not copied: `v` must stay unchanged until the statement is reset (a
  // large value bound for one step, such as a record body).
  Stmt& bind_static(int i, std::string_view v);
  Stmt& bind_null(int i);
  // By name (":id"); a name the statement does not have is passed over (a
  // filter whose clause was left out of the SQL).
  Stmt& bind_named(const char* name, std::string_view v);
  Stmt& bind_named(const char* name, int64_t v);
  Stmt& bind_opt(int i, const std::optional<std::string>& v);
  // SQLITE_ROW -> true, SQLITE_DONE -> false, errors -> Error.
  Result<bool> step();
  Status run();  // step to done

  [[nodiscard]] int64_t col_int(int i) const { return sqlite3_column_int64(st_, i); }
  [[nodiscard]] std::string col_text(int i) const;
  [[nodiscard]] bool col_null(int i) const { return sqlite3_column_type(st_, i) == SQLITE_NULL; }

 private:
  void release();
  sqlite3_stmt* st_ = nullptr;
  sqlite3* db_ = nullptr;
  std::weak_ptr<StatementCache> cache_;  // gone with the connection: a Stmt that outlives it just finalizes
  std::string sql_;
};

// Steps through every row of `st`, calling fn() on each; the first error ends it.
template <class F>
Status each_row(Stmt& st, F&& fn) {
  while (true) {
    auto row = st.step();
    if (!row.ok()) return row.error();
    if (!*row) return {};
    fn();
  }
}

// The rows of a `SELECT key, count(*) … GROUP BY key` as a map.
Result<std::map<std::string, int64_t>> counts_by_key(Stmt& st);

// synchronous=NORMAL for the commits in its scope, on a connection otherwise
// at FULL (`durable`; without it, nothing changes): commits that need not wait
// for their own fsync, made durable by the next FULL one. If FULL cannot be
// set again, the connection takes no more writes (Db::refuse_writes), since
// its next commits would not be durable.
class RelaxedDurability {
 public:
  RelaxedDurability(Db& db, bool durable);
  ~RelaxedDurability();
  RelaxedDurability(const RelaxedDurability&) = delete;
  RelaxedDurability& operator=(const RelaxedDurability&) = delete;

 private:
  Db* db_;
};

// BEGIN IMMEDIATE on construction, ROLLBACK on destruction unless committed.
class Transaction {
 public:
  explicit Transaction(Db& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  Status begin_status() const { return begin_; }
  Status commit();

 private:
  Db& db_;
  Status begin_;
  bool done_ = false;
};

}  // namespace cg::sqlite
