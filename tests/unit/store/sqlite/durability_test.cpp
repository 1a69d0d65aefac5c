// Which of the store's commits wait for the disk: the fsyncs of its write-ahead
// log are counted by a VFS that wraps the default one. A connection whose
// commits would no longer be durable takes no more writes.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <string>
#include <string_view>

#include "../../route_to.hpp"
#include "../../sample_record.hpp"
#include "../../test_support.hpp"
#include "store/sqlite/db.hpp"
#include "store/store.hpp"

namespace {

// The default VFS with the WAL file's xSync counted.
class WalSyncCounter {
 public:
  WalSyncCounter() {
    base_ = sqlite3_vfs_find(nullptr);
    vfs_ = *base_;
    vfs_.zName = "cg-wal-sync-counter";
    vfs_.xOpen = &open;
    syncs_ = 0;
    sqlite3_vfs_register(&vfs_, 1);
  }
  ~WalSyncCounter() {
    sqlite3_vfs_unregister(&vfs_);
    sqlite3_vfs_register(base_, 1);
  }
  WalSyncCounter(const WalSyncCounter&) = delete;
  WalSyncCounter& operator=(const WalSyncCounter&) = delete;

  [[nodiscard]] int syncs() const { return syncs_.load(); }

 private:
  static int open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
    int rc = base_->xOpen(base_, name, file, flags, out_flags);
    if (rc != SQLITE_OK || !(flags & SQLITE_OPEN_WAL) || file->pMethods == nullptr) return rc;
    // The file keeps its own methods but xSync, which counts and forwards.
    if (original_ == nullptr) {
      original_ = file->pMethods;
      counting_ = *original_;
      counting_.xSync = &sync;
    }
    if (file->pMethods == original_) file->pMethods = &counting_;
    return rc;
  }
  static int sync(sqlite3_file* file, int flags) {
    ++syncs_;
    return original_->xSync(file, flags);
  }

  static inline sqlite3_vfs* base_ = nullptr;
  static inline sqlite3_vfs vfs_{};
  static inline const sqlite3_io_methods* original_ = nullptr;
  static inline sqlite3_io_methods counting_{};
  static inline std::atomic<int> syncs_{0};
};

cg::store::IngestBatch batch(const std::string& key) {
  cg::store::IngestBatch b;
  b.actor = "test";
  b.source = "unit";
  b.records = {cg::test::sample_record(key)};
  return b;
}

// A fresh store, counted from its first commit.
class StoreDurability : public ::testing::Test {
 protected:
  void open(const std::string& synchronous) {
    cg::store::StoreOptions opts;
    opts.synchronous = synchronous;
    auto s = cg::store::open_sqlite_store(dir_.file("gateway.db"), opts);
    ASSERT_TRUE(s.ok()) << s.error().to_string();
    store_ = std::move(s.value());
    store_->outbox().set_router([](const cg::Record&, const std::string&) {
      return std::vector<std::string>{"provincial", "city"};
    });
  }
  cg::test::TempDir dir_;
  WalSyncCounter counter_;
  std::unique_ptr<cg::store::Store> store_;
};

}  // namespace

TEST_F(StoreDurability, RecordsWaitForTheDiskAndDeliveryBookkeepingIsSyncedWithTheNextRecords) {
  open("full");

  int before = counter_.syncs();
  ASSERT_TRUE(store_->records().ingest(batch("a")).ok());
  EXPECT_GT(counter_.syncs(), before) << "a unit's records are acknowledged only once on disk";

  // Claiming, answering, retrying and releasing batches: committed, not synced.
  before = counter_.syncs();
  auto claimed = store_->outbox().claim_batch("provincial", 10);
  ASSERT_TRUE(claimed.ok()) << claimed.error().to_string();
  ASSERT_EQ(claimed->entries.size(), 1u);
  ASSERT_TRUE(store_->outbox()
                  .complete_batch("provincial", *claimed,
                                  {{claimed->entries[0].id, cg::store::DeliveryStatus::Accepted, "", "", ""}})
                  .ok());
  auto city = store_->outbox().claim_batch("city", 10);
  ASSERT_TRUE(city.ok());
  ASSERT_TRUE(store_->outbox().retry_batch("city", city->batch_id, 0, "platform unavailable").ok());
  ASSERT_TRUE(store_->outbox().release_batch("city", city->batch_id).ok());
  EXPECT_EQ(counter_.syncs(), before);
  EXPECT_EQ(store_->outbox().stats("provincial")->pending, 0);
  EXPECT_EQ(store_->outbox().stats("city")->pending, 1);

  // The next records are synced again (the setting is restored), and with
  // them the bookkeeping written before them in the same log.
  ASSERT_TRUE(store_->records().ingest(batch("b")).ok());
  EXPECT_GT(counter_.syncs(), before);
}

