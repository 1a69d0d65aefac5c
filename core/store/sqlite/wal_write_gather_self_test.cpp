// The WAL write gather's self-test against the running SQLite, and the switch
// that turns the gather on only once it has passed (store.wal_gather).
#include <sqlite3.h>
#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "store/sqlite/db.hpp"
#include "store/sqlite/wal_write_gather.hpp"

namespace cg::sqlite {

namespace {

// The self-test's folder, removed with what it holds.
struct SelfTestDir {
  std::string path;
  static std::unique_ptr<SelfTestDir> make(const std::string& parent) {
    std::string tmpl = parent + "/.wal-gather-test-XXXXXX";
    if (::mkdtemp(tmpl.data()) == nullptr) return nullptr;
    auto d = std::make_unique<SelfTestDir>();
    d->path = tmpl;
    return d;
  }
  SelfTestDir() = default;
  SelfTestDir(const SelfTestDir&) = delete;
  SelfTestDir& operator=(const SelfTestDir&) = delete;
  ~SelfTestDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

// A connection of the self-test's, through a VFS of its choice.
class SelfTestConn {
 public:
  static std::unique_ptr<SelfTestConn> open(const std::string& path, const char* vfs) {
    auto c = std::unique_ptr<SelfTestConn>(new SelfTestConn);
    if (sqlite3_open_v2(path.c_str(), &c->db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs) != SQLITE_OK)
      return nullptr;
    return c;
  }
  SelfTestConn(const SelfTestConn&) = delete;
  SelfTestConn& operator=(const SelfTestConn&) = delete;
  ~SelfTestConn() { sqlite3_close_v2(db_); }
  bool exec(const std::string& sql) { return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK; }
  [[nodiscard]] std::string error() const { return sqlite3_errmsg(db_); }
  // The first column of the first row as text; empty on an error.
  std::string text(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    std::string v;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
      if (const auto* p = sqlite3_column_text(st, 0)) v = reinterpret_cast<const char*>(p);
    sqlite3_finalize(st);
    return v;
  }

 private:
  SelfTestConn() = default;
  sqlite3* db_ = nullptr;
};

}  // namespace

Status wal_write_gather_self_test(const std::string& test_dir, sqlite3_vfs* gather, const char* writer_vfs) {
  auto fail = [](const std::string& what) {
    return make_error("wal_gather", std::string("store.wal_gather: the self-test against SQLite ") +
                                        sqlite3_libversion() + " failed (" + what + "); set store.wal_gather to false");
  };
  if (gather == nullptr) return fail("the VFS could not be registered");
  const auto dir = SelfTestDir::make(test_dir);
  if (!dir) return fail("cannot make a folder under " + test_dir + ": " + std::strerror(errno));
  const std::string path = dir->path + "/t.db";
  auto writer = SelfTestConn::open(path, writer_vfs ? writer_vfs : gather->zName);
  if (!writer) return fail("cannot open a database through the VFS");
  for (const char* sql : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA wal_autocheckpoint=0",
                          "CREATE TABLE t(k INTEGER PRIMARY KEY, v BLOB)"})
    if (!writer->exec(sql)) return fail(std::string(sql) + ": " + writer->error());
  if (writer->text("PRAGMA journal_mode") != "wal") return fail("the database is not in WAL mode");
  auto reader = SelfTestConn::open(path, wal_write_gather_base(gather)->zName);
  if (!reader) return fail("cannot open the database through the base VFS");
  // One row; a few pages; more than the buffer (about 2.4 MiB); then the
  // same after the log starts over.
  int64_t rows = 0;
  for (const int n : {1, 40, 600, 0, 5}) {
    if (n == 0) {
      if (!writer->exec("PRAGMA wal_checkpoint(RESTART)")) return fail("RESTART checkpoint: " + writer->error());
      continue;
    }
    const uint64_t before = wal_write_gather_commits(gather);
    const std::string insert = "WITH RECURSIVE n(i) AS (SELECT " + std::to_string(rows + 1) +
                               " UNION ALL SELECT i + 1 FROM n WHERE i < " + std::to_string(rows + n) +
                               ") INSERT INTO t(k, v) SELECT i, randomblob(4000) FROM n";
    if (!writer->exec(insert)) return fail("insert: " + writer->error());
    rows += n;
    if (wal_write_gather_commits(gather) != before + 1)
      return fail("a commit of " + std::to_string(n) + " rows was not written at its commit frame");
    // The rows' count and size, and eight bytes of each.
    const char* digest =
        "SELECT count(*) || ' ' || total(length(v)) || ' ' || group_concat(hex(substr(v, 1 + k % 3990, 8)), '') "
        "FROM t";
    const std::string wrote = writer->text(digest), read = reader->text(digest);
    if (wrote.empty() || wrote != read)
      return fail("another connection read " + read.substr(0, 40) + " after a commit of " + std::to_string(n) +
                  " rows (" + reader->error() + ")");
  }
  if (const auto ok = reader->text("PRAGMA integrity_check"); ok != "ok") return fail("integrity_check: " + ok);
  return {};
}

Status enable_wal_write_gather(const std::string& test_dir) {
  static std::mutex mu;
  static std::optional<Status> answer;
  std::lock_guard<std::mutex> lock(mu);
  if (answer) return *answer;
  configure_process();
  sqlite3_vfs* gather = register_wal_write_gather(sqlite3_vfs_find(nullptr), "cg-wal-write-gather", false);
  Status s = wal_write_gather_self_test(test_dir, gather);
  if (s && sqlite3_vfs_register(gather, 1) != SQLITE_OK)
    s = make_error("wal_gather", "store.wal_gather: SQLite did not take the VFS as its default");
  answer = s;
  return s;
}

}  // namespace cg::sqlite
