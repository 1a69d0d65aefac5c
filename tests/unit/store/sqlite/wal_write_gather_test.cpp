// The VFS that gathers a transaction's WAL writes (store/sqlite/wal_write_gather.hpp):
// few, large writes per commit, every committed frame in the file before the
// commit returns (a connection through the plain unix VFS sees it), and
// nothing of a rolled-back or spilled transaction seen; and the self-test
// that turns it on, which fails when SQLite writes frames otherwise.
#include "store/sqlite/wal_write_gather.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "../../test_support.hpp"

namespace {

// The unix VFS with the writes into WAL files counted.
struct WalWriteCounter {
  static inline sqlite3_vfs* unix_vfs = nullptr;
  static inline sqlite3_vfs vfs{};
  static inline const sqlite3_io_methods* original = nullptr;
  static inline sqlite3_io_methods counting{};
  static inline int writes = 0;
  static inline int largest = 0;

  static sqlite3_vfs* get() {
    if (unix_vfs == nullptr) {
      unix_vfs = sqlite3_vfs_find("unix");
      vfs = *unix_vfs;
      vfs.pNext = nullptr;
      vfs.zName = "test-wal-write-counter";
      vfs.xOpen = &open;
      sqlite3_vfs_register(&vfs, 0);
    }
    return &vfs;
  }
  static int open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
    int rc = unix_vfs->xOpen(unix_vfs, name, file, flags, out_flags);
    if (rc != SQLITE_OK || !(flags & SQLITE_OPEN_WAL) || file->pMethods == nullptr) return rc;
    if (original == nullptr) {
      original = file->pMethods;
      counting = *original;
      counting.xWrite = &write;
    }
    if (file->pMethods == original) file->pMethods = &counting;
    return rc;
  }
  static int write(sqlite3_file* file, const void* data, int n, sqlite3_int64 offset) {
    ++writes;
    largest = std::max(largest, n);
    return original->xWrite(file, data, n, offset);
  }
};

sqlite3_vfs* gather_vfs() {
  static sqlite3_vfs* vfs = cg::sqlite::register_wal_write_gather(WalWriteCounter::get(), "test-gather", false);
  return vfs;
}

class Conn {
 public:
  Conn(const std::string& path, const char* vfs) {
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs), SQLITE_OK);
  }
  ~Conn() { sqlite3_close(db_); }
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;
  int exec(const std::string& sql) { return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr); }
  std::string error() const { return sqlite3_errmsg(db_); }
  std::string text(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << error();
    std::string v;
    if (sqlite3_step(st) == SQLITE_ROW) v = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return v;
  }
  int64_t scalar(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << error();
    int64_t v = -1;
    if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
  }

 private:
  sqlite3* db_ = nullptr;
};

// N rows of 2,000 bytes each in one transaction.
std::string insert_rows(int from, int n) {
  return "WITH RECURSIVE n(v) AS (SELECT " + std::to_string(from) + " UNION ALL SELECT v + 1 FROM n WHERE v < " +
         std::to_string(from + n - 1) + ") INSERT INTO t(k, x) SELECT v, printf('%.2000c', 'x') FROM n";
}

void make_table(Conn& c, const char* synchronous) {
  ASSERT_EQ(c.exec("PRAGMA journal_mode=WAL"), SQLITE_OK) << c.error();
  ASSERT_EQ(c.exec(std::string("PRAGMA synchronous=") + synchronous), SQLITE_OK);
  ASSERT_EQ(c.exec("PRAGMA wal_autocheckpoint=0"),
            SQLITE_OK);  // the rows stay in the log for the reader
  ASSERT_EQ(c.exec("CREATE TABLE t(k INTEGER PRIMARY KEY, x TEXT)"), SQLITE_OK) << c.error();
}

int wal_writes_of(Conn& c, const std::string& sql) {
  WalWriteCounter::writes = 0;
  WalWriteCounter::largest = 0;
  EXPECT_EQ(c.exec(sql), SQLITE_OK) << c.error();
  return WalWriteCounter::writes;
}

