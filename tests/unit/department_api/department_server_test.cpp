// The department API over real HTTP on a loopback port, with the shipped
// catalog and calendars: department tokens, the items a court listing sends
// to the departments that implement its measures, refusals, the audit.
#include "department_api/department_server.hpp"

#include <gtest/gtest.h>

#include <credit_gateway/support/http_client.hpp>
#include <filesystem>

#include "../sample_record.hpp"
#include "../test_support.hpp"
#include "catalog/catalog_loader.hpp"
#include "catalog/feedback_routes.hpp"
#include "common/clock.hpp"

namespace {

using nlohmann::json;

constexpr const char* kFinanceToken = "finance-token-0123456789";
constexpr const char* kApprovalToken = "approval-token-0123456789";
constexpr const char* kAdminToken = "operator-token-0123456789";

class DepartmentApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cfg_.data_dir = dir_.path();
    std::filesystem::create_directories(cfg_.run_dir());
    cfg_.store.path = dir_.file("gateway.db");
    cfg_.departments = {{"finance", "财政局"}, {"approval", "行政审批局"}};
    cg::config::DestinationConfig provincial;
    provincial.name = "provincial";
    provincial.feedback = true;
    cfg_.destinations = {provincial};
    cfg_.department_api_listen = "127.0.0.1:0";
    cfg_.catalog_file = cg::test::source_dir() + "/config/catalog.json";
    cfg_.department_api_tokens_file = dir_.file("department.tokens");
    cfg_.admin_tokens_file = dir_.file("admin.tokens");
    cg::test::write_file(cfg_.department_api_tokens_file, std::string("finance cwj-system ") + kFinanceToken +
                                                              "\napproval spj-system " + kApprovalToken + "\n");
    cg::test::write_file(cfg_.admin_tokens_file, std::string("operator li ") + kAdminToken + "\n");
    for (const auto& f : {cfg_.department_api_tokens_file, cfg_.admin_tokens_file})
      std::filesystem::permissions(f, std::filesystem::perms::owner_read);

    auto s = cg::store::open_sqlite_store(cfg_.store.path);
    ASSERT_TRUE(s.ok()) << s.error().to_string();
    store_ = std::move(s.value());
    auto catalog = cg::catalog::load_catalog(cg::test::source_dir() + "/config/catalog.json", cfg_.department_ids());
    ASSERT_TRUE(catalog.ok()) << catalog.error().to_string();
    auto days = cg::calendar::WorkingDays::load_dir(cg::test::source_dir() + "/config/calendar");
    ASSERT_TRUE(days.ok()) << days.error().to_string();
    store_->feedback().set_router(
        cg::catalog::make_feedback_router(cg::catalog::CatalogHistory(*catalog), std::move(*days)));

    server_ = std::make_unique<cg::department_api::DepartmentServer>(
        cfg_, [path = cfg_.store.path]() { return cg::store::open_sqlite_store(path); });
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

  json items_of(const std::string& token, const std::string& state = "pending") {
    auto got = call("GET", "/api/v1/items?state=" + state, token);
    EXPECT_EQ(got.status, 200) << got.body;
    return json::parse(got.body).at("items");
  }

  json post_feedback(const json& entries, int expect_status = 200) {
    auto got = call("POST", "/api/v1/feedback", kFinanceToken, json{{"feedback", entries}}.dump());
    EXPECT_EQ(got.status, expect_status) << got.body;
    return json::parse(got.body, nullptr, false);
  }

  // A court's listing of a company as a dishonest judgment debtor.
  cg::Record list_debtor(const std::string& key) {
    cg::Record r = cg::test::sample_record(key);
    r.kind = "dishonest_debtor";
    r.source.department = "court";
    r.record_id = cg::compute_record_id("court", r.kind, key);
    cg::store::IngestBatch b;
    b.actor = "test";
    b.source = "unit";
    b.origin = "local";
    b.records = {r};
    EXPECT_TRUE(store_->records().ingest(b).ok());
    return r;
  }

