// The one SQLite connection that a SqliteStore's ports share, and the
// transactions they make on it: a port call begins its own transaction, or
// joins the one Store::transact began.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <type_traits>
#include <utility>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "store/sqlite/db.hpp"

namespace cg::store::sqlite_store {

inline int64_t now_ms() {
  return unix_millis(std::chrono::system_clock::now());
}

// How a port's transaction commits when it is not part of a larger one.
//
// Durable: as `store.synchronous` says (FULL: it waits for its fsync).
// Records with their outbox entries, pull cursors and the audit of changes.
//
// Bookkeeping: sqlite::RelaxedDurability, its commit does not wait for its
// own fsync. Delivery claims, answers and retries, and feedback leases: they
// are durable with the next durable commit (the WAL is one file, synced
// whole) or checkpoint; a power loss can undo the last of them, and then
// those entries are sent again and the platforms answer "duplicate" (their
// idempotency), or the items are offered again.
enum class Commit { Durable, Bookkeeping };

class Connection {
 public:
  explicit Connection(sqlite::Db db) : db_(std::move(db)) {}

  [[nodiscard]] sqlite::Db& db() { return db_; }
  [[nodiscard]] bool durable() const { return durable_; }
  void set_durable(bool durable) { durable_ = durable; }

  // fn() (returning Status or Result<T>) in a transaction: its own, committed
  // when fn returns a value, or the one running, which fn's error rolls back
  // when it reaches Store::transact.
  template <class F>
  auto write(Commit commit, F&& fn) -> std::invoke_result_t<F&> {
    using R = std::invoke_result_t<F&>;
    if (depth_ > 0) return fn();
    std::optional<sqlite::RelaxedDurability> light;
    if (commit == Commit::Bookkeeping) light.emplace(db_, durable_);
    sqlite::Transaction tx(db_);
    if (!tx.begin_status()) return R(tx.begin_status().error());
    struct Depth {
      int& d;
      explicit Depth(int& depth) : d(depth) { ++d; }
      ~Depth() { --d; }
      Depth(const Depth&) = delete;
      Depth& operator=(const Depth&) = delete;
    };
    std::optional<R> out;
    {
      Depth inside(depth_);
      out.emplace(fn());
    }
    if (!out->ok()) return std::move(*out);  // rolled back as tx ends
    if (auto s = tx.commit(); !s) return R(s.error());
    return std::move(*out);
  }

 private:
  sqlite::Db db_;
  bool durable_ = true;
  int depth_ = 0;
};

}  // namespace cg::store::sqlite_store
