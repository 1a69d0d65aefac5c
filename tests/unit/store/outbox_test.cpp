// The outbox port: batches, answers, retries, dead letters, delivered figures.
#include <gtest/gtest.h>

#include <set>

#include "common/clock.hpp"
#include "common/hash.hpp"
#include "store_port_test.hpp"

using cg::store::IngestBatch;
using cg::test::batch;
using cg::test::broken;
using cg::test::record;

CG_STORE_PORT_SUITE(OutboxTest);

TEST_P(OutboxTest, OutboxEntriesAreWrittenWithTheVersionTheyCarry) {
  ASSERT_TRUE(store_->records().ingest(batch({record("a")})).ok());
  auto p = store_->outbox().stats("provincial");
  auto c = store_->outbox().stats("city");
  EXPECT_EQ(p->pending, 1);
  EXPECT_EQ(c->pending, 1);
  // A newer version supersedes the pending, unsent one.
  ASSERT_TRUE(store_->records().ingest(batch({record("a", 300)})).ok());
  auto b = store_->outbox().claim_batch("provincial", 10);
  ASSERT_EQ(b->entries.size(), 1u);
  EXPECT_EQ(b->entries[0].version, 2);
  EXPECT_NE(b->entries[0].body.find("\"fine_fen\":300"), std::string::npos);
}

TEST_P(OutboxTest, RecordsFromAPlatformAreNotQueuedBackToIt) {
  ASSERT_TRUE(store_->records().ingest(batch({record("p")}, "platform:provincial")).ok());
  EXPECT_EQ(store_->outbox().stats("provincial")->pending, 0);
  EXPECT_EQ(store_->outbox().stats("city")->pending, 1);
}

TEST_P(OutboxTest, ARetriedBatchKeepsItsIdAndContent) {
  ASSERT_TRUE(store_->records().ingest(batch({record("a"), record("b"), record("c")})).ok());
  auto b1 = store_->outbox().claim_batch("city", 2);
  ASSERT_EQ(b1->entries.size(), 2u);
  ASSERT_TRUE(store_->outbox().retry_batch("city", b1->batch_id, 0, "503").ok());
  auto b2 = store_->outbox().claim_batch("city", 2);
  EXPECT_EQ(b2->batch_id, b1->batch_id);
  ASSERT_EQ(b2->entries.size(), 2u);
  EXPECT_EQ(b2->entries[0].body, b1->entries[0].body);
  EXPECT_EQ(b2->attempts, 1);
  // Not due yet: nothing is claimed, and no new batch jumps the queue.
  ASSERT_TRUE(store_->outbox().retry_batch("city", b1->batch_id, 60000, "503").ok());
  EXPECT_TRUE(store_->outbox().claim_batch("city", 2)->entries.empty());
}

TEST_P(OutboxTest, RejectedRecordsBecomeDeadLettersAndReplayWithTheSameVersion) {
  ASSERT_TRUE(store_->records().ingest(batch({record("a"), record("b")})).ok());
  auto b = store_->outbox().claim_batch("city", 10);
  ASSERT_EQ(b->entries.size(), 2u);
  std::vector<cg::store::DeliveryOutcome> out = {
      {b->entries[0].id, cg::store::DeliveryStatus::Accepted, "", "", ""},
      {b->entries[1].id, cg::store::DeliveryStatus::Rejected, "invalid_uscc", "subject.uscc", "bad"}};
  ASSERT_TRUE(store_->outbox().complete_batch("city", *b, out).ok());
  auto dead = store_->outbox().dead_letters({"city", "", "invalid_uscc", "", "", std::nullopt, 100});
  ASSERT_EQ(dead->size(), 1u);
  EXPECT_EQ((*dead)[0].record_id, b->entries[1].record_id);
  EXPECT_EQ((*dead)[0].error_field, "subject.uscc");
  auto stats = store_->outbox().stats("city");
  EXPECT_EQ(stats->dead, 1);
  EXPECT_EQ(stats->pending + stats->inflight, 0);
  auto n = store_->outbox().replay_dead_letters({"city", "", "", "", "", std::nullopt, 100}, "operator:test");
  EXPECT_EQ(*n, 1);
  auto again = store_->outbox().claim_batch("city", 10);
  ASSERT_EQ(again->entries.size(), 1u);
  EXPECT_EQ(again->entries[0].version, 1);
  EXPECT_NE(again->batch_id, b->batch_id);
}

