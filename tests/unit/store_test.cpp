#include "store/store.hpp"

#include <gtest/gtest.h>
#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <functional>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include "common/clock.hpp"
#include "common/hash.hpp"
#include "sample_record.hpp"
#include "store/store_writer.hpp"
#include "store/wal_checkpointer.hpp"
#include "test_support.hpp"

using cg::store::IngestBatch;

namespace {

cg::Record record(const std::string& key, int64_t fine = 100) {
  return cg::test::sample_record(key, fine);
}

// A market regulation record the mapping refused for its USCC.
cg::mapping::QuarantineEntry broken(const std::string& raw) {
  cg::mapping::QuarantineEntry q;
  q.rule = "invalid_uscc";
  q.field = "subject.uscc";
  q.raw = raw;
  q.raw_format = "xml";
  q.mapping = "market_regulation.sgs@1";
  return q;
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = cg::store::open_sqlite_store(dir_.file("gateway.db"));
    ASSERT_TRUE(s.ok()) << s.error().to_string();
    store_ = std::move(s.value());
    store_->set_outbox_router([](const cg::Record&, const std::string& origin) {
      std::vector<std::string> d;
      if (origin != "platform:provincial") d.push_back("provincial");
      d.push_back("city");
      return d;
    });
  }
  IngestBatch batch(std::vector<cg::Record> recs, const std::string& origin = "local") {
    IngestBatch b;
    b.actor = "test";
    b.source = "unit";
    b.origin = origin;
    b.records = std::move(recs);
    return b;
  }
  cg::test::TempDir dir_;
  std::unique_ptr<cg::store::Store> store_;
};

}  // namespace

TEST_F(StoreTest, IdenticalResendChangesNothingChangedGetsNextVersion) {
  auto r1 = store_->ingest(batch({record("a"), record("b")}));
  ASSERT_TRUE(r1.ok());
  EXPECT_EQ(r1->created, 2u);
  auto r2 = store_->ingest(batch({record("a"), record("b")}));
  EXPECT_EQ(r2->unchanged, 2u);
  EXPECT_EQ(r2->created + r2->updated, 0u);
  auto r3 = store_->ingest(batch({record("a", 200)}));
  EXPECT_EQ(r3->updated, 1u);
  auto got = store_->get_record(record("a").record_id);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->record.version, 2);
  EXPECT_EQ((*got)->record.detail.fine_fen, 200);
  auto history = store_->record_history(record("a").record_id);
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].detail.fine_fen, 100);
  auto audit = store_->list_audit(record("a").record_id, 10);
  ASSERT_EQ(audit->size(), 2u);
  EXPECT_EQ((*audit)[0].action, "record.created");
  EXPECT_EQ((*audit)[1].action, "record.updated");
  EXPECT_EQ((*audit)[1].actor, "test");
  EXPECT_EQ((*audit)[1].detail,
            (nlohmann::json{{"kind", record("a").kind}, {"mapping", record("a").source.mapping.value_or("")}}));
}

TEST_F(StoreTest, AnExportOfOneKindHasItsRecordsOnlyInRecordIdOrder) {
  std::vector<cg::Record> recs;
  for (const char* key : {"k1", "k2", "k3", "k4", "k5"}) recs.push_back(record(key));
  recs[1].kind = recs[3].kind = "admin_license";
  ASSERT_TRUE(store_->ingest(batch(recs)).ok());
  std::vector<std::string> licences, all;
  ASSERT_TRUE(store_
                  ->for_each_record("admin_license",
                                    [&](const cg::store::StoredRecord& r) {
                                      EXPECT_EQ(r.record.kind, "admin_license");
                                      licences.push_back(r.record.record_id);
                                    })
                  .ok());
  ASSERT_TRUE(
      store_->for_each_record("", [&](const cg::store::StoredRecord& r) { all.push_back(r.record.record_id); }).ok());
  std::vector<std::string> expected = {recs[1].record_id, recs[3].record_id};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(licences, expected);
  EXPECT_EQ(all.size(), 5u);
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end()));
}

TEST_F(StoreTest, OutboxEntriesAreWrittenWithTheVersionTheyCarry) {
  ASSERT_TRUE(store_->ingest(batch({record("a")})).ok());
  auto p = store_->outbox_stats("provincial");
  auto c = store_->outbox_stats("city");
  EXPECT_EQ(p->pending, 1);
  EXPECT_EQ(c->pending, 1);
  // A newer version supersedes the pending, unsent one.
  ASSERT_TRUE(store_->ingest(batch({record("a", 300)})).ok());
  auto b = store_->claim_batch("provincial", 10, "node");
  ASSERT_EQ(b->entries.size(), 1u);
  EXPECT_EQ(b->entries[0].version, 2);
  EXPECT_NE(b->entries[0].body.find("\"fine_fen\":300"), std::string::npos);
}

TEST_F(StoreTest, RecordsFromAPlatformAreNotQueuedBackToIt) {
  ASSERT_TRUE(store_->ingest(batch({record("p")}, "platform:provincial")).ok());
  EXPECT_EQ(store_->outbox_stats("provincial")->pending, 0);
  EXPECT_EQ(store_->outbox_stats("city")->pending, 1);
}

TEST_F(StoreTest, ARetriedBatchKeepsItsIdAndContent) {
  ASSERT_TRUE(store_->ingest(batch({record("a"), record("b"), record("c")})).ok());
  auto b1 = store_->claim_batch("city", 2, "node");
  ASSERT_EQ(b1->entries.size(), 2u);
  ASSERT_TRUE(store_->retry_batch("city", b1->batch_id, 0, "503").ok());
  auto b2 = store_->claim_batch("city", 2, "node");
  EXPECT_EQ(b2->batch_id, b1->batch_id);
  ASSERT_EQ(b2->entries.size(), 2u);
  EXPECT_EQ(b2->entries[0].body, b1->entries[0].body);
  EXPECT_EQ(b2->attempts, 1);
  // Not due yet: nothing is claimed, and no new batch jumps the queue.
  ASSERT_TRUE(store_->retry_batch("city", b1->batch_id, 60000, "503").ok());
  EXPECT_TRUE(store_->claim_batch("city", 2, "node")->entries.empty());
}

TEST_F(StoreTest, RejectedRecordsBecomeDeadLettersAndReplayWithTheSameVersion) {
  ASSERT_TRUE(store_->ingest(batch({record("a"), record("b")})).ok());
  auto b = store_->claim_batch("city", 10, "node");
  ASSERT_EQ(b->entries.size(), 2u);
  std::vector<cg::store::DeliveryOutcome> out = {
      {b->entries[0].id, cg::store::DeliveryStatus::Accepted, "", "", ""},
      {b->entries[1].id, cg::store::DeliveryStatus::Rejected, "invalid_uscc", "subject.uscc", "bad"}};
  ASSERT_TRUE(store_->complete_batch("city", *b, out).ok());
  auto dead = store_->list_dead_letters({"city", "", "invalid_uscc", "", "", std::nullopt, 100});
  ASSERT_EQ(dead->size(), 1u);
  EXPECT_EQ((*dead)[0].record_id, b->entries[1].record_id);
  EXPECT_EQ((*dead)[0].error_field, "subject.uscc");
  auto stats = store_->outbox_stats("city");
  EXPECT_EQ(stats->dead, 1);
  EXPECT_EQ(stats->pending + stats->inflight, 0);
  auto n = store_->replay_dead_letters({"city", "", "", "", "", std::nullopt, 100}, "operator:test");
  EXPECT_EQ(*n, 1);
  auto again = store_->claim_batch("city", 10, "node");
  ASSERT_EQ(again->entries.size(), 1u);
  EXPECT_EQ(again->entries[0].version, 1);
  EXPECT_NE(again->batch_id, b->batch_id);
}

TEST_F(StoreTest, DeliveredFiguresForReconciliation) {
  ASSERT_TRUE(store_->ingest(batch({record("a"), record("b")})).ok());
  auto b = store_->claim_batch("city", 10, "node");
  std::vector<cg::store::DeliveryOutcome> out;
  for (const auto& e : b->entries) out.push_back({e.id, cg::store::DeliveryStatus::Accepted, "", "", ""});
  ASSERT_TRUE(store_->complete_batch("city", *b, out).ok());
  std::string today = cg::now_rfc3339_cst().substr(0, 10);
  auto f = store_->delivered_on("city", today);
  EXPECT_EQ(f->count, 2);
  std::vector<std::string> ids = {record("a").record_id, record("b").record_id};
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(f->digest, cg::sha256_hex(ids[0] + ":1\n" + ids[1] + ":1\n"));
}

TEST_F(StoreTest, ARecordTwiceInOneUnitIsCreatedThenUpdated) {
  // The ingest inserts first and looks up only when the record id is taken:
  // the second copy in the same transaction finds the first.
  auto r = store_->ingest(batch({record("a"), record("a", 999), record("a", 999)}));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->created, 1u);
  EXPECT_EQ(r->updated, 1u);
  EXPECT_EQ(r->unchanged, 1u);
  auto got = store_->get_record(record("a").record_id);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->record.version, 2);
  EXPECT_EQ(store_->outbox_stats("city")->pending, 2);  // one entry per version, the older superseded at claim
  EXPECT_EQ(store_->list_audit(record("a").record_id, 10)->size(), 2u);
}

