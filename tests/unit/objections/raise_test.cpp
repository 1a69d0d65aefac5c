// Raising an objection: the body checked field by field, the record and
// version held here, one objection per raiser and version.
#include "objections/raise.hpp"

#include <gtest/gtest.h>

#include "../store/store_port_test.hpp"

using cg::test::batch;
using cg::test::record;
using nlohmann::json;

CG_STORE_PORT_SUITE(RaiseObjectionTest);

namespace {

const cg::objections::RaiseCall kProcurement{"procurement", "department:procurement/zfcg", "2026-12-05"};

std::string objection_refusal(cg::store::Store& s, const json& body, std::string* where = nullptr) {
  auto r = cg::objections::raise_objection(s, kProcurement, body.dump());
  if (r.ok()) return "";
  if (where) *where = r.error().where;
  return r.error().code;
}

}  // namespace

TEST_P(RaiseObjectionTest, ABodyIsCheckedFieldByField) {
  const cg::Record r = record("objected");
  ASSERT_TRUE(store_->records().ingest(batch({r})).ok());
  std::string where;
  EXPECT_EQ(objection_refusal(*store_, json::array()), "bad_request");
  EXPECT_EQ(objection_refusal(*store_, {{"reason", "x"}}, &where), "bad_request");
  EXPECT_EQ(where, "record_id");
  EXPECT_EQ(objection_refusal(*store_, {{"record_id", r.record_id}, {"reason", "   "}}, &where), "bad_request");
  EXPECT_EQ(where, "reason");
  EXPECT_EQ(objection_refusal(*store_, {{"record_id", r.record_id}, {"reason", std::string(2001, 'x')}}),
            "bad_request");
  EXPECT_EQ(objection_refusal(*store_, {{"record_id", r.record_id}, {"reason", "x"}, {"colour", 1}}, &where),
            "bad_request");
  EXPECT_EQ(where, "colour");
  EXPECT_EQ(objection_refusal(*store_, {{"record_id", "nosuch"}, {"reason", "x"}}), "unknown_record");
  EXPECT_EQ(objection_refusal(*store_, {{"record_id", r.record_id}, {"reason", "x"}, {"version", 2}}),
            "unknown_version");
  EXPECT_EQ(objection_refusal(*store_, {{"record_id", r.record_id}, {"reason", "x"}, {"version", "1"}}), "bad_request");
  EXPECT_TRUE(store_->objections().list({})->empty());
  EXPECT_EQ(cg::objections::http_status_of("unknown_record"), 404);
  EXPECT_EQ(cg::objections::http_status_of("conflict"), 409);
}

TEST_P(RaiseObjectionTest, OneObjectionPerRaiserAndVersion) {
  const cg::Record r = record("objected");
  ASSERT_TRUE(store_->records().ingest(batch({r})).ok());
  const json body = {{"record_id", r.record_id}, {"reason", " 被执行人已履行完毕 "}};
  auto first = cg::objections::raise_objection(*store_, kProcurement, body.dump());
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  EXPECT_EQ((*first)["version"], 1);
  EXPECT_EQ((*first)["state"], "pending");
  EXPECT_FALSE((*first)["duplicate"].get<bool>());
  auto again = cg::objections::raise_objection(*store_, kProcurement, body.dump());
  EXPECT_TRUE((*again)["duplicate"].get<bool>());
  EXPECT_EQ((*again)["objection_id"], (*first)["objection_id"]);
  EXPECT_EQ(objection_refusal(*store_, {{"record_id", r.record_id}, {"reason", "另一理由"}}), "conflict");
  const cg::objections::RaiseCall op{"operator", "operator:bob", "2026-12-05"};
  auto other = cg::objections::raise_objection(*store_, op, body.dump());
  ASSERT_TRUE(other.ok());
  EXPECT_NE((*other)["objection_id"], (*first)["objection_id"]) << "another raiser, another objection";
  auto held = store_->objections().get((*first)["objection_id"].get<std::string>());
  EXPECT_EQ((*held)->reason, "被执行人已履行完毕") << "kept trimmed";
  EXPECT_EQ((*held)->raised_on, "2026-12-05");
  EXPECT_EQ(store_->objections().list({})->size(), 2u);
}

TEST_P(RaiseObjectionTest, ADepartmentObjectsOnlyToARecordItWasSent) {
  store_->feedback().set_router([](const cg::Record& r, const std::string&, const std::string&, const std::string&) {
    cg::store::FeedbackRoute route;
    route.department = "procurement";
    return r.record_id == record("sent").record_id ? std::vector<cg::store::FeedbackRoute>{route}
                                                   : std::vector<cg::store::FeedbackRoute>{};
  });
  const cg::Record sent = record("sent"), other = record("other");
  ASSERT_TRUE(store_->records().ingest(batch({sent, other})).ok());
  cg::objections::RaiseCall dept = kProcurement;
  dept.must_hold_item = true;
  auto refused =
      cg::objections::raise_objection(*store_, dept, json{{"record_id", other.record_id}, {"reason", "x"}}.dump());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "not_sent");
  EXPECT_EQ(cg::objections::http_status_of("not_sent"), 403);
  EXPECT_TRUE(
      cg::objections::raise_objection(*store_, dept, json{{"record_id", sent.record_id}, {"reason", "x"}}.dump()).ok());
  dept.raised_by = "finance";
  EXPECT_EQ(cg::objections::raise_objection(*store_, dept, json{{"record_id", sent.record_id}, {"reason", "x"}}.dump())
                .error()
                .code,
            "not_sent")
      << "another department's item does not count";
  EXPECT_TRUE(cg::objections::raise_objection(*store_, kProcurement,
                                              json{{"record_id", other.record_id}, {"reason", "x"}}.dump())
                  .ok())
      << "an operator's call objects to any record";
}