  static std::string error_field(const cg::sdk::HttpResult& r) {
    return json::parse(r.body).at("error").value("field", "");
  }

  cg::test::TempDir dir_;
  cg::config::Config cfg_;
  std::unique_ptr<cg::store::Store> store_;
  std::unique_ptr<cg::department_api::DepartmentServer> server_;
  cg::sdk::HttpClient http_;
};

TEST_F(DepartmentApiTest, OnlyADepartmentsOwnTokenReachesItsItems) {
  EXPECT_EQ(call("GET", "/api/v1/items").status, 401);
  EXPECT_EQ(call("GET", "/api/v1/items", "not-a-token-of-this-gateway").status, 401);
  EXPECT_EQ(call("GET", "/api/v1/items", kAdminToken).status, 401) << "an admin token never acts as a department";
  auto other = call("GET", "/api/v1/items?department=tax", kFinanceToken);
  EXPECT_EQ(other.status, 403) << other.body;
  EXPECT_EQ(error_field(other), "department");
  EXPECT_EQ(call("GET", "/api/v1/items?department=finance", kFinanceToken).status, 200);
}

TEST_F(DepartmentApiTest, ACourtListingReachesEachImplementingDepartmentWithItsMeasuresAndDeadline) {
  const auto r = list_debtor("debtor-1");
  auto got = call("GET", "/api/v1/items?state=pending", kFinanceToken);
  ASSERT_EQ(got.status, 200) << got.body;
  auto items = json::parse(got.body).at("items");
  ASSERT_EQ(items.size(), 1u) << got.body;
  const auto& item = items[0];
  EXPECT_EQ(item.at("record_id"), r.record_id);
  EXPECT_EQ(item.at("version"), 1);
  EXPECT_EQ(item.at("kind"), "dishonest_debtor");
  EXPECT_EQ(item.at("status"), "active");
  EXPECT_EQ(item.at("subject").at("uscc"), *r.subject.uscc);
  EXPECT_EQ(item.at("catalog"), "510800-2026@3");
  ASSERT_EQ(item.at("measures").size(), 2u);
  EXPECT_EQ(item.at("measures")[0].at("measure_id"), "P-FIN-01");
  EXPECT_EQ(item.at("measures")[1].at("measure_id"), "P-PPP-01");
  EXPECT_FALSE(item.at("measures")[0].at("basis").get<std::string>().empty());
  EXPECT_EQ(item.at("state"), "pending");
  const std::string today = cg::date_cst(std::chrono::system_clock::now());
  if (today < "2026-12-17") {  // ten working days from today stay within the calendars shipped
    ASSERT_TRUE(item.at("due_on").is_string()) << item.dump();
    EXPECT_GT(item.at("due_on").get<std::string>(), today);
  }
  auto approval = json::parse(call("GET", "/api/v1/items", kApprovalToken).body).at("items");
  ASSERT_EQ(approval.size(), 1u);
  EXPECT_EQ(approval[0].at("measures").size(), 1u);
  EXPECT_EQ(approval[0].at("measures")[0].at("measure_id"), "P-LIC-01");
  EXPECT_NE(approval[0].at("item_id"), item.at("item_id"));
}

TEST_F(DepartmentApiTest, ItemsArePagedAfterAnItemId) {
  for (int i = 0; i < 3; ++i) list_debtor("debtor-" + std::to_string(i));
  auto first = json::parse(call("GET", "/api/v1/items?limit=2", kFinanceToken).body);
  ASSERT_EQ(first.at("items").size(), 2u);
  ASSERT_TRUE(first.at("next_after").is_string());
  auto rest = json::parse(
      call("GET", "/api/v1/items?limit=2&after=" + first.at("next_after").get<std::string>(), kFinanceToken).body);
  ASSERT_EQ(rest.at("items").size(), 1u);
  EXPECT_TRUE(rest.at("next_after").is_null());
}

