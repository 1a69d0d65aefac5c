// Execution feedback passed on by an adapter (a unit of feed
// CG_FEED_EXECUTION_FEEDBACK): taken for the plugin's own department, as the
// department API takes it, and committed before the ack.
#include <gtest/gtest.h>

#include "../sample_record.hpp"
#include "../test_support.hpp"
#include "department_api/feedback.hpp"
#include "ingest/ingestor.hpp"

using nlohmann::json;

namespace {

class FeedbackUnitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    EXPECT_TRUE(mappings_.load(cg::test::source_dir() + "/mappings", cg::test::code_tables()).empty());
    auto s = cg::store::open_sqlite_store(dir_.file("gateway.db"));
    ASSERT_TRUE(s.ok()) << s.error().to_string();
    store_ = std::move(s.value());
    store_->outbox().set_router([](const cg::Record&, const std::string&) { return std::vector<std::string>{}; });
    store_->feedback().set_router([](const cg::Record&, const std::string&, const std::string&, const std::string&) {
      cg::store::FeedbackRoute route;
      route.department = "procurement";
      route.measures = json::array({{{"measure_id", "P-PROC-01"}, {"name", "限制参与政府采购活动"}}});
      route.catalog = "510800-2026@3";
      return std::vector<cg::store::FeedbackRoute>{route};
    });
    cg::store::IngestBatch b;
    b.actor = "test";
    b.records = {cg::test::sample_record("listed")};
    ASSERT_TRUE(store_->records().ingest(b).ok());
    cg::store::ItemFilter f;
    f.department = "procurement";
    auto items = store_->feedback().items(f);
    ASSERT_TRUE(items.ok() && items->size() == 1u);
    item_id_ = (*items)[0].id;
  }

  cg::ingest::Ingestor ingestor() {
    return cg::ingest::Ingestor(
        mappings_, 1 << 20,
        [](cg::store::Store& s, const std::string& department, const std::string& actor, std::string_view body) {
          cg::department_api::FeedbackCall call{department, actor, {}, {}, "2026-12-04"};
          return cg::department_api::take_feedback(s, call, body);
        });
  }

  cg::ingest::Ack submit(const cg::ingest::Ingestor& in, const std::string& department, const std::string& body) {
    cg::ingest::Unit u;
    u.source_id = "reply-1";
    u.feed = CG_FEED_EXECUTION_FEEDBACK;
    u.department = department;
    u.actor = "adapter:procurement-http@1.0.0";
    std::vector<cg::ingest::Prepared> units;
    units.push_back(in.prepare(u, body));
    return in.commit(*store_, units).at(0);
  }

  json report(int64_t item_id) const {
    return json{
        {"feedback",
         json::array(
             {{{"item_id", item_id}, {"measure_id", "P-PROC-01"}, {"action", "applied"}, {"on", "2026-12-03"}}})}};
  }

  cg::test::TempDir dir_;
  cg::ingest::MappingRegistry mappings_;
  std::unique_ptr<cg::store::Store> store_;
  int64_t item_id_ = 0;
};

}  // namespace

TEST_F(FeedbackUnitTest, ItsDepartmentsReportIsStoredBeforeTheAckWithThePluginAsActor) {
  const auto in = ingestor();
  auto ack = submit(in, "procurement", report(item_id_).dump());
  ASSERT_EQ(ack.status, CG_ACK_COMMITTED) << ack.result.dump();
  ASSERT_EQ(ack.result["results"].size(), 1u);
  EXPECT_EQ(ack.result["results"][0]["status"], "accepted");
  auto held = store_->feedback_reports().list({});
  ASSERT_EQ(held->size(), 1u);
  EXPECT_EQ((*held)[0].report.actor, "adapter:procurement-http@1.0.0");
  EXPECT_EQ((*held)[0].report.department, "procurement");
  // Sent again (the adapter crashed before it acknowledged): held once.
  EXPECT_EQ(submit(in, "procurement", report(item_id_).dump()).result["results"][0]["status"], "duplicate");
  EXPECT_EQ(store_->feedback_reports().list({})->size(), 1u);
}

TEST_F(FeedbackUnitTest, AnotherDepartmentsItemIsRefusedAndABodyThatIsNoReportIsRejectedWhole) {
  const auto in = ingestor();
  auto other = submit(in, "court", report(item_id_).dump());
  ASSERT_EQ(other.status, CG_ACK_COMMITTED);
  EXPECT_EQ(other.result["results"][0]["status"], "rejected");
  EXPECT_EQ(other.result["results"][0]["error"]["code"], "unknown_item");
  for (const std::string& body : {std::string("{"), std::string(R"({"feedback": 3})"), std::string("<xml/>")}) {
    auto bad = submit(in, "procurement", body);
    EXPECT_EQ(bad.status, CG_ACK_REJECTED) << body;
    EXPECT_EQ(bad.result["error"]["code"], "bad_request") << body;
  }
  EXPECT_TRUE(store_->feedback_reports().list({})->empty());
}

TEST_F(FeedbackUnitTest, AGatewayWithoutATakerRefusesFeedbackUnits) {
  cg::ingest::Ingestor plain(mappings_, 1 << 20);
  auto ack = submit(plain, "procurement", report(item_id_).dump());
  EXPECT_EQ(ack.status, CG_ACK_REJECTED);
  EXPECT_EQ(ack.result["error"]["code"], "feedback_refused");
}
