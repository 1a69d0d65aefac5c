// Monitoring statistics counted in the store with what they count: records
// received, created and changed, quarantine entries by rule, versions a
// platform accepted or rejected; summed by period and grouping, and kept
// across a reopen.
#include <gtest/gtest.h>

#include <map>

#include "common/clock.hpp"
#include "store_port_test.hpp"

namespace {

using cg::store::StatisticsQuery;
using cg::test::batch;
using cg::test::record;

int64_t figure_of(const std::vector<cg::store::StatisticsRow>& rows, const std::string& figure,
                  const std::string& destination = "") {
  int64_t n = 0;
  for (const auto& r : rows)
    if (r.figure == figure && r.destination == destination) n += r.n;
  return n;
}

}  // namespace

TEST(Statistics, CountedAsThingsHappenAndKeptAcrossAReopen) {
  cg::test::TempDir dir;
  const std::string path = dir.file("gateway.db");
  const std::string today = cg::date_cst(std::chrono::system_clock::now());
  {
    auto s = cg::store::open_sqlite_store(path);
    ASSERT_TRUE(s.ok());
    cg::test::route_to_both_platforms(**s);
    // Penalties reach the finance bureau as items; licences nobody.
    (*s)->feedback().set_router([](const cg::Record& r, const std::string&, const std::string&, const std::string&) {
      std::vector<cg::store::FeedbackRoute> to;
      if (r.kind == "admin_penalty") to.push_back({"finance", nlohmann::json::array(), "510800-2026@3", ""});
      return to;
    });
    cg::Record licence = record("l");
    licence.kind = "admin_license";
    cg::store::IngestBatch b = batch({record("a"), record("b"), licence});
    b.quarantined = {cg::test::broken("<XZCF>1</XZCF>"), cg::test::broken("<XZCF>2</XZCF>")};
    b.quarantined[0].department = b.quarantined[1].department = "market_regulation";
    b.quarantined[0].kind = b.quarantined[1].kind = "admin_penalty";
    ASSERT_TRUE((*s)->records().ingest(b).ok());
    // The same again: received, nothing created, the quarantine entries not new.
    ASSERT_TRUE((*s)->records().ingest(b).ok());
    ASSERT_TRUE((*s)->records().ingest(batch({record("a", 500)})).ok());  // changed
    ASSERT_TRUE((*s)->records().ingest(batch({record("x")}, "platform:provincial")).ok());

    auto p = (*s)->outbox().claim_batch("provincial", 10);
    std::vector<cg::store::DeliveryOutcome> all;
    for (const auto& e : p->entries) all.push_back({e.id, cg::store::DeliveryStatus::Accepted, "", "", ""});
    ASSERT_TRUE((*s)->outbox().complete_batch("provincial", *p, all).ok());
    auto c = (*s)->outbox().claim_batch("city", 10);
    std::vector<cg::store::DeliveryOutcome> some;
    for (size_t i = 0; i < c->entries.size(); ++i)
      some.push_back({c->entries[i].id,
                      i == 0 ? cg::store::DeliveryStatus::Rejected : cg::store::DeliveryStatus::Accepted,
                      i == 0 ? "invalid_uscc" : "", "", ""});
    ASSERT_TRUE((*s)->outbox().complete_batch("city", *c, some).ok());
  }
  auto s = cg::store::open_sqlite_store(path);
  ASSERT_TRUE(s.ok());
  StatisticsQuery q;
  q.by_destination = true;
  auto rows = (*s)->statistics().query(q);
  ASSERT_TRUE(rows.ok()) << rows.error().to_string();
  EXPECT_EQ(figure_of(*rows, "received"), 7);
  EXPECT_EQ(figure_of(*rows, "pulled"), 1);
  EXPECT_EQ(figure_of(*rows, "created"), 4);
  EXPECT_EQ(figure_of(*rows, "changed"), 1);
  EXPECT_EQ(figure_of(*rows, "quarantined:invalid_uscc"), 2);
  EXPECT_EQ(figure_of(*rows, "accepted", "provincial"), 3) << "the current versions of a, b and the licence";
  EXPECT_EQ(figure_of(*rows, "rejected", "city"), 1);
  EXPECT_EQ(figure_of(*rows, "accepted", "city"), 3) << "a, b, the licence and x, one rejected";
  EXPECT_EQ(figure_of(*rows, "items"), 4) << "a, b, a's new version and x";
  for (const auto& r : *rows) EXPECT_EQ(r.period, today.substr(0, 7)) << "by month unless asked";

  q = {};
  q.period = "year";
  q.by_kind = true;
  q.figure = "created";
  rows = (*s)->statistics().query(q);
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].period, today.substr(0, 4));
  EXPECT_EQ((*rows)[0].kind, "admin_license");
  EXPECT_EQ((*rows)[0].n, 1);
  EXPECT_EQ((*rows)[1].kind, "admin_penalty");
  EXPECT_EQ((*rows)[1].n, 3);
  q.figure = "quarantined:";
  EXPECT_EQ((*s)->statistics().query(q)->size(), 1u);
  q = {};
  q.period = "quarter";
  q.to = "2000-01-01";
  EXPECT_TRUE((*s)->statistics().query(q)->empty());
  q.period = "week";
  EXPECT_FALSE((*s)->statistics().query(q).ok());
}

TEST(Statistics, ChecksAreCountedFromTheCheckLedgerByVerdictAndDepartment) {
  cg::test::TempDir dir;
  auto s = cg::store::open_sqlite_store(dir.file("gateway.db"));
  ASSERT_TRUE(s.ok());
  auto kept = [&](const std::string& id, const std::string& dept, const std::string& verdict, int64_t subjects,
                  int64_t hits, const std::string& at) {
    cg::store::StoredCheck c;
    c.check_id = id;
    c.department = dept;
    c.actor = "department:" + dept + "/system";
    c.scenario = "procurement_bid";
    c.purpose = "投标资格审查";
    c.on = at.substr(0, 10);
    c.catalog = "510800-2026@3";
    c.verdict = verdict;
    c.subjects = subjects;
    c.hits = hits;
    c.checked_at = at;
    c.answer = "{}";
    ASSERT_TRUE((*s)->checks().add(c).ok());
  };
  kept("c-1", "procurement", "restricted", 3, 1, "2026-11-30T10:00:00+08:00");
  kept("c-2", "procurement", "clear", 1, 0, "2026-12-01T10:00:00+08:00");
  kept("c-3", "finance", "restricted", 2, 2, "2026-12-02T10:00:00+08:00");
  StatisticsQuery q;
  q.by_department = true;
  q.from = "2026-12-01";
  auto rows = (*s)->checks().statistics(q);
  ASSERT_TRUE(rows.ok()) << rows.error().to_string();
  std::map<std::string, int64_t> got;
  for (const auto& r : *rows) got[r.period + " " + r.department + " " + r.figure] = r.n;
  const std::map<std::string, int64_t> want = {
      {"2026-12 finance checks:restricted", 1},    {"2026-12 finance checked_subjects", 2},
      {"2026-12 finance hit_subjects", 2},         {"2026-12 procurement checks:clear", 1},
      {"2026-12 procurement checked_subjects", 1}, {"2026-12 procurement hit_subjects", 0}};
  EXPECT_EQ(got, want);
  q = {};
  q.period = "quarter";
  q.figure = "checks:";
  rows = (*s)->checks().statistics(q);
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].period, "2026-Q4");
  EXPECT_EQ((*rows)[0].figure, "checks:clear");
  EXPECT_EQ((*rows)[1].n, 2);
}