TEST(WalWriteGather, ACommitsPagesGoIntoTheLogWithAFewLargeWrites) {
  ASSERT_NE(gather_vfs(), nullptr);
  for (const char* sync : {"FULL", "NORMAL"}) {
    SCOPED_TRACE(sync);
    cg::test::TempDir dir;
    Conn plain(dir.file("plain.db"), "test-wal-write-counter");
    make_table(plain, sync);
    const int each_page = wal_writes_of(plain, insert_rows(1, 500));  // about 250 pages, two writes each
    EXPECT_GT(each_page, 400);
    Conn gathered(dir.file("gathered.db"), "test-gather");
    make_table(gathered, sync);
    const int few = wal_writes_of(gathered, insert_rows(1, 500));
    EXPECT_LT(few, 30);  // about 1 MiB in pieces of 64 KiB
    EXPECT_LE(WalWriteCounter::largest, 64 * 1024);
    EXPECT_EQ(gathered.scalar("SELECT count(*) FROM t"), 500);
  }
}

TEST(WalWriteGather, EveryCommittedFrameIsInTheFileWhenTheCommitReturns) {
  ASSERT_NE(gather_vfs(), nullptr);
  cg::test::TempDir dir;
  Conn writer(dir.file("s.db"), "test-gather");
  make_table(writer, "NORMAL");
  ASSERT_EQ(writer.exec(insert_rows(1, 300)), SQLITE_OK);
  // Another connection reads the log through the file alone.
  Conn reader(dir.file("s.db"), "unix");
  EXPECT_EQ(reader.scalar("SELECT count(*) FROM t"), 300);
  EXPECT_EQ(reader.scalar("SELECT sum(length(x)) FROM t"), 300 * 2000);
  // A rolled-back transaction leaves nothing to see.
  ASSERT_EQ(writer.exec("BEGIN"), SQLITE_OK);
  ASSERT_EQ(writer.exec(insert_rows(301, 100)), SQLITE_OK);
  ASSERT_EQ(writer.exec("ROLLBACK"), SQLITE_OK);
  EXPECT_EQ(reader.scalar("SELECT count(*) FROM t"), 300);
  // A transaction larger than the writer's page cache spills pages into the
  // log before its commit (and may write some of them again); then it commits.
  ASSERT_EQ(writer.exec("PRAGMA cache_size=20"), SQLITE_OK);
  ASSERT_EQ(writer.exec("BEGIN"), SQLITE_OK);
  ASSERT_EQ(writer.exec(insert_rows(301, 2000)), SQLITE_OK);
  ASSERT_EQ(writer.exec("UPDATE t SET x = printf('%.2000c', 'y') WHERE k % 7 = 0"), SQLITE_OK) << writer.error();
  EXPECT_EQ(reader.scalar("SELECT count(*) FROM t"), 300);  // not committed yet
  ASSERT_EQ(writer.exec("COMMIT"), SQLITE_OK) << writer.error();
  EXPECT_EQ(reader.scalar("SELECT count(*) FROM t"), 2300);
  EXPECT_EQ(reader.scalar("SELECT count(*) FROM t WHERE x LIKE 'y%'"), 2300 / 7);
  EXPECT_EQ(reader.text("PRAGMA integrity_check"), "ok");
}

// Descriptors of this process open on a file whose path starts with
// `prefix` (a file deleted since still counts: "... (deleted)").
int descriptors_on(const std::string& prefix) {
  int n = 0;
  std::error_code ec;
  for (const auto& fd : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
    std::error_code gone;
    if (std::filesystem::read_symlink(fd.path(), gone).string().rfind(prefix, 0) == 0) ++n;
  }
  return n;
}

TEST(WalWriteGather, ALogsWriteBehindDescriptorIsClosedWithIt) {
  ASSERT_NE(gather_vfs(), nullptr);
  cg::test::TempDir dir;
  const std::string folder = std::filesystem::canonical(dir.path()).string() + "/";
  for (int round = 0; round < 3; ++round) {
    const std::string db = "s" + std::to_string(round) + ".db";
    {
      Conn writer(dir.file(db), "test-gather");
      make_table(writer, "FULL");
      // Some 4 MiB of frames: the buffer fills, and is handed to the disk,
      // several times before the commit.
      ASSERT_EQ(writer.exec("BEGIN"), SQLITE_OK);
      ASSERT_EQ(writer.exec(insert_rows(1, 2000)), SQLITE_OK);
      ASSERT_EQ(writer.exec("COMMIT"), SQLITE_OK) << writer.error();
      EXPECT_GE(descriptors_on(folder + db + "-wal"), 1);
      Conn reader(dir.file(db), "unix");
      EXPECT_EQ(reader.scalar("SELECT count(*) FROM t"), 2000);
    }
    EXPECT_EQ(descriptors_on(folder), 0) << "round " << round;
  }
}

