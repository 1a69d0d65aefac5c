// The store defends its file: private on disk, never remade over an empty
// file, checked at start, and a corruption seen at run time stops input.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "../../sample_record.hpp"
#include "../../test_support.hpp"
#include "ingest/ingestor.hpp"
#include "store/sqlite/health.hpp"
#include "store/store.hpp"

using cg::store::open_sqlite_store;
using cg::store::StoreOptions;

namespace {

unsigned mode_of(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 0777u;
}

// A store of `n` records, closed (its log checkpointed into the file).
void make_store(const std::string& path, int n) {
  auto s = open_sqlite_store(path);
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  cg::store::IngestBatch b;
  b.actor = "test";
  b.source = "unit";
  for (int i = 0; i < n; ++i) b.records.push_back(cg::test::sample_record("k" + std::to_string(i)));
  ASSERT_TRUE((*s)->records().ingest(b).ok());
}

// Overwrites the file past its first two pages with a pattern SQLite cannot read.
void scribble(const std::string& path) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(0, std::ios::end);
  const auto size = static_cast<long>(f.tellg());
  ASSERT_GT(size, 3 * 4096);
  f.seekp(2 * 4096);
  for (long i = 2 * 4096; i < size; ++i) f.put(static_cast<char>(i * 131 % 251));
}

class StoreFiles : public ::testing::Test {
 protected:
  void SetUp() override { cg::store::forget_corruption(); }
  void TearDown() override { cg::store::forget_corruption(); }
  cg::test::TempDir dir_;
};

}  // namespace

TEST_F(StoreFiles, ANewStoreIsReadableByItsOwnerOnly) {
  const auto path = dir_.file("gateway.db");
  auto s = open_sqlite_store(path);
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  ASSERT_TRUE((*s)->check_writable().ok());
  EXPECT_EQ(mode_of(path), 0600u);
  EXPECT_EQ(mode_of(path + "-wal"), 0600u);
  EXPECT_EQ(cg::store::checks_ledger_path(path), dir_.file("gateway.checks.db"));
  EXPECT_EQ(mode_of(cg::store::checks_ledger_path(path)), 0600u) << "the check ledger holds who checked whom";
}

TEST_F(StoreFiles, AnEmptyFileIsRefusedUnlessInitIsAskedFor) {
  const auto path = dir_.file("gateway.db");
  std::ofstream(path).close();
  auto s = open_sqlite_store(path);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "store_empty");
  EXPECT_NE(s.error().message.find("store init"), std::string::npos);
  StoreOptions init;
  init.init_empty_file = true;
  auto again = open_sqlite_store(path, init);
  ASSERT_TRUE(again.ok()) << again.error().to_string();
  again->reset();
  EXPECT_TRUE(open_sqlite_store(path).ok()) << "an initialised store opens";
}

TEST_F(StoreFiles, AStoreThatMustExistIsNotMade) {
  StoreOptions existing;
  existing.create = false;
  auto s = open_sqlite_store(dir_.file("nowhere.db"), existing);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "store_missing");
  EXPECT_FALSE(std::filesystem::exists(dir_.file("nowhere.db")));
}

TEST_F(StoreFiles, ACorruptStoreIsFoundAtStartAndByStoreCheck) {
  const auto path = dir_.file("gateway.db");
  make_store(path, 400);
  std::vector<std::string> problems;
  ASSERT_TRUE(cg::store::check_sqlite_store(path, problems).ok());
  EXPECT_TRUE(problems.empty());
  scribble(path);
  StoreOptions checked;
  checked.quick_check = true;
  auto s = open_sqlite_store(path, checked);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "store_corrupt") << s.error().to_string();
  auto c = cg::store::check_sqlite_store(path, problems);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, "store_corrupt");
  EXPECT_TRUE(cg::store::corruption_seen()) << "SQLite's report reached the store's health";
}

TEST_F(StoreFiles, StoreCheckNamesACorruptCheckLedger) {
  const auto path = dir_.file("gateway.db");
  {
    auto s = open_sqlite_store(path);
    ASSERT_TRUE(s.ok());
    cg::store::StoredCheck c;
    c.answer = std::string(2000, 'x');
    for (int i = 0; i < 100; ++i) {
      c.check_id = "c-" + std::to_string(i);
      ASSERT_TRUE((*s)->checks().add(c).ok());
    }
  }
  std::vector<std::string> problems;
  ASSERT_TRUE(cg::store::check_sqlite_store(path, problems).ok());
  scribble(cg::store::checks_ledger_path(path));
  auto c = cg::store::check_sqlite_store(path, problems);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, "store_corrupt");
  EXPECT_EQ(c.error().where, cg::store::checks_ledger_path(path));
}

TEST_F(StoreFiles, CorruptionSeenAtRunTimeStopsAcknowledgingInput) {
  const auto path = dir_.file("gateway.db");
  make_store(path, 400);
  auto s = open_sqlite_store(path);  // no check at start: found while running
  ASSERT_TRUE(s.ok());
  scribble(path);
  (void)(*s)->records().of_subject("91510802QEFLCR6390", "");  // reads the scribbled pages
  ASSERT_TRUE(cg::store::corruption_seen());

  cg::ingest::MappingRegistry none;
  cg::ingest::Ingestor ingestor(none, 1 << 20);
  std::vector<cg::ingest::Prepared> units(1);
  units[0].unit.feed = "court.sxbzxr";
  units[0].batch.records = {cg::test::sample_record("new")};
  auto acks = ingestor.commit(**s, units);
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(acks[0].status, CG_ACK_FAILED) << "nothing is acknowledged into a corrupt store";
  EXPECT_NE(acks[0].result.dump().find("corrupt"), std::string::npos);
}
