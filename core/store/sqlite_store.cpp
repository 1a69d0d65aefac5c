// The embedded store: one SQLite file in WAL mode.
#include <filesystem>

#include "common/clock.hpp"
#include "common/hash.hpp"
#include "store/sqlite.hpp"
#include "store/store.hpp"

namespace cg::store {

namespace {

using nlohmann::json;
using sqlite::Db;
using sqlite::Stmt;

constexpr int kSchemaVersion = 1;

const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
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
  body TEXT NOT NULL,
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
)SQL";

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(Db db) : db_(std::move(db)) {}

  Status init(const StoreOptions& opts) {
    if (auto s = db_.exec("PRAGMA journal_mode=WAL"); !s) return s;
    if (auto s = db_.exec(std::string("PRAGMA synchronous=") + (opts.synchronous == "normal" ? "NORMAL" : "FULL")); !s)
      return s;
    if (auto s = db_.exec("PRAGMA foreign_keys=ON"); !s) return s;
    if (auto s = db_.exec(kSchema); !s) return s;
    Stmt v(db_, "SELECT value FROM meta WHERE key='schema_version'");
    auto row = v.step();
    if (!row.ok()) return row.error();
    if (!*row) {
      Stmt ins(db_, "INSERT INTO meta(key, value) VALUES('schema_version', ?)");
      ins.bind(1, std::to_string(kSchemaVersion));
      if (auto s = ins.run(); !s) return s;
    } else if (v.col_text(0) != std::to_string(kSchemaVersion)) {
      return make_error("store_schema", "store schema version " + v.col_text(0) + " is not " +
                                            std::to_string(kSchemaVersion) + " (see docs/operations.md, upgrades)");
    }
    select_record_ = Stmt(db_, "SELECT version, digest, status FROM records WHERE record_id = ?");
    insert_record_ = Stmt(db_,
                          "INSERT INTO records(record_id, version, kind, department, status, subject_uscc, "
                          "subject_id_number, origin, digest, body, updated_at) VALUES(?,?,?,?,?,?,?,?,?,?,?)");
    update_record_ = Stmt(db_,
                          "UPDATE records SET version=?, status=?, subject_uscc=?, subject_id_number=?, digest=?, "
                          "body=?, updated_at=? WHERE record_id=?");
    insert_version_ = Stmt(db_, "INSERT INTO record_versions(record_id, version, body, cause, created_at) VALUES(?,?,?,?,?)");
    insert_audit_ = Stmt(db_, "INSERT INTO audit(at, actor, action, record_id, version, source, detail) VALUES(?,?,?,?,?,?,?)");
    insert_quarantine_ = Stmt(db_,
                              "INSERT OR IGNORE INTO quarantine(created_at, department, mapping, rule, field, source, "
                              "record_id, fingerprint, file_level, entry, raw) VALUES(?,?,?,?,?,?,?,?,?,?,?)");
    for (auto* s : {&select_record_, &insert_record_, &update_record_, &insert_version_, &insert_audit_,
                    &insert_quarantine_})
      if (!s->ok()) return make_error("store", "cannot prepare statement: " + db_.last_error());
    return {};
  }

  Result<IngestResult> ingest(const IngestBatch& batch) override {
    sqlite::Transaction tx(db_);
    if (!tx.begin_status()) return tx.begin_status().error();
    IngestResult result;
    if (auto s = apply(batch, result); !s) return s.error();
    if (auto s = tx.commit(); !s) return s.error();
    return result;
  }

  Result<IngestResult> resolve_quarantine(int64_t id, const IngestBatch& batch) override {
    sqlite::Transaction tx(db_);
    if (!tx.begin_status()) return tx.begin_status().error();
    Stmt upd(db_, "UPDATE quarantine SET status='replayed', resolved_at=?, resolution=? WHERE id=? AND status='open'");
    std::string now = now_rfc3339_cst();
    json resolution = {{"actor", batch.actor}, {"records", json::array()}};
    for (const auto& r : batch.records) resolution["records"].push_back(r.record_id);
    upd.bind(1, now).bind(2, resolution.dump()).bind(3, id);
    if (auto s = upd.run(); !s) return s.error();
    if (db_.changes() != 1) return make_error("not_found", "no open quarantine entry " + std::to_string(id));
    IngestResult result;
    if (auto s = apply(batch, result); !s) return s.error();
    if (auto s = audit(now, batch.actor, "quarantine.replayed", "", 0, batch.source,
                       json{{"quarantine_id", id}, {"records", resolution["records"]}}.dump());
        !s)
      return s.error();
    if (auto s = tx.commit(); !s) return s.error();
    return result;
  }

  Result<std::optional<StoredRecord>> get_record(const std::string& record_id) override {
    Stmt st(db_, "SELECT body, origin FROM records WHERE record_id = ?");
    st.bind(1, record_id);
    auto row = st.step();
    if (!row.ok()) return row.error();
    if (!*row) return std::optional<StoredRecord>{};
    auto rec = record_from_json(json::parse(st.col_text(0)));
    if (!rec.ok()) return rec.error();
    return std::optional<StoredRecord>(StoredRecord{std::move(rec.value()), st.col_text(1)});
  }

