// The records port: versions, identical re-sends, exports.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "../route_to.hpp"
#include "store_port_test.hpp"

using cg::store::IngestBatch;
using cg::test::batch;
using cg::test::broken;
using cg::test::record;

CG_STORE_PORT_SUITE(RecordsTest);

TEST_P(RecordsTest, IdenticalResendChangesNothingChangedGetsNextVersion) {
  auto r1 = store_->records().ingest(batch({record("a"), record("b")}));
  ASSERT_TRUE(r1.ok());
  EXPECT_EQ(r1->created, 2u);
  auto r2 = store_->records().ingest(batch({record("a"), record("b")}));
  EXPECT_EQ(r2->unchanged, 2u);
  EXPECT_EQ(r2->created + r2->updated, 0u);
  auto r3 = store_->records().ingest(batch({record("a", 200)}));
  EXPECT_EQ(r3->updated, 1u);
  auto got = store_->records().get(record("a").record_id);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->record.version, 2);
  EXPECT_EQ((*got)->record.detail.fine_fen, 200);
  auto history = store_->records().history(record("a").record_id);
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].detail.fine_fen, 100);
  auto audit = store_->audit().list(record("a").record_id, 10);
  ASSERT_EQ(audit->size(), 2u);
  EXPECT_EQ((*audit)[0].action, "record.created");
  EXPECT_EQ((*audit)[1].action, "record.updated");
  EXPECT_EQ((*audit)[1].actor, "test");
  EXPECT_EQ((*audit)[1].detail,
            (nlohmann::json{{"kind", record("a").kind}, {"mapping", record("a").source.mapping.value_or("")}}));
}

TEST_P(RecordsTest, AnExportOfOneKindHasItsRecordsOnlyInRecordIdOrder) {
  std::vector<cg::Record> recs;
  for (const char* key : {"k1", "k2", "k3", "k4", "k5"}) recs.push_back(record(key));
  recs[1].kind = recs[3].kind = "admin_license";
  ASSERT_TRUE(store_->records().ingest(batch(recs)).ok());
  std::vector<std::string> licences, all;
  ASSERT_TRUE(store_->records()
                  .for_each("admin_license",
                            [&](const cg::store::StoredRecord& r) {
                              EXPECT_EQ(r.record.kind, "admin_license");
                              licences.push_back(r.record.record_id);
                            })
                  .ok());
  ASSERT_TRUE(store_->records()
                  .for_each("", [&](const cg::store::StoredRecord& r) { all.push_back(r.record.record_id); })
                  .ok());
  std::vector<std::string> expected = {recs[1].record_id, recs[3].record_id};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(licences, expected);
  EXPECT_EQ(all.size(), 5u);
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end()));
}

TEST_P(RecordsTest, ARecordTwiceInOneUnitIsCreatedThenUpdated) {
  // The ingest inserts first and looks up only when the record id is taken:
  // the second copy in the same transaction finds the first.
  auto r = store_->records().ingest(batch({record("a"), record("a", 999), record("a", 999)}));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->created, 1u);
  EXPECT_EQ(r->updated, 1u);
  EXPECT_EQ(r->unchanged, 1u);
  auto got = store_->records().get(record("a").record_id);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->record.version, 2);
  EXPECT_EQ(store_->outbox().stats("city")->pending, 2);  // one entry per version, the older superseded at claim
  EXPECT_EQ(store_->audit().list(record("a").record_id, 10)->size(), 2u);
}

// Texts that do not match the batch (records added after they were made)
// are not used: the store makes its own.
TEST_P(RecordsTest, TextsThatDoNotMatchTheBatchAreNotUsed) {
  IngestBatch b = batch({record("m1")});
  b.texts = cg::store::make_texts(b.records, b.quarantined);
  b.records.push_back(record("m2"));
  EXPECT_FALSE(b.texts_ready());
  auto r = store_->records().ingest(b);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->created, 2u);
  auto got = store_->records().get(record("m2").record_id);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->record.source.source_key, "m2");
}

