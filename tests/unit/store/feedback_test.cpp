// The feedback port.
#include <gtest/gtest.h>

#include "../route_to.hpp"
#include "store_port_test.hpp"

using cg::store::IngestBatch;
using cg::test::batch;
using cg::test::broken;
using cg::test::record;

CG_STORE_PORT_SUITE(FeedbackTest);

TEST_P(FeedbackTest, FeedbackIsClaimedExpiredLeasesFirstThenInTheOrderItBecameDue) {
  store_->feedback().set_router(
      cg::test::route_to([](const cg::Record&, const std::string&) { return std::vector<std::string>{"court"}; }));
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

// The department API's view: an item keeps the measures, catalog and deadline
// its route named, whatever its delivery to an adapter.
TEST_P(FeedbackTest, ItemsAreListedWithTheirMeasuresByStateAfterAnIdAndUpToALimit) {
  store_->feedback().set_router(
      [](const cg::Record& r, const std::string&, const std::string&, const std::string& today) {
        cg::store::FeedbackRoute asked;
        asked.department = "finance";
        asked.catalog = "510800-2026@3";
        asked.measures = {
            {{"measure_id", "P-FIN-01"}, {"name", "限制申请财政资金"}, {"type", "punishment"}, {"basis", "b"}}};
        // The first record's item was due before today, the others after.
        asked.due_on = r.source.source_key == "it0" ? "2000-01-01" : "2999-01-01";
        EXPECT_EQ(today.size(), 10u) << "the router is given today's date";
        cg::store::FeedbackRoute told;
        told.department = "finance";
        told.catalog = "510800-2026@3";
        return r.source.source_key == "it3" ? std::vector<cg::store::FeedbackRoute>{told}
                                            : std::vector<cg::store::FeedbackRoute>{asked};
      });
  std::vector<cg::Record> recs;
  for (int i = 0; i < 4; ++i) recs.push_back(record("it" + std::to_string(i)));
  ASSERT_TRUE(store_->records().ingest(batch(recs)).ok());
  auto list = [&](const std::string& state, int64_t after = 0, size_t limit = 100) {
    cg::store::ItemFilter f;
    f.department = "finance";
    f.state = state;
    f.today = "2026-12-06";
    f.after_id = after;
    f.limit = limit;
    auto items = store_->feedback().items(f);
    EXPECT_TRUE(items.ok()) << items.error().to_string();
    return items.ok() ? *items : std::vector<cg::store::FeedbackItem>{};
  };
  auto all = list("all");
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].record_id, recs[0].record_id);
  EXPECT_EQ(all[0].catalog, "510800-2026@3");
  EXPECT_EQ(all[0].measures.at(0).at("measure_id"), "P-FIN-01");
  EXPECT_EQ(all[0].due_on, "2000-01-01");
  EXPECT_FALSE(all[0].received_at.empty());
  EXPECT_NE(all[0].body.find(recs[0].record_id), std::string::npos) << "the item carries its record version";
  EXPECT_TRUE(all[3].measures.empty());
  EXPECT_EQ(list("pending").size(), 3u) << "an item with no measure asks for no answer";
  auto overdue = list("overdue");
  ASSERT_EQ(overdue.size(), 1u);
  EXPECT_EQ(overdue[0].record_id, recs[0].record_id);
  auto page = list("pending", all[0].id, 1);
  ASSERT_EQ(page.size(), 1u);
  EXPECT_EQ(page[0].id, all[1].id);
  cg::store::ItemFilter other;
  other.department = "approval";
  EXPECT_TRUE(store_->feedback().items(other)->empty()) << "a department sees its own items only";
  other.state = "done";
  EXPECT_FALSE(store_->feedback().items(other).ok());
  // Claimed and delivered to an adapter, an item is still listed.
  auto claimed = store_->feedback().claim("finance", 10, 60000);
  ASSERT_TRUE(claimed.ok());
  ASSERT_EQ(claimed->size(), 4u);
  EXPECT_EQ((*claimed)[0].measures, all[0].measures);
  for (const auto& f : *claimed) ASSERT_TRUE(store_->feedback().complete(f.id, true, "", 0).ok());
  EXPECT_EQ(list("pending").size(), 3u);
}