  Result<std::vector<Record>> record_history(const std::string& record_id) override {
    Stmt st(db_, "SELECT body FROM record_versions WHERE record_id = ? ORDER BY version");
    st.bind(1, record_id);
    std::vector<Record> out;
    while (true) {
      auto row = st.step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      auto rec = record_from_json(json::parse(st.col_text(0)));
      if (!rec.ok()) return rec.error();
      out.push_back(std::move(rec.value()));
    }
    return out;
  }

  Status for_each_record(const std::string& kind, const std::function<void(const StoredRecord&)>& fn) override {
    Stmt st(db_, kind.empty() ? "SELECT body, origin FROM records ORDER BY record_id"
                              : "SELECT body, origin FROM records WHERE kind = ? ORDER BY record_id");
    if (!kind.empty()) st.bind(1, kind);
    while (true) {
      auto row = st.step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      auto rec = record_from_json(json::parse(st.col_text(0)));
      if (!rec.ok()) return rec.error();
      fn(StoredRecord{std::move(rec.value()), st.col_text(1)});
    }
    return {};
  }

  Result<int64_t> count_records() override {
    Stmt st(db_, "SELECT count(*) FROM records");
    auto row = st.step();
    if (!row.ok()) return row.error();
    return st.col_int(0);
  }

  Result<std::vector<QuarantineRow>> list_quarantine(const QuarantineFilter& f) override {
    std::string sql = "SELECT id, created_at, status, entry, raw, file_level FROM quarantine WHERE 1=1";
    if (f.id) sql += " AND id = :id";
    if (f.status != "all") sql += " AND status = :status";
    if (!f.department.empty()) sql += " AND department = :dept";
    if (!f.mapping.empty())
      sql += f.mapping.find('@') != std::string::npos ? " AND mapping = :mapping" : " AND mapping LIKE :mapping || '@%'";
    if (!f.rule.empty()) sql += " AND rule = :rule";
    sql += " ORDER BY id LIMIT :limit";
    Stmt st(db_, sql);
    auto bind = [&](const char* name, const std::string& v) {
      int i = sqlite3_bind_parameter_index(st.handle(), name);
      if (i > 0) st.bind(i, v);
    };
    if (f.id) {
      int i = sqlite3_bind_parameter_index(st.handle(), ":id");
      st.bind(i, *f.id);
    }
    bind(":status", f.status);
    bind(":dept", f.department);
    bind(":mapping", f.mapping);
    bind(":rule", f.rule);
    st.bind(sqlite3_bind_parameter_index(st.handle(), ":limit"), static_cast<int64_t>(f.limit));
    std::vector<QuarantineRow> out;
    while (true) {
      auto row = st.step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      QuarantineRow q;
      q.id = st.col_int(0);
      q.created_at = st.col_text(1);
      q.status = st.col_text(2);
      q.entry = json::parse(st.col_text(3));
      q.raw = st.col_text(4);
      q.file_level = st.col_int(5) != 0;
      out.push_back(std::move(q));
    }
    return out;
  }

  Result<std::vector<AuditRow>> list_audit(const std::string& record_id, size_t limit) override {
    Stmt st(db_, record_id.empty()
                     ? "SELECT id, at, actor, action, record_id, version, source, detail FROM audit ORDER BY id DESC LIMIT ?"
                     : "SELECT id, at, actor, action, record_id, version, source, detail FROM audit WHERE record_id = ? "
                       "ORDER BY id LIMIT ?");
    int i = 1;
    if (!record_id.empty()) st.bind(i++, record_id);
    st.bind(i, static_cast<int64_t>(limit));
    std::vector<AuditRow> out;
    while (true) {
      auto row = st.step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      AuditRow a;
      a.id = st.col_int(0);
      a.at = st.col_text(1);
      a.actor = st.col_text(2);
      a.action = st.col_text(3);
      a.record_id = st.col_text(4);
      a.version = st.col_int(5);
      a.source = st.col_text(6);
      std::string d = st.col_text(7);
      a.detail = d.empty() ? json::object() : json::parse(d);
      out.push_back(std::move(a));
    }
    return out;
  }

 private:

  Status audit(const std::string& at, const std::string& actor, const std::string& action, const std::string& record_id,
               int64_t version, const std::string& source, const std::string& detail) {
    insert_audit_.reset().bind(1, at).bind(2, actor).bind(3, action);
    if (record_id.empty()) insert_audit_.bind_null(4); else insert_audit_.bind(4, record_id);
    if (version) insert_audit_.bind(5, version); else insert_audit_.bind_null(5);
    insert_audit_.bind(6, source).bind(7, detail);
    return insert_audit_.run();
  }

