// The local objections port: kept once per raiser, record and version,
// listed, answered by the platform, audited.
#include <gtest/gtest.h>

#include "store_port_test.hpp"

using cg::store::Objection;
using cg::store::RaiseOutcome;

CG_STORE_PORT_SUITE(ObjectionsTest);

namespace {

Objection objection(const std::string& record_id, const std::string& raised_by, const std::string& reason) {
  Objection o;
  o.objection_id = cg::store::objection_id(raised_by, record_id, 1);
  o.record_id = record_id;
  o.version = 1;
  o.raised_by = raised_by;
  o.actor = raised_by == "operator" ? "operator:alice" : "department:" + raised_by + "/system";
  o.raised_on = "2026-12-05";
  o.reason = reason;
  return o;
}

}  // namespace

TEST_P(ObjectionsTest, OneObjectionPerRaiserRecordAndVersionKeptAndAudited) {
  const Objection o = objection("r-1", "procurement", "主体名称与营业执照不符");
  EXPECT_EQ(o.objection_id.rfind("ob-", 0), 0u);
  EXPECT_NE(o.objection_id, cg::store::objection_id("finance", "r-1", 1)) << "another department: another objection";
  EXPECT_EQ(*store_->objections().raise(o), RaiseOutcome::Raised);
  EXPECT_EQ(*store_->objections().raise(o), RaiseOutcome::Duplicate);
  EXPECT_EQ(*store_->objections().raise(objection("r-1", "procurement", "另一理由")), RaiseOutcome::Conflict);
  auto held = store_->objections().get(o.objection_id);
  ASSERT_TRUE(held.ok() && held->has_value());
  EXPECT_EQ((*held)->state, "pending");
  EXPECT_EQ((*held)->reason, "主体名称与营业执照不符");
  EXPECT_EQ((*held)->actor, "department:procurement/system");
  EXPECT_FALSE((*held)->created_at.empty());
  auto audit = store_->audit().list("r-1", 10);
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ((*audit)[0].action, "objection.raised");
  EXPECT_EQ((*audit)[0].source, o.objection_id);
}

TEST_P(ObjectionsTest, ThePlatformsAnswerIsKeptAndOnlyAnAnswerIsAudited) {
  const Objection a = objection("r-1", "procurement", "理由一");
  const Objection b = objection("r-2", "operator", "理由二");
  ASSERT_TRUE(store_->objections().raise(a).ok());
  ASSERT_TRUE(store_->objections().raise(b).ok());
  EXPECT_EQ(*store_->objections().counts(), (std::map<std::string, int64_t>{{"pending", 2}}));
  ASSERT_TRUE(store_->objections().answered(a.objection_id, "pending", "HTTP 503").ok());
  ASSERT_TRUE(store_->objections().answered(a.objection_id, "opened", "").ok());
  ASSERT_TRUE(store_->objections().answered(b.objection_id, "refused", "404 the platform holds no such record").ok());
  EXPECT_FALSE(store_->objections().answered(a.objection_id, "resolved", "").ok()) << "not an answer";
  EXPECT_FALSE(store_->objections().answered("ob-none", "opened", "").ok());
  auto got = store_->objections().get(a.objection_id);
  EXPECT_EQ((*got)->state, "opened");
  EXPECT_EQ((*got)->attempts, 2);
  cg::store::ObjectionFilter pending;
  pending.state = "pending";
  EXPECT_TRUE(store_->objections().list(pending)->empty());
  cg::store::ObjectionFilter refused;
  refused.state = "refused";
  auto r = store_->objections().list(refused);
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].record_id, "r-2");
  EXPECT_EQ((*r)[0].answer, "404 the platform holds no such record");
  EXPECT_EQ(store_->objections().list({})->size(), 2u);
  EXPECT_EQ(*store_->objections().counts(), (std::map<std::string, int64_t>{{"opened", 1}, {"refused", 1}}));
  auto audit = store_->audit().list("r-1", 10);
  ASSERT_EQ(audit->size(), 2u) << "raised, opened: the try that got no answer is not an entry";
  EXPECT_EQ((*audit)[1].action, "objection.opened");
}
