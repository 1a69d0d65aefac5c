// The 双公示 report on a real store: licences and penalties kept as they are
// stored, each platform's first acceptance kept with the batch's answer,
// quarantined and rejected ones at risk with the reason, the filters, the
// CSV, and each at-risk state noted (and audited) once.
#include "publicity/publicity_report.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "../store/store_port_test.hpp"
#include "common/clock.hpp"
#include "store/sqlite/db.hpp"

namespace {

using cg::publicity::ReportEntry;
using cg::publicity::ReportFilter;

const cg::calendar::WorkingDays& report_calendar() {
  static const cg::calendar::WorkingDays w = [] {
    auto r = cg::calendar::WorkingDays::load_dir(cg::test::source_dir() + "/config/calendar");
    if (!r.ok()) throw std::runtime_error(r.error().message);
    return std::move(r.value());
  }();
  return w;
}

cg::Record decided(const std::string& key, const std::string& kind, const std::string& on) {
  cg::Record r = cg::test::record(key);
  r.kind = kind;
  r.record_id = cg::compute_record_id(r.source.department, kind, key);
  r.decision.decided_on = on;
  r.decision.document_number = "广市监罚〔2025〕" + key + "号";
  return r;
}

class PublicityReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.file("gateway.db");
    auto s = cg::store::open_sqlite_store(path_);
    ASSERT_TRUE(s.ok()) << s.error().to_string();
    store_ = std::move(*s);
    store_->outbox().set_router([](const cg::Record&, const std::string&) {
      return std::vector<std::string>{"provincial", "city"};
    });
  }

  std::map<std::string, ReportEntry> report_on(const std::string& today, ReportFilter f = {}) {
    auto entries = cg::publicity::report(*store_, report_calendar(), f, today);
    EXPECT_TRUE(entries.ok()) << entries.error().to_string();
    std::map<std::string, ReportEntry> out;
    if (entries.ok())
      for (auto& e : *entries) out[e.row.record_id] = std::move(e);
    return out;
  }

  // Sets when a platform first accepted a record, as a day in the past would have.
  void accepted_at(const std::string& record_id, const std::string& at) {
    auto db = cg::sqlite::Db::open(path_);
    ASSERT_TRUE(db.ok());
    cg::sqlite::Stmt st(*db,
                        "UPDATE publicity SET accepted_at = ?2 WHERE rid = (SELECT rid FROM records WHERE "
                        "record_id = ?1)");
    st.bind(1, record_id).bind(2, at);
    ASSERT_TRUE(st.run().ok());
  }

  cg::test::TempDir dir_;
  std::string path_;
  std::unique_ptr<cg::store::Store> store_;
};

}  // namespace