TEST_F(StoreTest, AnAllAcceptedAnswerFinishesOnlyThatDestinationsEntries) {
  // Outbox ids are shared by the destinations: a city batch's id range holds
  // provincial entries too, which its completion must leave alone.
  ASSERT_TRUE(store_->ingest(batch({record("a"), record("b"), record("c")})).ok());
  auto b = store_->claim_batch("city", 10, "node");
  ASSERT_EQ(b->entries.size(), 3u);
  std::vector<cg::store::DeliveryOutcome> out;
  for (auto it = b->entries.rbegin(); it != b->entries.rend(); ++it)  // any order
    out.push_back(
        {it->id,
         it->id == b->entries[1].id ? cg::store::DeliveryStatus::Duplicate : cg::store::DeliveryStatus::Accepted, "",
         "", ""});
  ASSERT_TRUE(store_->complete_batch("city", *b, out).ok());
  std::string today = cg::now_rfc3339_cst().substr(0, 10);
  EXPECT_EQ(store_->delivered_on("city", today)->count, 3);
  EXPECT_EQ(store_->delivered_on("provincial", today)->count, 0);
  EXPECT_EQ(store_->outbox_stats("city")->pending + store_->outbox_stats("city")->inflight, 0);
  EXPECT_EQ(store_->outbox_stats("provincial")->pending, 3);
  ASSERT_TRUE(store_->complete_batch("city", *b, out).ok());  // answered twice: nothing changes
  EXPECT_EQ(store_->delivered_on("city", today)->count, 3);
  EXPECT_EQ(store_->outbox_stats("provincial")->pending, 3);

  // An answer that leaves an entry out finishes the others; that one is pending again.
  auto p = store_->claim_batch("provincial", 10, "node");
  ASSERT_EQ(p->entries.size(), 3u);
  ASSERT_TRUE(store_
                  ->complete_batch("provincial", *p,
                                   {{p->entries[0].id, cg::store::DeliveryStatus::Accepted, "", "", ""},
                                    {p->entries[2].id, cg::store::DeliveryStatus::Accepted, "", "", ""}})
                  .ok());
  EXPECT_EQ(store_->delivered_on("provincial", today)->count, 2);
  auto rest = store_->claim_batch("provincial", 10, "node");
  ASSERT_EQ(rest->entries.size(), 1u);
  EXPECT_EQ(rest->entries[0].id, p->entries[1].id);
}

TEST_F(StoreTest, QuarantineKeepsOneEntryPerDistinctBrokenRecord) {
  IngestBatch b = batch({});
  cg::mapping::QuarantineEntry q = broken("<XZCF>...</XZCF>");
  b.quarantined = {q};
  EXPECT_EQ(store_->ingest(b)->quarantined, 1u);
  auto second = store_->ingest(b);
  EXPECT_EQ(second->quarantined, 0u);
  EXPECT_EQ(second->quarantine_duplicates, 1u);
  auto rows = store_->list_quarantine({});
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->front().entry["field"], "subject.uscc");
}

TEST_F(StoreTest, ARetriedBatchKeepsItsContentEvenWhenANewerVersionArrives) {
  ASSERT_TRUE(store_->ingest(batch({record("a"), record("b")})).ok());
  auto b1 = store_->claim_batch("city", 10, "node");
  ASSERT_EQ(b1->entries.size(), 2u);
  ASSERT_TRUE(store_->retry_batch("city", b1->batch_id, 0, "503").ok());
  ASSERT_TRUE(store_->ingest(batch({record("a", 999)})).ok());  // a is now version 2
  auto again = store_->claim_batch("city", 10, "node");
  EXPECT_EQ(again->batch_id, b1->batch_id);
  ASSERT_EQ(again->entries.size(), 2u);
  EXPECT_EQ(again->entries[0].body, b1->entries[0].body);
  std::vector<cg::store::DeliveryOutcome> out;
  for (const auto& e : again->entries) out.push_back({e.id, cg::store::DeliveryStatus::Accepted, "", "", ""});
  ASSERT_TRUE(store_->complete_batch("city", *again, out).ok());
  // Then version 2 of a, alone.
  auto next = store_->claim_batch("city", 10, "node");
  ASSERT_EQ(next->entries.size(), 1u);
  EXPECT_EQ(next->entries[0].version, 2);
  EXPECT_NE(next->batch_id, b1->batch_id);
  EXPECT_EQ(store_->outbox_stats("city")->inflight, 1);
  EXPECT_EQ(store_->outbox_stats("city")->pending, 0);
}

TEST_F(StoreTest, AReleasedBatchGoesOutAgainUnderANewIdWithFewerRecords) {
  ASSERT_TRUE(store_->ingest(batch({record("a"), record("b"), record("c"), record("d")})).ok());
  auto b1 = store_->claim_batch("city", 4, "node");
  ASSERT_EQ(b1->entries.size(), 4u);
  ASSERT_TRUE(store_->release_batch("city", b1->batch_id, "413").ok());  // the worker halves its size
  auto b2 = store_->claim_batch("city", 2, "node");
  ASSERT_EQ(b2->entries.size(), 2u);
  EXPECT_NE(b2->batch_id, b1->batch_id);
  EXPECT_EQ(b2->entries[0].id, b1->entries[0].id);
  EXPECT_EQ(store_->outbox_stats("city")->pending, 2);
  EXPECT_EQ(store_->outbox_stats("city")->inflight, 2);
}

#include "store/sqlite.hpp"
#include "store/sqlite_schema.hpp"

