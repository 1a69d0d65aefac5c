// The durable store, as ports: one small interface per concern, handed out
// by the Store, with the transaction explicit. SQLite is the embedded
// backend (store/sqlite/); a PostgreSQL store implements the same ports for
// several gateway nodes. The store holds data and its invariants (a version
// with its audit, outbox entries and feedback items; a cursor with the
// changes it covers); the rules that decide what to write (lifecycle, sync)
// sit above it and use it.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "common/result.hpp"
#include "store/audit_log.hpp"
#include "store/catalog_ledger.hpp"
#include "store/checks.hpp"
#include "store/credit_reports.hpp"
#include "store/feedback.hpp"
#include "store/feedback_reports.hpp"
#include "store/job_ledger.hpp"
#include "store/objections.hpp"
#include "store/outbox.hpp"
#include "store/publicity.hpp"
#include "store/quarantine.hpp"
#include "store/records.hpp"
#include "store/statistics.hpp"
#include "store/sync_ledger.hpp"

namespace cg::store {

class Store {
 public:
  virtual ~Store() = default;

  virtual Records& records() = 0;
  virtual Outbox& outbox() = 0;
  virtual Quarantine& quarantine() = 0;
  virtual FeedbackQueue& feedback() = 0;
  virtual FeedbackReports& feedback_reports() = 0;
  virtual Objections& objections() = 0;
  virtual AuditLog& audit() = 0;
  virtual JobLedger& jobs() = 0;
  virtual SyncLedger& sync() = 0;
  virtual CatalogLedger& catalogs() = 0;
  virtual Checks& checks() = 0;
  virtual Publicity& publicity() = 0;
  virtual Statistics& statistics() = 0;
  virtual CreditReports& credit_reports() = 0;

  // A write probe for readiness: an error once the store takes no writes.
  virtual Status check_writable() = 0;

  // Runs fn(store) in one transaction: every port call it makes commits
  // together when it returns a value, and none does when it returns an
  // error. Outside transact, each port call is a transaction of its own.
  // fn returns Status or Result<T>; transact returns what fn returned, or
  // the commit's error.
  template <class F>
  auto transact(F&& fn) -> std::invoke_result_t<F&, Store&> {
    using R = std::invoke_result_t<F&, Store&>;
    std::optional<R> out;
    Status done = run_transaction([&](Store& s) -> Status {
      out.emplace(fn(s));
      if (!out->ok()) return out->error();
      return {};
    });
    if (out && !out->ok()) return std::move(*out);
    if (!done) return R(done.error());
    return std::move(*out);
  }

 protected:
  // Begins a transaction (or joins the one running), runs fn, commits when
  // it returned no error and rolls back when it did.
  virtual Status run_transaction(const std::function<Status(Store&)>& fn) = 0;
};

struct StoreOptions {
  std::string synchronous = "full";         // SQLite: full (safe against power loss) | normal
  std::string checks_synchronous = "full";  // the check ledger's: full | normal (normal too when synchronous is)
  int64_t cache_kib = 4096;                 // page cache of this connection
  // No automatic WAL checkpoint in this connection's commits: a WalCheckpointer
  // thread does it (the write connection, whose commits are the bottleneck).
  bool background_checkpoint = false;
  // A store file that does not exist yet is made (readable by the gateway's
  // user only); with false, it is an error (commands that only read).
  bool create = true;
  // An existing 0-byte file is made a new store only when asked (store init):
  // otherwise it is refused, as a store whose contents were lost would be.
  bool init_empty_file = false;
  // PRAGMA quick_check before the store is used (the gateway's start).
  bool quick_check = false;
};

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path, const StoreOptions& opts = {});

// The check ledger of the store at `path`: the file beside it, named after
// it, that keeps credit checks (gateway.db -> gateway.checks.db). A backup
// of the store copies both.
std::string checks_ledger_path(const std::string& store_path);

// PRAGMA integrity_check of the store at `path` (which must exist) and of
// its check ledger: each problem SQLite reports, in `problems`.
Status check_sqlite_store(const std::string& path, std::vector<std::string>& problems);

}  // namespace cg::store