TEST_P(OutboxTest, DeliveredFiguresForReconciliation) {
  ASSERT_TRUE(store_->records().ingest(batch({record("a"), record("b")})).ok());
  auto b = store_->outbox().claim_batch("city", 10);
  std::vector<cg::store::DeliveryOutcome> out;
  for (const auto& e : b->entries) out.push_back({e.id, cg::store::DeliveryStatus::Accepted, "", "", ""});
  ASSERT_TRUE(store_->outbox().complete_batch("city", *b, out).ok());
  std::string today = cg::now_rfc3339_cst().substr(0, 10);
  auto f = store_->outbox().delivered_on("city", today);
  EXPECT_EQ(f->count, 2);
  std::vector<std::string> ids = {record("a").record_id, record("b").record_id};
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(f->digest, cg::sha256_hex(ids[0] + ":1\n" + ids[1] + ":1\n"));
}

TEST_P(OutboxTest, AnAllAcceptedAnswerFinishesOnlyThatDestinationsEntries) {
  // Outbox ids are shared by the destinations: a city batch's id range holds
  // provincial entries too, which its completion must leave alone.
  ASSERT_TRUE(store_->records().ingest(batch({record("a"), record("b"), record("c")})).ok());
  auto b = store_->outbox().claim_batch("city", 10);
  ASSERT_EQ(b->entries.size(), 3u);
  std::vector<cg::store::DeliveryOutcome> out;
  for (auto it = b->entries.rbegin(); it != b->entries.rend(); ++it)  // any order
    out.push_back(
        {it->id,
         it->id == b->entries[1].id ? cg::store::DeliveryStatus::Duplicate : cg::store::DeliveryStatus::Accepted, "",
         "", ""});
  ASSERT_TRUE(store_->outbox().complete_batch("city", *b, out).ok());
  std::string today = cg::now_rfc3339_cst().substr(0, 10);
  EXPECT_EQ(store_->outbox().delivered_on("city", today)->count, 3);
  EXPECT_EQ(store_->outbox().delivered_on("provincial", today)->count, 0);
  EXPECT_EQ(store_->outbox().stats("city")->pending + store_->outbox().stats("city")->inflight, 0);
  EXPECT_EQ(store_->outbox().stats("provincial")->pending, 3);
  ASSERT_TRUE(store_->outbox().complete_batch("city", *b, out).ok());  // answered twice: nothing changes
  EXPECT_EQ(store_->outbox().delivered_on("city", today)->count, 3);
  EXPECT_EQ(store_->outbox().stats("provincial")->pending, 3);

  // An answer that leaves an entry out finishes the others; that one is pending again.
  auto p = store_->outbox().claim_batch("provincial", 10);
  ASSERT_EQ(p->entries.size(), 3u);
  ASSERT_TRUE(store_->outbox()
                  .complete_batch("provincial", *p,
                                  {{p->entries[0].id, cg::store::DeliveryStatus::Accepted, "", "", ""},
                                   {p->entries[2].id, cg::store::DeliveryStatus::Accepted, "", "", ""}})
                  .ok());
  EXPECT_EQ(store_->outbox().delivered_on("provincial", today)->count, 2);
  auto rest = store_->outbox().claim_batch("provincial", 10);
  ASSERT_EQ(rest->entries.size(), 1u);
  EXPECT_EQ(rest->entries[0].id, p->entries[1].id);
}

TEST_P(OutboxTest, ARetriedBatchKeepsItsContentEvenWhenANewerVersionArrives) {
  ASSERT_TRUE(store_->records().ingest(batch({record("a"), record("b")})).ok());
  auto b1 = store_->outbox().claim_batch("city", 10);
  ASSERT_EQ(b1->entries.size(), 2u);
  ASSERT_TRUE(store_->outbox().retry_batch("city", b1->batch_id, 0, "503").ok());
  ASSERT_TRUE(store_->records().ingest(batch({record("a", 999)})).ok());  // a is now version 2
  auto again = store_->outbox().claim_batch("city", 10);
  EXPECT_EQ(again->batch_id, b1->batch_id);
  ASSERT_EQ(again->entries.size(), 2u);
  EXPECT_EQ(again->entries[0].body, b1->entries[0].body);
  std::vector<cg::store::DeliveryOutcome> out;
  for (const auto& e : again->entries) out.push_back({e.id, cg::store::DeliveryStatus::Accepted, "", "", ""});
  ASSERT_TRUE(store_->outbox().complete_batch("city", *again, out).ok());
  // Then version 2 of a, alone.
  auto next = store_->outbox().claim_batch("city", 10);
  ASSERT_EQ(next->entries.size(), 1u);
  EXPECT_EQ(next->entries[0].version, 2);
  EXPECT_NE(next->batch_id, b1->batch_id);
  EXPECT_EQ(store_->outbox().stats("city")->inflight, 1);
  EXPECT_EQ(store_->outbox().stats("city")->pending, 0);
}

