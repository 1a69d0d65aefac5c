// 对账 against a platform that answers what each test needs: the real
// connector plugin, real HTTP over loopback, a fresh SQLite store.
#include "delivery/reconcile.hpp"

#include <gtest/gtest.h>

#include <credit_gateway/support/hash.hpp>
#include <credit_gateway/support/http_server.hpp>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>

#include "../loopback_server.hpp"
#include "../sample_record.hpp"
#include "../test_support.hpp"
#include "common/clock.hpp"

namespace {

using nlohmann::json;

// The platform's side of reconciliation (docs/platform-api.md): its figures
// for a day and the version it holds of each record.
class Platform {
 public:
  Platform() : server_([this](const cg::sdk::HttpRequest& r) { return answer(r); }) {}

  [[nodiscard]] std::string url() const { return server_.url(); }
  void figures(int64_t count, std::string digest) {
    std::lock_guard<std::mutex> lock(mu_);
    count_ = count;
    digest_ = std::move(digest);
  }
  void holds(const std::string& record_id, int64_t version) {
    std::lock_guard<std::mutex> lock(mu_);
    held_[record_id] = version;
  }
  void answer_figures_with(int status, std::string body) {
    std::lock_guard<std::mutex> lock(mu_);
    figures_status_ = status;
    figures_body_ = std::move(body);
  }
  std::set<std::string> records_asked() {
    std::lock_guard<std::mutex> lock(mu_);
    return asked_;
  }
  std::string last_query() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_query_;
  }

 private:
  std::optional<cg::sdk::HttpResponse> answer(const cg::sdk::HttpRequest& r) {
    std::lock_guard<std::mutex> lock(mu_);
    if (r.path == "/api/v1/reconciliation") {
      last_query_ = r.target;
      if (!figures_body_.empty()) {
        auto a = cg::sdk::json_response(figures_status_, figures_body_);
        a.headers.emplace_back("Retry-After", "0");
        return a;
      }
      return cg::sdk::json_response(200, json{{"count", count_}, {"digest", digest_}}.dump());
    }
    const std::string prefix = "/api/v1/records/";
    if (r.path.rfind(prefix, 0) == 0) {
      const std::string id = r.path.substr(prefix.size());
      asked_.insert(id);
      auto it = held_.find(id);
      if (it == held_.end()) return cg::sdk::error_response(404, "not_found", "no such record");
      return cg::sdk::json_response(200, json{{"record_id", id}, {"version", it->second}}.dump());
    }
    return cg::sdk::error_response(404, "not_found", r.path);
  }

  std::mutex mu_;
  int64_t count_ = 0;
  std::string digest_;
  int figures_status_ = 200;
  std::string figures_body_;
  std::map<std::string, int64_t> held_;
  std::set<std::string> asked_;
  std::string last_query_;
  cg::test::LoopbackServer server_;  // last: its thread answers from the members above
};

class ReconcileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = cg::store::open_sqlite_store(dir_.file("gateway.db"));
    ASSERT_TRUE(s.ok()) << s.error().to_string();
    store_ = std::move(s.value());
    store_->outbox().set_router([](const cg::Record&, const std::string&) { return std::vector<std::string>{"city"}; });

    const std::string connector = std::string(CG_BINARY_DIR) + "/plugins/libcg_connector_platform_v1.so";
    auto sha = cg::sdk::sha256_hex(cg::test::read_file(connector));
    cg::test::write_file(dir_.file("secret"), std::string(48, 's'));
    std::filesystem::permissions(dir_.file("secret"), std::filesystem::perms::owner_read);
    cfg_.node_id = "gw-unit";
    cfg_.data_dir = dir_.path();
    cfg_.plugins.allowlist = {sha};
    cg::config::DestinationConfig d;
    d.name = "city";
    d.connector_file = connector;
    d.base_url = platform_.url();
    d.app_id = "gw-unit";
    d.secret_file = dir_.file("secret");
    d.timeout_ms = 5000;
    cfg_.destinations.push_back(d);
  }

  // Records delivered to the city platform today: stored, claimed, accepted.
  std::vector<cg::Record> deliver(std::vector<cg::Record> records) {
    cg::store::IngestBatch b;
    b.actor = "test";
    b.source = "unit";
    b.origin = "local";
    b.records = records;
    EXPECT_TRUE(store_->records().ingest(b).ok());
    auto claimed = store_->outbox().claim_batch("city", 100);
    EXPECT_TRUE(claimed.ok());
    std::vector<cg::store::DeliveryOutcome> accepted;
    for (const auto& e : claimed->entries) accepted.push_back({e.id, cg::store::DeliveryStatus::Accepted, "", "", ""});
    EXPECT_TRUE(store_->outbox().complete_batch("city", *claimed, accepted).ok());
    return records;
  }

  cg::Result<json> reconcile(bool requeue) {
    cg::store::DirectAccess here(*store_);
    return cg::delivery::reconcile(cfg_, cfg_.destinations[0], here, today_, requeue, "operator:test");
  }

  cg::test::TempDir dir_;
  Platform platform_;
  cg::config::Config cfg_;
  std::unique_ptr<cg::store::Store> store_;
  std::string today_ = cg::now_rfc3339_cst().substr(0, 10);
};