TEST(StoreUpgrade, AVersion1StoreKeepsItsPendingAndDeadEntries) {
  cg::test::TempDir dir;
  std::string path = dir.file("old.db");
  {
    auto db = cg::sqlite::Db::open(path);
    ASSERT_TRUE(db.ok());
    // The tables of schema 1 that changed, as the first release wrote them.
    ASSERT_TRUE(db->exec(R"SQL(
      CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
      INSERT INTO meta VALUES('schema_version', '1');
      CREATE TABLE records(record_id TEXT PRIMARY KEY, version INTEGER NOT NULL, kind TEXT NOT NULL,
        department TEXT NOT NULL, status TEXT NOT NULL, subject_uscc TEXT, subject_id_number TEXT,
        origin TEXT NOT NULL DEFAULT 'local', digest TEXT NOT NULL, body TEXT NOT NULL, updated_at TEXT NOT NULL);
      CREATE INDEX records_kind ON records(kind);
      INSERT INTO records VALUES('r1', 1, 'admin_penalty', 'court', 'active', NULL, NULL, 'local', 'd', '{"v":1}', 'x'),
                                ('r2', 1, 'admin_penalty', 'court', 'active', NULL, NULL, 'local', 'd', '{"v":2}', 'x'),
                                ('r3', 1, 'admin_penalty', 'court', 'active', NULL, NULL, 'local', 'd', '{"v":3}', 'x');
      CREATE TABLE record_versions(record_id TEXT NOT NULL, version INTEGER NOT NULL, body TEXT NOT NULL,
        cause TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY(record_id, version));
      INSERT INTO record_versions VALUES('r1', 1, '{"v":1}', 'created', 'x'), ('r2', 1, '{"v":2}', 'created', 'x'),
                                        ('r3', 1, '{"v":3}', 'created', 'x');
      CREATE TABLE outbox(id INTEGER PRIMARY KEY AUTOINCREMENT, destination TEXT NOT NULL, record_id TEXT NOT NULL,
        version INTEGER NOT NULL, body TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'pending', batch_id TEXT,
        attempts INTEGER NOT NULL DEFAULT 0, next_attempt_ms INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL,
        created_ms INTEGER NOT NULL, finished_at TEXT, error_code TEXT, error_field TEXT, error_message TEXT,
        last_error TEXT);
      CREATE INDEX outbox_due ON outbox(destination, state, next_attempt_ms, id);
      INSERT INTO outbox(destination, record_id, version, body, state, batch_id, created_at, created_ms)
        VALUES('city', 'r1', 1, '{"v":1}', 'inflight', 'b-old', 'x', 1),
              ('city', 'r2', 1, '{"v":2}', 'pending', NULL, 'x', 2);
      INSERT INTO outbox(destination, record_id, version, body, state, attempts, created_at, created_ms, finished_at,
                         error_code, error_field)
        VALUES('city', 'r3', 1, '{"v":3}', 'dead', 3, 'x', 3, '2026-11-20T10:00:00+08:00', 'invalid_uscc', 'subject.uscc');
    )SQL"));
  }
  auto s = cg::store::open_sqlite_store(path);
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  auto b = (*s)->claim_batch("city", 10, "node");
  ASSERT_TRUE(b.ok()) << b.error().to_string();
  ASSERT_EQ(b->entries.size(), 2u);
  EXPECT_EQ(b->entries[0].record_id, "r1");
  EXPECT_EQ(b->entries[0].body, R"({"v":1})");
  EXPECT_EQ(b->entries[1].record_id, "r2");
  auto dead = (*s)->list_dead_letters({"city", "", "", "", "", std::nullopt, 10});
  ASSERT_EQ(dead->size(), 1u);
  EXPECT_EQ((*dead)[0].record_id, "r3");
  EXPECT_EQ((*dead)[0].error_field, "subject.uscc");
  EXPECT_EQ((*dead)[0].attempts, 3);
  EXPECT_EQ((*dead)[0].body, R"({"v":3})");
  // Upgraded on to schema 3: every record kept, the bodies above joined by rid.
  EXPECT_EQ(*(*s)->count_records(), 3);
  s->reset();
  // Opened again: nothing to upgrade, nothing lost.
  auto again = cg::store::open_sqlite_store(path);
  ASSERT_TRUE(again.ok()) << again.error().to_string();
  EXPECT_EQ((*again)->outbox_stats("city")->inflight, 2);
}

TEST(StoreUpgrade, AStoreFromANewerGatewayIsRefused) {
  cg::test::TempDir dir;
  std::string path = dir.file("new.db");
  {
    auto db = cg::sqlite::Db::open(path);
    ASSERT_TRUE(
        db->exec("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                 "INSERT INTO meta VALUES('schema_version', '99');"));
  }
  auto s = cg::store::open_sqlite_store(path);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("newer"), std::string::npos) << s.error().message;
}

TEST_F(StoreTest, ARecordsAuditIncludesWhatHappenedBeforeItWasStored) {
  cg::Record r = record("late");
  IngestBatch b = batch({});
  cg::mapping::QuarantineEntry q = broken("<XZCF>late</XZCF>");
  q.record_id = r.record_id;
  b.quarantined = {q};
  ASSERT_TRUE(store_->ingest(b).ok());           // the broken version: no record yet
  ASSERT_TRUE(store_->ingest(batch({r})).ok());  // the fixed one
  ASSERT_TRUE(store_->ingest(batch({record("other")})).ok());
  auto audit = store_->list_audit(r.record_id, 10);
  ASSERT_TRUE(audit.ok()) << audit.error().to_string();
  ASSERT_EQ(audit->size(), 2u);
  EXPECT_EQ((*audit)[0].action, "quarantine.added");
  EXPECT_EQ((*audit)[1].action, "record.created");
}

TEST_F(StoreTest, FeedbackIsClaimedExpiredLeasesFirstThenInTheOrderItBecameDue) {
  store_->set_feedback_router(
      [](const cg::Record&, const std::string&, const std::string&) { return std::vector<std::string>{"court"}; });
  std::vector<cg::Record> recs;
  for (int i = 0; i < 5; ++i) recs.push_back(record("fb" + std::to_string(i)));
  ASSERT_TRUE(store_->ingest(batch(recs)).ok());
  auto ids = [](const std::vector<cg::store::FeedbackItem>& items) {
    std::vector<int64_t> out;
    for (const auto& f : items) out.push_back(f.id);
    return out;
  };
  auto first = store_->claim_feedback("court", 2, 60000);
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  ASSERT_EQ(first->size(), 2u);
  const int64_t a = (*first)[0].id, b = (*first)[1].id;
  EXPECT_EQ(b, a + 1);
  // Leased items are not offered again; the next ones are.
  EXPECT_EQ(ids(*store_->claim_feedback("court", 2, 60000)), (std::vector<int64_t>{a + 2, a + 3}));
  // A failed item is due again after its retry delay, behind those never tried.
  ASSERT_TRUE(store_->complete_feedback(a, false, "refused", 0).ok());
  ASSERT_TRUE(store_->complete_feedback(b, true, "", 0).ok());
  EXPECT_EQ(ids(*store_->claim_feedback("court", 5, 0)), (std::vector<int64_t>{a + 4, a}));
  // Those were leased for 0 ms: once the lease runs out they come first.
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(ids(*store_->claim_feedback("court", 1, 60000)), (std::vector<int64_t>{a}));
  EXPECT_TRUE(store_->claim_feedback("court", 5, 60000)->size() == 1u);  // a + 4; a is leased again, b delivered
}

TEST_F(StoreTest, AFeedbackItemCarriesItsRecordVersionsBodyWithoutACopyOfIt) {
  store_->set_feedback_router(
      [](const cg::Record&, const std::string&, const std::string&) { return std::vector<std::string>{"court"}; });
  ASSERT_TRUE(store_->ingest(batch({record("fbv", 100)})).ok());
  ASSERT_TRUE(store_->ingest(batch({record("fbv", 200)})).ok());  // version 2, a second item
  auto items = store_->claim_feedback("court", 10, 60000);
  ASSERT_TRUE(items.ok()) << items.error().to_string();
  ASSERT_EQ(items->size(), 2u);
  auto history = store_->record_history(record("fbv").record_id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ((*items)[i].version, static_cast<int64_t>(i + 1));
    EXPECT_EQ((*items)[i].body, cg::to_json_text((*history)[i])) << "item " << i;
  }
  auto db = cg::sqlite::Db::open(dir_.file("gateway.db"));
  ASSERT_TRUE(db.ok());
  cg::sqlite::Stmt copies(*db, "SELECT count(*) FROM feedback WHERE body <> ''");
  ASSERT_TRUE(copies.step().value());
  EXPECT_EQ(copies.col_int(0), 0) << "the body is the version's, not a second copy";
  // An item written before (with its own copy of the body) is read as it is.
  ASSERT_TRUE(db->exec("INSERT INTO feedback(department, record_id, version, event, body, created_at) "
                       "VALUES('court', 'r-old', 1, '{\"type\":\"created\"}', '{\"old\":true}', 'then')")
                  .ok());
  auto old = store_->claim_feedback("court", 10, 60000);
  ASSERT_TRUE(old.ok());
  ASSERT_EQ(old->size(), 1u);
  EXPECT_EQ((*old)[0].record_id, "r-old");
  EXPECT_EQ((*old)[0].body, "{\"old\":true}");
}

// The pipeline makes a batch's digests, bodies and quarantine texts on its
// mapping thread; the store makes them itself for a batch without them. Both
// ways store the same bytes.
TEST(StoreBatchTexts, TextsMadeAheadStoreWhatTheStoreWouldHaveMade) {
  cg::test::TempDir dir;
  auto make_batch = [] {
    IngestBatch b;
    b.actor = "test";
    b.source = "unit";
    b.records = {record("t1"), record("t2", 300)};
    b.records[1].version = 4;  // a mapper's other number: stored as version 1
    b.quarantined = {broken("<XZCF>t3</XZCF>")};
    return b;
  };
  auto dump = [&](const std::string& name, bool ahead) {
    auto path = dir.file(name);
    {
      auto st = cg::store::open_sqlite_store(path);
      EXPECT_TRUE(st.ok());
      IngestBatch b = make_batch();
      if (ahead) {
        b.texts = cg::store::make_texts(b.records, b.quarantined);
        EXPECT_TRUE(b.texts_ready());
      } else {
        EXPECT_TRUE(b.texts_ready() == b.records.empty());
      }
      auto r = (*st)->ingest(b);
      EXPECT_TRUE(r.ok()) << r.error().to_string();
      EXPECT_EQ(r->created, 2u);
      EXPECT_EQ(r->quarantined, 1u);
    }
    auto db = cg::sqlite::Db::open(path);
    std::string out;
    for (const char* sql : {"SELECT r.record_id || ' ' || r.version || ' ' || r.digest || ' ' || v.body "
                            "FROM records r JOIN record_versions v USING(rid) ORDER BY r.record_id",
                            "SELECT fingerprint || ' ' || entry FROM quarantine ORDER BY id"}) {
      cg::sqlite::Stmt st(*db, sql);
      while (st.step().value()) out += st.col_text(0) + "\n";
    }
    return out;
  };
  const std::string made_by_store = dump("store.db", false), made_ahead = dump("ahead.db", true);
  EXPECT_NE(made_by_store.find(" 1 "), std::string::npos);
  EXPECT_EQ(std::count(made_by_store.begin(), made_by_store.end(), '\n'), 3);
  EXPECT_EQ(made_ahead, made_by_store);
  // What is stored for the renumbered record is version 1, in its body too.
  cg::Record renumbered = record("t2", 300);
  renumbered.version = 4;
  const auto texts = cg::store::make_texts({renumbered}, {});
  EXPECT_NE(texts.new_bodies.at(0).find("\"version\":1"), std::string::npos);
  EXPECT_EQ(texts.new_bodies.at(0), cg::to_json_text(record("t2", 300)));
  EXPECT_EQ(texts.digests.at(0), cg::content_digest(renumbered));
}

// Texts that do not match the batch (records added after they were made)
// are not used: the store makes its own.
TEST_F(StoreTest, TextsThatDoNotMatchTheBatchAreNotUsed) {
  IngestBatch b = batch({record("m1")});
  b.texts = cg::store::make_texts(b.records, b.quarantined);
  b.records.push_back(record("m2"));
  EXPECT_FALSE(b.texts_ready());
  auto r = store_->ingest(b);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->created, 2u);
  auto got = store_->get_record(record("m2").record_id);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->record.source.source_key, "m2");
}

