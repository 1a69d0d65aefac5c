// The admin API over real HTTP on a loopback port: tokens and roles, masking
// for viewers, operator actions audited with the caller's name, the config
// reload's answer, refusals that say what is wrong.
#include <gtest/gtest.h>

#include <credit_gateway/support/http_client.hpp>
#include <filesystem>
#include <mutex>

#include "../sample_record.hpp"
#include "../test_support.hpp"
#include "admin/admin_server.hpp"

namespace {

using nlohmann::json;

constexpr const char* kViewerToken = "viewer-token-0123456789";
constexpr const char* kOperatorToken = "operator-token-0123456789";
constexpr const char* kIdNumber = "110101199003074258";

class AdminApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cfg_.data_dir = dir_.path();
    std::filesystem::create_directories(cfg_.run_dir());
    cfg_.store.path = dir_.file("gateway.db");
    cfg_.admin_listen = "127.0.0.1:0";
    cfg_.admin_tokens_file = dir_.file("admin.tokens");
    cfg_.file = dir_.file("gw.json");
    cg::test::write_file(cfg_.admin_tokens_file,
                         std::string("viewer wang ") + kViewerToken + "\noperator li " + kOperatorToken + "\n");
    std::filesystem::permissions(cfg_.admin_tokens_file, std::filesystem::perms::owner_read);

    auto s = cg::store::open_sqlite_store(cfg_.store.path);
    ASSERT_TRUE(s.ok()) << s.error().to_string();
    store_ = std::move(s.value());
    store_->outbox().set_router([](const cg::Record&, const std::string&) { return std::vector<std::string>{"city"}; });

    cg::admin::Sources src;
    src.open_store = [path = cfg_.store.path]() { return cg::store::open_sqlite_store(path); };
    src.reload = [this]() {
      std::lock_guard<std::mutex> lock(reload_mu_);
      return reload_answer_;
    };
    server_ = std::make_unique<cg::admin::AdminServer>(cfg_, src);
    auto started = server_->start();
    ASSERT_TRUE(started.ok()) << started.error().to_string();
  }

  cg::sdk::HttpResult call(const std::string& method, const std::string& path, const std::string& token = "",
                           const std::string& body = "") {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
    if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
    return http_.request(method, "http://127.0.0.1:" + std::to_string(server_->port()) + path, body, headers);
  }

  // A person's record whose subject carries a personal ID number.
  cg::Record store_person_record() {
    cg::Record r = cg::test::sample_record("person-1");
    r.subject.type = "natural_person";
    r.subject.name = "张三";
    r.subject.uscc.reset();
    r.subject.id_type = "resident_id";
    r.subject.id_number = kIdNumber;
    cg::store::IngestBatch b;
    b.actor = "test";
    b.source = "unit";
    b.origin = "local";
    b.records = {r};
    EXPECT_TRUE(store_->records().ingest(b).ok());
    return r;
  }

  cg::test::TempDir dir_;
  cg::config::Config cfg_;
  std::unique_ptr<cg::store::Store> store_;
  std::unique_ptr<cg::admin::AdminServer> server_;
  cg::sdk::HttpClient http_;
  void answer_reload_with(json problems) {
    std::lock_guard<std::mutex> lock(reload_mu_);
    reload_answer_ = std::move(problems);
  }

  std::mutex reload_mu_;  // the server's thread reads what the test sets
  json reload_answer_ = json::array();
};

TEST_F(AdminApiTest, EveryApiCallNeedsAKnownTokenAndHealthDoesNot) {
  EXPECT_EQ(call("GET", "/healthz").status, 200);
  EXPECT_EQ(call("GET", "/api/v1/status").status, 401);
  EXPECT_EQ(call("GET", "/api/v1/status", "not-a-token-of-this-gateway").status, 401);
  auto ok = call("GET", "/api/v1/deadletters", kViewerToken);
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(json::parse(ok.body), json::array());
}

