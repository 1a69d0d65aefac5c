#include "store/sqlite/sync_ledger.hpp"

#include "common/clock.hpp"

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
  return c_.write(Commit::Durable, [&] {
    Stmt st(c_.db(),
            "INSERT INTO applied_changes(change_id, source, type, record_id, outcome, version, applied_at) "
            "VALUES(?,?,?,?,?,?,?)");
    st.bind(1, a.change_id).bind(2, a.source).bind(3, a.type).bind(4, a.record_id).bind(5, a.outcome);
    if (a.version)
      st.bind(6, a.version);
    else
      st.bind_null(6);
    st.bind(7, now_rfc3339_cst());
    return st.run();
  });
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
