// The execution feedback port: reports kept once, the items they answer, and
// their relay to the platforms as a batch queue.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "store_port_test.hpp"

using cg::store::DeliveryOutcome;
using cg::store::DeliveryStatus;
using cg::store::FeedbackReport;
using cg::store::ReportOutcome;
using cg::test::batch;
using cg::test::record;

CG_STORE_PORT_SUITE(FeedbackReportsTest);

namespace {

// One item for finance with two measures, for each record ingested, whose
// versions go to both platforms.
void route_two_measures(cg::store::Store& s) {
  s.outbox().set_router([](const cg::Record&, const std::string&) {
    return std::vector<std::string>{"provincial", "city"};
  });
  s.feedback().set_router([](const cg::Record&, const std::string&, const std::string&, const std::string&) {
    cg::store::FeedbackRoute route;
    route.department = "finance";
    route.catalog = "510800-2026@3";
    route.measures = nlohmann::json::array({{{"measure_id", "P-FIN-01"}}, {{"measure_id", "P-FIN-02"}}});
    route.due_on = "2000-01-03";
    return std::vector<cg::store::FeedbackRoute>{route};
  });
}

std::vector<cg::store::FeedbackItem> items(cg::store::Store& s, const std::string& state) {
  cg::store::ItemFilter f;
  f.department = "finance";
  f.state = state;
  f.today = "2026-12-04";
  auto out = s.feedback().items(f);
  EXPECT_TRUE(out.ok()) << out.error().to_string();
  return out.ok() ? *out : std::vector<cg::store::FeedbackItem>{};
}

// The platform `dest` takes every record version waiting for it.
void deliver(cg::store::Store& s, const std::string& dest) {
  auto b = s.outbox().claim_batch(dest, 1000);
  ASSERT_TRUE(b.ok()) << b.error().to_string();
  std::vector<DeliveryOutcome> accepted;
  for (const auto& e : b->entries) accepted.push_back({e.id, DeliveryStatus::Accepted, "", "", ""});
  ASSERT_TRUE(s.outbox().complete_batch(dest, *b, accepted).ok());
}

FeedbackReport report(const cg::store::FeedbackItem& item, const std::string& measure, const std::string& id) {
  FeedbackReport r;
  r.feedback_id = id;
  r.department = "finance";
  r.item_id = item.id;
  r.record_id = item.record_id;
  r.version = item.version;
  r.catalog = item.catalog;
  r.measure_id = measure;
  r.action = "applied";
  r.on = "2026-12-03";
  r.case_ref = "CZ-2026-7";
  r.actor = "department:finance/ledger";
  return r;
}

}  // namespace

TEST_P(FeedbackReportsTest, AnItemIsPendingUntilEachOfItsMeasuresIsReportedOn) {
  route_two_measures(*store_);
  ASSERT_TRUE(store_->records().ingest(batch({record("rep0")})).ok());
  auto pending = items(*store_, "pending");
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_FALSE(pending[0].answered);
  ASSERT_EQ(items(*store_, "overdue").size(), 1u);

  auto& reports = store_->feedback_reports();
  auto first = reports.add(report(pending[0], "P-FIN-01", "fb-aaaaaaaa01"), {"provincial"});
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  EXPECT_EQ(*first, ReportOutcome::Accepted);
  EXPECT_EQ(items(*store_, "pending").size(), 1u) << "one measure of two is answered";

  EXPECT_EQ(*reports.add(report(pending[0], "P-FIN-02", "fb-aaaaaaaa02"), {"provincial"}), ReportOutcome::Accepted);
  EXPECT_TRUE(items(*store_, "pending").empty());
  EXPECT_TRUE(items(*store_, "overdue").empty()) << "an answered item is not overdue";
  auto all = items(*store_, "all");
  ASSERT_EQ(all.size(), 1u);
  EXPECT_TRUE(all[0].answered);

  // The same report again changes nothing; with other content it is refused.
  EXPECT_EQ(*reports.add(report(pending[0], "P-FIN-02", "fb-aaaaaaaa02"), {"provincial"}), ReportOutcome::Duplicate);
  auto other = report(pending[0], "P-FIN-02", "fb-aaaaaaaa02");
  other.on = "2026-12-01";
  EXPECT_EQ(*reports.add(other, {"provincial"}), ReportOutcome::Conflict);

  cg::store::ReportFilter f;
  f.department = "finance";
  auto held = reports.list(f);
  ASSERT_TRUE(held.ok()) << held.error().to_string();
  ASSERT_EQ(held->size(), 2u);
  EXPECT_EQ((*held)[1].report.on, "2026-12-03") << "the first report stands";
  EXPECT_EQ((*held)[1].report.actor, "department:finance/ledger");
  ASSERT_EQ((*held)[1].relay.size(), 1u);
  EXPECT_EQ((*held)[1].relay[0], (std::pair<std::string, std::string>{"provincial", "pending"}));
  // Each accepted report is audited on its record.
  auto audit = store_->audit().list(pending[0].record_id, 100);
  ASSERT_TRUE(audit.ok());
  int reported = 0;
  for (const auto& a : *audit) reported += a.action == "feedback.reported";
  EXPECT_EQ(reported, 2);
}

