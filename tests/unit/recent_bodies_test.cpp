// The bodies the ingest keeps for the delivery claims (store/recent_bodies.hpp):
// only committed ones are given, within their bound, and a claim carries the
// same body whether it came from memory or from the table.
#include "store/recent_bodies.hpp"

#include <gtest/gtest.h>

#include <string>

#include "sample_record.hpp"
#include "store/sqlite.hpp"
#include "store/store.hpp"
#include "test_support.hpp"

using cg::store::IngestBatch;
using cg::store::RecentBodies;

namespace {

std::string text(char c, size_t n) {
  return std::string(n, c);
}

TEST(RecentBodies, ABodyIsGivenOnlyOnceItsTransactionHasCommitted) {
  RecentBodies kept(1 << 20);
  kept.stage(1, 1, "one");
  EXPECT_EQ(kept.find(1, 1), nullptr);
  kept.publish();
  ASSERT_NE(kept.find(1, 1), nullptr);
  EXPECT_EQ(*kept.find(1, 1), "one");
  EXPECT_EQ(kept.find(1, 2), nullptr);  // another version of the same record
  kept.stage(2, 1, "two");
  kept.discard();  // rolled back
  kept.publish();
  EXPECT_EQ(kept.find(2, 1), nullptr);
  EXPECT_EQ(kept.size(), 1u);
}

TEST(RecentBodies, PastItsBoundTheOldestGoFirst) {
  RecentBodies kept(3 * (1000 + 64));  // three bodies of 1,000 bytes
  for (int64_t rid = 1; rid <= 5; ++rid) {
    kept.stage(rid, 1, text(static_cast<char>('a' + rid), 1000));
    kept.publish();
  }
  EXPECT_EQ(kept.size(), 3u);
  EXPECT_LE(kept.bytes(), 3u * (1000 + 64));
  EXPECT_EQ(kept.find(1, 1), nullptr);
  EXPECT_EQ(kept.find(2, 1), nullptr);
  ASSERT_NE(kept.find(5, 1), nullptr);
  EXPECT_EQ(*kept.find(5, 1), text('f', 1000));
  // One transaction larger than the bound keeps its newest (the next claimed).
  for (int64_t rid = 10; rid < 20; ++rid) kept.stage(rid, 1, text('x', 1000));
  kept.publish();
  EXPECT_EQ(kept.size(), 3u);
  EXPECT_NE(kept.find(19, 1), nullptr);
  EXPECT_EQ(kept.find(16, 1), nullptr);
  EXPECT_EQ(kept.find(5, 1), nullptr);
}

TEST(RecentBodies, OffKeepsNothingAndABodyLargerThanTheBoundIsNotKept) {
  RecentBodies off(0);
  off.stage(1, 1, "one");
  off.publish();
  EXPECT_EQ(off.find(1, 1), nullptr);
  RecentBodies small(100);
  small.stage(1, 1, text('x', 200));
  small.publish();
  EXPECT_EQ(small.find(1, 1), nullptr);
}

std::unique_ptr<cg::store::Store> open_store(const std::string& path, int64_t recent_kib) {
  cg::store::StoreOptions opts;
  opts.recent_bodies_kib = recent_kib;
  auto s = cg::store::open_sqlite_store(path, opts);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().to_string());
  if (!s.ok()) return nullptr;
  (*s)->set_outbox_router(
      [](const cg::Record&, const std::string&) { return std::vector<std::string>{"city"}; });
  return std::move(s.value());
}

IngestBatch batch(std::vector<cg::Record> recs) {
  IngestBatch b;
  b.actor = "test";
  b.source = "unit";
  b.records = std::move(recs);
  return b;
}

// Each entry's body, as a claim gives it, with the record's current body.
void expect_bodies_are_the_stored_ones(cg::store::Store& st, size_t n) {
  auto b = st.claim_batch("city", 100, "node");
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b->entries.size(), n);
  for (const auto& e : b->entries) {
    auto stored = st.get_record(e.record_id);
    ASSERT_TRUE(stored.ok() && stored->has_value());
    EXPECT_EQ(e.body, cg::to_json_text((*stored)->record)) << e.record_id;
  }
}

// With bodies kept (8 MiB), with a bound that keeps only some of them, and
// with none: the same entries and bodies.
TEST(RecentBodies, AClaimCarriesTheStoredBodyWhereverItComesFrom) {
  for (int64_t kib : {8192, 2, 0}) {
    cg::test::TempDir dir;
    auto st = open_store(dir.file("gateway.db"), kib);
    ASSERT_TRUE(st);
    std::vector<cg::Record> recs;
    for (int i = 0; i < 6; ++i)
      recs.push_back(cg::test::sample_record("k" + std::to_string(i), 100 + i));
    ASSERT_TRUE(st->ingest(batch(recs)).ok());
    // A newer version of k0 supersedes its pending entry: not sent.
    ASSERT_TRUE(st->ingest(batch({cg::test::sample_record("k0", 999)})).ok());
    SCOPED_TRACE("recent_bodies_kib " + std::to_string(kib));
    expect_bodies_are_the_stored_ones(*st, 6);
  }
}

// A rolled-back ingest's bodies are never given: here its record's rid is
// given again to the next record, whose claim must carry its own body.
TEST(RecentBodies, ARolledBackIngestLeavesNoBodyBehind) {
  cg::test::TempDir dir;
  auto st = open_store(dir.file("gateway.db"), 8192);
  ASSERT_TRUE(st);
  auto bad = cg::test::sample_record("bad");
  {
    auto db = cg::sqlite::Db::open(dir.file("gateway.db"));
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->exec("CREATE TRIGGER refuse BEFORE INSERT ON records WHEN NEW.record_id = '" +
                         bad.record_id + "' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END")
                    .ok());
  }
  auto first = cg::test::sample_record("first", 111);
  EXPECT_FALSE(st->ingest(batch({first, bad})).ok());  // first was written, then rolled back
  EXPECT_FALSE(st->get_record(first.record_id)->has_value());
  auto next = cg::test::sample_record("next", 222);
  ASSERT_TRUE(st->ingest(batch({next})).ok());
  auto b = st->claim_batch("city", 10, "node");
  ASSERT_EQ(b->entries.size(), 1u);
  EXPECT_EQ(b->entries[0].record_id, next.record_id);
  EXPECT_NE(b->entries[0].body.find("\"fine_fen\":222"), std::string::npos) << b->entries[0].body;
  EXPECT_EQ(b->entries[0].body.find("\"fine_fen\":111"), std::string::npos);
}

}  // namespace
