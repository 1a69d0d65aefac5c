// The embedded store: one SQLite file in WAL mode, one connection whose
// ports share it (connection.hpp), and the check ledger beside it.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "common/clock.hpp"
#include "store/sqlite/audit_log.hpp"
#include "store/sqlite/catalog_ledger.hpp"
#include "store/sqlite/checks.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/credit_reports.hpp"
#include "store/sqlite/db.hpp"
#include "store/sqlite/feedback.hpp"
#include "store/sqlite/feedback_reports.hpp"
#include "store/sqlite/job_ledger.hpp"
#include "store/sqlite/objections.hpp"
#include "store/sqlite/outbox.hpp"
#include "store/sqlite/publicity.hpp"
#include "store/sqlite/quarantine.hpp"
#include "store/sqlite/records.hpp"
#include "store/sqlite/schema.hpp"
#include "store/sqlite/statistics.hpp"
#include "store/sqlite/sync_ledger.hpp"
#include "store/store.hpp"

namespace cg::store {

namespace {

using sqlite::Db;
using sqlite::Stmt;
using namespace sqlite_store;

class SqliteStore final : public Store {
 public:
  SqliteStore(Db db, std::unique_ptr<SqliteChecks> checks)
      : c_(std::move(db)),
        audit_(c_),
        statistics_(c_),
        publicity_(c_, audit_, statistics_),
        outbox_(c_, audit_, publicity_, statistics_),
        feedback_(c_, audit_, statistics_),
        reports_(c_, audit_, statistics_),
        credit_reports_(c_, audit_, statistics_),
        objections_(c_, audit_),
        quarantine_(c_, audit_),
        records_(c_, audit_, outbox_, feedback_, quarantine_, publicity_, statistics_),
        jobs_(c_),
        sync_(c_),
        catalogs_(c_, audit_),
        checks_(std::move(checks)) {}

  Status init(const StoreOptions& opts) {
    Db& db = c_.db();
    c_.set_durable(opts.synchronous != "normal");
    if (auto s = db.exec("PRAGMA journal_mode=WAL"); !s) return s;
    if (auto s = db.exec(std::string("PRAGMA synchronous=") + (c_.durable() ? "FULL" : "NORMAL")); !s) return s;
    if (auto s = db.exec("PRAGMA foreign_keys=ON"); !s) return s;
    // Each connection's page cache counts in the gateway's memory: large for
    // the write connection (its indexes), small for the others.
    if (auto s = db.exec("PRAGMA cache_size=-" + std::to_string(opts.cache_kib)); !s) return s;
    if (opts.background_checkpoint)
      if (auto s = db.exec("PRAGMA wal_autocheckpoint=0"); !s) return s;
    // After a checkpoint resets the log, its file is cut back to this size.
    if (auto s = db.exec("PRAGMA journal_size_limit=67108864"); !s) return s;
    if (auto s = checks_->take_from(db); !s) return s;  // before the upgrade from 10 drops their table
    if (auto s = ensure_sqlite_schema(db); !s) return s;
    for (const Status& s : {audit_.prepare(), publicity_.prepare(), statistics_.prepare(), outbox_.prepare(),
                            feedback_.prepare(), quarantine_.prepare(), records_.prepare()})
      if (!s) return s;
    return {};
  }

  Records& records() override { return records_; }
  Outbox& outbox() override { return outbox_; }
  Quarantine& quarantine() override { return quarantine_; }
  FeedbackQueue& feedback() override { return feedback_; }
  FeedbackReports& feedback_reports() override { return reports_; }
  Objections& objections() override { return objections_; }
  AuditLog& audit() override { return audit_; }
  JobLedger& jobs() override { return jobs_; }
  SyncLedger& sync() override { return sync_; }
  CatalogLedger& catalogs() override { return catalogs_; }
  Checks& checks() override { return *checks_; }
  Publicity& publicity() override { return publicity_; }
  Statistics& statistics() override { return statistics_; }
  CreditReports& credit_reports() override { return credit_reports_; }

  Status check_writable() override {
    if (const auto* why = c_.db().writes_refused()) return make_error("store_unwritable", *why);
    return c_.write(Commit::Durable, [&] {
      Stmt st(c_.db(),
              "INSERT INTO meta(key, value) VALUES('health', ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value");
      st.bind(1, now_rfc3339_cst());
      return st.run();
    });
  }

 protected:
  Status run_transaction(const std::function<Status(Store&)>& fn) override {
    return c_.write(Commit::Durable, [&] { return fn(*this); });
  }