TEST_P(RecordsTest, AVersionWrittenByARuleCarriesItsAuditOutboxAndFeedback) {
  ASSERT_TRUE(store_->records().ingest(batch({record("rule")})).ok());
  store_->feedback().set_router(cg::test::route_to([](const cg::Record&, const std::string& type) {
    return type == "status_changed" ? std::vector<std::string>{"court"} : std::vector<std::string>{};
  }));
  auto held = store_->records().get(record("rule").record_id);
  ASSERT_TRUE(held.ok() && held->has_value());
  cg::Record next = (*held)->record;
  next.version = 2;
  next.status = "repaired";
  cg::store::VersionWrite w{"sync:provincial",
                            "ch-9",
                            "local",
                            "status:repaired",
                            {{"type", "status_changed"}, {"from", "active"}, {"to", "repaired"}},
                            false};
  ASSERT_TRUE(store_->records().write_version(next, w).ok());
  auto now = store_->records().get(next.record_id);
  EXPECT_EQ((*now)->record.version, 2);
  EXPECT_EQ((*now)->record.status, "repaired");
  EXPECT_EQ(store_->records().history(next.record_id)->size(), 2u);
  auto audit = store_->audit().list(next.record_id, 10);
  ASSERT_EQ(audit->size(), 2u);
  EXPECT_EQ((*audit)[1].action, "record.status_changed");
  EXPECT_EQ((*audit)[1].actor, "sync:provincial");
  EXPECT_EQ((*audit)[1].source, "ch-9");
  EXPECT_EQ((*audit)[1].detail["event"]["to"], "repaired");
  auto items = store_->feedback().claim("court", 10, 60000);
  ASSERT_EQ(items->size(), 1u);
  EXPECT_EQ((*items)[0].version, 2);
  EXPECT_EQ((*items)[0].event["to"], "repaired");
  auto city = store_->outbox().claim_batch("city", 10);
  ASSERT_EQ(city->entries.size(), 1u) << "version 1, not sent yet, is superseded by version 2";
  EXPECT_EQ(city->entries.front().version, 2);
  // A new record written by a rule (another region's, pulled) is created as given.
  cg::Record pulled = record("pulled");
  pulled.version = 4;
  ASSERT_TRUE(store_->records()
                  .write_version(pulled, {"sync:provincial",
                                          "ch-10",
                                          "platform:provincial",
                                          "upsert:provincial",
                                          {{"type", "record_upsert"}},
                                          true})
                  .ok());
  auto got = store_->records().get(pulled.record_id);
  EXPECT_EQ((*got)->record.version, 4);
  EXPECT_EQ((*got)->origin, "platform:provincial");
  EXPECT_FALSE(store_->records()
                   .write_version(pulled, {"sync:provincial",
                                           "ch-11",
                                           "platform:provincial",
                                           "upsert:provincial",
                                           {{"type", "record_upsert"}},
                                           true})
                   .ok())
      << "created twice";
}

TEST_P(RecordsTest, ASubjectsRecordsAreFoundByUsccOrIdNumber) {
  cg::Record company = record("co1");
  cg::Record other = record("co2");
  other.subject.uscc = "91510802MA62TK1W0F";
  cg::Record person = record("p1");
  person.subject.type = "natural_person";
  person.subject.uscc.reset();
  person.subject.id_number = "510802199001011234";
  ASSERT_TRUE(store_->records().ingest(batch({company, other, person})).ok());
  auto by_uscc = store_->records().of_subject("91510802QEFLCR6390", "");
  ASSERT_TRUE(by_uscc.ok()) << by_uscc.error().to_string();
  ASSERT_EQ(by_uscc->size(), 1u);
  EXPECT_EQ(by_uscc->front().record.record_id, company.record_id);
  auto by_id = store_->records().of_subject("", "510802199001011234");
  ASSERT_EQ(by_id->size(), 1u);
  EXPECT_EQ(by_id->front().record.record_id, person.record_id);
  EXPECT_TRUE(store_->records().of_subject("", "510802199001019999")->empty());
}

TEST_P(RecordsTest, ActiveRecordsWhoseTermEndedAreListedForExpiry) {
  cg::Record ended = record("e1");
  ended.decision.valid_until = "2026-12-01";
  cg::Record unpublished = record("e2");
  unpublished.decision.publish_until = "2026-11-30";
  cg::Record running = record("e3");
  running.decision.valid_until = "2027-01-01";
  cg::Record open_ended = record("e4");
  ASSERT_TRUE(store_->records().ingest(batch({ended, unpublished, running, open_ended})).ok());
  auto due = store_->records().active_ending_before("2026-12-05");
  ASSERT_TRUE(due.ok()) << due.error().to_string();
  std::set<std::string> ids;
  for (const auto& r : *due) ids.insert(r.record.record_id);
  EXPECT_EQ(ids, (std::set<std::string>{ended.record_id, unpublished.record_id}));
  EXPECT_TRUE(store_->records().active_ending_before("2026-11-30")->empty()) << "before the end, not on it";
}

