// A quarantine entry replayed: its records stored, the entry closed, both or neither.
#include "ingest/quarantine_replay.hpp"

#include <gtest/gtest.h>

#include "../store/store_port_test.hpp"

using cg::test::batch;
using cg::test::broken;
using cg::test::record;

CG_STORE_PORT_SUITE(QuarantineReplayTest);

TEST_P(QuarantineReplayTest, TheRecordsAreStoredAndTheEntryClosedInOneStep) {
  cg::store::IngestBatch b = batch({});
  b.quarantined = {broken("<XZCF>fixed later</XZCF>")};
  ASSERT_TRUE(store_->records().ingest(b).ok());
  const int64_t id = store_->quarantine().list({})->front().id;
  cg::store::IngestBatch fixed = batch({record("fixed")});
  fixed.actor = "operator:alice";
  fixed.source = "quarantine#" + std::to_string(id);
  auto done = cg::ingest::replay_quarantined(*store_, id, fixed);
  ASSERT_TRUE(done.ok()) << done.error().to_string();
  EXPECT_EQ(done->created, 1u);
  EXPECT_TRUE(store_->quarantine().list({})->empty());
  auto audit = store_->audit().list("", 1);
  EXPECT_EQ(audit->front().action, "quarantine.replayed");
  EXPECT_EQ(audit->front().actor, "operator:alice");
  // Again: the entry is closed, and nothing more is stored.
  auto again = cg::ingest::replay_quarantined(*store_, id, batch({record("second")}));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "not_found");
  EXPECT_FALSE(store_->records().get(record("second").record_id)->has_value());
}