TEST_P(FeedbackReportsTest, TheRelayResendsAnUnansweredBatchAsItWasAndKeepsWhatThePlatformRefused) {
  route_two_measures(*store_);
  ASSERT_TRUE(store_->records().ingest(batch({record("rep1")})).ok());
  auto item = items(*store_, "pending").at(0);
  auto& reports = store_->feedback_reports();
  ASSERT_TRUE(reports.add(report(item, "P-FIN-01", "fb-bbbbbbbb01"), {"provincial", "city"}).ok());
  ASSERT_TRUE(reports.add(report(item, "P-FIN-02", "fb-bbbbbbbb02"), {"provincial"}).ok());

  EXPECT_TRUE(reports.claim_batch("provincial", 10)->entries.empty())
      << "a report waits until the platform holds its record";
  deliver(*store_, "provincial");
  auto b = reports.claim_batch("provincial", 10);
  ASSERT_TRUE(b.ok()) << b.error().to_string();
  ASSERT_EQ(b->entries.size(), 2u);
  EXPECT_EQ(b->entries[0].feedback_id, "fb-bbbbbbbb01");
  EXPECT_EQ(b->entries[0].record_id, item.record_id);
  auto body = nlohmann::json::parse(b->entries[0].body);
  EXPECT_EQ(body["measure_id"], "P-FIN-01");
  EXPECT_EQ(body["catalog"], "510800-2026@3");
  EXPECT_EQ(body["case_ref"], "CZ-2026-7");
  EXPECT_FALSE(body.contains("note")) << "an empty note is not sent";

  // No answer: the same batch, same id and entries, once its retry is due.
  ASSERT_TRUE(reports.retry_batch("provincial", b->batch_id, 0, "timeout").ok());
  auto again = reports.claim_batch("provincial", 1);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->batch_id, b->batch_id);
  EXPECT_EQ(again->entries.size(), 2u) << "a batch keeps its content whatever the size asked";
  EXPECT_EQ(again->attempts, 1);
  ASSERT_TRUE(reports.retry_batch("provincial", b->batch_id, 60000, "503").ok());
  EXPECT_TRUE(reports.claim_batch("provincial", 10)->entries.empty()) << "nothing jumps a batch waiting to retry";

  // Answered: one delivered, one refused (kept, with the platform's error).
  std::vector<DeliveryOutcome> outcomes = {
      {again->entries[0].id, DeliveryStatus::Accepted, "", "", ""},
      {again->entries[1].id, DeliveryStatus::Rejected, "unknown_record", "record_id", "no such record"}};
  ASSERT_TRUE(reports.complete_batch("provincial", *again, outcomes).ok());
  EXPECT_TRUE(reports.claim_batch("provincial", 10)->entries.empty());
  auto stats = reports.relay_stats("provincial");
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->pending, 0);
  EXPECT_EQ(stats->dead, 1);
  auto held = reports.list({});
  ASSERT_TRUE(held.ok());
  EXPECT_EQ((*held)[0].relay,
            (std::vector<std::pair<std::string, std::string>>{{"city", "pending"}, {"provincial", "delivered"}}));
  EXPECT_EQ((*held)[1].relay[0].second, "dead: unknown_record");

  // Each destination has its own queue.
  deliver(*store_, "city");
  auto city = reports.claim_batch("city", 10);
  ASSERT_TRUE(city.ok());
  ASSERT_EQ(city->entries.size(), 1u);
  EXPECT_NE(city->batch_id, b->batch_id);
  EXPECT_EQ(reports.relay_stats("city")->pending, 1);
}

