// The credit checks port: a check kept as it was answered, found by its id,
// listed by department, day and verdict; and the records port's index of
// legal representatives that a check of a person reads (落实到人).
#include <gtest/gtest.h>

#include <set>

#include "store_port_test.hpp"

using cg::store::CheckFilter;
using cg::store::StoredCheck;

CG_STORE_PORT_SUITE(ChecksTest);

namespace {

StoredCheck check(const std::string& id, const std::string& department, const std::string& day,
                  const std::string& verdict) {
  StoredCheck c;
  c.check_id = id;
  c.department = department;
  c.actor = "department:" + department + "/system";
  c.scenario = "procurement_bid";
  c.purpose = "投标资格审查";
  c.case_ref = "GYCG-2026-012";
  c.on = day;
  c.catalog = "510800-2026@3";
  c.verdict = verdict;
  c.subjects = 2;
  c.hits = verdict == "restricted" ? 1 : 0;
  c.checked_at = day + "T10:00:00+08:00";
  c.answer = R"({"check_id":")" + id + R"(","results":[]})";
  return c;
}

// The records of the subjects whose legal representative has `id_number`.
std::vector<cg::store::StoredRecord> represented_by(cg::store::Store& st, const std::string& id_number) {
  cg::store::InForceQuery q;
  q.id_number = id_number;
  q.as_legal_representative = true;
  q.kinds = {"admin_penalty"};
  auto found = st.records().in_force(q);
  EXPECT_TRUE(found.ok()) << found.error().to_string();
  return found.ok() ? *found : std::vector<cg::store::StoredRecord>{};
}

std::vector<std::string> ids(const std::vector<StoredCheck>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.check_id);
  return out;
}

}  // namespace

TEST_P(ChecksTest, ACheckIsKeptAsItWasAnswered) {
  ASSERT_TRUE(store_->checks().add(check("c-1", "procurement", "2026-12-04", "restricted")).ok());
  auto kept = store_->checks().get("c-1");
  ASSERT_TRUE(kept.ok() && kept->has_value());
  EXPECT_EQ((*kept)->department, "procurement");
  EXPECT_EQ((*kept)->actor, "department:procurement/system");
  EXPECT_EQ((*kept)->purpose, "投标资格审查");
  EXPECT_EQ((*kept)->case_ref, "GYCG-2026-012");
  EXPECT_EQ((*kept)->catalog, "510800-2026@3");
  EXPECT_EQ((*kept)->verdict, "restricted");
  EXPECT_EQ((*kept)->subjects, 2);
  EXPECT_EQ((*kept)->hits, 1);
  EXPECT_EQ((*kept)->answer, R"({"check_id":"c-1","results":[]})");
  EXPECT_FALSE(store_->checks().get("c-2")->has_value());
  EXPECT_FALSE(store_->checks().add(check("c-1", "finance", "2026-12-04", "clear")).ok()) << "an id is kept once";
}

TEST_P(ChecksTest, ChecksAreListedNewestFirstByDepartmentDayAndVerdict) {
  ASSERT_TRUE(store_->checks().add(check("c-1", "procurement", "2026-12-01", "clear")).ok());
  ASSERT_TRUE(store_->checks().add(check("c-2", "finance", "2026-12-02", "restricted")).ok());
  ASSERT_TRUE(store_->checks().add(check("c-3", "procurement", "2026-12-03", "restricted")).ok());
  ASSERT_TRUE(store_->checks().add(check("c-4", "procurement", "2026-12-04", "incentive")).ok());
  CheckFilter all;
  EXPECT_EQ(ids(*store_->checks().list(all)), (std::vector<std::string>{"c-4", "c-3", "c-2", "c-1"}));
  EXPECT_TRUE(store_->checks().list(all)->front().answer.empty()) << "a list carries no answers";
  CheckFilter f;
  f.department = "procurement";
  EXPECT_EQ(ids(*store_->checks().list(f)), (std::vector<std::string>{"c-4", "c-3", "c-1"}));
  f.from = "2026-12-02";
  f.to = "2026-12-03";
  EXPECT_EQ(ids(*store_->checks().list(f)), (std::vector<std::string>{"c-3"}));
  CheckFilter hit;
  hit.verdict = "restricted";
  EXPECT_EQ(ids(*store_->checks().list(hit)), (std::vector<std::string>{"c-3", "c-2"}));
  CheckFilter page;
  page.limit = 2;
  EXPECT_EQ(ids(*store_->checks().list(page)), (std::vector<std::string>{"c-4", "c-3"}));
  page.before_id = "c-3";
  EXPECT_EQ(ids(*store_->checks().list(page)), (std::vector<std::string>{"c-2", "c-1"}));
}

TEST_P(ChecksTest, TheRecordsOfALegalRepresentativeFollowTheirCurrentVersion) {
  cg::Record r = cg::test::record("company");
  r.subject.legal_representative = cg::Person{"张三", "resident_id", "110101199003074514"};
  cg::Record other = cg::test::record("other");
  other.subject.legal_representative = cg::Person{"李四", "resident_id", "110101199003074522"};
  ASSERT_TRUE(store_->records().ingest(cg::test::batch({r, other})).ok());
  auto found = represented_by(*store_, "110101199003074514");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].record.record_id, r.record_id);
  // A new representative: the record is theirs now, no longer the first one's.
  r.subject.legal_representative = cg::Person{"王五", "resident_id", "110101199003074530"};
  ASSERT_TRUE(store_->records().ingest(cg::test::batch({r})).ok());
  EXPECT_TRUE(represented_by(*store_, "110101199003074514").empty());
  EXPECT_EQ(represented_by(*store_, "110101199003074530").size(), 1u);
  // A representative without an ID number is not indexed.
  r.subject.legal_representative = cg::Person{"赵六", std::nullopt, std::nullopt};
  ASSERT_TRUE(store_->records().ingest(cg::test::batch({r})).ok());
  EXPECT_TRUE(represented_by(*store_, "110101199003074530").empty());
}

TEST_P(ChecksTest, OnlyRecordsInForceOfTheKindsAskedAreRead) {
  cg::Record penalty = cg::test::record("penalty");
  cg::Record repaired = cg::test::record("repaired");
  repaired.status = "repaired";
  cg::Record suspended = cg::test::record("suspended");
  suspended.status = "suspended";
  cg::Record debt = cg::test::record("debt");
  debt.kind = "dishonest_debtor";
  debt.record_id = cg::compute_record_id("market_regulation", debt.kind, "debt");
  ASSERT_TRUE(store_->records().ingest(cg::test::batch({penalty, repaired, suspended, debt})).ok());
  cg::store::InForceQuery q;
  q.uscc = *penalty.subject.uscc;
  q.kinds = {"admin_penalty"};
  auto found = store_->records().in_force(q);
  ASSERT_TRUE(found.ok()) << found.error().to_string();
  std::set<std::string> seen;
  for (const auto& r : *found) seen.insert(r.record.record_id);
  EXPECT_EQ(seen, (std::set<std::string>{penalty.record_id, suspended.record_id}));
  q.kinds = {"admin_penalty", "dishonest_debtor"};
  EXPECT_EQ(store_->records().in_force(q)->size(), 3u);
  q.kinds.clear();
  EXPECT_TRUE(store_->records().in_force(q)->empty()) << "no kind, nothing to read";
}
