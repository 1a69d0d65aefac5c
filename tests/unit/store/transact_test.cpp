// Store::transact: the calls it makes commit together or not at all.
#include <gtest/gtest.h>

#include "store_port_test.hpp"

using cg::test::batch;
using cg::test::record;

CG_STORE_PORT_SUITE(TransactTest);

TEST_P(TransactTest, CallsCommitTogetherWhenTheClosureReturnsAValue) {
  auto done = store_->transact([](cg::store::Store& s) -> cg::Result<int64_t> {
    if (auto r = s.records().ingest(batch({record("t1")})); !r.ok()) return r.error();
    if (auto st = s.audit().append("operator:test", "test.action", {{"n", 1}}); !st) return st.error();
    if (auto st = s.sync().save_cursor("provincial", "c-1"); !st) return st.error();
    return int64_t{7};
  });
  ASSERT_TRUE(done.ok()) << done.error().to_string();
  EXPECT_EQ(*done, 7);
  EXPECT_EQ(*store_->records().count(), 1);
  EXPECT_EQ(store_->sync().cursor("provincial")->value_or(""), "c-1");
  auto audit = store_->audit().list("", 10);
  ASSERT_TRUE(audit.ok());
  ASSERT_FALSE(audit->empty());
  EXPECT_EQ(audit->front().action, "test.action");
}

TEST_P(TransactTest, NothingIsKeptWhenTheClosureReturnsAnError) {
  auto failed = store_->transact([](cg::store::Store& s) -> cg::Status {
    if (auto r = s.records().ingest(batch({record("t2")})); !r.ok()) return r.error();
    if (auto st = s.sync().save_cursor("provincial", "c-2"); !st) return st;
    return cg::make_error("test", "changed its mind");
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, "test");
  EXPECT_EQ(*store_->records().count(), 0) << "the record was rolled back";
  EXPECT_FALSE(store_->sync().cursor("provincial")->has_value()) << "and the cursor";
  auto stats = store_->outbox().stats("city");
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->pending, 0) << "and the outbox entries written with the record";
  // The store goes on: the next call is a transaction of its own.
  ASSERT_TRUE(store_->records().ingest(batch({record("t3")})).ok());
  EXPECT_EQ(*store_->records().count(), 1);
}

TEST_P(TransactTest, AFailedCallInsideRollsBackWhatCameBeforeIt) {
  ASSERT_TRUE(store_->records().ingest(batch({record("kept")})).ok());
  auto failed = store_->transact([](cg::store::Store& s) -> cg::Status {
    if (auto r = s.records().ingest(batch({record("t4")})); !r.ok()) return r.error();
    // Not found: no open quarantine entry 999.
    return s.quarantine().mark_replayed(999, "operator:test", {});
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, "not_found");
  EXPECT_EQ(*store_->records().count(), 1);
  EXPECT_FALSE(store_->records().get(record("t4").record_id)->has_value());
}
