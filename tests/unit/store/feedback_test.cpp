// The feedback port.
#include <gtest/gtest.h>

#include "store_port_test.hpp"

using cg::store::IngestBatch;
using cg::test::batch;
using cg::test::broken;
using cg::test::record;

CG_STORE_PORT_SUITE(FeedbackTest);

TEST_P(FeedbackTest, FeedbackIsClaimedExpiredLeasesFirstThenInTheOrderItBecameDue) {
  store_->feedback().set_router(
      [](const cg::Record&, const std::string&, const std::string&) { return std::vector<std::string>{"court"}; });
  std::vector<cg::Record> recs;
  for (int i = 0; i < 5; ++i) recs.push_back(record("fb" + std::to_string(i)));
  ASSERT_TRUE(store_->records().ingest(batch(recs)).ok());
  auto ids = [](const std::vector<cg::store::FeedbackItem>& items) {
    std::vector<int64_t> out;
    for (const auto& f : items) out.push_back(f.id);
    return out;
  };
  auto first = store_->feedback().claim("court", 2, 60000);
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  ASSERT_EQ(first->size(), 2u);
  const int64_t a = (*first)[0].id, b = (*first)[1].id;
  EXPECT_EQ(b, a + 1);
  // Leased items are not offered again; the next ones are.
  EXPECT_EQ(ids(*store_->feedback().claim("court", 2, 60000)), (std::vector<int64_t>{a + 2, a + 3}));
  // A failed item is due again after its retry delay, behind those never tried.
  ASSERT_TRUE(store_->feedback().complete(a, false, "refused", 0).ok());
  ASSERT_TRUE(store_->feedback().complete(b, true, "", 0).ok());
  EXPECT_EQ(ids(*store_->feedback().claim("court", 5, 0)), (std::vector<int64_t>{a + 4, a}));
  // Those were leased for 0 ms: once the lease runs out they come first.
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(ids(*store_->feedback().claim("court", 1, 60000)), (std::vector<int64_t>{a}));
  EXPECT_TRUE(store_->feedback().claim("court", 5, 60000)->size() == 1u);  // a + 4; a is leased again, b delivered
}