TEST(StoreUpgrade, AVersion2StoreIsKeyedByRidWithNothingLost) {
  cg::test::TempDir dir;
  std::string path = dir.file("v2.db");
  cg::Record a1 = record("a"), a2 = record("a", 200), b1 = record("b");
  a2.version = 2;
  {
    auto db = cg::sqlite::Db::open(path);
    ASSERT_TRUE(db.ok());
    // The tables of schema 2 that changed, as release 2 wrote them.
    ASSERT_TRUE(db->exec(R"SQL(
      CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
      INSERT INTO meta VALUES('schema_version', '2');
      CREATE TABLE records(record_id TEXT PRIMARY KEY, version INTEGER NOT NULL, kind TEXT NOT NULL,
        department TEXT NOT NULL, status TEXT NOT NULL, subject_uscc TEXT, subject_id_number TEXT,
        origin TEXT NOT NULL DEFAULT 'local', digest TEXT NOT NULL, updated_at TEXT NOT NULL);
      CREATE INDEX records_kind ON records(kind);
      CREATE INDEX records_uscc ON records(subject_uscc);
      CREATE INDEX records_id_number ON records(subject_id_number);
      CREATE TABLE record_versions(record_id TEXT NOT NULL, version INTEGER NOT NULL, body TEXT NOT NULL,
        cause TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY(record_id, version));
      CREATE TABLE audit(id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL,
        action TEXT NOT NULL, record_id TEXT, version INTEGER, source TEXT, detail TEXT);
      CREATE INDEX audit_record ON audit(record_id);
      CREATE TABLE outbox(id INTEGER PRIMARY KEY AUTOINCREMENT, destination TEXT NOT NULL, record_id TEXT NOT NULL,
        version INTEGER NOT NULL, created_ms INTEGER NOT NULL);
      CREATE INDEX outbox_destination ON outbox(destination, id);
      CREATE TABLE outbox_batches(batch_id TEXT PRIMARY KEY, destination TEXT NOT NULL, first_id INTEGER NOT NULL,
        last_id INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_ms INTEGER NOT NULL DEFAULT 0,
        last_error TEXT);
      CREATE TABLE delivered(destination TEXT NOT NULL, record_id TEXT NOT NULL, version INTEGER NOT NULL,
        delivered_on TEXT NOT NULL, PRIMARY KEY(destination, record_id));
      CREATE INDEX delivered_day ON delivered(destination, delivered_on);
    )SQL"));
    cg::sqlite::Stmt rec(*db,
                         "INSERT INTO records VALUES(?, ?, 'admin_penalty', 'market_regulation', 'active', "
                         "'91510802QEFLCR6390', NULL, 'local', 'd', 'x')");
    cg::sqlite::Stmt ver(*db, "INSERT INTO record_versions VALUES(?, ?, ?, 'created', 'x')");
    for (const auto* r : {&a2, &b1}) ASSERT_TRUE(rec.reset().bind(1, r->record_id).bind(2, r->version).run());
    for (const auto* r : {&a1, &a2, &b1})
      ASSERT_TRUE(ver.reset().bind(1, r->record_id).bind(2, r->version).bind(3, cg::to_json_text(*r)).run());
    cg::sqlite::Stmt rest(*db, R"SQL(
      INSERT INTO outbox(id, destination, record_id, version, created_ms) VALUES(8, 'city', ?1, 2, 1), (9, 'city', ?2, 1, 2);
      )SQL");
    ASSERT_TRUE(rest.bind(1, a2.record_id).bind(2, b1.record_id).run());
    ASSERT_TRUE(
        db->exec("INSERT INTO outbox_batches(batch_id, destination, first_id, last_id, attempts) "
                 "VALUES('b-old', 'city', 8, 9, 2); UPDATE sqlite_sequence SET seq = 20 WHERE name = 'outbox';"));
    cg::sqlite::Stmt del(*db, "INSERT INTO delivered VALUES('provincial', ?, 1, '2026-11-20')");
    ASSERT_TRUE(del.bind(1, b1.record_id).run());
    cg::sqlite::Stmt aud(*db, "INSERT INTO audit(at, actor, action, record_id, version) VALUES('x', 't', ?, ?, ?)");
    ASSERT_TRUE(aud.reset().bind(1, "record.created").bind(2, a1.record_id).bind(3, int64_t{1}).run());
    ASSERT_TRUE(aud.reset().bind(1, "quarantine.added").bind(2, "r-never-stored").bind_null(3).run());
    ASSERT_TRUE(aud.reset().bind(1, "record.updated").bind(2, a2.record_id).bind(3, int64_t{2}).run());
  }
  auto s = cg::store::open_sqlite_store(path);
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  // The batch in flight goes out again with its id and its two records.
  auto b = (*s)->claim_batch("city", 10, "node");
  ASSERT_TRUE(b.ok()) << b.error().to_string();
  EXPECT_EQ(b->batch_id, "b-old");
  ASSERT_EQ(b->entries.size(), 2u);
  EXPECT_EQ(b->entries[0].record_id, a2.record_id);
  EXPECT_EQ(b->entries[0].body, cg::to_json_text(a2));
  EXPECT_EQ(b->entries[1].record_id, b1.record_id);
  EXPECT_EQ(b->attempts, 2);
  auto history = (*s)->record_history(a1.record_id);
  ASSERT_TRUE(history.ok()) << history.error().to_string();
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[1].detail.fine_fen, 200);
  auto day = (*s)->delivered_on("provincial", "2026-11-20");
  ASSERT_EQ(day->count, 1);
  EXPECT_EQ(day->records[0].first, b1.record_id);
  EXPECT_EQ((*s)->list_audit(a1.record_id, 10)->size(), 2u);
  EXPECT_EQ((*s)->list_audit("r-never-stored", 10)->size(), 1u);
  // New entries continue after the old ids (batches are id ranges).
  (*s)->set_outbox_router([](const cg::Record&, const std::string&) { return std::vector<std::string>{"city"}; });
  ASSERT_TRUE((*s)->ingest({"t", "unit", "local", 0, {record("c")}, {}, {}, "", "", "", {}}).ok());
  ASSERT_TRUE((*s)->complete_batch("city", *b,
                                   {{b->entries[0].id, cg::store::DeliveryStatus::Accepted, "", "", ""},
                                    {b->entries[1].id, cg::store::DeliveryStatus::Accepted, "", "", ""}})
                  .ok());
  auto next = (*s)->claim_batch("city", 10, "node");
  ASSERT_EQ(next->entries.size(), 1u);
  EXPECT_GT(next->entries[0].id, 20);
}

TEST_F(StoreTest, SeveralBatchesInFlightNeverOverlap) {
  std::vector<cg::Record> recs;
  for (int i = 0; i < 10; ++i) recs.push_back(record("k" + std::to_string(i)));
  ASSERT_TRUE(store_->ingest(batch(recs)).ok());
  cg::store::BusyBatches busy;
  auto a = store_->claim_batch("city", 3, "node", busy, 2);
  ASSERT_EQ(a->entries.size(), 3u);
  busy.insert(a->batch_id);
  auto b = store_->claim_batch("city", 3, "node", busy, 2);
  ASSERT_EQ(b->entries.size(), 3u);
  EXPECT_GT(b->entries.front().id, a->entries.back().id);
  busy.insert(b->batch_id);
  EXPECT_TRUE(store_->claim_batch("city", 3, "node", busy, 2)->entries.empty());  // two in flight: no third
  // The first is released (413): its entries come back, in a batch that
  // stops before the second one's range.
  ASSERT_TRUE(store_->release_batch("city", a->batch_id, "413").ok());
  busy.erase(a->batch_id);
  auto c = store_->claim_batch("city", 5, "node", busy, 2);
  ASSERT_EQ(c->entries.size(), 3u);
  EXPECT_EQ(c->entries.front().id, a->entries.front().id);
  busy.insert(c->batch_id);
  // The second fails and waits for its retry: nothing new is claimed meanwhile.
  ASSERT_TRUE(store_->retry_batch("city", b->batch_id, 60000, "503").ok());
  busy.erase(b->batch_id);
  ASSERT_TRUE(store_->complete_batch("city", *c, {}).ok());
  busy.erase(c->batch_id);
  EXPECT_TRUE(store_->claim_batch("city", 5, "node", busy, 2)->entries.empty());
  ASSERT_TRUE(store_->retry_batch("city", b->batch_id, 0, "503").ok());
  auto again = store_->claim_batch("city", 5, "node", busy, 2);
  EXPECT_EQ(again->batch_id, b->batch_id);
  ASSERT_EQ(again->entries.size(), 3u);
  // Every entry once: c's three (unanswered, so pending again), b's three, four never claimed.
  EXPECT_EQ(store_->outbox_stats("city")->pending + store_->outbox_stats("city")->inflight, 10);
}

