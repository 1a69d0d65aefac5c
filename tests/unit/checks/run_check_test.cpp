// A credit check through a real store: a check of many subjects shared with
// other connections gives the answer that one connection gives, subject by
// subject in the request's order, and is kept as answered.
#include "checks/run_check.hpp"

#include <gtest/gtest.h>

#include "../test_support.hpp"
#include "record/codes.hpp"
#include "record/record.hpp"

using nlohmann::json;

namespace {

// A valid USCC for `n` (GB 32100), found with the product's own checks.
std::string valid_uscc(int n) {
  static const std::string kChars = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  std::string org = std::to_string(20000000 + n);
  for (char c : std::string("0123456789X"))
    if (cg::codes::org_code_check_valid(org + c)) {
      org += c;
      break;
    }
  for (char c : kChars)
    if (cg::codes::uscc_check_valid("91510802" + org + c)) return "91510802" + org + c;
  return "";
}

cg::catalog::Catalog shared_check_catalog() {
  cg::catalog::Catalog c;
  c.catalog_id = "510800-2026";
  c.version = 1;
  c.effective_from = "2026-01-01";
  c.scenarios = {{"procurement_bid", "投标"}};
  cg::catalog::Measure punish;
  punish.id = "P-PROC-01";
  punish.name = "限制参加政府采购";
  punish.type = "punishment";
  punish.applies_to = {"dishonest_debtor"};
  punish.subject_types = {"legal_person", "natural_person"};
  punish.scenarios = {"procurement_bid"};
  punish.basis = "政府采购法第二十二条";
  cg::catalog::Measure reward = punish;
  reward.id = "I-01";
  reward.type = "incentive";
  reward.applies_to = {"red_list"};
  reward.basis = "守信激励";
  c.measures = {punish, reward};
  return c;
}

cg::Record record_of(int company, const std::string& kind, const std::string& status, int n) {
  cg::Record r;
  r.kind = kind;
  r.source.department = "court";
  r.source.source_key = "k-" + std::to_string(company) + "-" + std::to_string(n);
  r.record_id = cg::compute_record_id(r.source.department, r.kind, r.source.source_key);
  r.version = 1;
  r.status = status;
  r.subject.type = "legal_person";
  r.subject.name = "某公司" + std::to_string(company);
  r.subject.uscc = valid_uscc(company);
  r.decision.decided_on = "2026-03-0" + std::to_string(1 + n % 9);
  r.decision.document_number = "(2026)川08执" + std::to_string(company * 10 + n) + "号";
  return r;
}

class RunCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = cg::store::open_sqlite_store(dir_.file("gateway.db"));
    ASSERT_TRUE(opened.ok()) << opened.error().to_string();
    store_ = std::move(opened.value());
    cg::store::IngestBatch batch;
    batch.actor = "test";
    batch.source = "run_check_test";
    // Of 100 companies: every third a dishonest debtor (twice for every
    // sixth), every fifth on the red list, every seventh a repaired one.
    for (int c = 0; c < 100; ++c) {
      if (c % 3 == 0) batch.records.push_back(record_of(c, "dishonest_debtor", "active", 1));
      if (c % 6 == 0) batch.records.push_back(record_of(c, "dishonest_debtor", "active", 2));
      if (c % 5 == 0) batch.records.push_back(record_of(c, "red_list", "active", 3));
      if (c % 7 == 0) batch.records.push_back(record_of(c, "dishonest_debtor", "repaired", 4));
    }
    auto stored = store_->records().ingest(batch);
    ASSERT_TRUE(stored.ok()) << stored.error().to_string();
  }

  cg::checks::CheckRequest request_of(int subjects) {
    json list = json::array();
    for (int c = 0; c < subjects; ++c) list.push_back({{"uscc", valid_uscc(c)}});
    list.push_back({{"uscc", "91510802MA0000000X"}});  // fails its check digit
    const json body = {{"scenario", "procurement_bid"}, {"purpose", "test"}, {"on", "2026-06-01"}, {"subjects", list}};
    auto parsed = cg::checks::parse_check_request(body.dump(), "2026-06-01");
    EXPECT_TRUE(parsed.ok()) << parsed.error().to_string();
    return *parsed;
  }

  cg::test::TempDir dir_;
  std::unique_ptr<cg::store::Store> store_;
  cg::catalog::CatalogHistory catalogs_{shared_check_catalog()};
};

