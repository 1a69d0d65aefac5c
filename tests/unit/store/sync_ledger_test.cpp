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
