// The check ledger is a file of its own: a check is kept, and the records it
// reads are read, while another connection holds the store's write lock (the
// ingest's batches, a WAL checkpoint).
#include <gtest/gtest.h>

#include <chrono>

#include "../../sample_record.hpp"
#include "../../test_support.hpp"
#include "store/sqlite/db.hpp"
#include "store/store.hpp"

namespace {

cg::store::StoredCheck ledger_check(const std::string& id) {
  cg::store::StoredCheck c;
  c.check_id = id;
  c.purpose = "投标资格审查";
  c.answer = R"({"results":[]})";
  return c;
}

}  // namespace

TEST(CheckLedger, AChecksRecordsAreReadAndItIsKeptWhileTheStoresWriteLockIsHeld) {
  cg::test::TempDir dir;
  const std::string path = dir.file("gateway.db");
  auto s = cg::store::open_sqlite_store(path);
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  const cg::Record held = cg::test::sample_record("held");
  ASSERT_TRUE((*s)->records().ingest({"t", "unit", "local", 0, {held}, {}, {}, "", "", "", {}}).ok());

  auto ingest = cg::sqlite::Db::open(path);  // another writer, inside its transaction
  ASSERT_TRUE(ingest.ok());
  ASSERT_TRUE(ingest->exec("BEGIN IMMEDIATE; INSERT INTO meta(key, value) VALUES('busy', 'yes')"));

  const auto t = std::chrono::steady_clock::now();
  cg::store::InForceQuery q;
  q.uscc = *held.subject.uscc;
  q.kinds = {held.kind};
  auto found = (*s)->records().in_force(q);
  ASSERT_TRUE(found.ok()) << found.error().to_string();
  EXPECT_EQ(found->size(), 1u);
  auto kept = (*s)->checks().add(ledger_check("c-1"));
  ASSERT_TRUE(kept.ok()) << kept.error().to_string();
  // The busy timeout is 10 s: a check that waited for the lock would take it.
  EXPECT_LT(std::chrono::steady_clock::now() - t, std::chrono::seconds(5));
  ASSERT_TRUE(ingest->exec("ROLLBACK"));

  auto back = (*s)->checks().get("c-1");
  ASSERT_TRUE(back.ok() && back->has_value());
  EXPECT_EQ((*back)->purpose, "投标资格审查");
  auto other = cg::store::open_sqlite_store(path);
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE((*other)->checks().get("c-1")->has_value()) << "every connection of the store reads the same ledger";
}