// A claim passes over every batch in flight (without stepping through its
// entries) and takes what lies between them, never spanning one.
TEST_F(StoreTest, AClaimPassesOverTheBatchesInFlightAndTakesWhatLiesBetween) {
  std::vector<cg::Record> recs;
  for (int i = 0; i < 10; ++i) recs.push_back(record("k" + std::to_string(i)));
  ASSERT_TRUE(store_->ingest(batch(recs)).ok());
  cg::store::BusyBatches busy;
  auto claim = [&](size_t max) {
    auto b = store_->claim_batch("city", max, "node", busy, 4);
    EXPECT_TRUE(b.ok());
    if (!b->entries.empty()) busy.insert(b->batch_id);
    return std::move(b.value());
  };
  auto a = claim(2), b = claim(2), c = claim(2);
  ASSERT_EQ(c.entries.size(), 2u);
  ASSERT_TRUE(store_->release_batch("city", b.batch_id, "413").ok());
  busy.erase(b.batch_id);
  auto d = claim(5);  // b's two, between a and c
  ASSERT_EQ(d.entries.size(), 2u);
  EXPECT_EQ(d.entries[0].id, b.entries[0].id);
  EXPECT_EQ(d.entries[1].id, b.entries[1].id);
  auto e = claim(10);  // past a, d and c: the four never claimed
  ASSERT_EQ(e.entries.size(), 4u);
  EXPECT_GT(e.entries.front().id, c.entries.back().id);
  std::set<int64_t> ids;
  for (const auto* x : {&a, &c, &d, &e})
    for (const auto& en : x->entries) ids.insert(en.id);
  EXPECT_EQ(ids.size(), 10u);  // every entry in exactly one batch
}

namespace {

// A store holding N new records, kept open: closing the last connection checkpoints.
std::unique_ptr<cg::store::Store> store_with(const std::string& path, bool background_checkpoint, int n) {
  cg::store::StoreOptions opts;
  opts.background_checkpoint = background_checkpoint;
  auto s = cg::store::open_sqlite_store(path, opts);
  EXPECT_TRUE(s.ok());
  IngestBatch b;
  b.actor = "test";
  b.source = "unit";
  for (int i = 0; i < n; ++i) b.records.push_back(record("k" + std::to_string(i)));
  EXPECT_TRUE((*s)->ingest(b).ok());
  return std::move(s.value());
}

}  // namespace

TEST(WalCheckpointer, CopiesTheLogIntoTheDatabaseSoThatIngestCommitsDoNotHaveTo) {
  cg::test::TempDir dir;
  // SQLite's automatic checkpoint runs inside the committing connection...
  auto automatic = store_with(dir.file("auto.db"), false, 6000);
  EXPECT_GT(std::filesystem::file_size(dir.file("auto.db")), 2u << 20);
  // ...which a background-checkpoint connection leaves alone: the data stays in the log,
  const std::string path = dir.file("bg.db");
  auto store = store_with(path, true, 6000);
  EXPECT_LT(std::filesystem::file_size(path), 1u << 20);
  EXPECT_GT(std::filesystem::file_size(path + "-wal"), 2u << 20);
  // ...until the checkpointer's thread copies it into the database file.
  auto cp = cg::store::WalCheckpointer::start(path, std::chrono::milliseconds(10));
  ASSERT_TRUE(cp.ok()) << cp.error().to_string();
  for (int i = 0; i < 500 && std::filesystem::file_size(path) < (2u << 20); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_GT(std::filesystem::file_size(path), 2u << 20);
  cp->reset();
  EXPECT_EQ(store->count_records().value(), 6000);
}

// A writer that commits back to back leaves the checkpointer no gap to
// restart the log in: the RESTART runs between two of the writer's calls
// instead, and the log stays near its limit however much is written.
TEST(WalCheckpointer, TheLogStartsOverBetweenTheWritersTransactionsWhileItCommitsBackToBack) {
  cg::test::TempDir dir;
  const std::string path = dir.file("busy.db");
  auto writer = cg::store::StoreWriter::start(store_with(path, true, 1));
  auto between = [w = std::weak_ptr<cg::store::StoreWriter>(writer)](const std::function<void()>& fn) {
    if (auto s = w.lock()) s->call([&fn](cg::store::Store&) { fn(); });
  };
  constexpr int64_t kRestartFrames = 256;  // 1 MiB of 4 KiB pages
  auto cp = cg::store::WalCheckpointer::start(path, std::chrono::milliseconds(5), kRestartFrames, between);
  ASSERT_TRUE(cp.ok()) << cp.error().to_string();
  auto handle = writer->handle();
  uintmax_t largest_log = 0;
  int batches = 0;
  // Written until the database holds enough to tell, however slow the build
  // (a sanitizer build writes a tenth as fast); the deadline only ends a hang.
  constexpr uintmax_t kEnough = 40u << 20;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  for (; std::filesystem::file_size(path) < kEnough && std::chrono::steady_clock::now() < deadline; ++batches) {
    IngestBatch b;
    b.actor = "test";
    b.source = "unit";
    for (int i = 0; i < 200; ++i) b.records.push_back(record("b" + std::to_string(batches) + "-" + std::to_string(i)));
    ASSERT_TRUE(handle->ingest(b).ok());
    largest_log = std::max(largest_log, std::filesystem::file_size(path + "-wal"));
  }
  cp->reset();
  const uintmax_t written = std::filesystem::file_size(path);
  ASSERT_GE(written, kEnough) << "only " << (written >> 20) << " MiB reached the database in 120 s (" << batches
                              << " transactions)";
  // The limit, plus what was committed while the passive passes copied (more
  // when the checkpointer's thread waits for a core: 7 MiB seen under a
  // parallel test run). Without the restart between writes the log holds
  // about everything written.
  EXPECT_LT(largest_log, std::max<uintmax_t>(16u << 20, written / 4))
      << "the log reached " << (largest_log >> 20) << " MiB while " << (written >> 20) << " MiB were written";
}

// The shared write connection and the statement cache under it.
TEST(StoreWriter, CallsFromManyThreadsRunOnOneThreadAndAllLand) {
  cg::test::TempDir dir;
  auto s = cg::store::open_sqlite_store(dir.file("gateway.db"));
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  auto writer = cg::store::StoreWriter::start(std::move(s.value()));
  std::atomic<int> failures{0};
  std::set<std::thread::id> ran_on;
  std::mutex ran_mu;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t, h = std::shared_ptr<cg::store::Store>(writer->handle())] {
      for (int i = 0; i < 25; ++i) {
        cg::store::IngestBatch b;
        b.actor = "test";
        b.records = {record(std::to_string(t) + "-" + std::to_string(i))};
        if (!h->ingest(b).ok()) failures++;
        writer->call([&](cg::store::Store&) {
          std::lock_guard<std::mutex> lock(ran_mu);
          ran_on.insert(std::this_thread::get_id());
        });
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(ran_on.size(), 1u);
  EXPECT_EQ(ran_on.count(std::this_thread::get_id()), 0u);
  auto h = writer->handle();
  EXPECT_EQ(*h->count_records(), 100);
  // A call made on the writer's thread runs at once instead of waiting for itself.
  auto nested = writer->call(
      [&](cg::store::Store&) { return writer->call([](cg::store::Store& st) { return st.count_records(); }); });
  EXPECT_EQ(*nested, 100);
  // Named, for top -H and perf (bench/e2e.sh reports CPU per thread name).
  auto name = writer->call([](cg::store::Store&) {
    char buf[16] = {};
    pthread_getname_np(pthread_self(), buf, sizeof buf);
    return std::string(buf);
  });
  EXPECT_EQ(name, "cg-store-writer");
}

TEST(StoreWriter, TheWriterLivesAsLongAsItsLastHandle) {
  cg::test::TempDir dir;
  auto s = cg::store::open_sqlite_store(dir.file("gateway.db"));
  ASSERT_TRUE(s.ok());
  std::unique_ptr<cg::store::Store> h;
  {
    auto writer = cg::store::StoreWriter::start(std::move(s.value()));
    h = writer->handle();
  }
  cg::store::IngestBatch b;
  b.actor = "test";
  b.records = {record("after")};
  EXPECT_TRUE(h->ingest(b).ok());
  EXPECT_EQ(*h->count_records(), 1);
}

TEST(StatementCache, AStatementIsReusedAndTwoAtOnceAreIndependent) {
  cg::test::TempDir dir;
  auto db = cg::sqlite::Db::open(dir.file("t.db"));
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db->exec("CREATE TABLE t(k INTEGER); INSERT INTO t VALUES(1), (2), (3);"));
  const std::string sql = "SELECT k FROM t WHERE k >= ? ORDER BY k";
  sqlite3_stmt* first = nullptr;
  {
    cg::sqlite::Stmt a(*db, sql);
    first = a.handle();
    a.bind(1, int64_t{2});
    ASSERT_TRUE(*a.step());
    EXPECT_EQ(a.col_int(0), 2);
    // The same SQL while the first is mid-step: its own statement.
    cg::sqlite::Stmt b(*db, sql);
    EXPECT_NE(b.handle(), first);
    b.bind(1, int64_t{1});
    ASSERT_TRUE(*b.step());
    EXPECT_EQ(b.col_int(0), 1);
    ASSERT_TRUE(*a.step());
    EXPECT_EQ(a.col_int(0), 3);
  }
  // Given back reset and unbound: the next one starts from the first row.
  cg::sqlite::Stmt c(*db, sql);
  EXPECT_TRUE(c.handle() == first || c.handle() != nullptr);
  c.bind(1, int64_t{3});
  ASSERT_TRUE(*c.step());
  EXPECT_EQ(c.col_int(0), 3);
  EXPECT_FALSE(*c.step());
  // The cache survives the connection being moved.
  cg::sqlite::Db moved = std::move(db.value());
  cg::sqlite::Stmt d(moved, "SELECT count(*) FROM t");
  ASSERT_TRUE(*d.step());
  EXPECT_EQ(d.col_int(0), 3);
}

// The tables of schemas 3 and 4 that the upgrades read, as those releases
// wrote them: the records, their versions, and the outbox.
const char* const kRecordTablesV3 = R"SQL(
  CREATE TABLE records(rid INTEGER PRIMARY KEY, record_id TEXT NOT NULL UNIQUE, version INTEGER NOT NULL,
    kind TEXT NOT NULL, department TEXT NOT NULL, status TEXT NOT NULL, subject_uscc TEXT,
    subject_id_number TEXT, origin TEXT NOT NULL DEFAULT 'local', digest TEXT NOT NULL, updated_at TEXT NOT NULL);
  CREATE INDEX records_kind ON records(kind);
  CREATE TABLE record_versions(rid INTEGER NOT NULL, version INTEGER NOT NULL, body TEXT NOT NULL,
    cause TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY(rid, version));
  CREATE TABLE outbox(id INTEGER PRIMARY KEY AUTOINCREMENT, destination TEXT NOT NULL, rid INTEGER NOT NULL,
    version INTEGER NOT NULL, created_ms INTEGER NOT NULL);
  CREATE INDEX outbox_destination ON outbox(destination, id);
)SQL";

