// Which departments a record version goes back to, by the shipped catalog.
#include "catalog/feedback_routes.hpp"

#include <gtest/gtest.h>

#include "../test_support.hpp"
#include "catalog/catalog_loader.hpp"
#include "common/jsonc.hpp"

namespace {

using Departments = std::vector<std::string>;
using cg::store::FeedbackRoute;

std::vector<FeedbackRoute> route_items(const std::string& kind, const std::string& subject_type,
                                       const std::string& department, const std::string& event,
                                       const std::string& origin = "local", const std::string& today = "2026-09-24") {
  static const auto router = [] {
    auto c = cg::catalog::load_catalog(cg::test::source_dir() + "/config/catalog.json",
                                       {"court", "tax", "market_regulation", "procurement", "finance", "approval"});
    if (!c.ok()) throw std::runtime_error(c.error().message);
    auto days = cg::calendar::WorkingDays::load_dir(cg::test::source_dir() + "/config/calendar");
    if (!days.ok()) throw std::runtime_error(days.error().message);
    return cg::catalog::make_feedback_router(cg::catalog::CatalogHistory(*c), std::move(*days));
  }();
  cg::Record r;
  r.kind = kind;
  r.subject.type = subject_type;
  r.source.department = department;
  return router(r, event, origin, today);
}

Departments routes(const std::string& kind, const std::string& subject_type, const std::string& department,
                   const std::string& event, const std::string& origin = "local") {
  Departments out;
  for (const auto& x : route_items(kind, subject_type, department, event, origin)) out.push_back(x.department);
  return out;
}

std::vector<std::string> measure_ids(const FeedbackRoute& x) {
  std::vector<std::string> out;
  for (const auto& m : x.measures) out.push_back(m.at("measure_id"));
  return out;
}

TEST(FeedbackRoutes, ARecordGoesToTheDepartmentsThatImplementItsMeasures) {
  EXPECT_EQ(routes("dishonest_debtor", "legal_person", "court", "new_version"),
            (Departments{"procurement", "finance", "approval"}));
  // P-PPP-01 is for legal persons only; finance still has P-FIN-01.
  EXPECT_EQ(routes("dishonest_debtor", "natural_person", "court", "new_version"),
            (Departments{"procurement", "finance", "approval"}));
  EXPECT_EQ(routes("procurement_violation", "natural_person", "procurement", "new_version"), Departments{});
  EXPECT_EQ(routes("procurement_violation", "legal_person", "procurement", "new_version"), Departments{"finance"});
  EXPECT_EQ(routes("red_list", "legal_person", "tax", "new_version"), (Departments{"approval", "finance"}));
  EXPECT_EQ(routes("admin_penalty", "legal_person", "market_regulation", "new_version"), Departments{});
}

TEST(FeedbackRoutes, TheDepartmentThatMadeARecordGetsItsStatusChangesNotItsOwnRecords) {
  EXPECT_EQ(routes("serious_dishonesty", "legal_person", "market_regulation", "new_version"),
            (Departments{"procurement", "finance", "approval"}));
  EXPECT_EQ(routes("serious_dishonesty", "legal_person", "market_regulation", "status_changed"),
            (Departments{"market_regulation", "procurement", "finance", "approval"}));
  EXPECT_EQ(routes("abnormal_operation", "legal_person", "market_regulation", "status_changed"),
            Departments{"market_regulation"});
  // Another region's record, from the platform: the implementing department is told.
  EXPECT_EQ(routes("abnormal_operation", "legal_person", "market_regulation", "new_version", "platform:provincial"),
            Departments{"market_regulation"});
}

TEST(FeedbackRoutes, AnItemNamesTheMeasuresItsDepartmentImplementsTheCatalogAndItsWorkingDayDeadline) {
  // Thursday 2026-09-24: 25 Sep to 7 Oct is the Mid-Autumn and National Day holiday, Saturday 10 Oct is worked.
  auto items = route_items("dishonest_debtor", "legal_person", "court", "new_version");
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].department, "procurement");
  EXPECT_EQ(measure_ids(items[0]), Departments{"P-PROC-01"});
  EXPECT_EQ(items[0].measures[0].at("type"), "punishment");
  EXPECT_EQ(items[0].measures[0].at("name"), "限制参与政府采购活动");
  EXPECT_FALSE(items[0].measures[0].at("basis").get<std::string>().empty());
  EXPECT_EQ(items[0].catalog, "510800-2026@3");
  EXPECT_EQ(items[0].due_on, "2026-10-09");  // 5 working days: 28, 29, 30 Sep, 8, 9 Oct
  EXPECT_EQ(items[1].department, "finance");
  EXPECT_EQ(measure_ids(items[1]), (Departments{"P-FIN-01", "P-PPP-01"}));
  EXPECT_EQ(items[1].due_on, "2026-10-15");  // 10: ..., 9 Oct, Saturday 10 Oct, 12 to 15 Oct
  EXPECT_EQ(items[2].department, "approval");
  EXPECT_EQ(measure_ids(items[2]), Departments{"P-LIC-01"});
  EXPECT_EQ(items[2].due_on, "2026-10-09");
}

