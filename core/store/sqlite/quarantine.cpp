#include "store/sqlite/quarantine.hpp"

#include "common/clock.hpp"
#include "common/hash.hpp"

namespace cg::store::sqlite_store {

using nlohmann::json;
using sqlite::Stmt;

Status SqliteQuarantine::prepare() {
  insert_ = Stmt(c_.db(),
                 "INSERT OR IGNORE INTO quarantine(created_at, department, mapping, rule, field, source, "
                 "record_id, fingerprint, file_level, entry, raw) VALUES(?,?,?,?,?,?,?,?,?,?,?)");
  if (!insert_.ok()) return make_error("store", "cannot prepare statement: " + c_.db().last_error());
  return {};
}

Result<bool> SqliteQuarantine::add(const IngestBatch& batch, const QuarantineEntry& q, const std::string& entry_text,
                                   const std::string& fingerprint, const std::string& now) {
  insert_.reset()
      .bind(1, now)
      .bind(2, q.department)
      .bind(3, q.mapping)
      .bind(4, q.rule)
      .bind(5, q.field)
      .bind(6, q.location.file)
      .bind(7, q.record_id)
      .bind_static(8, fingerprint)
      .bind(9, int64_t{0})
      .bind_static(10, entry_text)
      .bind_null(11);
  auto ran = insert_.run();
  insert_.reset();  // the texts were bound without a copy
  if (!ran) return ran.error();
  if (c_.db().changes() == 0) return false;
  if (auto s =
          audit_.write(now, batch.actor, "quarantine.added", q.record_id, 0, batch.source,
                       json{{"quarantine_id", c_.db().last_insert_id()}, {"rule", q.rule}, {"field", q.field}}.dump());
      !s)
    return s.error();
  return true;
}

Result<bool> SqliteQuarantine::add_refused_unit(const IngestBatch& batch, const std::string& now) {
  const auto& failure = *batch.failure;
  json entry = to_json(failure);
  entry["mapping"] = batch.failure_mapping;
  entry["department"] = batch.failure_department;
  std::string fp = sha256_hex(batch.failure_mapping + "\x1f" + failure.code + "\x1f" + batch.failure_raw);
  insert_.reset()
      .bind(1, now)
      .bind(2, batch.failure_department)
      .bind(3, batch.failure_mapping)
      .bind(4, failure.code)
      .bind_null(5)
      .bind(6, failure.file)
      .bind_null(7)
      .bind(8, fp)
      .bind(9, int64_t{1})
      .bind(10, entry.dump())
      .bind_blob(11, batch.failure_raw);
  if (auto s = insert_.run(); !s) return s.error();
  if (c_.db().changes() == 0) return false;
  if (auto s = audit_.write(now, batch.actor, "quarantine.file_refused", "", 0, batch.source,
                            json{{"quarantine_id", c_.db().last_insert_id()}, {"rule", failure.code}}.dump());
      !s)
    return s.error();
  return true;
}

Result<std::vector<QuarantineRow>> SqliteQuarantine::list(const QuarantineFilter& f) {
  std::string sql = "SELECT id, created_at, status, entry, raw, file_level FROM quarantine WHERE 1=1";
  if (f.id) sql += " AND id = :id";
  if (f.status != "all") sql += " AND status = :status";
  if (!f.department.empty()) sql += " AND department = :dept";
  if (!f.mapping.empty())
    sql += f.mapping.find('@') != std::string::npos ? " AND mapping = :mapping" : " AND mapping LIKE :mapping || '@%'";
  if (!f.rule.empty()) sql += " AND rule = :rule";
  sql += " ORDER BY id LIMIT :limit";
  Stmt st(c_.db(), sql);
  if (f.id) st.bind_named(":id", *f.id);
  st.bind_named(":status", f.status)
      .bind_named(":dept", f.department)
      .bind_named(":mapping", f.mapping)
      .bind_named(":rule", f.rule)
      .bind_named(":limit", static_cast<int64_t>(f.limit));
  std::vector<QuarantineRow> out;
  while (true) {
    auto row = st.step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    QuarantineRow q;
    q.id = st.col_int(0);
    q.created_at = st.col_text(1);
    q.status = st.col_text(2);
    q.entry = json::parse(st.col_text(3), nullptr, false);
    q.raw = st.col_text(4);
    q.file_level = st.col_int(5) != 0;
    out.push_back(std::move(q));
  }
  return out;
}

Result<json> SqliteQuarantine::counts() {
  Stmt st(c_.db(), "SELECT coalesce(department, ''), rule, count(*) FROM quarantine WHERE status='open' GROUP BY 1, 2");
  json out = json::array();
  while (true) {
    auto r = st.step();
    if (!r.ok()) return r.error();
    if (!*r) break;
    out.push_back({{"department", st.col_text(0)}, {"rule", st.col_text(1)}, {"count", st.col_int(2)}});
  }
  return out;
}

Status SqliteQuarantine::mark_replayed(int64_t id, const std::string& actor,
                                       const std::vector<std::string>& record_ids) {
  return c_.write(Commit::Durable, [&]() -> Status {
    Stmt upd(c_.db(),
             "UPDATE quarantine SET status='replayed', resolved_at=?, resolution=? WHERE id=? AND status='open'");
    json resolution = {{"actor", actor}, {"records", record_ids}};
    upd.bind(1, now_rfc3339_cst()).bind(2, resolution.dump()).bind(3, id);
    if (auto s = upd.run(); !s) return s;
    if (c_.db().changes() != 1) return make_error("not_found", "no open quarantine entry " + std::to_string(id));
    return {};
  });
}

}  // namespace cg::store::sqlite_store
