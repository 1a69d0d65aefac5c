// The daily expiry applied to the store.
#include "lifecycle/expiry.hpp"

#include <gtest/gtest.h>

#include "../route_to.hpp"
#include "../store/store_port_test.hpp"

using cg::test::batch;
using cg::test::record;

CG_STORE_PORT_SUITE(ExpiryTest);

TEST_P(ExpiryTest, RecordsWhoseTermEndedExpireAsNewVersionsOnce) {
  cg::Record ended = record("x1");
  ended.decision.valid_until = "2026-12-01";
  cg::Record running = record("x2");
  running.decision.valid_until = "2027-06-01";
  ASSERT_TRUE(store_->records().ingest(batch({ended, running})).ok());
  store_->feedback().set_router(cg::test::route_to([](const cg::Record& r, const std::string& type) {
    return type == "status_changed" ? std::vector<std::string>{r.source.department} : std::vector<std::string>{};
  }));
  auto n = cg::lifecycle::expire_due(*store_, "2026-12-05", "job:expiry");
  ASSERT_TRUE(n.ok()) << n.error().to_string();
  EXPECT_EQ(*n, 1);
  auto held = store_->records().get(ended.record_id);
  EXPECT_EQ((*held)->record.status, "expired");
  EXPECT_EQ((*held)->record.version, 2);
  EXPECT_EQ((*store_->records().get(running.record_id))->record.status, "active");
  auto items = store_->feedback().claim("market_regulation", 10, 60000);
  ASSERT_EQ(items->size(), 1u);
  EXPECT_EQ((*items)[0].event["change_type"], "expiry");
  auto audit = store_->audit().list(ended.record_id, 10);
  EXPECT_EQ(audit->back().actor, "job:expiry");
  EXPECT_EQ(*cg::lifecycle::expire_due(*store_, "2026-12-06", "job:expiry"), 0) << "an expired record stays so";
}
