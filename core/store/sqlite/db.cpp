#include "store/sqlite/db.hpp"

#include <mutex>
#include <unordered_map>

#include "common/log.hpp"
#include "store/sqlite/health.hpp"

namespace cg::sqlite {

// Idle prepared statements of one connection, by SQL text. A statement in use
// is out of the map, so two Stmts of the same SQL at once each get their own.
class StatementCache {
 public:
  StatementCache() = default;
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;
  ~StatementCache() {
    for (auto& [_, st] : idle_) sqlite3_finalize(st);
  }
  sqlite3_stmt* take(const std::string& sql) {
    auto it = idle_.find(sql);
    if (it == idle_.end()) return nullptr;
    sqlite3_stmt* st = it->second;
    idle_.erase(it);
    return st;
  }
  void give_back(std::string&& sql, sqlite3_stmt* st) {
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    // Bounded: SQL built from filters (the admin API's) must not grow it forever.
    if (idle_.size() >= kMaxIdle || !idle_.emplace(std::move(sql), st).second) sqlite3_finalize(st);
  }

 private:
  static constexpr size_t kMaxIdle = 128;
  std::unordered_map<std::string, sqlite3_stmt*> idle_;
};

void configure_process() {
  static std::once_flag once;
  std::call_once(once, [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_config(
        SQLITE_CONFIG_LOG, +[](void*, int code, const char* message) { store::on_sqlite_error(code, message); },
        nullptr);
  });
}

Result<Db> Db::open(const std::string& path) {
  configure_process();
  sqlite3* db = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    if (db) sqlite3_close(db);
    return make_error("store_open", "cannot open SQLite store: " + msg, path);
  }
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  sqlite3_extended_result_codes(db, 1);
  return Db(db);
}

Db::Db(sqlite3* db) : db_(db), cache_(std::make_shared<StatementCache>()) {}

Db::Db(Db&& o) noexcept : db_(o.db_), cache_(std::move(o.cache_)), refused_(std::move(o.refused_)) {
  o.db_ = nullptr;
}

Db& Db::operator=(Db&& o) noexcept {
  if (this != &o) {
    cache_.reset();  // its statements first: they belong to the connection closed next
    if (db_) sqlite3_close_v2(db_);
    db_ = o.db_;
    cache_ = std::move(o.cache_);
    refused_ = std::move(o.refused_);
    o.db_ = nullptr;
  }
  return *this;
}

Db::~Db() {
  cache_.reset();
  if (db_) sqlite3_close_v2(db_);
}

Status Db::exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return make_error("store", msg);
  }
  return {};
}

Stmt::Stmt(Db& db, const std::string& sql) : db_(db.get()), cache_(db.cache()), sql_(sql) {
  if (auto cache = cache_.lock(); cache && (st_ = cache->take(sql))) return;
  if (sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &st_, nullptr) !=
      SQLITE_OK)
    st_ = nullptr;
}

void Stmt::release() {
  if (!st_) return;
  if (auto cache = cache_.lock())
    cache->give_back(std::move(sql_), st_);
  else
    sqlite3_finalize(st_);
  st_ = nullptr;
}

Stmt& Stmt::operator=(Stmt&& o) noexcept {
  if (this != &o) {
    release();
    st_ = o.st_;
    db_ = o.db_;
    cache_ = std::move(o.cache_);
    sql_ = std::move(o.sql_);
    o.st_ = nullptr;
  }
  return *this;
}

Stmt::~Stmt() {
  release();
}

Stmt& Stmt::reset() {
  sqlite3_reset(st_);
  sqlite3_clear_bindings(st_);
  return *this;
}
Stmt& Stmt::bind(int i, std::string_view v) {
  sqlite3_bind_text(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::bind(int i, int64_t v) {
  sqlite3_bind_int64(st_, i, v);
  return *this;
}
Stmt& Stmt::bind_named(const char* name, std::string_view v) {
  if (int i = sqlite3_bind_parameter_index(st_, name); i > 0) bind(i, v);
  return *this;
}
Stmt& Stmt::bind_named(const char* name, int64_t v) {
  if (int i = sqlite3_bind_parameter_index(st_, name); i > 0) bind(i, v);
  return *this;
}
Stmt& Stmt::bind_static(int i, std::string_view v) {
  sqlite3_bind_text(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  return *this;
}
Stmt& Stmt::bind_blob(int i, std::string_view v) {
  sqlite3_bind_blob(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::bind_null(int i) {
  sqlite3_bind_null(st_, i);
  return *this;
}
Stmt& Stmt::bind_opt(int i, const std::optional<std::string>& v) {
  return v ? bind(i, *v) : bind_null(i);
}

Result<bool> Stmt::step() {
  int rc = sqlite3_step(st_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return make_error("store", sqlite3_errmsg(db_));
}

Status Stmt::run() {
  auto r = step();
  if (!r.ok()) return r.error();
  return {};
}

std::string Stmt::col_text(int i) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st_, i));
  if (!p) return {};
  return std::string(p, static_cast<size_t>(sqlite3_column_bytes(st_, i)));
}

Result<std::map<std::string, int64_t>> counts_by_key(Stmt& st) {
  std::map<std::string, int64_t> out;
  if (auto s = each_row(st, [&] { out[st.col_text(0)] = st.col_int(1); }); !s) return s.error();
  return out;
}

namespace {

// What a connection that refuses writes still lets run.
int reads_only(void*, int action, const char*, const char*, const char*, const char*) {
  switch (action) {
    case SQLITE_SELECT:
    case SQLITE_READ:
    case SQLITE_FUNCTION:
    case SQLITE_RECURSIVE:
    case SQLITE_PRAGMA:
    case SQLITE_TRANSACTION:
    case SQLITE_SAVEPOINT:
      return SQLITE_OK;
    default:
      return SQLITE_DENY;
  }
}

}  // namespace

void Db::refuse_writes(const std::string& why) {
  if (refused_) return;
  refused_ = std::make_unique<std::string>(why);
  log::error("store", why);
  sqlite3_set_authorizer(db_, reads_only, nullptr);  // prepared statements are compiled again under it
}

RelaxedDurability::RelaxedDurability(Db& db, bool durable) : db_(durable ? &db : nullptr) {
  if (db_) (void)Stmt(*db_, "PRAGMA synchronous=NORMAL").run();
}

RelaxedDurability::~RelaxedDurability() {
  if (db_ && !Stmt(*db_, "PRAGMA synchronous=FULL").run())
    db_->refuse_writes("cannot set synchronous=FULL again (" + db_->last_error() +
                       "): the store takes no more writes until the gateway restarts");
}

Transaction::Transaction(Db& db) : db_(db) {
  if (const auto* why = db_.writes_refused())
    begin_ = make_error("store_unwritable", *why);
  else
    begin_ = db_.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
  if (!done_ && begin_.ok()) (void)db_.exec("ROLLBACK");
}

Status Transaction::commit() {
  done_ = true;
  return db_.exec("COMMIT");
}

}  // namespace cg::sqlite
