// The jobs port: runs recorded, one lock holder at a time.
#include <gtest/gtest.h>

#include <thread>

#include "store_port_test.hpp"

CG_STORE_PORT_SUITE(JobLedgerTest);

TEST_P(JobLedgerTest, RunsAreListedNewestFirst) {
  for (int i = 1; i <= 3; ++i) {
    cg::store::JobRun run;
    run.job = "sync";
    run.started_at = "2026-12-0" + std::to_string(i) + "T02:00:00+08:00";
    run.started_ms = i;
    run.finished_at = run.started_at;
    run.status = i == 2 ? "error" : "ok";
    run.counts = {{"applied", i}};
    run.error = i == 2 ? "the platform answered HTTP 503" : "";
    ASSERT_TRUE(store_->jobs().record_run(run).ok());
  }
  cg::store::JobRun other;
  other.job = "expiry";
  other.status = "ok";
  ASSERT_TRUE(store_->jobs().record_run(other).ok());
  auto runs = store_->jobs().runs("sync", 2);
  ASSERT_TRUE(runs.ok()) << runs.error().to_string();
  ASSERT_EQ(runs->size(), 2u);
  EXPECT_EQ((*runs)[0].started_ms, 3);
  EXPECT_EQ((*runs)[0].counts["applied"], 3);
  EXPECT_EQ((*runs)[1].status, "error");
  EXPECT_EQ((*runs)[1].error, "the platform answered HTTP 503");
}

TEST_P(JobLedgerTest, ALockIsHeldByOneOwnerUntilReleasedOrRunOut) {
  EXPECT_TRUE(*store_->jobs().try_lock("sync", "node-a", 60000));
  EXPECT_TRUE(*store_->jobs().try_lock("sync", "node-a", 60000)) << "its holder takes it again";
  EXPECT_FALSE(*store_->jobs().try_lock("sync", "node-b", 60000));
  EXPECT_TRUE(*store_->jobs().try_lock("expiry", "node-b", 60000)) << "each job has its own lock";
  ASSERT_TRUE(store_->jobs().unlock("sync", "node-b").ok());
  EXPECT_FALSE(*store_->jobs().try_lock("sync", "node-b", 60000)) << "only the holder releases it";
  ASSERT_TRUE(store_->jobs().unlock("sync", "node-a").ok());
  EXPECT_TRUE(*store_->jobs().try_lock("sync", "node-b", 1));
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_TRUE(*store_->jobs().try_lock("sync", "node-a", 60000)) << "a lock that ran out is taken over";
}
