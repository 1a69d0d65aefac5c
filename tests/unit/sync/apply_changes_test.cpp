// A page of the platform's change feed applied: the lifecycle rules, each
// change once, the cursor with the changes it covers.
#include "sync/apply_changes.hpp"

#include <gtest/gtest.h>

#include "../route_to.hpp"
#include "../store/store_port_test.hpp"
#include "record/record.hpp"

using cg::test::batch;
using cg::test::record;
using nlohmann::json;

CG_STORE_PORT_SUITE(ApplyChangesTest);

namespace {

json change(const std::string& id, const std::string& type, const std::string& record_id, json extra = json::object()) {
  json c = {{"change_id", id}, {"type", type}, {"at", "2026-11-02T09:00:00+08:00"}, {"record_id", record_id}};
  for (auto& [k, v] : extra.items()) c[k] = v;
  return c;
}

}  // namespace

TEST_P(ApplyChangesTest, AnObjectionSuspendsTheRecordAsANewVersionSentOnAndAudited) {
  const cg::Record r = record("obj");
  ASSERT_TRUE(store_->records().ingest(batch({r})).ok());
  store_->feedback().set_router(cg::test::route_to([](const cg::Record&, const std::string& type) {
    return type == "status_changed" ? std::vector<std::string>{"market_regulation"} : std::vector<std::string>{};
  }));
  auto page = cg::sync::apply_changes(
      *store_, "provincial", json::array({change("ch-1", "objection_opened", r.record_id, {{"objection_id", "o-1"}})}),
      "cursor-1", "sync:provincial");
  ASSERT_TRUE(page.ok()) << page.error().to_string();
  EXPECT_EQ((*page)["counts"]["applied"], 1) << page->dump();
  auto held = store_->records().get(r.record_id);
  EXPECT_EQ((*held)->record.status, "suspended");
  EXPECT_EQ((*held)->record.version, 2);
  EXPECT_EQ(store_->sync().cursor("provincial")->value_or(""), "cursor-1");
  EXPECT_TRUE(*store_->sync().applied("ch-1"));
  auto items = store_->feedback().claim("market_regulation", 10, 60000);
  ASSERT_EQ(items->size(), 1u);
  EXPECT_EQ((*items)[0].event["from"], "active");
  EXPECT_EQ((*items)[0].event["to"], "suspended");
  EXPECT_EQ((*items)[0].event["change_id"], "ch-1");
  auto audit = store_->audit().list(r.record_id, 10);
  ASSERT_EQ(audit->size(), 3u);
  EXPECT_EQ((*audit)[1].action, "record.status_changed");
  EXPECT_EQ((*audit)[2].action, "sync.change");
  // The new version goes to the platforms; the local record also to the one that sent the change.
  auto city = store_->outbox().claim_batch("city", 10);
  EXPECT_EQ(city->entries.back().version, 2);
}

TEST_P(ApplyChangesTest, AChangeSeenAgainIsNotAppliedTwice) {
  const cg::Record r = record("twice");
  ASSERT_TRUE(store_->records().ingest(batch({r})).ok());
  const json page = json::array({change("ch-2", "revocation", r.record_id, {{"reason", "撤销"}})});
  ASSERT_TRUE(cg::sync::apply_changes(*store_, "provincial", page, "c-1", "sync:provincial").ok());
  auto again = cg::sync::apply_changes(*store_, "provincial", page, "c-2", "sync:provincial");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)["counts"]["repeated"], 1);
  EXPECT_EQ((*again)["counts"]["applied"], 0);
  EXPECT_EQ(store_->records().history(r.record_id)->size(), 2u);
  EXPECT_EQ(store_->sync().cursor("provincial")->value_or(""), "c-2");
}

TEST_P(ApplyChangesTest, InvalidAndUnknownChangesAreCountedAndTheRestApplied) {
  const cg::Record r = record("mixed");
  ASSERT_TRUE(store_->records().ingest(batch({r})).ok());
  json page = json::array({change("ch-3", "teleport", r.record_id), change("ch-4", "revocation", "no-such-record"),
                           json("not an object"), change("ch-5", "revocation", r.record_id)});
  auto applied = cg::sync::apply_changes(*store_, "provincial", page, "", "sync:provincial");
  ASSERT_TRUE(applied.ok()) << applied.error().to_string();
  EXPECT_EQ((*applied)["counts"]["invalid"], 2) << applied->dump();
  EXPECT_EQ((*applied)["counts"]["unknown_record"], 1);
  EXPECT_EQ((*applied)["counts"]["applied"], 1);
  EXPECT_TRUE(*store_->sync().applied("ch-3")) << "an invalid change is not offered again";
  EXPECT_FALSE(store_->sync().cursor("provincial")->has_value()) << "no cursor given: none saved";
  EXPECT_EQ((*store_->records().get(r.record_id))->record.status, "revoked");
}

TEST_P(ApplyChangesTest, ARecordFromAnotherRegionIsStoredWhenNewerAndNotSentBackToItsPlatform) {
  cg::Record other = record("elsewhere");
  other.version = 3;
  json upsert = {{"change_id", "ch-6"},
                 {"type", "record_upsert"},
                 {"at", "2026-11-02T09:00:00+08:00"},
                 {"record", cg::to_json(other)}};
  auto stored = cg::sync::apply_changes(*store_, "provincial", json::array({upsert}), "c-6", "sync:provincial");
  ASSERT_TRUE(stored.ok()) << stored.error().to_string();
  EXPECT_EQ((*stored)["counts"]["applied"], 1) << stored->dump();
  auto held = store_->records().get(other.record_id);
  ASSERT_TRUE(held->has_value());
  EXPECT_EQ((*held)->record.version, 3);
  EXPECT_EQ((*held)->origin, "platform:provincial");
  EXPECT_TRUE(store_->outbox().claim_batch("provincial", 10)->entries.empty());
  EXPECT_EQ(store_->outbox().claim_batch("city", 10)->entries.size(), 1u);
  upsert["change_id"] = "ch-7";
  auto older = cg::sync::apply_changes(*store_, "provincial", json::array({upsert}), "c-7", "sync:provincial");
  EXPECT_EQ((*older)["counts"]["no_change"], 1);
}