TEST(FeedbackRoutes, AStatusChangeOfItsOwnRecordReachesTheDepartmentWithTheMeasuresItImplementsOnly) {
  auto own = route_items("abnormal_operation", "legal_person", "market_regulation", "status_changed");
  ASSERT_EQ(own.size(), 1u);
  EXPECT_EQ(measure_ids(own[0]), Departments{"P-MR-01"});  // it implements P-MR-01 itself: to lift it
  auto told = route_items("admin_penalty", "legal_person", "market_regulation", "status_changed");
  ASSERT_EQ(told.size(), 1u);
  EXPECT_TRUE(told[0].measures.empty());
  EXPECT_EQ(told[0].due_on, "") << "nothing to report back, no deadline";
}

TEST(FeedbackRoutes, ADeadlineInAYearWithoutACalendarIsLeftOpenNotGuessedAndTheItemIsStillMade) {
  auto items = route_items("dishonest_debtor", "legal_person", "court", "new_version", "local", "2026-12-21");
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].due_on, "2026-12-28");  // 5 working days: 22 to 25, 28 Dec
  EXPECT_EQ(items[1].due_on, "") << "10 working days end in 2027, which has no calendar here";
  EXPECT_EQ(measure_ids(items[1]), (Departments{"P-FIN-01", "P-PPP-01"}));
}

TEST(FeedbackRoutes, ACommitmentTriggersTheMeasuresOfItsWhenOnlyOnceBreached) {
  auto shipped = cg::JsoncDocument::load_file(cg::test::source_dir() + "/config/catalog.json");
  ASSERT_TRUE(shipped.ok());
  auto j = shipped->value();
  j["lists"]["credit_commitment"] = {{"name", "信用承诺"}, {"type", "watch"}, {"provider", "any"}};
  j["measures"].push_back({{"measure_id", "P-CN-01"},
                           {"name", "违诺主体不再适用告知承诺制"},
                           {"type", "punishment"},
                           {"applies_to", {"credit_commitment"}},
                           {"subject_types", {"legal_person", "natural_person"}},
                           {"implementing", {"approval"}},
                           {"scenarios", {"license"}},
                           {"basis", "《国务院办公厅关于全面推行证明事项告知承诺制的指导意见》"},
                           {"when", {{"detail.commitment_status", "breached"}}},
                           {"feedback_within_working_days", 5}});
  auto doc = cg::JsoncDocument::parse("catalog.json", j.dump(1));
  ASSERT_TRUE(doc.ok());
  auto c = cg::catalog::load_catalog_document(
      *doc, {"court", "tax", "market_regulation", "procurement", "finance", "approval"});
  ASSERT_TRUE(c.ok()) << c.error().message;
  auto days = cg::calendar::WorkingDays::load_dir(cg::test::source_dir() + "/config/calendar");
  ASSERT_TRUE(days.ok());
  auto router = cg::catalog::make_feedback_router(cg::catalog::CatalogHistory(*c), std::move(*days));
  cg::Record r;
  r.kind = "credit_commitment";
  r.subject.type = "legal_person";
  r.source.department = "market_regulation";
  r.detail.commitment_status = "pending";
  EXPECT_TRUE(router(r, "new_version", "local", "2026-11-02").empty());
  r.detail.commitment_status = "breached";
  auto items = router(r, "new_version", "local", "2026-11-02");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].department, "approval");
  EXPECT_EQ(measure_ids(items[0]), Departments{"P-CN-01"});
  EXPECT_EQ(items[0].due_on, "2026-11-09");
}

}  // namespace