TEST(StoreUpgrade, AVersion3StoreKeepsItsAuditAndDeliveriesInTheLeanerTables) {
  cg::test::TempDir dir;
  std::string path = dir.file("v3.db");
  cg::Record company = record("c");
  cg::Record person = record("p");
  person.subject.type = "natural_person";
  person.subject.uscc.reset();
  person.subject.id_type = "resident_id";
  person.subject.id_number = "110101199003074477";
  {
    auto db = cg::sqlite::Db::open(path);
    ASSERT_TRUE(db.ok());
    // The tables of schema 3 that changed, as release 3 wrote them.
    ASSERT_TRUE(db->exec(std::string(kRecordTablesV3) + R"SQL(
      CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
      INSERT INTO meta VALUES('schema_version', '3');
      CREATE INDEX records_uscc ON records(subject_uscc);
      CREATE INDEX records_id_number ON records(subject_id_number);
      CREATE TABLE audit(id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL,
        action TEXT NOT NULL, record_id TEXT, version INTEGER, source TEXT, detail TEXT, rid INTEGER);
      CREATE INDEX audit_rid ON audit(rid);
      CREATE INDEX audit_unstored ON audit(record_id) WHERE rid IS NULL AND record_id IS NOT NULL;
      CREATE TABLE delivered(destination TEXT NOT NULL, rid INTEGER NOT NULL, version INTEGER NOT NULL,
        delivered_on TEXT NOT NULL, PRIMARY KEY(destination, rid));
      CREATE INDEX delivered_day ON delivered(destination, delivered_on);
    )SQL"));
    cg::sqlite::Stmt rec(*db,
                         "INSERT INTO records VALUES(?, ?, 1, 'admin_penalty', 'market_regulation', 'active', "
                         "?, ?, 'local', 'd', 'x')");
    cg::sqlite::Stmt ver(*db, "INSERT INTO record_versions VALUES(?, 1, ?, 'created', 'x')");
    int64_t rid = 1;
    for (const auto* r : {&company, &person}) {
      ASSERT_TRUE(rec.reset()
                      .bind(1, rid)
                      .bind(2, r->record_id)
                      .bind_opt(3, r->subject.uscc)
                      .bind_opt(4, r->subject.id_number)
                      .run());
      ASSERT_TRUE(ver.reset().bind(1, rid).bind(2, cg::to_json_text(*r)).run());
      ++rid;
    }
    cg::sqlite::Stmt aud(*db,
                         "INSERT INTO audit(id, at, actor, action, record_id, version, rid) "
                         "VALUES(?, 'x', 't', ?, ?, ?, ?)");
    ASSERT_TRUE(aud.reset()
                    .bind(1, int64_t{5})
                    .bind(2, "record.created")
                    .bind(3, company.record_id)
                    .bind(4, int64_t{1})
                    .bind(5, int64_t{1})
                    .run());
    ASSERT_TRUE(aud.reset()
                    .bind(1, int64_t{7})
                    .bind(2, "quarantine.added")
                    .bind(3, "r-never-stored")
                    .bind_null(4)
                    .bind_null(5)
                    .run());
    ASSERT_TRUE(aud.reset()
                    .bind(1, int64_t{9})
                    .bind(2, "record.created")
                    .bind(3, person.record_id)
                    .bind(4, int64_t{1})
                    .bind(5, int64_t{2})
                    .run());
    ASSERT_TRUE(
        db->exec("INSERT INTO delivered VALUES('provincial', 1, 1, '2026-11-20'), "
                 "('provincial', 2, 1, '2026-11-21'), ('city', 1, 1, '2026-11-20');"));
  }
  auto s = cg::store::open_sqlite_store(path);
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  // Every audit entry kept, with its id, found by record as before.
  auto a = (*s)->list_audit(company.record_id, 10);
  ASSERT_TRUE(a.ok()) << a.error().to_string();
  ASSERT_EQ(a->size(), 1u);
  EXPECT_EQ((*a)[0].id, 5);
  EXPECT_EQ((*s)->list_audit("r-never-stored", 10)->size(), 1u);
  EXPECT_EQ((*s)->list_audit(person.record_id, 10)->at(0).id, 9);
  // Every delivery kept.
  EXPECT_EQ((*s)->delivered_on("provincial", "2026-11-20")->count, 1);
  EXPECT_EQ((*s)->delivered_on("provincial", "2026-11-21")->count, 1);
  EXPECT_EQ((*s)->delivered_on("city", "2026-11-20")->records.at(0).first, company.record_id);
  // Subjects found through the partial indexes.
  auto by_uscc = (*s)->records_of_subject("91510802QEFLCR6390", "");
  ASSERT_TRUE(by_uscc.ok()) << by_uscc.error().to_string();
  ASSERT_EQ(by_uscc->size(), 1u);
  EXPECT_EQ((*by_uscc)[0].record.record_id, company.record_id);
  auto by_id = (*s)->records_of_subject("", "110101199003074477");
  ASSERT_EQ(by_id->size(), 1u);
  EXPECT_EQ((*by_id)[0].record.record_id, person.record_id);
  // New audit entries continue after the old ids.
  ASSERT_TRUE((*s)->ingest({"t", "unit", "local", 0, {record("n")}, {}, {}, "", "", "", {}}).ok());
  auto fresh = (*s)->list_audit(record("n").record_id, 10);
  ASSERT_EQ(fresh->size(), 1u);
  EXPECT_GT((*fresh)[0].id, 9);
  s->reset();

  auto db = cg::sqlite::Db::open(path);
  ASSERT_TRUE(db.ok());
  auto sql_of = [&](const std::string& name) {
    cg::sqlite::Stmt q(*db, "SELECT sql FROM sqlite_master WHERE name = ?");
    q.bind(1, name);
    auto row = q.step();
    return row.ok() && *row ? q.col_text(0) : std::string();
  };
  EXPECT_NE(sql_of("delivered").find("WITHOUT ROWID"), std::string::npos) << sql_of("delivered");
  EXPECT_EQ(sql_of("audit").find("AUTOINCREMENT"), std::string::npos) << sql_of("audit");
  EXPECT_NE(sql_of("records_id_number").find("IS NOT NULL"), std::string::npos);
  EXPECT_NE(sql_of("records_key").find("ON records("), std::string::npos) << sql_of("records_key");
  EXPECT_EQ(sql_of("audit_v3"), "");
  cg::sqlite::Stmt plan(*db, "EXPLAIN QUERY PLAN SELECT r.rid FROM records r WHERE " CG_ID_NUMBER_IS("?1"));
  std::string steps;
  while (true) {
    auto row = plan.step();
    ASSERT_TRUE(row.ok());
    if (!*row) break;
    steps += plan.col_text(3) + "\n";
  }
  EXPECT_NE(steps.find("records_id_number"), std::string::npos) << steps;
  cg::sqlite::Stmt v(*db, "SELECT value FROM meta WHERE key = 'schema_version'");
  ASSERT_TRUE(*v.step());
  EXPECT_EQ(v.col_text(0), std::to_string(cg::store::kSqliteSchemaVersion));
}

TEST(StoreUpgrade, AVersion4StoreKeepsItsOutboxInOrderAndNewEntriesComeAfterIt) {
  cg::test::TempDir dir;
  std::string path = dir.file("v4.db");
  cg::Record a = record("a"), b = record("b");
  {
    auto db = cg::sqlite::Db::open(path);
    ASSERT_TRUE(db.ok());
    // Schema 4's outbox (its sequence past the ids still pending), a batch in
    // flight and what they refer to; the upgrade creates the other tables.
    ASSERT_TRUE(db->exec(std::string(kRecordTablesV3) + R"SQL(
      CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
      INSERT INTO meta VALUES('schema_version', '4');
      CREATE TABLE outbox_batches(batch_id TEXT PRIMARY KEY, destination TEXT NOT NULL, first_id INTEGER NOT NULL,
        last_id INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_ms INTEGER NOT NULL DEFAULT 0,
        last_error TEXT);
      INSERT INTO outbox VALUES(31, 'provincial', 1, 1, 1), (32, 'city', 1, 1, 1), (33, 'provincial', 2, 1, 2),
                               (34, 'city', 2, 1, 2);
      UPDATE sqlite_sequence SET seq = 40 WHERE name = 'outbox';
      INSERT INTO outbox_batches(batch_id, destination, first_id, last_id, attempts) VALUES('b-old', 'provincial', 31, 31, 1);
    )SQL"));
    cg::sqlite::Stmt rec(*db,
                         "INSERT INTO records VALUES(?, ?, 1, 'admin_penalty', 'market_regulation', 'active', "
                         "?, NULL, 'local', 'd', 'x')");
    cg::sqlite::Stmt ver(*db, "INSERT INTO record_versions VALUES(?, 1, ?, 'created', 'x')");
    int64_t rid = 1;
    for (const auto* r : {&a, &b}) {
      ASSERT_TRUE(rec.reset().bind(1, rid).bind(2, r->record_id).bind_opt(3, r->subject.uscc).run());
      ASSERT_TRUE(ver.reset().bind(1, rid).bind(2, cg::to_json_text(*r)).run());
      ++rid;
    }
  }
  auto s = cg::store::open_sqlite_store(path);
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  (*s)->set_outbox_router([](const cg::Record&, const std::string&) {
    return std::vector<std::string>{"provincial", "city"};
  });
  cg::Record n = record("n");
  ASSERT_TRUE((*s)->ingest({"t", "unit", "local", 0, {n}, {}, {}, "", "", "", {}}).ok());
  // The batch in flight is offered again as it was; then the rest in order,
  // the new record's entry after the old ones.
  auto resumed = (*s)->claim_batch("provincial", 10, "node");
  ASSERT_TRUE(resumed.ok()) << resumed.error().to_string();
  EXPECT_EQ(resumed->batch_id, "b-old");
  ASSERT_EQ(resumed->entries.size(), 1u);
  EXPECT_EQ(resumed->entries[0].id, 31);
  EXPECT_EQ(resumed->entries[0].record_id, a.record_id);
  cg::store::BusyBatches old{"b-old"};
  auto rest = (*s)->claim_batch("provincial", 10, "node", old, 4);
  ASSERT_TRUE(rest.ok()) << rest.error().to_string();
  ASSERT_EQ(rest->entries.size(), 2u);
  EXPECT_EQ(rest->entries[0].id, 33);
  EXPECT_EQ(rest->entries[0].record_id, b.record_id);
  EXPECT_GT(rest->entries[1].id, 40);
  EXPECT_EQ(rest->entries[1].record_id, n.record_id);
  auto city = (*s)->claim_batch("city", 10, "node");
  ASSERT_TRUE(city.ok()) << city.error().to_string();
  ASSERT_EQ(city->entries.size(), 3u);
  EXPECT_EQ(city->entries[0].record_id, a.record_id);
  EXPECT_EQ(city->entries[1].record_id, b.record_id);
  EXPECT_EQ(city->entries[2].record_id, n.record_id);
  EXPECT_EQ(city->entries[2].id, rest->entries[1].id);  // one change, one id at each destination
  // A requeued record goes to the end, after the new one.
  ASSERT_TRUE((*s)->requeue("city", a.record_id, "admin").ok());
  std::vector<cg::store::DeliveryOutcome> done;
  for (const auto& e : city->entries) done.push_back({e.id, cg::store::DeliveryStatus::Accepted, "", "", ""});
  ASSERT_TRUE((*s)->complete_batch("city", *city, done).ok());
  auto again = (*s)->claim_batch("city", 10, "node");
  ASSERT_TRUE(again.ok()) << again.error().to_string();
  ASSERT_EQ(again->entries.size(), 1u);
  EXPECT_EQ(again->entries[0].record_id, a.record_id);
  EXPECT_GT(again->entries[0].id, city->entries[2].id);
  s->reset();

  auto db = cg::sqlite::Db::open(path);
  ASSERT_TRUE(db.ok());
  cg::sqlite::Stmt q(*db,
                     "SELECT name, sql FROM sqlite_master WHERE tbl_name IN ('outbox', 'outbox_v4') "
                     "OR name = 'records_kind'");
  std::string objects;
  while (*q.step()) objects += q.col_text(0) + ": " + q.col_text(1) + "\n";
  EXPECT_NE(objects.find("WITHOUT ROWID"), std::string::npos) << objects;
  EXPECT_EQ(objects.find("outbox_destination"), std::string::npos) << objects;
  EXPECT_EQ(objects.find("outbox_v4"), std::string::npos) << objects;
  EXPECT_EQ(objects.find("records_kind"), std::string::npos) << objects;
}

// The steps of a statement's plan, one a line.
std::string plan_of(cg::sqlite::Db& db, const std::string& sql) {
  cg::sqlite::Stmt plan(db, "EXPLAIN QUERY PLAN " + sql);
  std::string steps;
  while (true) {
    auto row = plan.step();
    if (!row.ok() || !*row) break;
    steps += plan.col_text(3) + "\n";
  }
  return steps;
}

// Schema 6: records found by id through the index of the ids' first 8
// characters; the UNIQUE index of whole ids is gone, and the store keeps an
// id stored once, also when two ids share those 8 characters.
TEST(StoreUpgrade, AVersion5StoreFindsItsRecordsByIdPrefixAndKeepsEachIdOnce) {
  cg::test::TempDir dir;
  std::string path = dir.file("v5.db");
  cg::Record a = record("a"), b = record("b"), c = record("c");
  a.record_id = "0123456789abcdef0123456789abcdef";
  b.record_id = "01234567ffffffffffffffffffffffff";  // a's first 8 characters
  c.record_id = "01234567aaaaaaaaaaaaaaaaaaaaaaaa";  // and a new one with them too
  c.subject.uscc = "92440300QEFLCR6390";             // a's USCC's last 8 characters
  {
    auto db = cg::sqlite::Db::open(path);
    ASSERT_TRUE(db.ok());
    // Schema 5's records table as release 5 wrote it; the upgrade creates the rest.
    ASSERT_TRUE(db->exec(R"SQL(
      CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
      INSERT INTO meta VALUES('schema_version', '5');
      CREATE TABLE records(rid INTEGER PRIMARY KEY, record_id TEXT NOT NULL UNIQUE, version INTEGER NOT NULL,
        kind TEXT NOT NULL, department TEXT NOT NULL, status TEXT NOT NULL, subject_uscc TEXT,
        subject_id_number TEXT, origin TEXT NOT NULL DEFAULT 'local', digest TEXT NOT NULL, updated_at TEXT NOT NULL);
      CREATE INDEX records_uscc ON records(subject_uscc) WHERE subject_uscc IS NOT NULL;
      CREATE INDEX records_id_number ON records(subject_id_number) WHERE subject_id_number IS NOT NULL;
      CREATE TABLE record_versions(rid INTEGER NOT NULL, version INTEGER NOT NULL, body TEXT NOT NULL,
        cause TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY(rid, version));
    )SQL"));
    cg::sqlite::Stmt rec(*db,
                         "INSERT INTO records VALUES(?, ?, 1, 'admin_penalty', 'market_regulation', 'active', "
                         "?, NULL, 'local', ?, 'x')");
    cg::sqlite::Stmt ver(*db, "INSERT INTO record_versions VALUES(?, 1, ?, 'created', 'x')");
    int64_t rid = 7;  // rids with a gap: kept as they are
    for (const auto* r : {&a, &b}) {
      ASSERT_TRUE(rec.reset()
                      .bind(1, rid)
                      .bind(2, r->record_id)
                      .bind_opt(3, r->subject.uscc)
                      .bind(4, cg::content_digest(*r))
                      .run());
      ASSERT_TRUE(ver.reset().bind(1, rid).bind(2, cg::to_json_text(*r)).run());
      rid += 2;
    }
  }
  {
    auto s = cg::store::open_sqlite_store(path);
    ASSERT_TRUE(s.ok()) << s.error().to_string();
    for (const auto* r : {&a, &b}) {
      auto got = (*s)->get_record(r->record_id);
      ASSERT_TRUE(got.ok()) << got.error().to_string();
      ASSERT_TRUE(got->has_value()) << r->record_id;
      EXPECT_EQ((*got)->record.record_id, r->record_id);
    }
    EXPECT_FALSE((*s)->get_record("0123456700000000000000000000000")->has_value());
    // The same records again: nothing new; a changed one: a second version of
    // the same row; a new id with the same 8 characters: a row of its own.
    auto same = (*s)->ingest({"t", "unit", "local", 0, {a, b}, {}, {}, "", "", "", {}});
    ASSERT_TRUE(same.ok()) << same.error().to_string();
    EXPECT_EQ(same->unchanged, 2u);
    EXPECT_EQ(same->created, 0u);
    cg::Record a2 = a;
    a2.detail.fine_fen = 999;
    auto changed = (*s)->ingest({"t", "unit", "local", 0, {a2, c}, {}, {}, "", "", "", {}});
    ASSERT_TRUE(changed.ok()) << changed.error().to_string();
    EXPECT_EQ(changed->updated, 1u);
    EXPECT_EQ(changed->created, 1u);
    EXPECT_EQ(*(*s)->count_records(), 3);
    EXPECT_EQ((*s)->record_history(a.record_id)->size(), 2u);
    EXPECT_EQ((*s)->record_history(b.record_id)->size(), 1u);
    EXPECT_EQ((*s)->get_record(a.record_id)->value().record.version, 2);
    // A subject's records: only those with the whole USCC.
    auto of_a = (*s)->records_of_subject(*a.subject.uscc, "");
    ASSERT_TRUE(of_a.ok()) << of_a.error().to_string();
    std::set<std::string> ids;
    for (const auto& r : *of_a) ids.insert(r.record.record_id);
    EXPECT_EQ(ids, (std::set<std::string>{a.record_id, b.record_id}));
    auto of_c = (*s)->records_of_subject(*c.subject.uscc, "");
    ASSERT_EQ(of_c->size(), 1u);
    EXPECT_EQ((*of_c)[0].record.record_id, c.record_id);
    // An export lists them in id order.
    std::vector<std::string> order;
    ASSERT_TRUE(
        (*s)->for_each_record("", [&](const cg::store::StoredRecord& r) { order.push_back(r.record.record_id); }).ok());
    EXPECT_EQ(order, (std::vector<std::string>{a.record_id, c.record_id, b.record_id}));
  }

  auto db = cg::sqlite::Db::open(path);
  ASSERT_TRUE(db.ok());
  cg::sqlite::Stmt rids(*db, "SELECT rid FROM records WHERE record_id IN (?, ?) ORDER BY rid");
  rids.bind(1, a.record_id).bind(2, b.record_id);
  std::vector<int64_t> kept;
  while (*rids.step()) kept.push_back(rids.col_int(0));
  EXPECT_EQ(kept, (std::vector<int64_t>{7, 9}));
  cg::sqlite::Stmt q(*db, "SELECT name, coalesce(sql, '') FROM sqlite_master WHERE tbl_name LIKE 'records%'");
  std::string objects;
  while (*q.step()) objects += q.col_text(0) + ": " + q.col_text(1) + "\n";
  EXPECT_EQ(objects.find("UNIQUE"), std::string::npos) << objects;
  EXPECT_EQ(objects.find("sqlite_autoindex_records"), std::string::npos) << objects;
  EXPECT_EQ(objects.find("records_v5"), std::string::npos) << objects;
  EXPECT_NE(objects.find("records_key"), std::string::npos) << objects;
  // Looked up by id, alone or joined: through the index, never a scan.
  for (const std::string& sql :
       {std::string("SELECT rid FROM records WHERE " CG_RECORD_IS("", "?1")),
        std::string("SELECT f.id, r.rid FROM feedback f LEFT JOIN records r ON " CG_RECORD_IS("r.", "f.record_id")),
        std::string("SELECT r.rid FROM records r WHERE " CG_USCC_IS("?1")),
        std::string("SELECT r.rid FROM records r WHERE " CG_ID_NUMBER_IS("?1"))}) {
    std::string steps = plan_of(*db, sql);
    EXPECT_NE(steps.find("USING INDEX records_"), std::string::npos) << sql << "\n" << steps;
    EXPECT_EQ(steps.find("SCAN r"), std::string::npos) << sql << "\n" << steps;  // "r" or "records"
  }
  // Without the unary plus, SQLite's constant propagation would hide the index.
  EXPECT_EQ(plan_of(*db, "SELECT rid FROM records WHERE substr(record_id, 1, 8) = substr(?1, 1, 8) AND record_id = ?1")
                .find("records_key"),
            std::string::npos);
}

// A delivery lane records a batch's answers and claims its next batch in one
// call, so that it waits once in the store writer's queue, not twice.
TEST_F(StoreTest, ABatchsAnswersAreRecordedBeforeTheNextBatchIsClaimedInTheSameCall) {
  std::vector<cg::Record> recs;
  for (int i = 0; i < 5; ++i) recs.push_back(record("cc" + std::to_string(i)));
  ASSERT_TRUE(store_->ingest(batch(recs)).ok());
  auto writer = cg::store::StoreWriter::start(std::move(store_));
  auto handle = writer->handle();  // the writer's own version of the call
  auto first = handle->claim_batch("city", 3, "n1");
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  ASSERT_EQ(first->entries.size(), 3u);
  std::vector<cg::store::DeliveryOutcome> answers;
  for (const auto& e : first->entries) answers.push_back({e.id, cg::store::DeliveryStatus::Accepted, "", "", ""});
  // One batch in flight at most: the next can only be claimed once the
  // answered one is finished.
  cg::store::BusyBatches busy{first->batch_id};
  auto both = handle->complete_and_claim("city", *first, answers, 3, "n1", busy, 1);
  ASSERT_TRUE(both.completed.ok()) << both.completed.error().to_string();
  ASSERT_TRUE(both.next.ok()) << both.next.error().to_string();
  ASSERT_EQ(both.next->entries.size(), 2u);
  EXPECT_NE(both.next->batch_id, first->batch_id);
  EXPECT_GT(both.next->entries.front().id, first->entries.back().id);
  auto stats = handle->outbox_stats("city");
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->pending + stats->inflight, 2) << "the three answered entries are gone from the outbox";
  EXPECT_FALSE(busy.contains(first->batch_id)) << "the answered batch is no longer being sent";
  EXPECT_TRUE(busy.contains(both.next->batch_id)) << "the claimed batch is";
}

// A destination's lanes wait for the store writer without a lock, so their
// claims can queue up behind one long transaction and run one after the
// other. Each claim marks the batch it returns busy before the next runs:
// no two lanes get the same batch, and the batches never overlap.
TEST_F(StoreTest, ClaimsQueuedTogetherAtTheWriterNeverHandOneBatchToTwoLanes) {
  std::vector<cg::Record> recs;
  for (int i = 0; i < 40; ++i) recs.push_back(record("q" + std::to_string(i)));
  ASSERT_TRUE(store_->ingest(batch(recs)).ok());
  auto writer = cg::store::StoreWriter::start(std::move(store_));
  cg::store::BusyBatches busy;
  constexpr size_t kLanes = 4;
  std::vector<cg::store::OutboxBatch> got(kLanes);
  {
    // The writer is held busy until every lane's claim is in its queue.
    std::promise<void> release;
    auto held = writer->submit([f = release.get_future().share()](cg::store::Store&) { f.wait(); });
    std::vector<std::thread> lanes;
    std::atomic<size_t> queued{0};
    for (size_t i = 0; i < kLanes; ++i)
      lanes.emplace_back([&, i] {
        auto handle = writer->handle();
        ++queued;
        auto b = handle->claim_batch("city", 5, "n1", busy, kLanes);
        ASSERT_TRUE(b.ok()) << b.error().to_string();
        got[i] = std::move(*b);
      });
    while (queued.load() < kLanes) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // into the writer's queue
    release.set_value();
    held.get();
    for (auto& t : lanes) t.join();
  }
  std::set<std::string> ids;
  std::set<int64_t> entries;
  for (const auto& b : got) {
    ASSERT_EQ(b.entries.size(), 5u);
    ids.insert(b.batch_id);
    EXPECT_TRUE(busy.contains(b.batch_id));
    for (const auto& e : b.entries) EXPECT_TRUE(entries.insert(e.id).second) << "entry " << e.id << " in two batches";
  }
  EXPECT_EQ(ids.size(), kLanes) << "a batch was handed to two lanes";
  EXPECT_EQ(busy.size(), kLanes);
}
