#include "store/sqlite/sync_ledger.hpp"

#include "common/clock.hpp"
#include "store/sqlite/schema.hpp"

namespace cg::store::sqlite_store {

using sqlite::Stmt;

Result<std::optional<std::string>> SqliteSyncLedger::cursor(const std::string& source) {
  Stmt st(c_.db(), "SELECT cursor FROM sync_cursors WHERE source=?");
  st.bind(1, source);
  auto r = st.step();
  if (!r.ok()) return r.error();
  if (!*r) return std::optional<std::string>{};
  return std::optional<std::string>(st.col_text(0));
}

Status SqliteSyncLedger::save_cursor(const std::string& source, const std::string& cursor) {
  return c_.write(Commit::Durable, [&] {
    Stmt st(c_.db(),
            "INSERT INTO sync_cursors(source, cursor, updated_at) VALUES(?,?,?) ON CONFLICT(source) DO UPDATE "
            "SET cursor=excluded.cursor, updated_at=excluded.updated_at");
    st.bind(1, source).bind(2, cursor).bind(3, now_rfc3339_cst());
    return st.run();
  });
}

Result<bool> SqliteSyncLedger::applied(const std::string& change_id) {
  Stmt st(c_.db(), "SELECT 1 FROM applied_changes WHERE change_id=?");
  st.bind(1, change_id);
  return st.step();
}

Status SqliteSyncLedger::mark_applied(const AppliedChange& a) {
  return c_.write(Commit::Durable, [&]() -> Status {
    Stmt st(c_.db(),
            "INSERT INTO applied_changes(change_id, source, type, record_id, outcome, version, applied_at) "
            "VALUES(?,?,?,?,?,?,?) ON CONFLICT(change_id) DO UPDATE SET outcome=excluded.outcome, "
            "version=excluded.version, applied_at=excluded.applied_at WHERE applied_changes.outcome = ?8");
    st.bind(1, a.change_id).bind(2, a.source).bind(3, a.type).bind(4, a.record_id).bind(5, a.outcome);
    if (a.version)
      st.bind(6, a.version);
    else
      st.bind_null(6);
    st.bind(7, now_rfc3339_cst()).bind(8, kWaitingOutcome);
    if (auto s = st.run(); !s) return s;
    if (c_.db().changes() == 0)
      return make_error("store", "change " + a.change_id + " is applied already", a.change_id);
    return Status{};
  });
}

Status SqliteSyncLedger::keep_waiting(const WaitingChange& w) {
  return c_.write(Commit::Durable, [&] {
    Stmt st(c_.db(),
            "INSERT OR IGNORE INTO waiting_changes(change_id, source, type, record_id, change, received_at) "
            "VALUES(?,?,?,?,?,?)");
    st.bind(1, w.change_id).bind(2, w.source).bind(3, w.type).bind(4, w.record_id).bind(5, w.change);
    st.bind(6, w.received_at.empty() ? now_rfc3339_cst() : w.received_at);
    return st.run();
  });
}

Result<std::vector<WaitingChange>> SqliteSyncLedger::waiting(const WaitingFilter& f) {
  Stmt st(c_.db(),
          "SELECT w.id, w.change_id, w.source, w.type, w.record_id, w.change, w.received_at FROM waiting_changes w "
          "WHERE (?1 = '' OR w.source = ?1) AND (?2 = '' OR w.record_id = ?2) AND (?3 = 0 OR EXISTS (SELECT 1 FROM "
          "records r WHERE " CG_RECORD_IS("r.", "w.record_id") ")) ORDER BY w.id LIMIT ?4");
  st.bind(1, f.source)
      .bind(2, f.record_id)
      .bind(3, int64_t{f.held_only ? 1 : 0})
      .bind(4, static_cast<int64_t>(f.limit));
  std::vector<WaitingChange> out;
  while (true) {
    auto r = st.step();
    if (!r.ok()) return r.error();
    if (!*r) break;
    out.push_back({st.col_int(0), st.col_text(1), st.col_text(2), st.col_text(3), st.col_text(4), st.col_text(5),
                   st.col_text(6)});
  }
  return out;
}

Status SqliteSyncLedger::drop_waiting(const std::string& change_id) {
  return c_.write(Commit::Durable, [&] {
    Stmt st(c_.db(), "DELETE FROM waiting_changes WHERE change_id=?");
    st.bind(1, change_id);
    return st.run();
  });
}

Result<int64_t> SqliteSyncLedger::waiting_count() {
  Stmt st(c_.db(), "SELECT count(*) FROM waiting_changes");
  auto r = st.step();
  if (!r.ok()) return r.error();
  return st.col_int(0);
}

Status SqliteSyncLedger::open_objection(const std::string& record_id, const std::string& objection_id,
                                        const std::string& opened_at) {
  return c_.write(Commit::Durable, [&] {
    Stmt st(c_.db(), "INSERT OR IGNORE INTO objections(record_id, objection_id, opened_at) VALUES(?,?,?)");
    st.bind(1, record_id).bind(2, objection_id).bind(3, opened_at);
    return st.run();
  });
}

Result<std::optional<std::string>> SqliteSyncLedger::resolve_objection(const std::string& record_id,
                                                                       const std::string& objection_id,
                                                                       const std::string& resolved_at,
                                                                       const std::string& outcome) {
  return c_.write(Commit::Durable, [&]() -> Result<std::optional<std::string>> {
    Stmt o(c_.db(), "SELECT opened_at FROM objections WHERE record_id=? AND objection_id=?");
    o.bind(1, record_id).bind(2, objection_id);
    auto found = o.step();
    if (!found.ok()) return found.error();
    std::optional<std::string> opened_at;
    if (*found) opened_at = o.col_text(0);
    o.reset();
    Stmt u(c_.db(), "UPDATE objections SET resolved_at=?, outcome=? WHERE record_id=? AND objection_id=?");
    u.bind(1, resolved_at).bind(2, outcome).bind(3, record_id).bind(4, objection_id);
    if (auto s = u.run(); !s) return s.error();
    return opened_at;
  });
}

}  // namespace cg::store::sqlite_store