TEST_F(DepartmentApiTest, AQueryItCannotAnswerIsRefusedNamingTheParameter) {
  for (const auto& [query, field] : std::vector<std::pair<std::string, std::string>>{{"state=done", "state"},
                                                                                     {"limit=0", "limit"},
                                                                                     {"limit=1001", "limit"},
                                                                                     {"after=x", "after"},
                                                                                     {"stat=pending", "stat"}}) {
    auto r = call("GET", "/api/v1/items?" + query, kFinanceToken);
    EXPECT_EQ(r.status, 400) << query << ": " << r.body;
    EXPECT_EQ(error_field(r), field) << query;
  }
  EXPECT_EQ(call("POST", "/api/v1/items", kFinanceToken).status, 405);
  EXPECT_EQ(call("GET", "/api/v1/nothing", kFinanceToken).status, 404);
}

TEST_F(DepartmentApiTest, FeedbackOnEachMeasureAnswersTheItemAndIsQueuedForTheProvincialPlatformOnce) {
  list_debtor("debtor-fb");
  const json item = items_of(kFinanceToken).at(0);
  const std::string today = cg::date_cst(std::chrono::system_clock::now());
  json entries = json::array();
  for (const auto& m : item.at("measures"))
    entries.push_back({{"item_id", item.at("item_id")},
                       {"measure_id", m.at("measure_id")},
                       {"action", "applied"},
                       {"on", today},
                       {"case_ref", "CZ-2026-012"},
                       {"note", "暂停拨付"}});
  auto first = post_feedback(entries);
  ASSERT_EQ(first.at("results").size(), 2u) << first.dump();
  for (const auto& r : first.at("results")) {
    EXPECT_EQ(r.at("status"), "accepted") << r.dump();
    EXPECT_EQ(r.at("feedback_id").get<std::string>().rfind("fb-", 0), 0u);
  }
  EXPECT_TRUE(items_of(kFinanceToken).empty()) << "an item answered on every measure is no longer pending";
  EXPECT_EQ(items_of(kFinanceToken, "all").at(0).at("state"), "answered");
  EXPECT_EQ(items_of(kApprovalToken).size(), 1u) << "another department's item is untouched";

  // Sent again (a retry after a lost answer): the same ids, nothing new.
  auto again = post_feedback(entries);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(again.at("results")[i].at("status"), "duplicate");
    EXPECT_EQ(again.at("results")[i].at("feedback_id"), first.at("results")[i].at("feedback_id"));
  }
  auto held = store_->feedback_reports().list({});
  ASSERT_TRUE(held.ok()) << held.error().to_string();
  ASSERT_EQ(held->size(), 2u);
  const auto& sent = (*held)[0];
  EXPECT_EQ(sent.report.department, "finance");
  EXPECT_EQ(sent.report.record_id, item.at("record_id"));
  EXPECT_EQ(sent.report.version, 1);
  EXPECT_EQ(sent.report.catalog, "510800-2026@3");
  EXPECT_EQ(sent.report.note, "暂停拨付");
  EXPECT_EQ(sent.report.actor, "department:finance/cwj-system");
  EXPECT_EQ(sent.relay, (std::vector<std::pair<std::string, std::string>>{{"provincial", "pending"}}))
      << "queued once, for the platform that takes feedback";

  // The same measure reported again with another date stands refused.
  entries[0]["on"] = "2026-01-05";
  auto conflict = post_feedback(json::array({entries[0]}));
  EXPECT_EQ(conflict.at("results")[0].at("status"), "rejected");
  EXPECT_EQ(conflict.at("results")[0].at("error").at("code"), "conflict");
}