TEST_P(FeedbackReportsTest, AReleasedBatchGoesOutAgainUnderANewId) {
  route_two_measures(*store_);
  ASSERT_TRUE(store_->records().ingest(batch({record("rep2")})).ok());
  auto item = items(*store_, "pending").at(0);
  auto& reports = store_->feedback_reports();
  ASSERT_TRUE(reports.add(report(item, "P-FIN-01", "fb-cccccccc01"), {"provincial"}).ok());
  deliver(*store_, "provincial");
  cg::store::BusyBatches busy;
  auto b = reports.claim_batch("provincial", 10, busy, 1);
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b->entries.size(), 1u);
  EXPECT_TRUE(busy.contains(b->batch_id));
  EXPECT_TRUE(reports.claim_batch("provincial", 10, busy, 1)->entries.empty()) << "a batch being sent is not offered";
  ASSERT_TRUE(reports.release_batch("provincial", b->batch_id).ok());
  busy.erase(b->batch_id);
  auto next = reports.claim_batch("provincial", 10, busy, 1);
  ASSERT_TRUE(next.ok());
  ASSERT_EQ(next->entries.size(), 1u);
  EXPECT_NE(next->batch_id, b->batch_id);
}

TEST_P(FeedbackReportsTest, AnOverdueItemIsFoundOnceAndCountedUntilItsDepartmentReports) {
  route_two_measures(*store_);  // due 2000-01-03
  ASSERT_TRUE(store_->records().ingest(batch({record("late0"), record("late1")})).ok());
  auto& items_port = store_->feedback();
  EXPECT_TRUE(items_port.note_overdue("2000-01-03", 10)->empty()) << "due that day: not overdue yet";
  EXPECT_TRUE(items_port.overdue_counts("2000-01-03")->empty());

  auto found = items_port.note_overdue("2026-12-04", 10);
  ASSERT_TRUE(found.ok()) << found.error().to_string();
  ASSERT_EQ(found->size(), 2u);
  EXPECT_EQ((*found)[0].department, "finance");
  EXPECT_EQ((*found)[0].due_on, "2000-01-03");
  EXPECT_TRUE(items_port.note_overdue("2026-12-04", 10)->empty()) << "each is found once";
  auto audit = store_->audit().list((*found)[0].record_id, 100);
  ASSERT_TRUE(audit.ok());
  EXPECT_TRUE(std::any_of(audit->begin(), audit->end(), [](const auto& a) { return a.action == "feedback.overdue"; }));

  EXPECT_EQ(*items_port.overdue_counts("2026-12-04"), (std::map<std::string, int64_t>{{"finance", 2}}));
  for (const char* m : {"P-FIN-01", "P-FIN-02"})
    ASSERT_TRUE(
        store_->feedback_reports().add(report((*found)[0], m, std::string("fb-late-0-") + m), {"provincial"}).ok());
  EXPECT_EQ(*items_port.overdue_counts("2026-12-04"), (std::map<std::string, int64_t>{{"finance", 1}}))
      << "an item answered late is no longer overdue";
  cg::store::ItemFilter every;
  every.state = "overdue";
  every.today = "2026-12-04";
  auto listed = items_port.items(every);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u) << "operators list every department's";
  EXPECT_EQ((*listed)[0].id, (*found)[1].id);

  // Counted: the items by the catalog version that routed them, each found
  // overdue once, the answers given after the due date as late.
  cg::store::StatisticsQuery q;
  q.period = "year";
  q.by_department = true;
  auto rows = store_->statistics().query(q);
  ASSERT_TRUE(rows.ok()) << rows.error().to_string();
  std::map<std::string, int64_t> n;
  for (const auto& r : *rows)
    if (r.figure.rfind("items", 0) != 0 && r.figure != "received" && r.figure != "created")
      n[r.figure + " " + r.department] += r.n;
  ASSERT_EQ(n.size(), 3u) << ::testing::PrintToString(n);
  EXPECT_EQ(n["feedback:overdue finance"], 2);
  EXPECT_EQ(n["feedback:late finance"], 2);
  EXPECT_EQ(n.begin()->first.rfind("catalog:", 0), 0u);
  EXPECT_EQ(n.begin()->second, 2);
}