TEST_F(RunCheckTest, ACheckSharedWithOtherConnectionsAnswersAsOneConnectionDoes) {
  const auto request = request_of(99);
  auto alone = cg::checks::run_check(*store_, catalogs_, {"procurement", "department:procurement/t"}, request);
  ASSERT_TRUE(alone.ok()) << alone.error().to_string();

  std::vector<std::unique_ptr<cg::store::Store>> others;
  std::vector<cg::store::Store*> helpers;
  for (int i = 0; i < 3; ++i) {
    auto opened = cg::store::open_sqlite_store(dir_.file("gateway.db"));
    ASSERT_TRUE(opened.ok()) << opened.error().to_string();
    helpers.push_back(opened.value().get());
    others.push_back(std::move(opened.value()));
  }
  auto shared =
      cg::checks::run_check(*store_, catalogs_, {"procurement", "department:procurement/t"}, request, helpers);
  ASSERT_TRUE(shared.ok()) << shared.error().to_string();

  ASSERT_EQ(shared->results.size(), 100u);
  EXPECT_EQ(shared->results, alone->results);
  for (int c = 0; c < 99; ++c) {
    const json r = json::parse(shared->results[static_cast<size_t>(c)]);
    SCOPED_TRACE("company " + std::to_string(c));
    EXPECT_EQ(r["subject"]["uscc"], valid_uscc(c));  // in the request's order
    EXPECT_EQ(r["verdict"], c % 3 == 0 ? "restricted" : c % 5 == 0 ? "incentive" : "clear");
    EXPECT_EQ(r["hits"].size(), static_cast<size_t>((c % 3 == 0) + (c % 6 == 0) + (c % 5 == 0)));
  }
  EXPECT_EQ(json::parse(shared->results.back())["verdict"], "invalid_subject");

  // Kept as answered: the whole text, its verdict and hits.
  auto kept = store_->checks().get(shared->check_id);
  ASSERT_TRUE(kept.ok() && *kept);
  EXPECT_EQ((*kept)->answer, shared->text);
  EXPECT_EQ((*kept)->verdict, "restricted");
  EXPECT_EQ((*kept)->hits, 33 + 20 - 7);  // the restricted and the rewarded, each subject once
  const json text = json::parse(shared->text);
  EXPECT_EQ(text["check_id"], shared->check_id);
  ASSERT_EQ(text["results"].size(), 100u);
  EXPECT_EQ(text["results"][42], json::parse(shared->results[42]));
}

TEST_F(RunCheckTest, ACheckOfAFewSubjectsIsReadOnTheCallersConnectionAlone) {
  // A helper on another (empty) store would answer "clear" for what it read.
  auto other = cg::store::open_sqlite_store(dir_.file("other.db"));
  ASSERT_TRUE(other.ok()) << other.error().to_string();
  std::vector<cg::store::Store*> helpers = {other.value().get()};
  const int few = static_cast<int>(cg::checks::kSharedCheckFrom) - 2;  // and one invalid subject
  auto answer =
      cg::checks::run_check(*store_, catalogs_, {"procurement", "department:procurement/t"}, request_of(few), helpers);
  ASSERT_TRUE(answer.ok()) << answer.error().to_string();
  for (int c = 0; c < few; ++c)
    EXPECT_EQ(json::parse(answer->results[static_cast<size_t>(c)])["verdict"], c % 3 == 0   ? "restricted"
                                                                               : c % 5 == 0 ? "incentive"
                                                                                            : "clear")
        << "company " << c;
}

}  // namespace