TEST_F(DepartmentApiTest, EachFeedbackEntryThatCannotBeTakenIsRefusedNamingItsFieldAndTheOthersAreTaken) {
  list_debtor("debtor-bad");
  const json item = items_of(kFinanceToken).at(0);
  const json approval_item = items_of(kApprovalToken).at(0);
  const std::string id = item.at("item_id");
  const json good = {{"item_id", id}, {"measure_id", "P-FIN-01"}, {"action", "not_applicable"}, {"on", "2026-12-01"}};
  auto with = [&](const std::string& key, const json& value) {
    json e = good;
    if (value.is_null())
      e.erase(key);
    else
      e[key] = value;
    return e;
  };
  const std::vector<std::pair<json, std::string>> cases = {
      {with("item_id", approval_item.at("item_id")), "item_id"},  // another department's item
      {with("item_id", "12x"), "item_id"},
      {with("item_id", nullptr), "item_id"},
      {with("measure_id", "P-LIC-01"), "measure_id"},  // a measure of another department
      {with("action", "done"), "action"},
      {with("on", "2026-02-30"), "on"},
      {with("on", "2999-01-01"), "on"},
      {with("note", std::string(501, 'x')), "note"},
      {with("case_ref", "a\u0001b"), "case_ref"},
      {with("case_ref", 7), "case_ref"},
      {with("by", "someone"), "by"},
      {json{{"check_id", "c-1"},
            {"subject_index", 0},
            {"measure_id", "P-FIN-01"},
            {"action", "applied"},
            {"on", "2026-12-01"}},
       "check_id"},
      {json("not an object"), ""}};
  json entries = json::array();
  for (const auto& [e, _] : cases) entries.push_back(e);
  entries.push_back(good);
  auto answer = post_feedback(entries);
  const auto& results = answer.at("results");
  ASSERT_EQ(results.size(), cases.size() + 1) << answer.dump();
  for (size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(results[i].at("index"), i);
    EXPECT_EQ(results[i].at("status"), "rejected") << cases[i].first.dump();
    EXPECT_EQ(results[i].at("error").value("field", ""), cases[i].second) << results[i].dump();
  }
  EXPECT_EQ(results.back().at("status"), "accepted") << results.back().dump();
  ASSERT_EQ(store_->feedback_reports().list({})->size(), 1u) << "only the good entry is held";

  // A body that is not a list of entries is refused whole.
  for (const std::string& body : {std::string("{"), std::string("[]"), json{{"feedback", json::array()}}.dump(),
                                  json{{"feedback", json::array({good})}, {"extra", 1}}.dump(),
                                  json{{"feedback", json(std::vector<json>(1001, good))}}.dump()}) {
    auto r = call("POST", "/api/v1/feedback", kFinanceToken, body);
    EXPECT_EQ(r.status, 400) << body.substr(0, 40) << ": " << r.body;
  }
  EXPECT_EQ(call("GET", "/api/v1/feedback", kFinanceToken).status, 405);
}

TEST_F(DepartmentApiTest, EveryCallIsAuditedWithTheDepartmentTheTokenAndTheAnswer) {
  ASSERT_EQ(call("GET", "/api/v1/items?state=overdue", kFinanceToken).status, 200);
  ASSERT_EQ(call("GET", "/api/v1/items?department=tax", kApprovalToken).status, 403);
  auto audit = store_->audit().list("", 10);
  ASSERT_TRUE(audit.ok()) << audit.error().to_string();
  std::vector<std::string> seen;
  for (const auto& e : *audit)
    if (e.action == "department_api.call")
      seen.push_back(e.actor + " " + e.detail.at("asked").at("path").get<std::string>() + " " +
                     std::to_string(e.detail.at("status").get<int>()));
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<std::string>{"department:approval/spj-system /api/v1/items 403",
                                            "department:finance/cwj-system /api/v1/items 200"}));
}

json check_body(json subjects, const std::string& scenario = "procurement_bid") {
  return {{"scenario", scenario},
          {"purpose", "投标资格审查"},
          {"case_ref", "GYCG-2026-012"},
          {"on", "2026-12-15"},
          {"subjects", std::move(subjects)}};
}

