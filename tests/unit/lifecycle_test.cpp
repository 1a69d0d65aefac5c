#include "lifecycle/lifecycle.hpp"

#include <gtest/gtest.h>

using namespace cg::lifecycle;

namespace {

cg::Record penalty() {
  cg::Record r;
  r.record_id = "2923549580d1fb0125de3e848acc36c1";
  r.version = 1;
  r.status = "active";
  r.kind = "admin_penalty";
  r.decision.decided_on = "2024-01-17";
  r.decision.valid_until = "2025-01-17";
  return r;
}

Change lifecycle_change(const std::string& type, const std::string& at, const std::string& outcome = "") {
  nlohmann::json j = {
      {"change_id", "c"}, {"type", type}, {"at", at}, {"record_id", "2923549580d1fb0125de3e848acc36c1"}};
  if (!outcome.empty()) j["outcome"] = outcome;
  return parse_change(j).value();
}

}  // namespace

TEST(Lifecycle, RejectedObjectionMovesValidUntilByTheTimeSuspended) {
  auto s =
      apply_change(penalty(), lifecycle_change("objection_opened", "2024-10-13T10:00:00+08:00"), std::nullopt, "now");
  ASSERT_TRUE(s->changed);
  EXPECT_EQ(s->next.status, "suspended");
  EXPECT_EQ(s->next.version, 2);
  auto r = apply_change(s->next, lifecycle_change("objection_resolved", "2024-10-23T10:00:00+08:00", "rejected"),
                        "2024-10-13T10:00:00+08:00", "now");
  EXPECT_EQ(r->next.status, "active");
  EXPECT_EQ(r->next.version, 3);
  EXPECT_EQ(r->next.decision.valid_until, "2025-01-27");
}

TEST(Lifecycle, UpheldObjectionRevokesRepairAndRevocation) {
  auto s =
      apply_change(penalty(), lifecycle_change("objection_opened", "2024-10-13T10:00:00+08:00"), std::nullopt, "now");
  auto up = apply_change(s->next, lifecycle_change("objection_resolved", "2024-10-14T10:00:00+08:00", "upheld"),
                         std::nullopt, "now");
  EXPECT_EQ(up->next.status, "revoked");
  auto rep = apply_change(penalty(), lifecycle_change("repair", "2024-10-14T10:00:00+08:00"), std::nullopt, "now");
  EXPECT_EQ(rep->next.status, "repaired");
  auto rev = apply_change(penalty(), lifecycle_change("revocation", "2024-10-14T10:00:00+08:00"), std::nullopt, "now");
  EXPECT_EQ(rev->next.status, "revoked");
  // A revoked record stays revoked.
  auto again = apply_change(rev->next, lifecycle_change("repair", "2024-10-15T10:00:00+08:00"), std::nullopt, "now");
  EXPECT_FALSE(again->changed);
}

TEST(Lifecycle, ObjectionOnlyOnAnActiveRecord) {
  auto r = penalty();
  r.status = "repaired";
  EXPECT_FALSE(
      apply_change(r, lifecycle_change("objection_opened", "2024-10-13T10:00:00+08:00"), std::nullopt, "now")->changed);
}

TEST(Lifecycle, ExpiryOfActiveRecordsOnly) {
  auto r = penalty();
  EXPECT_FALSE(expire(r, "2025-01-17", "now"));
  auto e = expire(r, "2025-01-18", "now");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->status, "expired");
  EXPECT_EQ(e->version, 2);
  r.status = "suspended";  // the clock stops during an objection
  EXPECT_FALSE(expire(r, "2026-01-01", "now"));
  r.status = "active";
  r.decision.valid_until.reset();
  EXPECT_FALSE(expire(r, "2099-01-01", "now"));  // open-ended
}

TEST(Lifecycle, DaysBetweenUsesChinaStandardTime) {
  EXPECT_EQ(days_between("2024-10-13T10:00:00+08:00", "2024-10-14T10:00:00+08:00"), 1);
  EXPECT_EQ(days_between("2024-10-13T15:59:00Z", "2024-10-13T16:01:00Z"), 1);  // midnight CST between them
  EXPECT_EQ(add_days("2024-02-28", 2), "2024-03-01");
}

TEST(Lifecycle, BadChangesAreRefused) {
  EXPECT_FALSE(parse_change({{"change_id", "x"}, {"type", "teleport"}, {"record_id", "r"}}).ok());
  EXPECT_FALSE(
      parse_change({{"change_id", "x"}, {"type", "objection_resolved"}, {"record_id", "r"}, {"outcome", "maybe"}})
          .ok());
  EXPECT_FALSE(parse_change({{"type", "repair"}, {"record_id", "r"}}).ok());
}
