// The sync ledger port: cursors, changes applied once, objections.
#include <gtest/gtest.h>

#include "store_port_test.hpp"

CG_STORE_PORT_SUITE(SyncLedgerTest);

TEST_P(SyncLedgerTest, ACursorIsKeptPerPlatformAndReplaced) {
  EXPECT_FALSE(store_->sync().cursor("provincial")->has_value());
  ASSERT_TRUE(store_->sync().save_cursor("provincial", "c-1").ok());
  ASSERT_TRUE(store_->sync().save_cursor("city", "x-9").ok());
  ASSERT_TRUE(store_->sync().save_cursor("provincial", "c-2").ok());
  EXPECT_EQ(store_->sync().cursor("provincial")->value_or(""), "c-2");
  EXPECT_EQ(store_->sync().cursor("city")->value_or(""), "x-9");
}

TEST_P(SyncLedgerTest, AChangeIsMarkedAppliedOnce) {
  EXPECT_FALSE(*store_->sync().applied("ch-1"));
  ASSERT_TRUE(store_->sync().mark_applied({"ch-1", "provincial", "repair", "r-1", "repaired", 2}).ok());
  EXPECT_TRUE(*store_->sync().applied("ch-1"));
  EXPECT_FALSE(*store_->sync().applied("ch-2"));
  EXPECT_FALSE(store_->sync().mark_applied({"ch-1", "provincial", "repair", "r-1", "again", 0}).ok())
      << "a change id is kept once";
}

TEST_P(SyncLedgerTest, AChangeKeptWaitingForItsRecordGetsItsOutcomeOnceAndIsListedUntilDropped) {
  ASSERT_TRUE(store_->sync().mark_applied({"ch-w", "provincial", "repair", "r-9", cg::store::kWaitingOutcome, 0}).ok());
  ASSERT_TRUE(store_->sync().keep_waiting({0, "ch-w", "provincial", "repair", "r-9", "{}", ""}).ok());
  ASSERT_TRUE(store_->sync().keep_waiting({0, "ch-w", "provincial", "repair", "r-9", "{}", ""}).ok()) << "kept once";
  EXPECT_EQ(*store_->sync().waiting_count(), 1);
  cg::store::SyncLedger::WaitingFilter held;
  held.held_only = true;
  EXPECT_TRUE(store_->sync().waiting(held)->empty()) << "r-9 is not held";
  auto all = store_->sync().waiting({});
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].record_id, "r-9");
  EXPECT_FALSE((*all)[0].received_at.empty());
  ASSERT_TRUE(store_->sync().drop_waiting("ch-w").ok());
  EXPECT_EQ(*store_->sync().waiting_count(), 0);
  EXPECT_TRUE(store_->sync().mark_applied({"ch-w", "provincial", "repair", "r-9", "repaired", 2}).ok());
  EXPECT_FALSE(store_->sync().mark_applied({"ch-w", "provincial", "repair", "r-9", "again", 3}).ok());
}

TEST_P(SyncLedgerTest, AResolvedObjectionSaysWhenItWasOpened) {
  ASSERT_TRUE(store_->sync().open_objection("r-1", "obj-1", "2026-11-02T09:00:00+08:00").ok());
  ASSERT_TRUE(store_->sync().open_objection("r-1", "obj-1", "2026-11-05T09:00:00+08:00").ok());  // seen again
  auto opened = store_->sync().resolve_objection("r-1", "obj-1", "2026-11-09T09:00:00+08:00", "rejected");
  ASSERT_TRUE(opened.ok()) << opened.error().to_string();
  EXPECT_EQ(opened->value_or(""), "2026-11-02T09:00:00+08:00") << "kept as first opened";
  auto never = store_->sync().resolve_objection("r-1", "obj-2", "2026-11-09T09:00:00+08:00", "upheld");
  ASSERT_TRUE(never.ok());
  EXPECT_FALSE(never->has_value());
}