TEST_F(DepartmentApiTest, ACheckAnswersEachSubjectAndIsKeptForItsDepartmentOnly) {
  const cg::Record debtor = list_debtor("(2026)川0802执1号");
  auto got = call("POST", "/api/v1/checks", kFinanceToken,
                  check_body({{{"uscc", "91510802QEFLCR6390"}},
                              {{"uscc", "91510802934HYQD33C"}},
                              {{"id_type", "resident_id"}, {"id_number", "510802200011115368"}},
                              {{"id_type", "resident_id"}, {"id_number", "51070319920325298X"}}})
                      .dump());
  ASSERT_EQ(got.status, 200) << got.body;
  const json answer = json::parse(got.body);
  EXPECT_EQ(answer["catalog"], "510800-2026@3");
  EXPECT_EQ(answer["scenario"], "procurement_bid");
  const std::string id = answer["check_id"];
  EXPECT_EQ(id.rfind("c-", 0), 0u);
  const json& results = answer["results"];
  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(results[0]["verdict"], "restricted");
  ASSERT_EQ(results[0]["hits"].size(), 1u);
  EXPECT_EQ(results[0]["hits"][0]["record_id"], debtor.record_id);
  EXPECT_EQ(results[0]["hits"][0]["measures"][0]["measure_id"], "P-PROC-01");
  EXPECT_EQ(results[1]["verdict"], "clear");
  EXPECT_EQ(results[2]["verdict"], "clear");
  EXPECT_EQ(results[2]["subject"]["id_number"], "510802200011115368") << "the caller's own ID number, as sent";
  EXPECT_EQ(results[3]["verdict"], "invalid_subject");

  // Proof of checking: the department reads it back as it was answered; no other department can.
  auto kept = call("GET", "/api/v1/checks/" + id, kFinanceToken);
  ASSERT_EQ(kept.status, 200) << kept.body;
  const json back = json::parse(kept.body);
  EXPECT_EQ(back["results"], results);
  EXPECT_EQ(back["checked_by"], "department:finance/cwj-system");
  EXPECT_EQ(back["purpose"], "投标资格审查");
  EXPECT_EQ(call("GET", "/api/v1/checks/" + id, kApprovalToken).status, 404);
  EXPECT_EQ(call("GET", "/api/v1/checks/c-0000", kFinanceToken).status, 404);
  EXPECT_EQ(call("POST", "/api/v1/checks", kAdminToken, check_body({{{"uscc", "91510802QEFLCR6390"}}}).dump()).status,
            401)
      << "an admin token cannot check";
  int audited = 0;
  const auto trail = store_->audit().list("", 100);
  ASSERT_TRUE(trail.ok());
  for (const auto& e : *trail)
    audited += e.action == "department_api.call" && e.detail.at("asked").at("path") == "/api/v1/checks" &&
               e.detail.at("status") == 200;
  EXPECT_EQ(audited, 0) << "a kept check is its call's record: it is not audited again";
  auto stored = store_->checks().get(id);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->verdict, "restricted");
  EXPECT_EQ((*stored)->hits, 1);
  EXPECT_EQ((*stored)->subjects, 4);
  EXPECT_EQ((*stored)->case_ref, "GYCG-2026-012");
}

TEST_F(DepartmentApiTest, ACheckThatCannotBeAnsweredIsRefusedNamingItsFieldWithoutAnIdNumber) {
  auto unknown = call("POST", "/api/v1/checks", kFinanceToken,
                      check_body({{{"uscc", "91510802QEFLCR6390"}}}, "no_such_matter").dump());
  EXPECT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_EQ(error_field(unknown), "scenario");
  auto early = check_body({{{"uscc", "91510802QEFLCR6390"}}});
  early["on"] = "2020-01-01";
  auto before = call("POST", "/api/v1/checks", kFinanceToken, early.dump());
  EXPECT_EQ(before.status, 400) << before.body;
  EXPECT_EQ(error_field(before), "on");
  auto leaked = call("POST", "/api/v1/checks", kFinanceToken,
                     check_body({{{"id_type", "510802200011115368"}, {"id_number", "510802200011115368"}}}).dump());
  EXPECT_EQ(leaked.status, 400) << leaked.body;
  EXPECT_EQ(error_field(leaked), "subjects/0/id_type");
  EXPECT_EQ(leaked.body.find("510802200011115368"), std::string::npos) << leaked.body;
  EXPECT_EQ(call("POST", "/api/v1/checks", kFinanceToken, "{").status, 400);
  EXPECT_EQ(call("GET", "/api/v1/checks", kFinanceToken).status, 405);
  EXPECT_TRUE(store_->checks().list({})->empty()) << "a refused check is not kept";
}