TEST_F(ReconcileTest, FiguresThatMatchAskForNoRecord) {
  deliver({cg::test::sample_record("a"), cg::test::sample_record("b")});
  auto mine = store_->outbox().delivered_on("city", today_);
  ASSERT_TRUE(mine.ok());
  platform_.figures(mine->count, mine->digest);
  auto report = reconcile(false);
  ASSERT_TRUE(report.ok()) << report.error().to_string();
  EXPECT_TRUE((*report)["match"].get<bool>()) << report->dump();
  EXPECT_EQ((*report)["local_count"], 2);
  EXPECT_FALSE(report->contains("platform_lacks"));
  EXPECT_TRUE(platform_.records_asked().empty());
  EXPECT_EQ(platform_.last_query(), "/api/v1/reconciliation?source=gw-unit&date=" + today_);
}

TEST_F(ReconcileTest, RecordsThePlatformLacksOrHoldsOlderAreListedAndQueuedAgain) {
  auto records = deliver({cg::test::sample_record("a"), cg::test::sample_record("b"), cg::test::sample_record("c")});
  deliver({cg::test::sample_record("a", 500)});  // a's version 2
  auto mine = store_->outbox().delivered_on("city", today_);
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->records.size(), 3u);
  std::map<std::string, int64_t> version;
  for (const auto& [id, v] : mine->records) version[id] = v;
  const std::string a = records[0].record_id, b = records[1].record_id, c = records[2].record_id;
  ASSERT_EQ(version[a], 2);
  platform_.holds(a, 1);  // older
  platform_.holds(c, 1);  // current; b is missing
  platform_.figures(2, "another digest");

  auto listed = reconcile(false);
  ASSERT_TRUE(listed.ok()) << listed.error().to_string();
  EXPECT_FALSE((*listed)["match"].get<bool>());
  std::map<std::string, int64_t> lacks;
  for (const auto& m : (*listed)["platform_lacks"]) lacks[m["record_id"]] = m["platform_version"];
  EXPECT_EQ(lacks, (std::map<std::string, int64_t>{{a, 1}, {b, 0}})) << listed->dump();
  EXPECT_EQ((*listed)["requeued"], 0);
  auto idle = store_->outbox().stats("city");
  EXPECT_EQ(idle->pending + idle->inflight, 0) << "without --requeue nothing is queued";

  auto requeued = reconcile(true);
  ASSERT_TRUE(requeued.ok()) << requeued.error().to_string();
  EXPECT_EQ((*requeued)["requeued"], 2);
  auto again = store_->outbox().claim_batch("city", 100);
  ASSERT_TRUE(again.ok());
  std::map<std::string, int64_t> queued;
  for (const auto& e : again->entries) queued[e.record_id] = e.version;
  EXPECT_EQ(queued, (std::map<std::string, int64_t>{{a, 2}, {b, 1}}));
}

TEST_F(ReconcileTest, APlatformThatCannotAnswerIsAnErrorThatSaysWhat) {
  deliver({cg::test::sample_record("a")});
  platform_.answer_figures_with(503, R"({"error": {"code": "maintenance", "message": "back at 06:00"}})");
  auto down = reconcile(true);
  ASSERT_FALSE(down.ok());
  EXPECT_NE(down.error().message.find("HTTP 503"), std::string::npos) << down.error().to_string();
  EXPECT_NE(down.error().message.find("maintenance"), std::string::npos) << down.error().to_string();

  platform_.answer_figures_with(200, "<html>maintenance</html>");
  auto garbled = reconcile(true);
  ASSERT_FALSE(garbled.ok());
  EXPECT_NE(garbled.error().message.find("not JSON"), std::string::npos) << garbled.error().to_string();
  auto idle = store_->outbox().stats("city");
  EXPECT_EQ(idle->pending + idle->inflight, 0) << "a failed reconciliation queues nothing";
}

}  // namespace
