#include "store/sqlite/schema.hpp"

#include <charconv>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace cg::store {

namespace {

using sqlite::Stmt;

// The subjects' indexes (schema 11): the code's suffix (records_key's
// reasons, schema.hpp), then status and kind, so that a credit check finds
// the records in force of its scenario's kinds in the index alone and reads
// the table for those only.
#define CG_INDEX_RECORDS_USCC                                                                                      \
  "CREATE INDEX IF NOT EXISTS records_uscc ON records(substr(subject_uscc, 11), status, kind) WHERE subject_uscc " \
  "IS NOT NULL;\n"
#define CG_INDEX_RECORDS_ID_NUMBER                                                                             \
  "CREATE INDEX IF NOT EXISTS records_id_number ON records(substr(subject_id_number, 9), status, kind) WHERE " \
  "subject_id_number IS NOT NULL;\n"
#define CG_INDEX_RECORDS_LEGAL_REP                                                                               \
  "CREATE INDEX IF NOT EXISTS records_legal_rep ON records(substr(legal_rep_id_number, 9), status, kind) WHERE " \
  "legal_rep_id_number IS NOT NULL;\n"

// The tables that schemas 2 and 3 share. A feedback item's body is '' since
// 2026-12: the item's record version holds it (items written before then hold
// a copy, and are read as they are).
const char* const kCommonTables = R"SQL(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS catalog_versions(
  ref TEXT PRIMARY KEY,
  effective_from TEXT NOT NULL,
  digest TEXT NOT NULL,
  text TEXT NOT NULL,
  loaded_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS quarantine(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  created_at TEXT NOT NULL,
  department TEXT,
  mapping TEXT,
  rule TEXT NOT NULL,
  field TEXT,
  source TEXT,
  record_id TEXT,
  fingerprint TEXT NOT NULL,
  file_level INTEGER NOT NULL DEFAULT 0,
  entry TEXT NOT NULL,
  raw BLOB,
  status TEXT NOT NULL DEFAULT 'open',
  resolved_at TEXT,
  resolution TEXT);
CREATE UNIQUE INDEX IF NOT EXISTS quarantine_open ON quarantine(fingerprint) WHERE status = 'open';
CREATE INDEX IF NOT EXISTS quarantine_status ON quarantine(status, department);
CREATE TABLE IF NOT EXISTS outbox_batches(
  batch_id TEXT PRIMARY KEY,
  destination TEXT NOT NULL,
  first_id INTEGER NOT NULL,
  last_id INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms INTEGER NOT NULL DEFAULT 0,
  last_error TEXT);
CREATE INDEX IF NOT EXISTS outbox_batches_destination ON outbox_batches(destination, first_id);
CREATE TABLE IF NOT EXISTS dead_letters(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  destination TEXT NOT NULL,
  record_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_ms INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  dead_at TEXT NOT NULL,
  error_code TEXT,
  error_field TEXT,
  error_message TEXT);
CREATE INDEX IF NOT EXISTS dead_letters_destination ON dead_letters(destination, id);
CREATE INDEX IF NOT EXISTS dead_letters_record ON dead_letters(record_id);
CREATE TABLE IF NOT EXISTS publicity(
  rid INTEGER PRIMARY KEY,
  department TEXT NOT NULL,
  kind TEXT NOT NULL,
  decided_on TEXT NOT NULL,
  document_number TEXT NOT NULL DEFAULT '',
  accepted_at TEXT);
-- Rows arrive in rid order; no index of decided_on, which would take a
-- random insert per licence or penalty: a period is a scan.
CREATE INDEX IF NOT EXISTS publicity_unaccepted ON publicity(rid) WHERE accepted_at IS NULL;
CREATE TABLE IF NOT EXISTS publicity_accepted(
  rid INTEGER NOT NULL,
  destination TEXT NOT NULL,
  accepted_at TEXT NOT NULL,
  PRIMARY KEY(rid, destination)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stats_daily(
  day TEXT NOT NULL,
  figure TEXT NOT NULL,
  department TEXT NOT NULL,
  kind TEXT NOT NULL,
  destination TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY(day, figure, department, kind, destination)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS credit_reports(
  code TEXT PRIMARY KEY,
  uscc TEXT NOT NULL,
  subject_name TEXT NOT NULL,
  years INTEGER NOT NULL,
  window_from TEXT NOT NULL,
  window_to TEXT NOT NULL,
  made_at TEXT NOT NULL,
  expires_on TEXT NOT NULL,
  department TEXT NOT NULL,
  made_by TEXT NOT NULL,
  purpose TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  content TEXT NOT NULL,
  pdf BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS credit_reports_uscc ON credit_reports(uscc, made_at);
-- First acceptances not yet counted on time or late (the publicity job counts
-- them against the calendar, which the store does not hold).
CREATE TABLE IF NOT EXISTS publicity_first(rid INTEGER PRIMARY KEY);
CREATE TABLE IF NOT EXISTS publicity_noted(
  record_id TEXT NOT NULL,
  state TEXT NOT NULL,
  noted_at TEXT NOT NULL,
  PRIMARY KEY(record_id, state)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS job_runs(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  job TEXT NOT NULL,
  started_at TEXT NOT NULL,
  started_ms INTEGER NOT NULL,
  finished_at TEXT,
  status TEXT NOT NULL,
  counts TEXT,
  error TEXT);
CREATE INDEX IF NOT EXISTS job_runs_job ON job_runs(job, id);
CREATE TABLE IF NOT EXISTS job_locks(job TEXT PRIMARY KEY, owner TEXT NOT NULL, until_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS sync_cursors(source TEXT PRIMARY KEY, cursor TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS applied_changes(
  change_id TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  type TEXT NOT NULL,
  record_id TEXT,
  outcome TEXT NOT NULL,
  version INTEGER,
  applied_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS waiting_changes(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  change_id TEXT NOT NULL UNIQUE,
  source TEXT NOT NULL,
  type TEXT NOT NULL,
  record_id TEXT NOT NULL,
  change TEXT NOT NULL,
  received_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS waiting_changes_record ON waiting_changes(record_id);
CREATE TABLE IF NOT EXISTS objections(
  record_id TEXT NOT NULL,
  objection_id TEXT NOT NULL,
  opened_at TEXT NOT NULL,
  resolved_at TEXT,
  outcome TEXT,
  PRIMARY KEY(record_id, objection_id));
CREATE TABLE IF NOT EXISTS feedback(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  department TEXT NOT NULL,
  record_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  event TEXT NOT NULL,
  body TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms INTEGER NOT NULL DEFAULT 0,
  lease_until_ms INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  delivered_at TEXT,
  last_error TEXT,
  catalog TEXT NOT NULL DEFAULT '',
  measures TEXT NOT NULL DEFAULT '[]',
  due_on TEXT NOT NULL DEFAULT '',
  overdue_noted_at TEXT);
CREATE INDEX IF NOT EXISTS feedback_due ON feedback(department, state, next_attempt_ms, id);
CREATE INDEX IF NOT EXISTS feedback_record ON feedback(record_id);
CREATE TABLE IF NOT EXISTS execution_feedback(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  feedback_id TEXT NOT NULL UNIQUE,
  department TEXT NOT NULL,
  item_id INTEGER NOT NULL,
  record_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  catalog TEXT NOT NULL,
  measure_id TEXT NOT NULL,
  action TEXT NOT NULL,
  on_date TEXT NOT NULL,
  case_ref TEXT NOT NULL,
  note TEXT NOT NULL,
  actor TEXT NOT NULL,
  received_at TEXT NOT NULL,
  received_ms INTEGER NOT NULL,
  body TEXT NOT NULL,
  check_id TEXT NOT NULL DEFAULT '',
  subject_index INTEGER NOT NULL DEFAULT -1);
CREATE INDEX IF NOT EXISTS execution_feedback_item ON execution_feedback(item_id, measure_id);
CREATE INDEX IF NOT EXISTS execution_feedback_department ON execution_feedback(department, id);
CREATE TABLE IF NOT EXISTS feedback_relay(
  destination TEXT NOT NULL,
  id INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending',
  batch_id TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  error_code TEXT,
  error_message TEXT,
  done_at TEXT,
  PRIMARY KEY(destination, id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS feedback_relay_state ON feedback_relay(destination, state, id);
CREATE TABLE IF NOT EXISTS local_objections(
  objection_id TEXT PRIMARY KEY,
  record_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  raised_by TEXT NOT NULL,
  actor TEXT NOT NULL,
  raised_on TEXT NOT NULL,
  reason TEXT NOT NULL,
  state TEXT NOT NULL,
  answer TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS local_objections_state ON local_objections(state, created_at);
CREATE INDEX IF NOT EXISTS local_objections_record ON local_objections(record_id);
)SQL";

// Indexes of columns that upgrades add to the common tables: made once the
// columns are there.
const char* const kLateIndexes = R"SQL(
CREATE INDEX IF NOT EXISTS feedback_due_on ON feedback(due_on) WHERE due_on <> '';
)SQL" CG_INDEX_RECORDS_LEGAL_REP;

// Schema 5 (from 4): the outbox keyed by (destination, id) WITHOUT ROWID:
// one B-tree per entry instead of a table, its destination index and a
// sqlite_sequence row, for the two entries of every record version written
// and deleted again once delivered. An entry's id is the id of the audit
// entry of the change that queued it (one change queues at most one entry per
// destination), so ids still follow the order of the changes. No index of
// records by kind (written for every new record; read only by an export of
// one kind, which reads the records in record_id order all the same).
//
// Schema 6 (from 5): records found by id through an index of the id's first
// 8 characters (`records_key`, about 19 bytes an entry) instead of a UNIQUE
// index of the whole id (about 42): a record id is random (a SHA-256 prefix),
// so every new record lands on a random leaf of that index, and at a million
// records a transaction of 10,000 dirtied most of its leaves. The store's one
// writer keeps the ids unique (it looks an id up before it inserts it, in the
// same transaction); two ids that share 8 characters share an index entry's
// key and are told apart by the whole id. The subject indexes likewise hold
// the end of a USCC (its last 8 characters: most of the organisation code
// and the check character) and of an ID number (its last 10: birth date
// without the century, sequence, check character), not the region codes
// that many subjects share. See docs/performance.md.
//
// Schema 4 (from 3): the audit's ids without AUTOINCREMENT (its rows are
// never deleted, so ids are never reused, and no sqlite_sequence row is
// written per entry), `delivered` WITHOUT ROWID (one B-tree per row instead
// of a table and its key's index), and the subject indexes only over the
// rows that have the value (a company has no ID number, a person no USCC).
//
// Schema 3: a record's rows in the busy tables (versions, outbox, delivered,
// audit) refer to it by `rid`, an integer given in arrival order, not by its
// record_id (a SHA-256, random): new records append to those tables' indexes
// instead of landing on a random page of each (see docs/performance.md).
const char* const kKeyedTables = R"SQL(
CREATE TABLE IF NOT EXISTS records(
  rid INTEGER PRIMARY KEY,
  record_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  kind TEXT NOT NULL,
  department TEXT NOT NULL,
  status TEXT NOT NULL,
  subject_uscc TEXT,
  subject_id_number TEXT,
  origin TEXT NOT NULL DEFAULT 'local',
  digest TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  legal_rep_id_number TEXT);
CREATE INDEX IF NOT EXISTS records_key ON records(substr(record_id, 1, 8));
)SQL" CG_INDEX_RECORDS_USCC CG_INDEX_RECORDS_ID_NUMBER R"SQL(
CREATE TABLE IF NOT EXISTS record_versions(
  rid INTEGER NOT NULL,
  version INTEGER NOT NULL,
  body TEXT NOT NULL,
  cause TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY(rid, version));
CREATE TABLE IF NOT EXISTS audit(
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  record_id TEXT,
  version INTEGER,
  source TEXT,
  detail TEXT,
  rid INTEGER);
CREATE INDEX IF NOT EXISTS audit_rid ON audit(rid);
CREATE INDEX IF NOT EXISTS audit_unstored ON audit(record_id) WHERE rid IS NULL AND record_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS outbox(
  destination TEXT NOT NULL,
  id INTEGER NOT NULL,
  rid INTEGER NOT NULL,
  version INTEGER NOT NULL,
  created_ms INTEGER NOT NULL,
  PRIMARY KEY(destination, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS delivered(
  destination TEXT NOT NULL,
  rid INTEGER NOT NULL,
  version INTEGER NOT NULL,
  delivered_on TEXT NOT NULL,
  PRIMARY KEY(destination, rid)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS delivered_day ON delivered(destination, delivered_on);
)SQL";

// Those tables in schema 2 as it was released: with the common ones, the
// target of the upgrade from 1, which the upgrade to 3 then continues from.
const char* const kKeyedTablesV2 = R"SQL(
CREATE TABLE IF NOT EXISTS records(
  record_id TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  kind TEXT NOT NULL,
  department TEXT NOT NULL,
  status TEXT NOT NULL,
  subject_uscc TEXT,
  subject_id_number TEXT,
  origin TEXT NOT NULL DEFAULT 'local',
  digest TEXT NOT NULL,
  updated_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS records_kind ON records(kind);
CREATE INDEX IF NOT EXISTS records_uscc ON records(subject_uscc);
CREATE INDEX IF NOT EXISTS records_id_number ON records(subject_id_number);
CREATE TABLE IF NOT EXISTS record_versions(
  record_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  body TEXT NOT NULL,
  cause TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY(record_id, version));
CREATE TABLE IF NOT EXISTS audit(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  record_id TEXT,
  version INTEGER,
  source TEXT,
  detail TEXT);
CREATE INDEX IF NOT EXISTS audit_record ON audit(record_id);
CREATE TABLE IF NOT EXISTS outbox(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  destination TEXT NOT NULL,
  record_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_ms INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS outbox_destination ON outbox(destination, id);
CREATE TABLE IF NOT EXISTS delivered(
  destination TEXT NOT NULL,
  record_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  delivered_on TEXT NOT NULL,
  PRIMARY KEY(destination, record_id));
CREATE INDEX IF NOT EXISTS delivered_day ON delivered(destination, delivered_on);
)SQL";

// Version 1 kept the current body in records as well as in record_versions
// (now only there), a copy of the record body in every outbox row and a state
// column; version 2 keeps (destination, record, version) only, the batch in
// flight in outbox_batches and rejected entries in dead_letters. Pending and
// in-flight entries become pending (a batch re-sent under a new id is
// answered "duplicate" for what the platform already has); dead ones move.
const char* const kUpgrade1To2 = R"SQL(
ALTER TABLE outbox RENAME TO outbox_v1;
DROP INDEX IF EXISTS outbox_due;
DROP INDEX IF EXISTS outbox_batch;
DROP INDEX IF EXISTS outbox_record;
ALTER TABLE records DROP COLUMN body;
)SQL";

const char* const kCopy1To2 = R"SQL(
INSERT INTO outbox(destination, record_id, version, created_ms)
  SELECT destination, record_id, version, created_ms FROM outbox_v1 WHERE state IN ('pending', 'inflight') ORDER BY id;
INSERT INTO dead_letters(destination, record_id, version, created_ms, attempts, dead_at, error_code, error_field,
                         error_message)
  SELECT destination, record_id, version, created_ms, attempts, coalesce(finished_at, created_at), error_code,
         error_field, error_message FROM outbox_v1 WHERE state = 'dead' ORDER BY id;
DROP TABLE outbox_v1;
UPDATE meta SET value = '2' WHERE key = 'schema_version';
)SQL";

// From 2 to 3: the same rows, keyed by rid. Versions, outbox entries and
// deliveries of a record_id with no records row (none in a store this gateway
// wrote) cannot be kept and are left out; audit rows keep their record_id.
const char* const kUpgrade2To3 = R"SQL(
ALTER TABLE records RENAME TO records_v2;
ALTER TABLE record_versions RENAME TO record_versions_v2;
ALTER TABLE outbox RENAME TO outbox_v2;
ALTER TABLE delivered RENAME TO delivered_v2;
DROP INDEX IF EXISTS records_kind;
DROP INDEX IF EXISTS records_uscc;
DROP INDEX IF EXISTS records_id_number;
DROP INDEX IF EXISTS outbox_destination;
DROP INDEX IF EXISTS delivered_day;
DROP INDEX IF EXISTS audit_record;
ALTER TABLE audit ADD COLUMN rid INTEGER;
)SQL";

const char* const kCopy2To3 = R"SQL(
INSERT INTO records(record_id, version, kind, department, status, subject_uscc, subject_id_number, origin, digest,
                    updated_at)
  SELECT record_id, version, kind, department, status, subject_uscc, subject_id_number, origin, digest, updated_at
  FROM records_v2 ORDER BY rowid;
CREATE INDEX records_upgrade_ids ON records(record_id);
INSERT INTO record_versions(rid, version, body, cause, created_at)
  SELECT r.rid, v.version, v.body, v.cause, v.created_at FROM record_versions_v2 v JOIN records r USING(record_id)
  ORDER BY r.rid, v.version;
INSERT INTO outbox(id, destination, rid, version, created_ms)
  SELECT o.id, o.destination, r.rid, o.version, o.created_ms FROM outbox_v2 o JOIN records r USING(record_id)
  ORDER BY o.id;
INSERT INTO delivered(destination, rid, version, delivered_on)
  SELECT d.destination, r.rid, d.version, d.delivered_on FROM delivered_v2 d JOIN records r USING(record_id);
UPDATE audit SET rid = (SELECT rid FROM records r WHERE r.record_id = audit.record_id) WHERE record_id IS NOT NULL;
DELETE FROM sqlite_sequence WHERE name = 'outbox';
INSERT INTO sqlite_sequence(name, seq) SELECT 'outbox', seq FROM sqlite_sequence WHERE name = 'outbox_v2';
DROP TABLE records_v2;
DROP TABLE record_versions_v2;
DROP TABLE outbox_v2;
DROP TABLE delivered_v2;
DROP INDEX records_upgrade_ids;
UPDATE meta SET value = '3' WHERE key = 'schema_version';
)SQL";

// From 3 to 4: the audit and delivered tables rebuilt with the same rows
// (audit ids kept), the subject indexes rebuilt as partial ones.
const char* const kUpgrade3To4 = R"SQL(
ALTER TABLE audit RENAME TO audit_v3;
ALTER TABLE delivered RENAME TO delivered_v3;
DROP INDEX IF EXISTS audit_rid;
DROP INDEX IF EXISTS audit_unstored;
DROP INDEX IF EXISTS delivered_day;
DROP INDEX IF EXISTS records_uscc;
DROP INDEX IF EXISTS records_id_number;
)SQL";

const char* const kCopy3To4 = R"SQL(
INSERT INTO audit(id, at, actor, action, record_id, version, source, detail, rid)
  SELECT id, at, actor, action, record_id, version, source, detail, rid FROM audit_v3 ORDER BY id;
INSERT INTO delivered(destination, rid, version, delivered_on)
  SELECT destination, rid, version, delivered_on FROM delivered_v3;
DROP TABLE audit_v3;
DROP TABLE delivered_v3;
DELETE FROM sqlite_sequence WHERE name IN ('audit', 'audit_v3');
UPDATE meta SET value = '4' WHERE key = 'schema_version';
)SQL";

// From 4 to 5: the outbox keyed by (destination, id), its entries kept with
// their ids; the index of records by kind dropped. A new entry's id is the id
// of the audit entry written with it plus `outbox_id_offset`, which puts it
// after every id the old table gave.
const char* const kUpgrade4To5 = R"SQL(
ALTER TABLE outbox RENAME TO outbox_v4;
DROP INDEX IF EXISTS outbox_destination;
DROP INDEX IF EXISTS records_kind;
)SQL";

const char* const kCopy4To5 = R"SQL(
INSERT INTO outbox(destination, id, rid, version, created_ms)
  SELECT destination, id, rid, version, created_ms FROM outbox_v4;
INSERT OR REPLACE INTO meta(key, value)
  SELECT 'outbox_id_offset',
         max(coalesce((SELECT max(seq) FROM sqlite_sequence WHERE name IN ('outbox', 'outbox_v4')), 0),
             coalesce((SELECT max(id) FROM outbox), 0),
             coalesce((SELECT max(last_id) FROM outbox_batches), 0));
DROP TABLE outbox_v4;
DELETE FROM sqlite_sequence WHERE name IN ('outbox', 'outbox_v4');
UPDATE meta SET value = '5' WHERE key = 'schema_version';
)SQL";

// From 5 to 6: the records table rebuilt without its UNIQUE index of ids
// (rids kept), with the index of id prefixes; the subject indexes rebuilt.
// (An upgrade from 4 or older has made `records_key` on the old table.)
const char* const kUpgrade5To6 = R"SQL(
ALTER TABLE records RENAME TO records_v5;
DROP INDEX IF EXISTS records_key;
DROP INDEX IF EXISTS records_uscc;
DROP INDEX IF EXISTS records_id_number;
)SQL";

const char* const kCopy5To6 = R"SQL(
INSERT INTO records(rid, record_id, version, kind, department, status, subject_uscc, subject_id_number, origin,
                    digest, updated_at)
  SELECT rid, record_id, version, kind, department, status, subject_uscc, subject_id_number, origin, digest,
         updated_at FROM records_v5 ORDER BY rid;
DROP TABLE records_v5;
UPDATE meta SET value = '6' WHERE key = 'schema_version';
)SQL";

// Adds each column of `table` that it lacks ("name TYPE ..."): an upgrade
// from an older schema may have made the table with them already.
Status add_missing_columns(sqlite::Db& db, const std::string& table, const std::vector<const char*>& adds) {
  std::set<std::string> columns;
  Stmt info(db, "PRAGMA table_info(" + table + ")");
  while (true) {
    auto row = info.step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    columns.insert(info.col_text(1));
  }
  for (const char* add : adds) {
    std::string column(add, std::string_view(add).find(' '));
    if (columns.count(column)) continue;
    if (auto s = db.exec("ALTER TABLE " + table + " ADD COLUMN " + std::string(add)); !s) return s;
  }
  return {};
}

// From 6 to 7: a feedback item names the measures it carries, the catalog
// version that named them and its working-day deadline (items made before
// carry none).
Status upgrade_6_to_7(sqlite::Db& db) {
  if (auto s = add_missing_columns(db, "feedback",
                                   {"catalog TEXT NOT NULL DEFAULT ''", "measures TEXT NOT NULL DEFAULT '[]'",
                                    "due_on TEXT NOT NULL DEFAULT ''"});
      !s)
    return s;
  return db.exec("UPDATE meta SET value = '7' WHERE key = 'schema_version'");
}

// From 7 to 8: departments' execution feedback and its relay to the
// platforms, the platform's changes that wait for their record (three
// tables of the common ones), and when an item was found overdue.
Status upgrade_7_to_8(sqlite::Db& db) {
  if (auto s = db.exec(kCommonTables); !s) return s;
  if (auto s = add_missing_columns(db, "feedback", {"overdue_noted_at TEXT"}); !s) return s;
  return db.exec("UPDATE meta SET value = '8' WHERE key = 'schema_version'");
}

// From 8 to 9: objections raised locally (a table of the common ones).
Status upgrade_8_to_9(sqlite::Db& db) {
  if (auto s = db.exec(kCommonTables); !s) return s;
  return db.exec("UPDATE meta SET value = '9' WHERE key = 'schema_version'");
}

// From 9 to 10: credit checks (a table of the common ones), execution
// feedback on a check's hit, and the index of legal representatives
// (落实到人): the column, filled from each record's current version.
Status upgrade_9_to_10(sqlite::Db& db) {
  if (auto s = db.exec(kCommonTables); !s) return s;
  if (auto s = add_missing_columns(db, "records", {"legal_rep_id_number TEXT"}); !s) return s;
  if (auto s = add_missing_columns(db, "execution_feedback",
                                   {"check_id TEXT NOT NULL DEFAULT ''", "subject_index INTEGER NOT NULL DEFAULT -1"});
      !s)
    return s;
  if (auto s = db.exec("UPDATE records SET legal_rep_id_number = (SELECT json_extract(v.body, "
                       "'$.subject.legal_representative.id_number') FROM record_versions v WHERE v.rid = records.rid "
                       "AND v.version = records.version)");
      !s)
    return s;
  return db.exec("UPDATE meta SET value = '10' WHERE key = 'schema_version'");
}

// From 10 to 11: credit checks move to the check ledger (SqliteChecks has
// taken them before this runs), and the subjects' indexes take status and
// kind.
Status upgrade_10_to_11(sqlite::Db& db) {
  return db.exec(
      "DROP TABLE IF EXISTS checks; DROP INDEX IF EXISTS records_uscc; DROP INDEX IF EXISTS records_id_number; DROP "
      "INDEX IF EXISTS records_legal_rep;\n" CG_INDEX_RECORDS_USCC CG_INDEX_RECORDS_ID_NUMBER CG_INDEX_RECORDS_LEGAL_REP
      "UPDATE meta SET value = '11' WHERE key = 'schema_version'");
}

// From 11 to 12: the 双公示 ledger and the daily statistics (tables of the
// common ones; the statistics count from the upgrade on), the ledger filled
// from the local licences and penalties stored. A platform's first acceptance
// before this schema is known by its day only: the day its current version
// was delivered there.
Status upgrade_11_to_12(sqlite::Db& db) {
  if (auto s = db.exec(kCommonTables); !s) return s;
  return db.exec(R"SQL(
INSERT OR IGNORE INTO publicity(rid, department, kind, decided_on, document_number)
  SELECT r.rid, r.department, r.kind, json_extract(v.body, '$.decision.decided_on'),
         coalesce(json_extract(v.body, '$.decision.document_number'), '')
  FROM records r JOIN record_versions v ON v.rid = r.rid AND v.version = r.version
  WHERE r.kind IN ('admin_license', 'admin_penalty') AND r.origin = 'local'
    AND json_extract(v.body, '$.decision.decided_on') IS NOT NULL;
INSERT OR IGNORE INTO publicity_accepted(rid, destination, accepted_at)
  SELECT d.rid, d.destination, d.delivered_on FROM delivered d JOIN publicity p ON p.rid = d.rid;
UPDATE publicity SET accepted_at = (SELECT min(a.accepted_at) FROM publicity_accepted a WHERE a.rid = publicity.rid);
UPDATE meta SET value = '12' WHERE key = 'schema_version';
)SQL");
}

}  // namespace

Status ensure_sqlite_schema(sqlite::Db& db) {
  if (auto s = db.exec("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)"); !s) return s;
  std::string version;
  {
    Stmt v(db, "SELECT value FROM meta WHERE key='schema_version'");
    auto row = v.step();
    if (!row.ok()) return row.error();
    if (*row) version = v.col_text(0);
  }
  const std::string current = std::to_string(kSqliteSchemaVersion);
  if (version.empty()) {
    sqlite::Transaction tx(db);
    if (!tx.begin_status()) return tx.begin_status();
    for (const char* sql : {kCommonTables, kKeyedTables, kLateIndexes})
      if (auto s = db.exec(sql); !s) return s;
    Stmt ins(db, "INSERT INTO meta(key, value) VALUES('schema_version', ?)");
    ins.bind(1, current);
    if (auto s = ins.run(); !s) return s;
    return tx.commit();
  }
  // An older schema's number (the upgrades below end at 12).
  static_assert(kSqliteSchemaVersion == 12);
  int from = 0;
  if (const auto [end, ec] = std::from_chars(version.data(), version.data() + version.size(), from);
      ec != std::errc() || end != version.data() + version.size() || from >= kSqliteSchemaVersion)
    from = 0;
  if (from > 0) {
    // One transaction for every step from `from` on: a failed upgrade leaves
    // the store as it was.
    sqlite::Transaction tx(db);
    if (!tx.begin_status()) return tx.begin_status();
    struct Step {
      int to;
      std::vector<const char*> sql;
    };
    const Step copies[] = {{2, {kUpgrade1To2, kCommonTables, kKeyedTablesV2, kCopy1To2}},
                           {3, {kUpgrade2To3, kCommonTables, kKeyedTables, kCopy2To3}},
                           {4, {kUpgrade3To4, kCommonTables, kKeyedTables, kCopy3To4}},
                           {5, {kUpgrade4To5, kCommonTables, kKeyedTables, kCopy4To5}},
                           {6, {kUpgrade5To6, kCommonTables, kKeyedTables, kCopy5To6}}};
    auto failed = [](int to, const Error& e) {
      return make_error("store_schema", "upgrade of the store from schema " + std::to_string(to - 1) + " to " +
                                            std::to_string(to) + " failed: " + e.message);
    };
    for (const auto& step : copies)
      if (from < step.to)
        for (const char* sql : step.sql)
          if (auto s = db.exec(sql); !s) return failed(step.to, s.error());
    if (auto s = db.exec(kCommonTables); !s) return s;  // tables added since
    if (from < 7)
      if (auto s = upgrade_6_to_7(db); !s) return failed(7, s.error());
    if (from < 8)
      if (auto s = upgrade_7_to_8(db); !s) return failed(8, s.error());
    if (from < 9)
      if (auto s = upgrade_8_to_9(db); !s) return failed(9, s.error());
    if (from < 10)
      if (auto s = upgrade_9_to_10(db); !s) return failed(10, s.error());
    if (from < 11)
      if (auto s = upgrade_10_to_11(db); !s) return failed(11, s.error());
    if (auto s = upgrade_11_to_12(db); !s) return failed(12, s.error());
    if (auto s = db.exec(kLateIndexes); !s) return s;
    return tx.commit();
  }
  if (version != current)
    return make_error("store_schema", "store schema version " + version + " is newer than this gateway's (" + current +
                                          "); see docs/operations.md, upgrades");
  for (const char* sql : {kCommonTables, kKeyedTables, kLateIndexes})  // idempotent: tables added since are created
    if (auto s = db.exec(sql); !s) return s;
  return {};
}

}  // namespace cg::store