TEST_F(DepartmentApiTest, AReloadedCatalogAnswersTheChecksThatFollow) {
  auto catalog = cg::catalog::load_catalog(cfg_.catalog_file, cfg_.department_ids());
  ASSERT_TRUE(catalog.ok());
  const std::string body = check_body({{{"uscc", "91510802QEFLCR6390"}}}).dump();
  ASSERT_EQ(call("POST", "/api/v1/checks", kFinanceToken, body).status, 200);
  catalog->version = 4;
  catalog->scenarios.erase("procurement_bid");
  server_->use_catalogs(cg::catalog::CatalogHistory(*catalog));
  auto after = call("POST", "/api/v1/checks", kFinanceToken, body);
  EXPECT_EQ(after.status, 400) << after.body;
  EXPECT_NE(after.body.find("510800-2026@4"), std::string::npos) << after.body;
}

TEST_F(DepartmentApiTest, ADepartmentReportsWhatItDidWithAHitOfItsCheck) {
  const cg::Record debtor = list_debtor("(2026)川0802执2号");
  auto got = call("POST", "/api/v1/checks", kFinanceToken,
                  check_body({{{"uscc", "91510802QEFLCR6390"}}, {{"uscc", "91510802934HYQD33C"}}}).dump());
  ASSERT_EQ(got.status, 200) << got.body;
  const std::string id = json::parse(got.body)["check_id"];
  const std::string today = cg::date_cst(std::chrono::system_clock::now());
  const json applied = {{"check_id", id},      {"subject_index", 0}, {"measure_id", "P-PROC-01"},
                        {"action", "applied"}, {"on", today},        {"case_ref", "GYCG-2026-012"}};
  json first = post_feedback(json::array({applied}));
  ASSERT_EQ(first["results"][0]["status"], "accepted") << first.dump();
  EXPECT_EQ(post_feedback(json::array({applied}))["results"][0]["status"], "duplicate");
  auto reports = store_->feedback_reports().list({});
  ASSERT_TRUE(reports.ok());
  ASSERT_EQ(reports->size(), 1u);
  const auto& r = (*reports)[0];
  EXPECT_EQ(r.report.check_id, id);
  EXPECT_EQ(r.report.subject_index, 0);
  EXPECT_EQ(r.report.record_id, debtor.record_id) << "the hit that carries the measure";
  EXPECT_EQ(r.report.catalog, "510800-2026@3");
  ASSERT_EQ(r.relay.size(), 1u);
  EXPECT_EQ(r.relay[0].first, "provincial");

  auto refused = [&](json entry) {
    json out = post_feedback(json::array({std::move(entry)}));
    EXPECT_EQ(out["results"][0]["status"], "rejected") << out.dump();
    return out["results"][0]["error"]["code"].get<std::string>() + " " + out["results"][0]["error"].value("field", "");
  };
  json e = applied;
  e["subject_index"] = 1;
  EXPECT_EQ(refused(e), "unknown_measure measure_id") << "the second subject was clear";
  e["subject_index"] = 2;
  EXPECT_EQ(refused(e), "unknown_subject subject_index");
  e.erase("subject_index");
  EXPECT_EQ(refused(e), "missing_field subject_index");
  e = applied;
  e["measure_id"] = "P-FIN-01";
  EXPECT_EQ(refused(e), "unknown_measure measure_id");
  e = applied;
  e["item_id"] = "1";
  EXPECT_EQ(refused(e), "bad_entry check_id");
  auto other = call("POST", "/api/v1/feedback", kApprovalToken, json{{"feedback", json::array({applied})}}.dump());
  ASSERT_EQ(other.status, 200);
  EXPECT_EQ(json::parse(other.body)["results"][0]["error"]["code"], "unknown_check") << "another department's check";
}

}  // namespace
