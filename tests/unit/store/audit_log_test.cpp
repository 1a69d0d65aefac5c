// The audit port.
#include <gtest/gtest.h>

#include "store_port_test.hpp"

using cg::store::IngestBatch;
using cg::test::batch;
using cg::test::broken;
using cg::test::record;

CG_STORE_PORT_SUITE(AuditLogTest);

TEST_P(AuditLogTest, ARecordsAuditIncludesWhatHappenedBeforeItWasStored) {
  cg::Record r = record("late");
  IngestBatch b = batch({});
  cg::QuarantineEntry q = broken("<XZCF>late</XZCF>");
  q.record_id = r.record_id;
  b.quarantined = {q};
  ASSERT_TRUE(store_->records().ingest(b).ok());           // the broken version: no record yet
  ASSERT_TRUE(store_->records().ingest(batch({r})).ok());  // the fixed one
  ASSERT_TRUE(store_->records().ingest(batch({record("other")})).ok());
  auto audit = store_->audit().list(r.record_id, 10);
  ASSERT_TRUE(audit.ok()) << audit.error().to_string();
  ASSERT_EQ(audit->size(), 2u);
  EXPECT_EQ((*audit)[0].action, "quarantine.added");
  EXPECT_EQ((*audit)[1].action, "record.created");
}

TEST_P(AuditLogTest, AnOperatorsActionIsAppendedAndListedNewestFirst) {
  ASSERT_TRUE(store_->audit().append("operator:alice", "admin.config_reload", {{"file", "gateway.json"}}).ok());
  ASSERT_TRUE(store_->audit()
                  .append(cg::store::AuditEntry{"sync:provincial", "sync.change", "r-1", 3, "ch-1", {{"outcome", "x"}}})
                  .ok());
  auto all = store_->audit().list("", 10);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].action, "sync.change");
  EXPECT_EQ((*all)[0].record_id, "r-1");
  EXPECT_EQ((*all)[0].version, 3);
  EXPECT_EQ((*all)[0].source, "ch-1");
  EXPECT_EQ((*all)[1].actor, "operator:alice");
  EXPECT_EQ((*all)[1].source, "admin");
  EXPECT_EQ((*all)[1].detail["file"], "gateway.json");
  EXPECT_GT((*all)[0].id, (*all)[1].id);
}