TEST_P(RecordsTest, ADepartmentsStatedStatusIsAVersionAndFinalOnesStay) {
  store_->feedback().set_router(cg::test::route_to([](const cg::Record&, const std::string& type) {
    return type == "status_changed" ? std::vector<std::string>{"finance"} : std::vector<std::string>{};
  }));
  const cg::Record listed = record("own");
  ASSERT_TRUE(store_->records().ingest(batch({listed})).ok());
  // 移出: the department states expired, with the removal fields.
  cg::Record removed = listed;
  removed.status = "expired";
  removed.detail.removed_on = "2026-11-20";
  removed.detail.removal_reason = "补报年报";
  auto r1 = store_->records().ingest(batch({removed}));
  ASSERT_TRUE(r1.ok());
  EXPECT_EQ(r1->updated, 1u);
  auto now = store_->records().get(listed.record_id);
  EXPECT_EQ((*now)->record.status, "expired");
  EXPECT_EQ((*now)->record.version, 2);
  EXPECT_EQ((*now)->record.detail.removed_on, "2026-11-20");
  auto audit = store_->audit().list(listed.record_id, 10);
  ASSERT_EQ(audit->size(), 2u);
  EXPECT_EQ((*audit)[1].action, "record.status_changed");
  EXPECT_EQ((*audit)[1].detail["event"]["change_type"], "department");
  EXPECT_EQ((*audit)[1].detail["event"]["from"], "active");
  EXPECT_EQ((*audit)[1].detail["event"]["to"], "expired");
  auto items = store_->feedback().claim("finance", 10, 60000);
  ASSERT_EQ(items->size(), 1u) << "the catalog's departments are told, as of a platform's change";
  EXPECT_EQ((*items)[0].version, 2);
  auto sent = store_->outbox().claim_batch("provincial", 10);
  ASSERT_FALSE(sent->entries.empty());
  EXPECT_EQ(sent->entries.back().version, 2);
  // Final for the feed: the record re-sent as in force, or with other
  // content, changes nothing.
  auto r2 = store_->records().ingest(batch({listed, record("own", 999)}));
  EXPECT_EQ(r2->unchanged, 2u);
  EXPECT_EQ((*store_->records().get(listed.record_id))->record.version, 2);
}

TEST_P(RecordsTest, AResendStatingNothingKeepsASuspensionAndAStatedOneEndsIt) {
  const cg::Record r = record("held");
  ASSERT_TRUE(store_->records().ingest(batch({r})).ok());
  cg::Record suspended = r;
  suspended.version = 2;
  suspended.status = "suspended";
  ASSERT_TRUE(store_->records()
                  .write_version(suspended, {"sync:provincial",
                                             "ch-1",
                                             "local",
                                             "status:suspended",
                                             {{"type", "status_changed"}, {"from", "active"}, {"to", "suspended"}},
                                             false})
                  .ok());
  // The same content as in force: nothing; other content: a version, still suspended.
  EXPECT_EQ(store_->records().ingest(batch({r}))->unchanged, 1u);
  EXPECT_EQ(store_->records().ingest(batch({record("held", 300)}))->updated, 1u);
  auto now = store_->records().get(r.record_id);
  EXPECT_EQ((*now)->record.version, 3);
  EXPECT_EQ((*now)->record.status, "suspended");
  // 撤销 by the department takes effect at once under an objection.
  cg::Record revoked = record("held", 300);
  revoked.status = "revoked";
  revoked.detail.extra["revocation_reason"] = "决定撤销";
  EXPECT_EQ(store_->records().ingest(batch({revoked}))->updated, 1u);
  now = store_->records().get(r.record_id);
  EXPECT_EQ((*now)->record.version, 4);
  EXPECT_EQ((*now)->record.status, "revoked");
}

TEST_P(RecordsTest, TheSameContentAgainDoesNotUndoWhatARuleChanged) {
  const cg::Record sent = record("ruled");
  ASSERT_TRUE(store_->records().ingest(batch({sent})).ok());
  // An objection rejected: the platform's rule moves valid_until later.
  cg::Record moved = sent;
  moved.version = 2;
  moved.decision.valid_until = "2099-01-08";
  ASSERT_TRUE(store_->records()
                  .write_version(moved, {"sync:provincial",
                                         "ch-2",
                                         "local",
                                         "status:active",
                                         {{"type", "status_changed"}, {"from", "suspended"}, {"to", "active"}},
                                         false})
                  .ok());
  EXPECT_EQ(store_->records().ingest(batch({sent}))->unchanged, 1u) << "the department's own content, again";
  auto now = store_->records().get(sent.record_id);
  EXPECT_EQ((*now)->record.version, 2);
  EXPECT_EQ((*now)->record.decision.valid_until, "2099-01-08");
  // New content from the department is a new version of it.
  EXPECT_EQ(store_->records().ingest(batch({record("ruled", 500)}))->updated, 1u);
  EXPECT_EQ((*store_->records().get(sent.record_id))->record.version, 3);
}