TEST_F(PublicityReportTest, StatesReasonsAndFirstAcceptanceOfEachPlatform) {
  const cg::Record on_time = decided("1", "admin_penalty", "2025-12-25");
  const cg::Record waiting = decided("2", "admin_penalty", "2025-12-25");
  const cg::Record late = decided("3", "admin_license", "2026-01-05");
  const cg::Record rejected = decided("4", "admin_penalty", "2025-12-25");
  const cg::Record listed = decided("5", "dishonest_debtor", "2025-12-25");  // not a licence or penalty
  cg::store::IngestBatch b = cg::test::batch({on_time, waiting, late, rejected, listed});
  cg::QuarantineEntry held = cg::test::broken("<XK>6</XK>");
  held.department = "market_regulation";
  held.kind = "admin_license";
  held.record_id = cg::compute_record_id("market_regulation", "admin_license", "6");
  held.decided_on = "2025-12-31";
  b.quarantined = {held};
  ASSERT_TRUE(store_->records().ingest(b).ok());
  // Another region's penalty, pulled from the platform: not this region's to publish.
  ASSERT_TRUE(store_->records()
                  .ingest(cg::test::batch({decided("7", "admin_penalty", "2025-12-25")}, "platform:provincial"))
                  .ok());

  auto claimed = store_->outbox().claim_batch("provincial", 10);
  ASSERT_TRUE(claimed.ok());
  std::vector<cg::store::DeliveryOutcome> outcomes;
  for (const auto& e : claimed->entries) {
    if (e.record_id == rejected.record_id)
      outcomes.push_back({e.id, cg::store::DeliveryStatus::Rejected, "invalid_field", "decision", "bad, really"});
    else if (e.record_id != waiting.record_id)  // no answer for it: pending again
      outcomes.push_back({e.id, cg::store::DeliveryStatus::Accepted, "", "", ""});
  }
  ASSERT_TRUE(store_->outbox().complete_batch("provincial", *claimed, outcomes).ok());

  {  // the accepted dishonest debtor is not a licence or penalty: no acceptance kept for it
    auto db = cg::sqlite::Db::open(path_);
    ASSERT_TRUE(db.ok());
    cg::sqlite::Stmt kept(*db, "SELECT count(*) FROM publicity_accepted");
    ASSERT_TRUE(kept.step().ok());
    EXPECT_EQ(kept.col_int(0), 2);
  }
  const std::string today = cg::date_cst(std::chrono::system_clock::now());
  auto now = report_on("2026-01-04");
  ASSERT_EQ(now.size(), 5u) << "four stored licences and penalties and the quarantined licence";
  EXPECT_FALSE(now.count(listed.record_id));
  EXPECT_EQ(now.at(on_time.record_id).row.accepted_at.substr(0, 10), today);
  EXPECT_EQ(now.at(on_time.record_id).row.accepted.size(), 1u);
  EXPECT_EQ(now.at(on_time.record_id).row.accepted.at("provincial"), now.at(on_time.record_id).row.accepted_at);
  EXPECT_EQ(now.at(on_time.record_id).row.document_number, "广市监罚〔2025〕1号");

  const auto& w = now.at(waiting.record_id);
  EXPECT_EQ(w.timeliness.due_on, "2026-01-06");
  EXPECT_EQ(w.timeliness.state, "at_risk");
  EXPECT_EQ(w.timeliness.working_days_left, 2);
  EXPECT_EQ(w.reason, "waiting for delivery");
  const auto& r = now.at(rejected.record_id);
  EXPECT_EQ(r.timeliness.state, "at_risk");
  EXPECT_EQ(r.reason, "rejected by provincial: invalid_field bad, really");
  const auto& q = now.at(held.record_id);
  EXPECT_EQ(q.timeliness.due_on, "2026-01-12");
  EXPECT_EQ(q.timeliness.state, "at_risk") << "held in quarantine, with six working days left";
  EXPECT_GT(q.row.quarantine_id, 0);
  EXPECT_NE(q.reason.find("quarantined"), std::string::npos) << q.reason;
  EXPECT_NE(q.reason.find("invalid_uscc subject.uscc"), std::string::npos) << q.reason;

  EXPECT_EQ(report_on("2025-12-29").at(waiting.record_id).timeliness.state, "pending");
  EXPECT_EQ(report_on("2026-01-08").at(waiting.record_id).timeliness.state, "overdue");
  EXPECT_EQ(report_on("2026-01-08").at(waiting.record_id).timeliness.working_days_late, 2);

  accepted_at(on_time.record_id, "2026-01-06T23:59:59+08:00");
  accepted_at(late.record_id, "2026-01-15T09:00:00+08:00");
  now = report_on("2026-03-01");
  EXPECT_EQ(now.at(on_time.record_id).timeliness.state, "on_time");
  EXPECT_EQ(now.at(late.record_id).timeliness.due_on, "2026-01-14");
  EXPECT_EQ(now.at(late.record_id).timeliness.state, "late");
  EXPECT_EQ(now.at(late.record_id).timeliness.working_days_late, 1);
  EXPECT_TRUE(now.at(late.record_id).reason.empty());

  ReportFilter only_late;
  only_late.state = "late";
  EXPECT_EQ(report_on("2026-03-01", only_late).size(), 1u);
  ReportFilter from;
  from.from = "2025-12-26";
  EXPECT_EQ(report_on("2026-03-01", from).size(), 2u) << "the licence decided on the 5th and the quarantined one";
  ReportFilter other;
  other.department = "tax";
  EXPECT_TRUE(report_on("2026-03-01", other).empty());
  only_late.state = "late-ish";
  auto refused = cg::publicity::report(*store_, report_calendar(), only_late, "2026-03-01");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().where, "state");

  const std::string line = cg::publicity::to_csv_line(now.at(rejected.record_id));
  EXPECT_NE(line.find(",\"rejected by provincial: invalid_field bad, really\"\r\n"), std::string::npos) << line;
  EXPECT_EQ(cg::publicity::csv_header().substr(0, 10), "record_id,");

  // A platform's later acceptance does not move the first.
  ASSERT_TRUE(store_->records().ingest(cg::test::batch({decided("1", "admin_penalty", "2025-12-26")})).ok());
  auto again = store_->outbox().claim_batch("provincial", 10);
  std::vector<cg::store::DeliveryOutcome> all;
  for (const auto& e : again->entries) all.push_back({e.id, cg::store::DeliveryStatus::Accepted, "", "", ""});
  ASSERT_TRUE(store_->outbox().complete_batch("provincial", *again, all).ok());
  now = report_on("2026-03-01");
  EXPECT_EQ(now.at(on_time.record_id).row.accepted_at, "2026-01-06T23:59:59+08:00");
  EXPECT_EQ(now.at(on_time.record_id).row.decided_on, "2025-12-26") << "the decision date as the latest version has it";
}