 private:
  Connection c_;
  SqliteAuditLog audit_;
  SqliteStatistics statistics_;
  SqlitePublicity publicity_;
  SqliteOutbox outbox_;
  SqliteFeedback feedback_;
  SqliteFeedbackReports reports_;
  SqliteCreditReports credit_reports_;
  SqliteObjections objections_;
  SqliteQuarantine quarantine_;
  SqliteRecords records_;
  SqliteJobLedger jobs_;
  SqliteSyncLedger sync_;
  SqliteCatalogLedger catalogs_;
  std::unique_ptr<SqliteChecks> checks_;
};

// The file the store will open: made private when new, refused when it is
// an empty file nobody asked to initialise.
Status prepare_store_file(const std::string& path, const StoreOptions& opts) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const bool exists = fs::exists(path, ec);
  if (exists) {
    if (fs::file_size(path, ec) == 0 && !ec && !opts.init_empty_file)
      return make_error("store_empty",
                        "the store file is empty (0 bytes); the gateway will not make a new store over it, since its "
                        "records, outbox and cursors would be gone without a word. Restore it from a backup, or, for "
                        "a new installation, run: credit-gateway store init --config FILE",
                        path);
    if (opts.create)  // the gateway's own opening: a store made by an older release is made private too
      for (const char* suffix : {"", "-wal", "-shm"})
        if (fs::exists(path + suffix, ec))
          fs::permissions(path + suffix, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace, ec);
    return {};
  }
  if (!opts.create)
    return make_error("store_missing", "no store at this path (run the gateway once, or credit-gateway store init)",
                      path);
  auto parent = fs::path(path).parent_path();
  if (!parent.empty()) fs::create_directories(parent, ec);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);  // its -wal and -shm follow
  if (fd < 0 && errno != EEXIST)
    return make_error("store_open", std::string("cannot create the store file: ") + std::strerror(errno), path);
  if (fd >= 0) ::close(fd);
  return {};
}

// PRAGMA quick_check or integrity_check: each problem SQLite names, in `problems`.
Status check_integrity(Db& db, const std::string& pragma, std::vector<std::string>* problems = nullptr) {
  Stmt st(db, "PRAGMA " + pragma);
  std::vector<std::string> found;
  while (true) {
    auto row = st.step();
    if (!row.ok()) return make_error("store_corrupt", pragma + " could not run: " + row.error().message);
    if (!*row) break;
    std::string line = st.col_text(0);
    if (line != "ok") found.push_back(std::move(line));
  }
  if (found.empty()) return {};
  const std::string first = found.front();
  const size_t n = found.size();
  if (problems) *problems = std::move(found);
  return make_error("store_corrupt", pragma + " found " + std::to_string(n) + " problem(s), the first: " + first);
}

}  // namespace

std::string checks_ledger_path(const std::string& store_path) {
  const std::filesystem::path p(store_path);
  return (p.parent_path() / (p.stem().string() + ".checks.db")).string();
}

Status check_sqlite_store(const std::string& path, std::vector<std::string>& problems) {
  StoreOptions opts;
  opts.create = false;
  if (auto s = prepare_store_file(path, opts); !s) return s.error();
  auto db = Db::open(path);
  if (!db.ok()) return db.error();
  auto checked = check_integrity(*db, "integrity_check", &problems);
  const std::string ledger = checks_ledger_path(path);
  std::error_code ec;
  if (!std::filesystem::exists(ledger, ec)) return checked;
  auto ldb = Db::open(ledger);
  if (!ldb.ok()) return ldb.error();
  std::vector<std::string> in_ledger;
  auto ledger_checked = check_integrity(*ldb, "integrity_check", &in_ledger);
  for (auto& p : in_ledger) problems.push_back(ledger + ": " + p);
  if (!checked) return checked;
  if (!ledger_checked) return make_error(ledger_checked.error().code, ledger_checked.error().message, ledger);
  return {};
}

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path, const StoreOptions& opts) {
  if (auto s = prepare_store_file(path, opts); !s) return s.error();
  auto db = Db::open(path);
  if (!db.ok()) return db.error();
  if (opts.quick_check)
    if (auto s = check_integrity(*db, "quick_check"); !s) return s.error();
  // The ledger is made beside a store that exists, also for a command that
  // only reads: it holds nothing yet.
  const std::string ledger_path = checks_ledger_path(path);
  StoreOptions ledger_opts;
  ledger_opts.init_empty_file = true;
  if (auto s = prepare_store_file(ledger_path, ledger_opts); !s) return s.error();
  auto ledger = SqliteChecks::open(ledger_path, opts.synchronous != "normal" && opts.checks_synchronous != "normal");
  if (!ledger.ok()) return ledger.error();
  auto store = std::make_unique<SqliteStore>(std::move(db.value()), std::move(ledger.value()));
  if (auto s = store->init(opts); !s) return make_error(s.error().code, s.error().message, path);
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace cg::store
