// The quarantine port.
#include <gtest/gtest.h>

#include "store_port_test.hpp"

using cg::store::IngestBatch;
using cg::test::batch;
using cg::test::broken;
using cg::test::record;

CG_STORE_PORT_SUITE(QuarantineTest);

TEST_P(QuarantineTest, QuarantineKeepsOneEntryPerDistinctBrokenRecord) {
  IngestBatch b = batch({});
  cg::QuarantineEntry q = broken("<XZCF>...</XZCF>");
  b.quarantined = {q};
  EXPECT_EQ(store_->records().ingest(b)->quarantined, 1u);
  auto second = store_->records().ingest(b);
  EXPECT_EQ(second->quarantined, 0u);
  EXPECT_EQ(second->quarantine_duplicates, 1u);
  auto rows = store_->quarantine().list({});
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->front().entry["field"], "subject.uscc");
}

TEST_P(QuarantineTest, AnOpenEntryIsMarkedReplayedOnceWithTheRecordsStoredInItsPlace) {
  IngestBatch b = batch({});
  b.quarantined = {broken("<XZCF>1</XZCF>"), broken("<XZCF>2</XZCF>")};
  b.quarantined[1].rule = "missing_field";
  ASSERT_TRUE(store_->records().ingest(b).ok());
  auto open = store_->quarantine().list({});
  ASSERT_EQ(open->size(), 2u);
  auto counts = store_->quarantine().counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->size(), 2u) << counts->dump();
  const int64_t id = open->front().id;
  ASSERT_TRUE(store_->quarantine().mark_replayed(id, "operator:alice", {"r-1"}).ok());
  auto again = store_->quarantine().mark_replayed(id, "operator:alice", {"r-1"});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "not_found");
  cg::store::QuarantineFilter replayed;
  replayed.status = "replayed";
  auto rows = store_->quarantine().list(replayed);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->front().id, id);
  EXPECT_EQ(store_->quarantine().list({})->size(), 1u);
  cg::store::QuarantineFilter by_rule;
  by_rule.rule = "missing_field";
  EXPECT_EQ(store_->quarantine().list(by_rule)->size(), 1u);
}