  Status apply(const IngestBatch& batch, IngestResult& result) {
    const std::string now = now_rfc3339_cst();
    for (const auto& in : batch.records) {
      Record r = in;
      std::string digest = content_digest(r);
      select_record_.reset().bind(1, r.record_id);
      auto row = select_record_.step();
      if (!row.ok()) return row.error();
      if (!*row) {
        r.version = 1;
        if (auto s = write(r, digest, batch, now, true); !s) return s;
        result.created++;
        result.stored.push_back({r.record_id, r.version, true});
        continue;
      }
      int64_t version = select_record_.col_int(0);
      std::string old_digest = select_record_.col_text(1);
      std::string status = select_record_.col_text(2);
      select_record_.reset();
      if (old_digest == digest) {
        result.unchanged++;
        continue;
      }
      r.version = version + 1;
      r.status = status;  // the lifecycle is kept: a department re-send does not undo a repair
      r.updated_at = now;
      if (auto s = write(r, digest, batch, now, false); !s) return s;
      result.updated++;
      result.stored.push_back({r.record_id, r.version, false});
    }
    for (const auto& q : batch.quarantined) {
      json entry = mapping::to_json(q);
      std::string fp = sha256_hex(q.mapping + "\x1f" + std::to_string(q.record_spec) + "\x1f" + q.raw);
      insert_quarantine_.reset()
          .bind(1, now).bind(2, q.department).bind(3, q.mapping).bind(4, q.rule).bind(5, q.field)
          .bind(6, q.location.file).bind(7, q.record_id).bind(8, fp).bind(9, int64_t{0}).bind(10, entry.dump())
          .bind_null(11);
      if (auto s = insert_quarantine_.run(); !s) return s;
      if (db_.changes() == 0) {
        result.quarantine_duplicates++;
        continue;
      }
      result.quarantined++;
      if (auto s = audit(now, batch.actor, "quarantine.added", q.record_id, 0, batch.source,
                         json{{"quarantine_id", db_.last_insert_id()}, {"rule", q.rule}, {"field", q.field}}.dump());
          !s)
        return s;
    }
    if (batch.failure) {
      json entry = mapping::to_json(*batch.failure);
      entry["mapping"] = batch.failure_mapping;
      entry["department"] = batch.failure_department;
      std::string fp = sha256_hex(batch.failure_mapping + "\x1f" + batch.failure->code + "\x1f" + batch.failure_raw);
      insert_quarantine_.reset()
          .bind(1, now).bind(2, batch.failure_department).bind(3, batch.failure_mapping).bind(4, batch.failure->code)
          .bind_null(5).bind(6, batch.failure->file).bind_null(7).bind(8, fp).bind(9, int64_t{1})
          .bind(10, entry.dump()).bind_blob(11, batch.failure_raw);
      if (auto s = insert_quarantine_.run(); !s) return s;
      if (db_.changes() == 0) {
        result.quarantine_duplicates++;
      } else {
        result.quarantined++;
        if (auto s = audit(now, batch.actor, "quarantine.file_refused", "", 0, batch.source,
                           json{{"quarantine_id", db_.last_insert_id()}, {"rule", batch.failure->code}}.dump());
            !s)
          return s;
      }
    }
    return {};
  }

  Status write(const Record& r, const std::string& digest, const IngestBatch& batch, const std::string& now,
               bool created) {
    std::string body = to_json(r).dump();
    const auto& s = r.subject;
    if (created) {
      insert_record_.reset()
          .bind(1, r.record_id).bind(2, r.version).bind(3, r.kind).bind(4, r.source.department).bind(5, r.status)
          .bind_opt(6, s.uscc).bind_opt(7, s.id_number).bind(8, batch.origin).bind(9, digest).bind(10, body)
          .bind(11, now);
      if (auto st = insert_record_.run(); !st) return st;
    } else {
      update_record_.reset()
          .bind(1, r.version).bind(2, r.status).bind_opt(3, s.uscc).bind_opt(4, s.id_number).bind(5, digest)
          .bind(6, body).bind(7, now).bind(8, r.record_id);
      if (auto st = update_record_.run(); !st) return st;
    }
    insert_version_.reset().bind(1, r.record_id).bind(2, r.version).bind(3, body)
        .bind(4, created ? "created" : "content_changed").bind(5, now);
    if (auto st = insert_version_.run(); !st) return st;
    return audit(now, batch.actor, created ? "record.created" : "record.updated", r.record_id, r.version,
                 batch.source, json{{"kind", r.kind}, {"mapping", r.source.mapping.value_or("")}}.dump());
  }

  Db db_;
  Stmt select_record_, insert_record_, update_record_, insert_version_, insert_audit_, insert_quarantine_;
};

}  // namespace

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path, const StoreOptions& opts) {
  std::error_code ec;
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  auto db = Db::open(path);
  if (!db.ok()) return db.error();
  auto store = std::make_unique<SqliteStore>(std::move(db.value()));
  if (auto s = store->init(opts); !s) return make_error(s.error().code, s.error().message, path);
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace cg::store
