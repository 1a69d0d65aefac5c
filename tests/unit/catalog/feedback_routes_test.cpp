// Which departments a record version goes back to, by the shipped catalog.
#include "catalog/feedback_routes.hpp"

#include <gtest/gtest.h>

#include "../test_support.hpp"
#include "catalog/catalog_loader.hpp"

namespace {

using Departments = std::vector<std::string>;

Departments routes(const std::string& kind, const std::string& subject_type, const std::string& department,
                   const std::string& event, const std::string& origin = "local") {
  static const auto router = [] {
    auto c = cg::catalog::load_catalog(cg::test::source_dir() + "/config/catalog.json",
                                       {"court", "tax", "market_regulation", "procurement", "finance", "approval"});
    if (!c.ok()) throw std::runtime_error(c.error().message);
    return cg::catalog::make_feedback_router(*c);
  }();
  cg::Record r;
  r.kind = kind;
  r.subject.type = subject_type;
  r.source.department = department;
  return router(r, event, origin);
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

}  // namespace
