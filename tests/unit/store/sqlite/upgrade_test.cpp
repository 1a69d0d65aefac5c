// Store files of older schemas upgraded with nothing lost.
#include <gtest/gtest.h>

#include <filesystem>

#include "../store_port_test.hpp"
#include "common/clock.hpp"
#include "common/hash.hpp"
#include "store/sqlite/db.hpp"
#include "store/sqlite/schema.hpp"

using cg::store::IngestBatch;
using cg::test::batch;
using cg::test::broken;
using cg::test::record;

TEST(StoreUpgrade, AVersion1StoreKeepsItsPendingAndDeadEntries) {
  cg::test::TempDir dir;
  std::string path = dir.file("old.db");
  {
    auto db = cg::sqlite::Db::open(path);
    ASSERT_TRUE(db.ok());
    // The tables of schema 1 that changed, as the first release wrote them.
    ASSERT_TRUE(db->exec(R"SQL(
      CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
      INSERT INTO meta VALUES('schema_version', '1');
      CREATE TABLE records(record_id TEXT PRIMARY KEY, version INTEGER NOT NULL, kind TEXT NOT NULL,
        department TEXT NOT NULL, status TEXT NOT NULL, subject_uscc TEXT, subject_id_number TEXT,
        origin TEXT NOT NULL DEFAULT 'local', digest TEXT NOT NULL, body TEXT NOT NULL, updated_at TEXT NOT NULL);
      CREATE INDEX records_kind ON records(kind);
      INSERT INTO records VALUES('r1', 1, 'admin_penalty', 'court', 'active', NULL, NULL, 'local', 'd', '{"v":1}', 'x'),
                                ('r2', 1, 'admin_penalty', 'court', 'active', NULL, NULL, 'local', 'd', '{"v":2}', 'x'),
                                ('r3', 1, 'admin_penalty', 'court', 'active', NULL, NULL, 'local', 'd', '{"v":3}', 'x');
      CREATE TABLE record_versions(record_id TEXT NOT NULL, version INTEGER NOT NULL, body TEXT NOT NULL,
        cause TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY(record_id, version));
      INSERT INTO record_versions VALUES('r1', 1, '{"v":1}', 'created', 'x'), ('r2', 1, '{"v":2}', 'created', 'x'),
                                        ('r3', 1, '{"v":3}', 'created', 'x');
      CREATE TABLE outbox(id INTEGER PRIMARY KEY AUTOINCREMENT, destination TEXT NOT NULL, record_id TEXT NOT NULL,
        version INTEGER NOT NULL, body TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'pending', batch_id TEXT,
        attempts INTEGER NOT NULL DEFAULT 0, next_attempt_ms INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL,
        created_ms INTEGER NOT NULL, finished_at TEXT, error_code TEXT, error_field TEXT, error_message TEXT,
        last_error TEXT);
      CREATE INDEX outbox_due ON outbox(destination, state, next_attempt_ms, id);
      INSERT INTO outbox(destination, record_id, version, body, state, batch_id, created_at, created_ms)
        VALUES('city', 'r1', 1, '{"v":1}', 'inflight', 'b-old', 'x', 1),
              ('city', 'r2', 1, '{"v":2}', 'pending', NULL, 'x', 2);
      INSERT INTO outbox(destination, record_id, version, body, state, attempts, created_at, created_ms, finished_at,
                         error_code, error_field)
        VALUES('city', 'r3', 1, '{"v":3}', 'dead', 3, 'x', 3, '2026-11-20T10:00:00+08:00', 'invalid_uscc', 'subject.uscc');
    )SQL"));
  }
  auto s = cg::store::open_sqlite_store(path);
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  auto b = (*s)->outbox().claim_batch("city", 10);
  ASSERT_TRUE(b.ok()) << b.error().to_string();
  ASSERT_EQ(b->entries.size(), 2u);
  EXPECT_EQ(b->entries[0].record_id, "r1");
  EXPECT_EQ(b->entries[0].body, R"({"v":1})");
  EXPECT_EQ(b->entries[1].record_id, "r2");
  auto dead = (*s)->outbox().dead_letters({"city", "", "", "", "", std::nullopt, 10});
  ASSERT_EQ(dead->size(), 1u);
  EXPECT_EQ((*dead)[0].record_id, "r3");
  EXPECT_EQ((*dead)[0].error_field, "subject.uscc");
  EXPECT_EQ((*dead)[0].attempts, 3);
  EXPECT_EQ((*dead)[0].body, R"({"v":3})");
  // Upgraded on to schema 3: every record kept, the bodies above joined by rid.
  EXPECT_EQ(*(*s)->records().count(), 3);
  s->reset();
  // Opened again: nothing to upgrade, nothing lost.
  auto again = cg::store::open_sqlite_store(path);
  ASSERT_TRUE(again.ok()) << again.error().to_string();
  EXPECT_EQ((*again)->outbox().stats("city")->inflight, 2);
}

TEST(StoreUpgrade, AStoreFromANewerGatewayIsRefused) {
  cg::test::TempDir dir;
  std::string path = dir.file("new.db");
  {
    auto db = cg::sqlite::Db::open(path);
    ASSERT_TRUE(
        db->exec("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                 "INSERT INTO meta VALUES('schema_version', '99');"));
  }
  auto s = cg::store::open_sqlite_store(path);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("newer"), std::string::npos) << s.error().message;
}

TEST(StoreUpgrade, AVersion2StoreIsKeyedByRidWithNothingLost) {
  cg::test::TempDir dir;
  std::string path = dir.file("v2.db");
  cg::Record a1 = record("a"), a2 = record("a", 200), b1 = record("b");
  a2.version = 2;
  {
    auto db = cg::sqlite::Db::open(path);
    ASSERT_TRUE(db.ok());
    // The tables of schema 2 that changed, as release 2 wrote them.
    ASSERT_TRUE(db->exec(R"SQL(
      CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
      INSERT INTO meta VALUES('schema_version', '2');
      CREATE TABLE records(record_id TEXT PRIMARY KEY, version INTEGER NOT NULL, kind TEXT NOT NULL,
        department TEXT NOT NULL, status TEXT NOT NULL, subject_uscc TEXT, subject_id_number TEXT,
        origin TEXT NOT NULL DEFAULT 'local', digest TEXT NOT NULL, updated_at TEXT NOT NULL);
      CREATE INDEX records_kind ON records(kind);
      CREATE INDEX records_uscc ON records(subject_uscc);
      CREATE INDEX records_id_number ON records(subject_id_number);
      CREATE TABLE record_versions(record_id TEXT NOT NULL, version INTEGER NOT NULL, body TEXT NOT NULL,
        cause TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY(record_id, version));
      CREATE TABLE audit(id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL,
        action TEXT NOT NULL, record_id TEXT, version INTEGER, source TEXT, detail TEXT);
      CREATE INDEX audit_record ON audit(record_id);
      CREATE TABLE outbox(id INTEGER PRIMARY KEY AUTOINCREMENT, destination TEXT NOT NULL, record_id TEXT NOT NULL,
        version INTEGER NOT NULL, created_ms INTEGER NOT NULL);
      CREATE INDEX outbox_destination ON outbox(destination, id);
      CREATE TABLE outbox_batches(batch_id TEXT PRIMARY KEY, destination TEXT NOT NULL, first_id INTEGER NOT NULL,
        last_id INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_ms INTEGER NOT NULL DEFAULT 0,
        last_error TEXT);
      CREATE TABLE delivered(destination TEXT NOT NULL, record_id TEXT NOT NULL, version INTEGER NOT NULL,
        delivered_on TEXT NOT NULL, PRIMARY KEY(destination, record_id));
      CREATE INDEX delivered_day ON delivered(destination, delivered_on);
    )SQL"));
    cg::sqlite::Stmt rec(*db,
                         "INSERT INTO records VALUES(?, ?, 'admin_penalty', 'market_regulation', 'active', "
                         "'91510802QEFLCR6390', NULL, 'local', 'd', 'x')");
    cg::sqlite::Stmt ver(*db, "INSERT INTO record_versions VALUES(?, ?, ?, 'created', 'x')");
    for (const auto* r : {&a2, &b1}) ASSERT_TRUE(rec.reset().bind(1, r->record_id).bind(2, r->version).run());
    for (const auto* r : {&a1, &a2, &b1})
      ASSERT_TRUE(ver.reset().bind(1, r->record_id).bind(2, r->version).bind(3, cg::to_json_text(*r)).run());
    cg::sqlite::Stmt rest(*db, R"SQL(
      INSERT INTO outbox(id, destination, record_id, version, created_ms) VALUES(8, 'city', ?1, 2, 1), (9, 'city', ?2, 1, 2);
      )SQL");
    ASSERT_TRUE(rest.bind(1, a2.record_id).bind(2, b1.record_id).run());
    ASSERT_TRUE(
        db->exec("INSERT INTO outbox_batches(batch_id, destination, first_id, last_id, attempts) "
                 "VALUES('b-old', 'city', 8, 9, 2); UPDATE sqlite_sequence SET seq = 20 WHERE name = 'outbox';"));
    cg::sqlite::Stmt del(*db, "INSERT INTO delivered VALUES('provincial', ?, 1, '2026-11-20')");
    ASSERT_TRUE(del.bind(1, b1.record_id).run());
    cg::sqlite::Stmt aud(*db, "INSERT INTO audit(at, actor, action, record_id, version) VALUES('x', 't', ?, ?, ?)");
    ASSERT_TRUE(aud.reset().bind(1, "record.created").bind(2, a1.record_id).bind(3, int64_t{1}).run());
    ASSERT_TRUE(aud.reset().bind(1, "quarantine.added").bind(2, "r-never-stored").bind_null(3).run());
    ASSERT_TRUE(aud.reset().bind(1, "record.updated").bind(2, a2.record_id).bind(3, int64_t{2}).run());
  }
  auto s = cg::store::open_sqlite_store(path);
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  // The batch in flight goes out again with its id and its two records.
  auto b = (*s)->outbox().claim_batch("city", 10);
  ASSERT_TRUE(b.ok()) << b.error().to_string();
  EXPECT_EQ(b->batch_id, "b-old");
  ASSERT_EQ(b->entries.size(), 2u);
  EXPECT_EQ(b->entries[0].record_id, a2.record_id);
  EXPECT_EQ(b->entries[0].body, cg::to_json_text(a2));
  EXPECT_EQ(b->entries[1].record_id, b1.record_id);
  EXPECT_EQ(b->attempts, 2);
  auto history = (*s)->records().history(a1.record_id);
  ASSERT_TRUE(history.ok()) << history.error().to_string();
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[1].detail.fine_fen, 200);
  auto day = (*s)->outbox().delivered_on("provincial", "2026-11-20");
  ASSERT_EQ(day->count, 1);
  EXPECT_EQ(day->records[0].first, b1.record_id);
  EXPECT_EQ((*s)->audit().list(a1.record_id, 10)->size(), 2u);
  EXPECT_EQ((*s)->audit().list("r-never-stored", 10)->size(), 1u);
  // New entries continue after the old ids (batches are id ranges).
  (*s)->outbox().set_router([](const cg::Record&, const std::string&) { return std::vector<std::string>{"city"}; });
  ASSERT_TRUE((*s)->records().ingest({"t", "unit", "local", 0, {record("c")}, {}, {}, "", "", "", {}}).ok());
  ASSERT_TRUE((*s)->outbox()
                  .complete_batch("city", *b,
                                  {{b->entries[0].id, cg::store::DeliveryStatus::Accepted, "", "", ""},
                                   {b->entries[1].id, cg::store::DeliveryStatus::Accepted, "", "", ""}})
                  .ok());
  auto next = (*s)->outbox().claim_batch("city", 10);
  ASSERT_EQ(next->entries.size(), 1u);
  EXPECT_GT(next->entries[0].id, 20);
}

// The tables of schemas 3 and 4 that the upgrades read, as those releases
// wrote them: the records, their versions, and the outbox.
const char* const kRecordTablesV3 = R"SQL(
  CREATE TABLE records(rid INTEGER PRIMARY KEY, record_id TEXT NOT NULL UNIQUE, version INTEGER NOT NULL,
    kind TEXT NOT NULL, department TEXT NOT NULL, status TEXT NOT NULL, subject_uscc TEXT,
    subject_id_number TEXT, origin TEXT NOT NULL DEFAULT 'local', digest TEXT NOT NULL, updated_at TEXT NOT NULL);
  CREATE INDEX records_kind ON records(kind);
  CREATE TABLE record_versions(rid INTEGER NOT NULL, version INTEGER NOT NULL, body TEXT NOT NULL,
    cause TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY(rid, version));
  CREATE TABLE outbox(id INTEGER PRIMARY KEY AUTOINCREMENT, destination TEXT NOT NULL, rid INTEGER NOT NULL,
    version INTEGER NOT NULL, created_ms INTEGER NOT NULL);
  CREATE INDEX outbox_destination ON outbox(destination, id);
)SQL";

TEST(StoreUpgrade, AVersion3StoreKeepsItsAuditAndDeliveriesInTheLeanerTables) {
  cg::test::TempDir dir;
  std::string path = dir.file("v3.db");
  cg::Record company = record("c");
  cg::Record person = record("p");
  person.subject.type = "natural_person";
  person.subject.uscc.reset();
  person.subject.id_type = "resident_id";
  person.subject.id_number = "110101199003074477";
  {
    auto db = cg::sqlite::Db::open(path);
    ASSERT_TRUE(db.ok());
    // The tables of schema 3 that changed, as release 3 wrote them.
    ASSERT_TRUE(db->exec(std::string(kRecordTablesV3) + R"SQL(
      CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
      INSERT INTO meta VALUES('schema_version', '3');
      CREATE INDEX records_uscc ON records(subject_uscc);
      CREATE INDEX records_id_number ON records(subject_id_number);
      CREATE TABLE audit(id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL,
        action TEXT NOT NULL, record_id TEXT, version INTEGER, source TEXT, detail TEXT, rid INTEGER);
      CREATE INDEX audit_rid ON audit(rid);
      CREATE INDEX audit_unstored ON audit(record_id) WHERE rid IS NULL AND record_id IS NOT NULL;
      CREATE TABLE delivered(destination TEXT NOT NULL, rid INTEGER NOT NULL, version INTEGER NOT NULL,
        delivered_on TEXT NOT NULL, PRIMARY KEY(destination, rid));
      CREATE INDEX delivered_day ON delivered(destination, delivered_on);
    )SQL"));
    cg::sqlite::Stmt rec(*db,
                         "INSERT INTO records VALUES(?, ?, 1, 'admin_penalty', 'market_regulation', 'active', "
                         "?, ?, 'local', 'd', 'x')");
    cg::sqlite::Stmt ver(*db, "INSERT INTO record_versions VALUES(?, 1, ?, 'created', 'x')");
    int64_t rid = 1;
    for (const auto* r : {&company, &person}) {
      ASSERT_TRUE(rec.reset()
                      .bind(1, rid)
                      .bind(2, r->record_id)
                      .bind_opt(3, r->subject.uscc)
                      .bind_opt(4, r->subject.id_number)
                      .run());
      ASSERT_TRUE(ver.reset().bind(1, rid).bind(2, cg::to_json_text(*r)).run());
      ++rid;
    }
    cg::sqlite::Stmt aud(*db,
                         "INSERT INTO audit(id, at, actor, action, record_id, version, rid) "
                         "VALUES(?, 'x', 't', ?, ?, ?, ?)");
    ASSERT_TRUE(aud.reset()
                    .bind(1, int64_t{5})
                    .bind(2, "record.created")
                    .bind(3, company.record_id)
                    .bind(4, int64_t{1})
                    .bind(5, int64_t{1})
                    .run());
    ASSERT_TRUE(aud.reset()
                    .bind(1, int64_t{7})
                    .bind(2, "quarantine.added")
                    .bind(3, "r-never-stored")
                    .bind_null(4)
                    .bind_null(5)
                    .run());
    ASSERT_TRUE(aud.reset()
                    .bind(1, int64_t{9})
                    .bind(2, "record.created")
                    .bind(3, person.record_id)
                    .bind(4, int64_t{1})
                    .bind(5, int64_t{2})
                    .run());
    ASSERT_TRUE(
        db->exec("INSERT INTO delivered VALUES('provincial', 1, 1, '2026-11-20'), "
                 "('provincial', 2, 1, '2026-11-21'), ('city', 1, 1, '2026-11-20');"));
  }
  auto s = cg::store::open_sqlite_store(path);
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  // Every audit entry kept, with its id, found by record as before.
  auto a = (*s)->audit().list(company.record_id, 10);
  ASSERT_TRUE(a.ok()) << a.error().to_string();
  ASSERT_EQ(a->size(), 1u);
  EXPECT_EQ((*a)[0].id, 5);
  EXPECT_EQ((*s)->audit().list("r-never-stored", 10)->size(), 1u);
  EXPECT_EQ((*s)->audit().list(person.record_id, 10)->at(0).id, 9);
  // Every delivery kept.
  EXPECT_EQ((*s)->outbox().delivered_on("provincial", "2026-11-20")->count, 1);
  EXPECT_EQ((*s)->outbox().delivered_on("provincial", "2026-11-21")->count, 1);
  EXPECT_EQ((*s)->outbox().delivered_on("city", "2026-11-20")->records.at(0).first, company.record_id);
  // Subjects found through the partial indexes.
  auto by_uscc = (*s)->records().of_subject("91510802QEFLCR6390", "");
  ASSERT_TRUE(by_uscc.ok()) << by_uscc.error().to_string();
  ASSERT_EQ(by_uscc->size(), 1u);
  EXPECT_EQ((*by_uscc)[0].record.record_id, company.record_id);
  auto by_id = (*s)->records().of_subject("", "110101199003074477");
  ASSERT_EQ(by_id->size(), 1u);
  EXPECT_EQ((*by_id)[0].record.record_id, person.record_id);
  // New audit entries continue after the old ids.
  ASSERT_TRUE((*s)->records().ingest({"t", "unit", "local", 0, {record("n")}, {}, {}, "", "", "", {}}).ok());
  auto fresh = (*s)->audit().list(record("n").record_id, 10);
  ASSERT_EQ(fresh->size(), 1u);
  EXPECT_GT((*fresh)[0].id, 9);
  s->reset();

  auto db = cg::sqlite::Db::open(path);
  ASSERT_TRUE(db.ok());
  auto sql_of = [&](const std::string& name) {
    cg::sqlite::Stmt q(*db, "SELECT sql FROM sqlite_master WHERE name = ?");
    q.bind(1, name);
    auto row = q.step();
    return row.ok() && *row ? q.col_text(0) : std::string();
  };
  EXPECT_NE(sql_of("delivered").find("WITHOUT ROWID"), std::string::npos) << sql_of("delivered");
  EXPECT_EQ(sql_of("audit").find("AUTOINCREMENT"), std::string::npos) << sql_of("audit");
  EXPECT_NE(sql_of("records_id_number").find("IS NOT NULL"), std::string::npos);
  EXPECT_NE(sql_of("records_key").find("ON records("), std::string::npos) << sql_of("records_key");
  EXPECT_EQ(sql_of("audit_v3"), "");
  cg::sqlite::Stmt plan(*db, "EXPLAIN QUERY PLAN SELECT r.rid FROM records r WHERE " CG_ID_NUMBER_IS("?1"));
  std::string steps;
  while (true) {
    auto row = plan.step();
    ASSERT_TRUE(row.ok());
    if (!*row) break;
    steps += plan.col_text(3) + "\n";
  }
  EXPECT_NE(steps.find("records_id_number"), std::string::npos) << steps;
  cg::sqlite::Stmt v(*db, "SELECT value FROM meta WHERE key = 'schema_version'");
  ASSERT_TRUE(*v.step());
  EXPECT_EQ(v.col_text(0), std::to_string(cg::store::kSqliteSchemaVersion));
}

TEST(StoreUpgrade, AVersion4StoreKeepsItsOutboxInOrderAndNewEntriesComeAfterIt) {
  cg::test::TempDir dir;
  std::string path = dir.file("v4.db");
  cg::Record a = record("a"), b = record("b");
  {
    auto db = cg::sqlite::Db::open(path);
    ASSERT_TRUE(db.ok());
    // Schema 4's outbox (its sequence past the ids still pending), a batch in
    // flight and what they refer to; the upgrade creates the other tables.
    ASSERT_TRUE(db->exec(std::string(kRecordTablesV3) + R"SQL(
      CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
      INSERT INTO meta VALUES('schema_version', '4');
      CREATE TABLE outbox_batches(batch_id TEXT PRIMARY KEY, destination TEXT NOT NULL, first_id INTEGER NOT NULL,
        last_id INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_ms INTEGER NOT NULL DEFAULT 0,
        last_error TEXT);
      INSERT INTO outbox VALUES(31, 'provincial', 1, 1, 1), (32, 'city', 1, 1, 1), (33, 'provincial', 2, 1, 2),
                               (34, 'city', 2, 1, 2);
      UPDATE sqlite_sequence SET seq = 40 WHERE name = 'outbox';
      INSERT INTO outbox_batches(batch_id, destination, first_id, last_id, attempts) VALUES('b-old', 'provincial', 31, 31, 1);
    )SQL"));
    cg::sqlite::Stmt rec(*db,
                         "INSERT INTO records VALUES(?, ?, 1, 'admin_penalty', 'market_regulation', 'active', "
                         "?, NULL, 'local', 'd', 'x')");
    cg::sqlite::Stmt ver(*db, "INSERT INTO record_versions VALUES(?, 1, ?, 'created', 'x')");
    int64_t rid = 1;
    for (const auto* r : {&a, &b}) {
      ASSERT_TRUE(rec.reset().bind(1, rid).bind(2, r->record_id).bind_opt(3, r->subject.uscc).run());
      ASSERT_TRUE(ver.reset().bind(1, rid).bind(2, cg::to_json_text(*r)).run());
      ++rid;
    }
  }
  auto s = cg::store::open_sqlite_store(path);
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  (*s)->outbox().set_router([](const cg::Record&, const std::string&) {
    return std::vector<std::string>{"provincial", "city"};
  });
  cg::Record n = record("n");
  ASSERT_TRUE((*s)->records().ingest({"t", "unit", "local", 0, {n}, {}, {}, "", "", "", {}}).ok());
  // The batch in flight is offered again as it was; then the rest in order,
  // the new record's entry after the old ones.
  auto resumed = (*s)->outbox().claim_batch("provincial", 10);
  ASSERT_TRUE(resumed.ok()) << resumed.error().to_string();
  EXPECT_EQ(resumed->batch_id, "b-old");
  ASSERT_EQ(resumed->entries.size(), 1u);
  EXPECT_EQ(resumed->entries[0].id, 31);
  EXPECT_EQ(resumed->entries[0].record_id, a.record_id);
  cg::store::BusyBatches old{"b-old"};
  auto rest = (*s)->outbox().claim_batch("provincial", 10, old, 4);
  ASSERT_TRUE(rest.ok()) << rest.error().to_string();
  ASSERT_EQ(rest->entries.size(), 2u);
  EXPECT_EQ(rest->entries[0].id, 33);
  EXPECT_EQ(rest->entries[0].record_id, b.record_id);
  EXPECT_GT(rest->entries[1].id, 40);
  EXPECT_EQ(rest->entries[1].record_id, n.record_id);
  auto city = (*s)->outbox().claim_batch("city", 10);
  ASSERT_TRUE(city.ok()) << city.error().to_string();
  ASSERT_EQ(city->entries.size(), 3u);
  EXPECT_EQ(city->entries[0].record_id, a.record_id);
  EXPECT_EQ(city->entries[1].record_id, b.record_id);
  EXPECT_EQ(city->entries[2].record_id, n.record_id);
  EXPECT_EQ(city->entries[2].id, rest->entries[1].id);  // one change, one id at each destination
  // A requeued record goes to the end, after the new one.
  ASSERT_TRUE((*s)->outbox().requeue("city", a.record_id, "admin").ok());
  std::vector<cg::store::DeliveryOutcome> done;
  for (const auto& e : city->entries) done.push_back({e.id, cg::store::DeliveryStatus::Accepted, "", "", ""});
  ASSERT_TRUE((*s)->outbox().complete_batch("city", *city, done).ok());
  auto again = (*s)->outbox().claim_batch("city", 10);
  ASSERT_TRUE(again.ok()) << again.error().to_string();
  ASSERT_EQ(again->entries.size(), 1u);
  EXPECT_EQ(again->entries[0].record_id, a.record_id);
  EXPECT_GT(again->entries[0].id, city->entries[2].id);
  s->reset();

  auto db = cg::sqlite::Db::open(path);
  ASSERT_TRUE(db.ok());
  cg::sqlite::Stmt q(*db,
                     "SELECT name, sql FROM sqlite_master WHERE tbl_name IN ('outbox', 'outbox_v4') "
                     "OR name = 'records_kind'");
  std::string objects;
  while (*q.step()) objects += q.col_text(0) + ": " + q.col_text(1) + "\n";
  EXPECT_NE(objects.find("WITHOUT ROWID"), std::string::npos) << objects;
  EXPECT_EQ(objects.find("outbox_destination"), std::string::npos) << objects;
  EXPECT_EQ(objects.find("outbox_v4"), std::string::npos) << objects;
  EXPECT_EQ(objects.find("records_kind"), std::string::npos) << objects;
}

// The steps of a statement's plan, one a line.
std::string plan_of(cg::sqlite::Db& db, const std::string& sql) {
  cg::sqlite::Stmt plan(db, "EXPLAIN QUERY PLAN " + sql);
  std::string steps;
  while (true) {
    auto row = plan.step();
    if (!row.ok() || !*row) break;
    steps += plan.col_text(3) + "\n";
  }
  return steps;
}

// Schema 6: records found by id through the index of the ids' first 8
// characters; the UNIQUE index of whole ids is gone, and the store keeps an
// id stored once, also when two ids share those 8 characters.
TEST(StoreUpgrade, AVersion5StoreFindsItsRecordsByIdPrefixAndKeepsEachIdOnce) {
  cg::test::TempDir dir;
  std::string path = dir.file("v5.db");
  cg::Record a = record("a"), b = record("b"), c = record("c");
  a.record_id = "0123456789abcdef0123456789abcdef";
  b.record_id = "01234567ffffffffffffffffffffffff";  // a's first 8 characters
  c.record_id = "01234567aaaaaaaaaaaaaaaaaaaaaaaa";  // and a new one with them too
  c.subject.uscc = "92440300QEFLCR6390";             // a's USCC's last 8 characters
  {
    auto db = cg::sqlite::Db::open(path);
    ASSERT_TRUE(db.ok());
    // Schema 5's records table as release 5 wrote it; the upgrade creates the rest.
    ASSERT_TRUE(db->exec(R"SQL(
      CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
      INSERT INTO meta VALUES('schema_version', '5');
      CREATE TABLE records(rid INTEGER PRIMARY KEY, record_id TEXT NOT NULL UNIQUE, version INTEGER NOT NULL,
        kind TEXT NOT NULL, department TEXT NOT NULL, status TEXT NOT NULL, subject_uscc TEXT,
        subject_id_number TEXT, origin TEXT NOT NULL DEFAULT 'local', digest TEXT NOT NULL, updated_at TEXT NOT NULL);
      CREATE INDEX records_uscc ON records(subject_uscc) WHERE subject_uscc IS NOT NULL;
      CREATE INDEX records_id_number ON records(subject_id_number) WHERE subject_id_number IS NOT NULL;
      CREATE TABLE record_versions(rid INTEGER NOT NULL, version INTEGER NOT NULL, body TEXT NOT NULL,
        cause TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY(rid, version));
    )SQL"));
    cg::sqlite::Stmt rec(*db,
                         "INSERT INTO records VALUES(?, ?, 1, 'admin_penalty', 'market_regulation', 'active', "
                         "?, NULL, 'local', ?, 'x')");
    cg::sqlite::Stmt ver(*db, "INSERT INTO record_versions VALUES(?, 1, ?, 'created', 'x')");
    int64_t rid = 7;  // rids with a gap: kept as they are
    for (const auto* r : {&a, &b}) {
      ASSERT_TRUE(rec.reset()
                      .bind(1, rid)
                      .bind(2, r->record_id)
                      .bind_opt(3, r->subject.uscc)
                      .bind(4, cg::content_digest(*r))
                      .run());
      ASSERT_TRUE(ver.reset().bind(1, rid).bind(2, cg::to_json_text(*r)).run());
      rid += 2;
    }
  }
  {
    auto s = cg::store::open_sqlite_store(path);
    ASSERT_TRUE(s.ok()) << s.error().to_string();
    for (const auto* r : {&a, &b}) {
      auto got = (*s)->records().get(r->record_id);
      ASSERT_TRUE(got.ok()) << got.error().to_string();
      ASSERT_TRUE(got->has_value()) << r->record_id;
      EXPECT_EQ((*got)->record.record_id, r->record_id);
    }
    EXPECT_FALSE((*s)->records().get("0123456700000000000000000000000")->has_value());
    // The same records again: nothing new; a changed one: a second version of
    // the same row; a new id with the same 8 characters: a row of its own.
    auto same = (*s)->records().ingest({"t", "unit", "local", 0, {a, b}, {}, {}, "", "", "", {}});
    ASSERT_TRUE(same.ok()) << same.error().to_string();
    EXPECT_EQ(same->unchanged, 2u);
    EXPECT_EQ(same->created, 0u);
    cg::Record a2 = a;
    a2.detail.fine_fen = 999;
    auto changed = (*s)->records().ingest({"t", "unit", "local", 0, {a2, c}, {}, {}, "", "", "", {}});
    ASSERT_TRUE(changed.ok()) << changed.error().to_string();
    EXPECT_EQ(changed->updated, 1u);
    EXPECT_EQ(changed->created, 1u);
    EXPECT_EQ(*(*s)->records().count(), 3);
    EXPECT_EQ((*s)->records().history(a.record_id)->size(), 2u);
    EXPECT_EQ((*s)->records().history(b.record_id)->size(), 1u);
    EXPECT_EQ((*s)->records().get(a.record_id)->value().record.version, 2);
    // A subject's records: only those with the whole USCC.
    auto of_a = (*s)->records().of_subject(*a.subject.uscc, "");
    ASSERT_TRUE(of_a.ok()) << of_a.error().to_string();
    std::set<std::string> ids;
    for (const auto& r : *of_a) ids.insert(r.record.record_id);
    EXPECT_EQ(ids, (std::set<std::string>{a.record_id, b.record_id}));
    auto of_c = (*s)->records().of_subject(*c.subject.uscc, "");
    ASSERT_EQ(of_c->size(), 1u);
    EXPECT_EQ((*of_c)[0].record.record_id, c.record_id);
    // An export lists them in id order.
    std::vector<std::string> order;
    ASSERT_TRUE((*s)->records()
                    .for_each("", [&](const cg::store::StoredRecord& r) { order.push_back(r.record.record_id); })
                    .ok());
    EXPECT_EQ(order, (std::vector<std::string>{a.record_id, c.record_id, b.record_id}));
  }

  auto db = cg::sqlite::Db::open(path);
  ASSERT_TRUE(db.ok());
  cg::sqlite::Stmt rids(*db, "SELECT rid FROM records WHERE record_id IN (?, ?) ORDER BY rid");
  rids.bind(1, a.record_id).bind(2, b.record_id);
  std::vector<int64_t> kept;
  while (*rids.step()) kept.push_back(rids.col_int(0));
  EXPECT_EQ(kept, (std::vector<int64_t>{7, 9}));
  cg::sqlite::Stmt q(*db, "SELECT name, coalesce(sql, '') FROM sqlite_master WHERE tbl_name LIKE 'records%'");
  std::string objects;
  while (*q.step()) objects += q.col_text(0) + ": " + q.col_text(1) + "\n";
  EXPECT_EQ(objects.find("UNIQUE"), std::string::npos) << objects;
  EXPECT_EQ(objects.find("sqlite_autoindex_records"), std::string::npos) << objects;
  EXPECT_EQ(objects.find("records_v5"), std::string::npos) << objects;
  EXPECT_NE(objects.find("records_key"), std::string::npos) << objects;
  // Looked up by id, alone or joined: through the index, never a scan.
  for (const std::string& sql :
       {std::string("SELECT rid FROM records WHERE " CG_RECORD_IS("", "?1")),
        std::string("SELECT f.id, r.rid FROM feedback f LEFT JOIN records r ON " CG_RECORD_IS("r.", "f.record_id")),
        std::string("SELECT r.rid FROM records r WHERE " CG_USCC_IS("?1")),
        std::string("SELECT r.rid FROM records r WHERE " CG_ID_NUMBER_IS("?1"))}) {
    std::string steps = plan_of(*db, sql);
    EXPECT_NE(steps.find("USING INDEX records_"), std::string::npos) << sql << "\n" << steps;
    EXPECT_EQ(steps.find("SCAN r"), std::string::npos) << sql << "\n" << steps;  // "r" or "records"
  }
  // Without the unary plus, SQLite's constant propagation would hide the index.
  EXPECT_EQ(plan_of(*db, "SELECT rid FROM records WHERE substr(record_id, 1, 8) = substr(?1, 1, 8) AND record_id = ?1")
                .find("records_key"),
            std::string::npos);
}

// Schema 7: a feedback item names its measures, catalog version and
// deadline; items made before carry none and are read as they were.
TEST(StoreUpgrade, AVersion6StoresFeedbackItemsGainMeasuresCatalogAndDeadline) {
  cg::test::TempDir dir;
  std::string path = dir.file("v6.db");
  ASSERT_TRUE(cg::store::open_sqlite_store(path).ok());
  {
    auto db = cg::sqlite::Db::open(path);
    ASSERT_TRUE(db.ok());
    // Back to schema 6 as it was: the feedback table without the three
    // columns (nor those of schema 8) and no catalog_versions yet.
    ASSERT_TRUE(db->exec(R"SQL(
      DROP INDEX feedback_due_on;
      ALTER TABLE feedback DROP COLUMN overdue_noted_at;
      DROP TABLE execution_feedback;
      DROP TABLE feedback_relay;
      ALTER TABLE feedback DROP COLUMN catalog;
      ALTER TABLE feedback DROP COLUMN measures;
      ALTER TABLE feedback DROP COLUMN due_on;
      DROP TABLE catalog_versions;
      UPDATE meta SET value = '6' WHERE key = 'schema_version';
      INSERT INTO feedback(department, record_id, version, event, body, created_at)
        VALUES('finance', 'r-old', 1, '{"type":"created"}', '{"kind":"dishonest_debtor"}', 'then');
    )SQL"));
  }
  auto s = cg::store::open_sqlite_store(path);
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  (*s)->feedback().set_router([](const cg::Record&, const std::string&, const std::string&, const std::string&) {
    cg::store::FeedbackRoute route;
    route.department = "finance";
    route.catalog = "510800-2026@3";
    route.measures = nlohmann::json::array({{{"measure_id", "P-FIN-01"}}});
    route.due_on = "2026-12-18";
    return std::vector<cg::store::FeedbackRoute>{route};
  });
  ASSERT_TRUE((*s)->records().ingest({"t", "unit", "local", 0, {record("new")}, {}, {}, "", "", "", {}}).ok());
  cg::store::ItemFilter all;
  all.department = "finance";
  all.state = "all";
  auto items = (*s)->feedback().items(all);
  ASSERT_TRUE(items.ok()) << items.error().to_string();
  ASSERT_EQ(items->size(), 2u);
  EXPECT_EQ((*items)[0].record_id, "r-old");
  EXPECT_TRUE((*items)[0].measures.empty());
  EXPECT_EQ((*items)[0].catalog, "");
  EXPECT_EQ((*items)[1].catalog, "510800-2026@3");
  EXPECT_EQ((*items)[1].due_on, "2026-12-18");
  EXPECT_TRUE((*s)->catalogs().keep("510800-2026@3", "2026-01-01", "{}").ok()) << "tables added since are made";
  auto db = cg::sqlite::Db::open(path);
  cg::sqlite::Stmt v(*db, "SELECT value FROM meta WHERE key = 'schema_version'");
  ASSERT_TRUE(*v.step());
  EXPECT_EQ(v.col_text(0), std::to_string(cg::store::kSqliteSchemaVersion));
}

// Schema 9: objections raised locally, a new table.
TEST(StoreUpgrade, AVersion8StoreTakesObjections) {
  cg::test::TempDir dir;
  std::string path = dir.file("v8.db");
  ASSERT_TRUE(cg::store::open_sqlite_store(path).ok());
  {
    auto db = cg::sqlite::Db::open(path);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->exec("DROP TABLE local_objections; UPDATE meta SET value = '8' WHERE key = 'schema_version';"));
  }
  auto s = cg::store::open_sqlite_store(path);
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  cg::store::Objection o;
  o.objection_id = cg::store::objection_id("procurement", "r-1", 1);
  o.record_id = "r-1";
  o.version = 1;
  o.raised_by = "procurement";
  o.actor = "department:procurement/zfcg";
  o.raised_on = "2026-12-05";
  o.reason = "主体名称与营业执照不符";
  auto raised = (*s)->objections().raise(o);
  ASSERT_TRUE(raised.ok()) << raised.error().to_string();
  EXPECT_EQ(*raised, cg::store::RaiseOutcome::Raised);
  auto db = cg::sqlite::Db::open(path);
  cg::sqlite::Stmt v(*db, "SELECT value FROM meta WHERE key = 'schema_version'");
  ASSERT_TRUE(*v.step());
  EXPECT_EQ(v.col_text(0), std::to_string(cg::store::kSqliteSchemaVersion));
}

// Schema 10: the index of legal representatives, filled from the records
// held; checks are kept (in the ledger since 11).
TEST(StoreUpgrade, AVersion9StoreFindsTheRecordsOfALegalRepresentativeAndKeepsChecks) {
  cg::test::TempDir dir;
  std::string path = dir.file("v9.db");
  cg::Record held = record("held");
  held.subject.legal_representative = cg::Person{"张三", "resident_id", "110101199003074514"};
  {
    auto s = cg::store::open_sqlite_store(path);
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE((*s)->records().ingest({"t", "unit", "local", 0, {held}, {}, {}, "", "", "", {}}).ok());
  }
  {
    auto db = cg::sqlite::Db::open(path);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->exec(R"SQL(
      DROP INDEX records_legal_rep;
      ALTER TABLE records DROP COLUMN legal_rep_id_number;
      UPDATE meta SET value = '9' WHERE key = 'schema_version';
    )SQL"));
  }
  auto s = cg::store::open_sqlite_store(path);
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  cg::store::InForceQuery q;
  q.id_number = "110101199003074514";
  q.as_legal_representative = true;
  q.kinds = {held.kind};
  auto found = (*s)->records().in_force(q);
  ASSERT_TRUE(found.ok()) << found.error().to_string();
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].record.record_id, held.record_id);
  q.id_number = "110101199003074515";
  EXPECT_TRUE((*s)->records().in_force(q)->empty());
  cg::store::StoredCheck c;
  c.check_id = "c-upgraded";
  c.department = "procurement";
  c.answer = "{}";
  ASSERT_TRUE((*s)->checks().add(c).ok());
  EXPECT_TRUE((*s)->checks().get("c-upgraded")->has_value());
  auto db = cg::sqlite::Db::open(path);
  cg::sqlite::Stmt v(*db, "SELECT value FROM meta WHERE key = 'schema_version'");
  ASSERT_TRUE(*v.step());
  EXPECT_EQ(v.col_text(0), std::to_string(cg::store::kSqliteSchemaVersion));
}

// Schema 11: the checks a store kept in its own file move to the check
// ledger beside it; the subjects' indexes take status and kind.
TEST(StoreUpgrade, AVersion10StoreMovesItsChecksToTheLedgerAndStillFindsRecordsInForce) {
  cg::test::TempDir dir;
  std::string path = dir.file("v10.db");
  cg::Record held = record("held");
  held.subject.legal_representative = cg::Person{"张三", "resident_id", "110101199003074514"};
  {
    auto s = cg::store::open_sqlite_store(path);
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE((*s)->records().ingest({"t", "unit", "local", 0, {held}, {}, {}, "", "", "", {}}).ok());
  }
  std::filesystem::remove(cg::store::checks_ledger_path(path));
  {
    auto db = cg::sqlite::Db::open(path);
    ASSERT_TRUE(db.ok());
    // Schema 10's table of checks and subject indexes, as that release made them.
    ASSERT_TRUE(db->exec(R"SQL(
      CREATE TABLE checks(check_id TEXT PRIMARY KEY, department TEXT NOT NULL, actor TEXT NOT NULL,
        scenario TEXT NOT NULL, purpose TEXT NOT NULL, case_ref TEXT NOT NULL, on_date TEXT NOT NULL,
        catalog TEXT NOT NULL, verdict TEXT NOT NULL, subjects INTEGER NOT NULL, hits INTEGER NOT NULL,
        checked_at TEXT NOT NULL, answer TEXT NOT NULL);
      CREATE INDEX checks_department ON checks(department, checked_at);
      INSERT INTO checks VALUES('c-old', 'procurement', 'department:procurement/zfcg', 'procurement_bid', '投标资格审查',
        'GYCG-1', '2026-12-04', '510800-2026@3', 'restricted', 2, 1, '2026-12-04T10:00:00+08:00', '{"results":[]}');
      DROP INDEX records_uscc;
      CREATE INDEX records_uscc ON records(substr(subject_uscc, 11)) WHERE subject_uscc IS NOT NULL;
      DROP INDEX records_legal_rep;
      CREATE INDEX records_legal_rep ON records(substr(legal_rep_id_number, 9)) WHERE legal_rep_id_number IS NOT NULL;
      UPDATE meta SET value = '10' WHERE key = 'schema_version';
    )SQL"));
  }
  auto s = cg::store::open_sqlite_store(path);
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  auto moved = (*s)->checks().get("c-old");
  ASSERT_TRUE(moved.ok() && moved->has_value());
  EXPECT_EQ((*moved)->verdict, "restricted");
  EXPECT_EQ((*moved)->subjects, 2);
  EXPECT_EQ((*moved)->hits, 1);
  EXPECT_EQ((*moved)->answer, R"({"results":[]})");
  ASSERT_TRUE(std::filesystem::exists(cg::store::checks_ledger_path(path)));
  cg::store::InForceQuery q;
  q.uscc = *held.subject.uscc;
  q.kinds = {held.kind};
  auto found = (*s)->records().in_force(q);
  ASSERT_TRUE(found.ok()) << found.error().to_string();
  EXPECT_EQ(found->size(), 1u);
  q = {};
  q.id_number = "110101199003074514";
  q.as_legal_representative = true;
  q.kinds = {held.kind};
  EXPECT_EQ((*s)->records().in_force(q)->size(), 1u);
  auto db = cg::sqlite::Db::open(path);
  cg::sqlite::Stmt gone(*db, "SELECT count(*) FROM sqlite_master WHERE name IN ('checks', 'checks_department')");
  ASSERT_TRUE(*gone.step());
  EXPECT_EQ(gone.col_int(0), 0) << "the store's own table of checks is dropped";
  cg::sqlite::Stmt index(*db, "SELECT sql FROM sqlite_master WHERE name = 'records_uscc'");
  ASSERT_TRUE(*index.step());
  EXPECT_NE(index.col_text(0).find("status, kind"), std::string::npos);
  cg::sqlite::Stmt v(*db, "SELECT value FROM meta WHERE key = 'schema_version'");
  ASSERT_TRUE(*v.step());
  EXPECT_EQ(v.col_text(0), std::to_string(cg::store::kSqliteSchemaVersion));
}

// Schema 12: the 双公示 ledger, filled from the licences and penalties a
// version 11 store holds, a platform's acceptance known by its day.
TEST(StoreUpgrade, AVersion11StoreListsItsLicencesAndPenaltiesWithTheDayEachPlatformTookThem) {
  cg::test::TempDir dir;
  std::string path = dir.file("v11.db");
  cg::Record penalty = record("p");
  penalty.decision.decided_on = "2025-12-25";
  penalty.decision.document_number = "广市监罚〔2025〕1号";
  cg::Record pulled = record("pulled");  // another region's, from the platform
  {
    auto s = cg::store::open_sqlite_store(path);
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE((*s)->records().ingest(batch({penalty})).ok());
    ASSERT_TRUE((*s)->records().ingest(batch({pulled}, "platform:provincial")).ok());
  }
  {
    auto db = cg::sqlite::Db::open(path);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->exec(R"SQL(
      DROP TABLE publicity; DROP TABLE publicity_accepted; DROP TABLE publicity_noted;
      DROP INDEX dead_letters_record;
      INSERT INTO delivered(destination, rid, version, delivered_on)
        SELECT 'provincial', rid, version, '2026-01-05' FROM records;
      INSERT INTO delivered(destination, rid, version, delivered_on)
        SELECT 'city', rid, version, '2026-01-07' FROM records;
      UPDATE meta SET value = '11' WHERE key = 'schema_version';
    )SQL"));
  }
  auto s = cg::store::open_sqlite_store(path);
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  auto rows = (*s)->publicity().list({});
  ASSERT_TRUE(rows.ok()) << rows.error().to_string();
  ASSERT_EQ(rows->size(), 1u) << "the local penalty only";
  const auto& row = rows->front();
  EXPECT_EQ(row.record_id, penalty.record_id);
  EXPECT_EQ(row.decided_on, "2025-12-25");
  EXPECT_EQ(row.document_number, "广市监罚〔2025〕1号");
  EXPECT_EQ(row.accepted_at, "2026-01-05");
  EXPECT_EQ(row.accepted.at("city"), "2026-01-07");
}

// Schema 8: departments' execution feedback and its relay, two new tables;
// a version 7 store keeps its items and takes reports on them.
TEST(StoreUpgrade, AVersion7StoreTakesExecutionFeedbackOnTheItemsItHeld) {
  cg::test::TempDir dir;
  std::string path = dir.file("v7.db");
  {
    auto s = cg::store::open_sqlite_store(path);
    ASSERT_TRUE(s.ok());
    (*s)->feedback().set_router([](const cg::Record&, const std::string&, const std::string&, const std::string&) {
      cg::store::FeedbackRoute route;
      route.department = "finance";
      route.measures = nlohmann::json::array({{{"measure_id", "P-FIN-01"}}});
      return std::vector<cg::store::FeedbackRoute>{route};
    });
    ASSERT_TRUE((*s)->records().ingest({"t", "unit", "local", 0, {record("held")}, {}, {}, "", "", "", {}}).ok());
  }
  {
    auto db = cg::sqlite::Db::open(path);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->exec(R"SQL(
      DROP TABLE execution_feedback;
      DROP TABLE feedback_relay;
      DROP INDEX feedback_due_on;
      ALTER TABLE feedback DROP COLUMN overdue_noted_at;
      UPDATE meta SET value = '7' WHERE key = 'schema_version';
    )SQL"));
  }
  auto s = cg::store::open_sqlite_store(path);
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  cg::store::ItemFilter pending;
  pending.department = "finance";
  auto items = (*s)->feedback().items(pending);
  ASSERT_TRUE(items.ok()) << items.error().to_string();
  ASSERT_EQ(items->size(), 1u);
  cg::store::FeedbackReport r;
  r.feedback_id = "fb-upgraded-1";
  r.department = "finance";
  r.item_id = (*items)[0].id;
  r.record_id = (*items)[0].record_id;
  r.version = 1;
  r.measure_id = "P-FIN-01";
  r.action = "applied";
  r.on = "2026-12-01";
  r.actor = "test";
  auto added = (*s)->feedback_reports().add(r, {"provincial"});
  ASSERT_TRUE(added.ok()) << added.error().to_string();
  EXPECT_TRUE((*s)->feedback().items(pending)->empty());
  EXPECT_TRUE((*s)->feedback().note_overdue("2999-01-01", 10)->empty()) << "the overdue column is there";
  auto db = cg::sqlite::Db::open(path);
  cg::sqlite::Stmt v(*db, "SELECT value FROM meta WHERE key = 'schema_version'");
  ASSERT_TRUE(*v.step());
  EXPECT_EQ(v.col_text(0), std::to_string(cg::store::kSqliteSchemaVersion));
}
