// The store writer: one thread runs every closure, in arrival order.
#include "store/store_writer.hpp"

#include <gtest/gtest.h>
#include <pthread.h>

#include <atomic>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include "store_port_test.hpp"

using cg::store::IngestBatch;
using cg::test::batch;
using cg::test::broken;
using cg::test::record;

CG_STORE_PORT_SUITE(StoreWriterTest);

// A delivery lane records a batch's answers and claims its next batch in one
// call, so that it waits once in the store writer's queue, not twice.
TEST_P(StoreWriterTest, ABatchsAnswersAreRecordedBeforeTheNextBatchIsClaimedInTheSameCall) {
  std::vector<cg::Record> recs;
  for (int i = 0; i < 5; ++i) recs.push_back(record("cc" + std::to_string(i)));
  ASSERT_TRUE(store_->records().ingest(batch(recs)).ok());
  auto writer = cg::store::StoreWriter::start(std::move(store_));
  auto handle = writer->handle();  // the writer's own version of the call
  auto first = handle->call([&](cg::store::Store& s_) { return s_.outbox().claim_batch("city", 3); });
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  ASSERT_EQ(first->entries.size(), 3u);
  std::vector<cg::store::DeliveryOutcome> answers;
  for (const auto& e : first->entries) answers.push_back({e.id, cg::store::DeliveryStatus::Accepted, "", "", ""});
  // One batch in flight at most: the next can only be claimed once the
  // answered one is finished.
  cg::store::BusyBatches busy{first->batch_id};
  auto both = handle->call(
      [&](cg::store::Store& s_) { return s_.outbox().complete_and_claim("city", *first, answers, 3, busy, 1); });
  ASSERT_TRUE(both.completed.ok()) << both.completed.error().to_string();
  ASSERT_TRUE(both.next.ok()) << both.next.error().to_string();
  ASSERT_EQ(both.next->entries.size(), 2u);
  EXPECT_NE(both.next->batch_id, first->batch_id);
  EXPECT_GT(both.next->entries.front().id, first->entries.back().id);
  auto stats = handle->call([&](cg::store::Store& s_) { return s_.outbox().stats("city"); });
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->pending + stats->inflight, 2) << "the three answered entries are gone from the outbox";
  EXPECT_FALSE(busy.contains(first->batch_id)) << "the answered batch is no longer being sent";
  EXPECT_TRUE(busy.contains(both.next->batch_id)) << "the claimed batch is";
}

// A destination's lanes wait for the store writer without a lock, so their
// claims can queue up behind one long transaction and run one after the
// other. Each claim marks the batch it returns busy before the next runs:
// no two lanes get the same batch, and the batches never overlap.
TEST_P(StoreWriterTest, ClaimsQueuedTogetherAtTheWriterNeverHandOneBatchToTwoLanes) {
  std::vector<cg::Record> recs;
  for (int i = 0; i < 40; ++i) recs.push_back(record("q" + std::to_string(i)));
  ASSERT_TRUE(store_->records().ingest(batch(recs)).ok());
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
        auto b = handle->call([&](cg::store::Store& s_) { return s_.outbox().claim_batch("city", 5, busy, kLanes); });
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
    threads.emplace_back([&, t, h = std::shared_ptr<cg::store::StoreAccess>(writer->handle())] {
      for (int i = 0; i < 25; ++i) {
        cg::store::IngestBatch b;
        b.actor = "test";
        b.records = {record(std::to_string(t) + "-" + std::to_string(i))};
        if (!h->call([&](cg::store::Store& s_) { return s_.records().ingest(b); }).ok()) failures++;
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
  EXPECT_EQ(*h->call([&](cg::store::Store& s_) { return s_.records().count(); }), 100);
  // A call made on the writer's thread runs at once instead of waiting for itself.
  auto nested = writer->call(
      [&](cg::store::Store&) { return writer->call([](cg::store::Store& st) { return st.records().count(); }); });
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
  std::unique_ptr<cg::store::StoreAccess> h;
  {
    auto writer = cg::store::StoreWriter::start(std::move(s.value()));
    h = writer->handle();
  }
  cg::store::IngestBatch b;
  b.actor = "test";
  b.records = {record("after")};
  EXPECT_TRUE(h->call([&](cg::store::Store& s_) { return s_.records().ingest(b); }).ok());
  EXPECT_EQ(*h->call([&](cg::store::Store& s_) { return s_.records().count(); }), 1);
}