TEST_F(PublicityReportTest, EachStateIsNotedAndAuditedOnce) {
  ASSERT_TRUE(store_->records().ingest(cg::test::batch({decided("1", "admin_penalty", "2025-12-25")})).ok());
  const std::string id = decided("1", "admin_penalty", "2025-12-25").record_id;
  auto first = store_->publicity().note({{id, "at_risk", "market_regulation", "admin_penalty"}}, "job:publicity",
                                        cg::now_rfc3339_cst());
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->size(), 1u);
  EXPECT_TRUE(store_->publicity()
                  .note({{id, "at_risk", "market_regulation", "admin_penalty"}}, "job:publicity", cg::now_rfc3339_cst())
                  ->empty());
  EXPECT_EQ(store_->publicity()
                .note({{id, "overdue", "market_regulation", "admin_penalty"}}, "job:publicity", cg::now_rfc3339_cst())
                ->size(),
            1u);
  auto audit = store_->audit().list(id, 10);
  ASSERT_TRUE(audit.ok());
  int noted = 0;
  for (const auto& a : *audit) noted += a.action == "publicity.noted";
  EXPECT_EQ(noted, 2);
}

TEST_F(PublicityReportTest, FirstAcceptancesAreCountedOnceOnTheirDayAndOverdueWhenFirstNoted) {
  const cg::Record a = decided("1", "admin_penalty", "2025-12-25");
  const cg::Record b = decided("2", "admin_license", "2026-06-01");
  ASSERT_TRUE(store_->records().ingest(cg::test::batch({a, b})).ok());
  for (const char* dest : {"provincial", "city"}) {  // the second platform's acceptance is not a first
    auto claimed = store_->outbox().claim_batch(dest, 10);
    ASSERT_TRUE(claimed.ok());
    std::vector<cg::store::DeliveryOutcome> outcomes;
    for (const auto& e : claimed->entries) outcomes.push_back({e.id, cg::store::DeliveryStatus::Accepted, "", "", ""});
    ASSERT_TRUE(store_->outbox().complete_batch(dest, *claimed, outcomes).ok());
  }
  const std::string today = cg::date_cst(std::chrono::system_clock::now());
  std::vector<std::pair<std::string, std::string>> asked;
  auto state_of = [&](const std::string& decided_on, const std::string& accepted_on) {
    asked.emplace_back(decided_on, accepted_on);
    return std::string(decided_on < "2026-01-01" ? "late" : "on_time");
  };
  EXPECT_EQ(*store_->publicity().count_first_acceptances(state_of, 1), 1u);
  EXPECT_EQ(*store_->publicity().count_first_acceptances(state_of, 10), 1u);
  EXPECT_EQ(*store_->publicity().count_first_acceptances(state_of, 10), 0u);
  ASSERT_EQ(asked.size(), 2u);
  EXPECT_EQ(asked[0], std::make_pair(std::string("2025-12-25"), today));

  for (int i = 0; i < 2; ++i)
    ASSERT_TRUE(
        store_->publicity()
            .note({{a.record_id, "overdue", a.source.department, a.kind}}, "job:publicity", cg::now_rfc3339_cst())
            .ok());
  cg::store::StatisticsQuery q;
  q.period = "day";
  q.by_kind = true;
  q.figure = "publicity:";
  auto rows = store_->statistics().query(q);
  ASSERT_TRUE(rows.ok()) << rows.error().to_string();
  std::map<std::string, int64_t> n;
  for (const auto& r : *rows) n[r.period + " " + r.figure + " " + r.kind] += r.n;
  const std::map<std::string, int64_t> want = {{today + " publicity:late admin_penalty", 1},
                                               {today + " publicity:on_time admin_license", 1},
                                               {today + " publicity:overdue admin_penalty", 1}};
  EXPECT_EQ(n, want);
}
