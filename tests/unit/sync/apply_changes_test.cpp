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

TEST_P(ApplyChangesTest, InvalidChangesAreCountedAndTheRestAppliedOrKept) {
  const cg::Record r = record("mixed");
  ASSERT_TRUE(store_->records().ingest(batch({r})).ok());
  json page = json::array({change("ch-3", "teleport", r.record_id), change("ch-4", "revocation", "no-such-record"),
                           json("not an object"), change("ch-5", "revocation", r.record_id)});
  auto applied = cg::sync::apply_changes(*store_, "provincial", page, "", "sync:provincial");
  ASSERT_TRUE(applied.ok()) << applied.error().to_string();
  EXPECT_EQ((*applied)["counts"]["invalid"], 2) << applied->dump();
  EXPECT_EQ((*applied)["counts"]["waiting"], 1);
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

// platform-api.md §4: a change about a record the gateway does not hold yet
// is kept, counted and shown, and applied once, in order, when it arrives.
TEST_P(ApplyChangesTest, ChangesThatComeBeforeTheirRecordAreKeptAndAppliedInOrderWhenItArrives) {
  const cg::Record late = record("late");
  const json first = json::array(
      {change("w-1", "objection_opened", late.record_id, {{"objection_id", "o-9"}}),
       change("w-2", "objection_resolved", late.record_id, {{"objection_id", "o-9"}, {"outcome", "rejected"}})});
  auto kept = cg::sync::apply_changes(*store_, "provincial", first, "c-w1", "sync:provincial");
  ASSERT_TRUE(kept.ok()) << kept.error().to_string();
  EXPECT_EQ((*kept)["counts"]["waiting"], 2) << kept->dump();
  EXPECT_EQ(*store_->sync().waiting_count(), 2);
  auto again = cg::sync::apply_changes(*store_, "provincial", first, "c-w1", "sync:provincial");
  EXPECT_EQ((*again)["counts"]["repeated"], 2) << "a kept change sent again is kept once";
  EXPECT_EQ(*store_->sync().waiting_count(), 2);

  // The record arrives from its department; the next page applies what waited, in order.
  ASSERT_TRUE(store_->records().ingest(batch({late})).ok());
  auto next = cg::sync::apply_changes(*store_, "provincial", json::array(), "c-w2", "sync:provincial");
  ASSERT_TRUE(next.ok()) << next.error().to_string();
  EXPECT_EQ((*next)["counts"]["applied"], 2) << next->dump();
  EXPECT_EQ(*store_->sync().waiting_count(), 0);
  auto history = store_->records().history(late.record_id);
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ((*history)[1].status, "suspended");
  EXPECT_EQ((*history)[2].status, "active") << "the objection opened, then was resolved";
  auto audit = store_->audit().list(late.record_id, 20);
  int applied_changes = 0;
  for (const auto& a : *audit)
    applied_changes += a.action == "sync.change" && a.detail.value("outcome", "") != cg::store::kWaitingOutcome;
  EXPECT_EQ(applied_changes, 2);
}

TEST_P(ApplyChangesTest, AKeptChangeIsAppliedBeforeALaterOneAboutItsRecord) {
  cg::Record other = record("upserted-late");
  const json kept = json::array({change("k-1", "revocation", other.record_id, {{"reason", "撤销"}})});
  ASSERT_TRUE(cg::sync::apply_changes(*store_, "provincial", kept, "c-k1", "sync:provincial").ok());
  // The record comes from the platform itself, in the same page as nothing else.
  json upsert = {{"change_id", "k-2"},
                 {"type", "record_upsert"},
                 {"at", "2026-11-02T09:00:00+08:00"},
                 {"record", cg::to_json(other)}};
  auto page = cg::sync::apply_changes(*store_, "provincial", json::array({upsert}), "c-k2", "sync:provincial");
  ASSERT_TRUE(page.ok()) << page.error().to_string();
  EXPECT_EQ((*page)["counts"]["applied"], 2) << page->dump();
  EXPECT_EQ((*store_->records().get(other.record_id))->record.status, "revoked");
  EXPECT_EQ(*store_->sync().waiting_count(), 0);
}