TEST_F(AdminApiTest, AViewerSeesRecordsWithIdNumbersMaskedAndCannotAct) {
  const auto r = store_person_record();
  auto viewer = call("GET", "/api/v1/records/" + r.record_id, kViewerToken);
  ASSERT_EQ(viewer.status, 200) << viewer.body;
  EXPECT_EQ(viewer.body.find(kIdNumber), std::string::npos) << viewer.body;
  EXPECT_NE(viewer.body.find("110101********4258"), std::string::npos) << viewer.body;
  auto subjects = call("GET", std::string("/api/v1/subjects?id_number=") + kIdNumber, kViewerToken);
  ASSERT_EQ(subjects.status, 200) << subjects.body;
  EXPECT_EQ(json::parse(subjects.body).size(), 1u);
  EXPECT_EQ(subjects.body.find(kIdNumber), std::string::npos) << subjects.body;

  auto operator_view = call("GET", "/api/v1/records/" + r.record_id, kOperatorToken);
  ASSERT_EQ(operator_view.status, 200);
  EXPECT_NE(operator_view.body.find(kIdNumber), std::string::npos) << "an operator sees the record as stored";

  auto refused = call("POST", "/api/v1/deadletters/replay", kViewerToken, "{}");
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_NE(refused.body.find("operator"), std::string::npos) << refused.body;
}

TEST_F(AdminApiTest, AnOperatorsReplayQueuesTheRecordAgainAndIsAuditedWithTheirName) {
  const auto r = store_person_record();
  auto claimed = store_->outbox().claim_batch("city", 10);
  ASSERT_TRUE(claimed.ok());
  ASSERT_EQ(claimed->entries.size(), 1u);
  ASSERT_TRUE(store_->outbox()
                  .complete_batch("city", *claimed,
                                  {{claimed->entries[0].id, cg::store::DeliveryStatus::Rejected, "invalid_id_number",
                                    "subject.id_number", "refused"}})
                  .ok());

  auto listed = call("GET", "/api/v1/deadletters?destination=city", kViewerToken);
  ASSERT_EQ(listed.status, 200);
  auto dead = json::parse(listed.body);
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0]["code"], "invalid_id_number");
  EXPECT_EQ(dead[0]["record_id"], r.record_id);

  auto replayed = call("POST", "/api/v1/deadletters/replay", kOperatorToken, json{{"destination", "city"}}.dump());
  ASSERT_EQ(replayed.status, 200) << replayed.body;
  EXPECT_EQ(json::parse(replayed.body)["replayed"], 1);
  auto again = store_->outbox().claim_batch("city", 10);
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->entries.size(), 1u);
  EXPECT_EQ(again->entries[0].record_id, r.record_id);

  auto audit = store_->audit().list(r.record_id, 100);
  ASSERT_TRUE(audit.ok());
  bool by_li = false;
  for (const auto& e : *audit) by_li = by_li || e.actor == "operator:li";
  EXPECT_TRUE(by_li) << "the replay is audited with the operator's name";
}

TEST_F(AdminApiTest, AReloadWithProblemsIsRefusedWithThemAndOneWithoutIsAccepted) {
  const json problems = json::array({"gw.json:3: /destinations/0/base_url: not a URL"});
  answer_reload_with(problems);
  auto refused = call("POST", "/api/v1/config/reload", kOperatorToken);
  EXPECT_EQ(refused.status, 400) << refused.body;
  auto body = json::parse(refused.body);
  EXPECT_EQ(body["reloaded"], false);
  EXPECT_EQ(body["problems"], problems);

  answer_reload_with(json::array());
  auto accepted = call("POST", "/api/v1/config/reload", kOperatorToken);
  EXPECT_EQ(accepted.status, 202) << accepted.body;
  EXPECT_EQ(json::parse(accepted.body)["reloading"], true);
  EXPECT_EQ(call("POST", "/api/v1/config/reload", kViewerToken).status, 403);
}

TEST_F(AdminApiTest, RequestsItCannotServeAreRefusedWithAReason) {
  auto no_subject = call("GET", "/api/v1/subjects", kViewerToken);
  EXPECT_EQ(no_subject.status, 400);
  EXPECT_NE(no_subject.body.find("uscc or id_number"), std::string::npos) << no_subject.body;
  EXPECT_EQ(call("GET", "/api/v1/records/no-such-record", kViewerToken).status, 404);
  EXPECT_EQ(call("GET", "/api/v1/nothing-here", kViewerToken).status, 404);
  auto malformed = call("POST", "/api/v1/deadletters/replay", kOperatorToken, "{not json");
  EXPECT_EQ(malformed.status, 400) << malformed.body;
  auto no_scheduler = call("POST", "/api/v1/jobs/sync/run", kOperatorToken);
  EXPECT_EQ(no_scheduler.status, 503) << no_scheduler.body;
  auto bad_limit = call("GET", "/api/v1/quarantine?limit=many", kViewerToken);
  EXPECT_EQ(bad_limit.status, 400) << bad_limit.body;
}

}  // namespace