// Between SQLite and a VFS below: a WAL frame's header and page written in
// one call, as a SQLite that wrote frames whole would.
struct WholeFrames {
  static inline sqlite3_vfs* below = nullptr;
  static inline sqlite3_vfs vfs{};
  static inline const sqlite3_io_methods* original = nullptr;
  static inline sqlite3_io_methods merging{};
  static inline std::vector<char> header;
  static inline sqlite3_int64 header_at = -1;

  static const char* over(sqlite3_vfs* v) {
    below = v;
    vfs = *v;
    vfs.pNext = nullptr;
    vfs.zName = "test-whole-frames";
    vfs.xOpen = &open;
    sqlite3_vfs_register(&vfs, 0);
    return vfs.zName;
  }
  static int open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
    int rc = below->xOpen(below, name, file, flags, out_flags);
    if (rc != SQLITE_OK || !(flags & SQLITE_OPEN_WAL) || file->pMethods == nullptr) return rc;
    original = file->pMethods;
    merging = *original;
    merging.xWrite = &write;
    file->pMethods = &merging;
    return rc;
  }
  static int write(sqlite3_file* file, const void* data, int n, sqlite3_int64 offset) {
    const char* bytes = static_cast<const char*>(data);
    if (n == 24) {
      header.assign(bytes, bytes + n);
      header_at = offset;
      return SQLITE_OK;
    }
    if (header_at >= 0 && offset == header_at + 24) {
      std::vector<char> frame = header;
      frame.insert(frame.end(), bytes, bytes + n);
      const sqlite3_int64 at = header_at;
      header_at = -1;
      return original->xWrite(file, frame.data(), static_cast<int>(frame.size()), at);
    }
    return original->xWrite(file, data, n, offset);
  }
};

int self_test_folders_in(const std::string& dir) {
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().filename().string().rfind(".wal-gather-test-", 0) == 0) ++n;
  return n;
}

TEST(WalWriteGatherSelfTest, PassesAgainstTheSqliteThatRunsAndLeavesNothingBehind) {
  sqlite3_vfs* gather = cg::sqlite::register_wal_write_gather(sqlite3_vfs_find("unix"), "test-gather-checked", false);
  ASSERT_NE(gather, nullptr);
  cg::test::TempDir dir;
  const uint64_t before = cg::sqlite::wal_write_gather_commits(gather);
  auto s = cg::sqlite::wal_write_gather_self_test(dir.path(), gather);
  EXPECT_TRUE(s) << s.error().message;
  EXPECT_GE(cg::sqlite::wal_write_gather_commits(gather), before + 4);
  EXPECT_EQ(self_test_folders_in(dir.path()), 0);
}

TEST(WalWriteGatherSelfTest, FailsWhenSqliteWritesAFrameInOneCall) {
  sqlite3_vfs* gather = cg::sqlite::register_wal_write_gather(sqlite3_vfs_find("unix"), "test-gather-whole", false);
  ASSERT_NE(gather, nullptr);
  const char* whole = WholeFrames::over(gather);
  cg::test::TempDir dir;
  auto s = cg::sqlite::wal_write_gather_self_test(dir.path(), gather, whole);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("was not written at its commit frame"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find(sqlite3_libversion()), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find("store.wal_gather"), std::string::npos);
  EXPECT_EQ(self_test_folders_in(dir.path()), 0);
}

TEST(WalWriteGatherSelfTest, FailsWithTheFolderNamedWhenItCannotWorkThere) {
  sqlite3_vfs* gather = cg::sqlite::register_wal_write_gather(sqlite3_vfs_find("unix"), "test-gather-nowhere", false);
  cg::test::TempDir dir;
  auto s = cg::sqlite::wal_write_gather_self_test(dir.file("missing"), gather);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find(dir.file("missing")), std::string::npos) << s.error().message;
}

}  // namespace