TEST_F(StoreDurability, FeedbackLeasesAndAnswersAreCommittedWithoutWaitingForTheDisk) {
  open("full");
  store_->feedback().set_router(
      cg::test::route_to([](const cg::Record&, const std::string&) { return std::vector<std::string>{"court"}; }));
  for (const char* key : {"f1", "f2", "f3"}) ASSERT_TRUE(store_->records().ingest(batch(key)).ok());
  const int before = counter_.syncs();
  for (int round = 0; round < 2; ++round) {  // the second time with the statements cached
    auto items = store_->feedback().claim("court", 10, 60000);
    ASSERT_TRUE(items.ok()) << items.error().to_string();
    ASSERT_EQ(items->size(), round == 0 ? 3u : 1u);
    for (size_t i = 0; i < items->size(); ++i)
      ASSERT_TRUE(store_->feedback().complete((*items)[i].id, round == 1 || i > 0, "refused", 0).ok());
  }
  EXPECT_EQ(counter_.syncs(), before);
  auto stats = store_->feedback().stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ((*stats)["court"]["delivered"], 3) << stats->dump();
  // The records after them are synced, and the bookkeeping with them.
  ASSERT_TRUE(store_->records().ingest(batch("f4")).ok());
  EXPECT_GT(counter_.syncs(), before);
}

TEST_F(StoreDurability, WithSynchronousNormalNoCommitWaitsForTheDisk) {
  open("normal");
  int before = counter_.syncs();
  ASSERT_TRUE(store_->records().ingest(batch("a")).ok());
  auto claimed = store_->outbox().claim_batch("provincial", 10);
  ASSERT_TRUE(claimed.ok());
  ASSERT_EQ(claimed->entries.size(), 1u);
  ASSERT_TRUE(store_->records().ingest(batch("b")).ok());
  EXPECT_EQ(counter_.syncs(), before);
}

namespace {

// Denies PRAGMA synchronous (what a connection cannot set back to FULL sees).
int no_synchronous_pragma(void*, int action, const char* name, const char*, const char*, const char*) {
  return action == SQLITE_PRAGMA && name != nullptr && std::string_view(name) == "synchronous" ? SQLITE_DENY
                                                                                               : SQLITE_OK;
}

cg::sqlite::Db wal_db(const std::string& path) {
  auto db = cg::sqlite::Db::open(path);
  EXPECT_TRUE(db.ok());
  EXPECT_TRUE(db->exec("PRAGMA journal_mode=WAL"));
  EXPECT_TRUE(db->exec("PRAGMA synchronous=FULL"));
  EXPECT_TRUE(db->exec("CREATE TABLE t(k INTEGER PRIMARY KEY)"));
  return std::move(db.value());
}

int64_t synchronous_of(cg::sqlite::Db& db) {
  cg::sqlite::Stmt st(db, "PRAGMA synchronous");
  auto row = st.step();
  return row.ok() && *row ? st.col_int(0) : -1;
}

}  // namespace

TEST(RelaxedDurability, CommitsInItsScopeSkipTheirFsyncAndFullIsSetAgainAfter) {
  cg::test::TempDir dir;
  auto db = wal_db(dir.file("s.db"));
  {
    cg::sqlite::RelaxedDurability light(db, true);
    EXPECT_EQ(synchronous_of(db), 1);  // NORMAL
    EXPECT_TRUE(db.exec("INSERT INTO t VALUES(1)"));
  }
  EXPECT_EQ(synchronous_of(db), 2);  // FULL
  EXPECT_EQ(db.writes_refused(), nullptr);
  cg::sqlite::Transaction tx(db);
  ASSERT_TRUE(tx.begin_status());
  EXPECT_TRUE(db.exec("INSERT INTO t VALUES(2)"));
  EXPECT_TRUE(tx.commit());
}

TEST(RelaxedDurability, AConnectionThatCannotBeSetBackToFullTakesNoMoreWrites) {
  cg::test::TempDir dir;
  auto db = wal_db(dir.file("s.db"));
  {
    cg::sqlite::RelaxedDurability light(db, true);
    EXPECT_TRUE(db.exec("INSERT INTO t VALUES(1)"));
    sqlite3_set_authorizer(db.get(), no_synchronous_pragma, nullptr);
  }
  ASSERT_NE(db.writes_refused(), nullptr);
  EXPECT_NE(db.writes_refused()->find("synchronous=FULL"), std::string::npos) << *db.writes_refused();
  cg::sqlite::Transaction tx(db);
  ASSERT_FALSE(tx.begin_status());
  EXPECT_EQ(tx.begin_status().error().message, *db.writes_refused());
  // Not even a statement on its own (an autocommit) writes; reads go on.
  EXPECT_FALSE(db.exec("INSERT INTO t VALUES(2)"));
  EXPECT_FALSE(db.exec("UPDATE t SET k = 3"));
  cg::sqlite::Stmt count(db, "SELECT count(*) FROM t");
  auto row = count.step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ(count.col_int(0), 1);
}