TEST_P(OutboxTest, AReleasedBatchGoesOutAgainUnderANewIdWithFewerRecords) {
  ASSERT_TRUE(store_->records().ingest(batch({record("a"), record("b"), record("c"), record("d")})).ok());
  auto b1 = store_->outbox().claim_batch("city", 4);
  ASSERT_EQ(b1->entries.size(), 4u);
  ASSERT_TRUE(store_->outbox().release_batch("city", b1->batch_id).ok());  // the worker halves its size
  auto b2 = store_->outbox().claim_batch("city", 2);
  ASSERT_EQ(b2->entries.size(), 2u);
  EXPECT_NE(b2->batch_id, b1->batch_id);
  EXPECT_EQ(b2->entries[0].id, b1->entries[0].id);
  EXPECT_EQ(store_->outbox().stats("city")->pending, 2);
  EXPECT_EQ(store_->outbox().stats("city")->inflight, 2);
}

TEST_P(OutboxTest, SeveralBatchesInFlightNeverOverlap) {
  std::vector<cg::Record> recs;
  for (int i = 0; i < 10; ++i) recs.push_back(record("k" + std::to_string(i)));
  ASSERT_TRUE(store_->records().ingest(batch(recs)).ok());
  cg::store::BusyBatches busy;
  auto a = store_->outbox().claim_batch("city", 3, busy, 2);
  ASSERT_EQ(a->entries.size(), 3u);
  busy.insert(a->batch_id);
  auto b = store_->outbox().claim_batch("city", 3, busy, 2);
  ASSERT_EQ(b->entries.size(), 3u);
  EXPECT_GT(b->entries.front().id, a->entries.back().id);
  busy.insert(b->batch_id);
  EXPECT_TRUE(store_->outbox().claim_batch("city", 3, busy, 2)->entries.empty());  // two in flight: no third
  // The first is released (413): its entries come back, in a batch that
  // stops before the second one's range.
  ASSERT_TRUE(store_->outbox().release_batch("city", a->batch_id).ok());
  busy.erase(a->batch_id);
  auto c = store_->outbox().claim_batch("city", 5, busy, 2);
  ASSERT_EQ(c->entries.size(), 3u);
  EXPECT_EQ(c->entries.front().id, a->entries.front().id);
  busy.insert(c->batch_id);
  // The second fails and waits for its retry: nothing new is claimed meanwhile.
  ASSERT_TRUE(store_->outbox().retry_batch("city", b->batch_id, 60000, "503").ok());
  busy.erase(b->batch_id);
  ASSERT_TRUE(store_->outbox().complete_batch("city", *c, {}).ok());
  busy.erase(c->batch_id);
  EXPECT_TRUE(store_->outbox().claim_batch("city", 5, busy, 2)->entries.empty());
  ASSERT_TRUE(store_->outbox().retry_batch("city", b->batch_id, 0, "503").ok());
  auto again = store_->outbox().claim_batch("city", 5, busy, 2);
  EXPECT_EQ(again->batch_id, b->batch_id);
  ASSERT_EQ(again->entries.size(), 3u);
  // Every entry once: c's three (unanswered, so pending again), b's three, four never claimed.
  EXPECT_EQ(store_->outbox().stats("city")->pending + store_->outbox().stats("city")->inflight, 10);
}

// A claim passes over every batch in flight (without stepping through its
// entries) and takes what lies between them, never spanning one.
TEST_P(OutboxTest, AClaimPassesOverTheBatchesInFlightAndTakesWhatLiesBetween) {
  std::vector<cg::Record> recs;
  for (int i = 0; i < 10; ++i) recs.push_back(record("k" + std::to_string(i)));
  ASSERT_TRUE(store_->records().ingest(batch(recs)).ok());
  cg::store::BusyBatches busy;
  auto claim = [&](size_t max) {
    auto b = store_->outbox().claim_batch("city", max, busy, 4);
    EXPECT_TRUE(b.ok());
    if (!b->entries.empty()) busy.insert(b->batch_id);
    return std::move(b.value());
  };
  auto a = claim(2), b = claim(2), c = claim(2);
  ASSERT_EQ(c.entries.size(), 2u);
  ASSERT_TRUE(store_->outbox().release_batch("city", b.batch_id).ok());
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
