#include "store/sqlite/audit_log.hpp"

#include "common/clock.hpp"
#include "store/sqlite/schema.hpp"

namespace cg::store::sqlite_store {

using nlohmann::json;
using sqlite::Stmt;

Status SqliteAuditLog::prepare() {
  // The record's rid: given (a version just written), else looked up (NULL
  // for a record that is not stored, such as a quarantined one).
  insert_ =
      Stmt(c_.db(),
           "INSERT INTO audit(at, actor, action, record_id, version, source, detail, rid) "
           "VALUES(?1,?2,?3,?4,?5,?6,?7,coalesce(?8,(SELECT rid FROM records WHERE " CG_RECORD_IS("", "?4") ")))");
  if (!insert_.ok()) return make_error("store", "cannot prepare statement: " + c_.db().last_error());
  return {};
}

Status SqliteAuditLog::write(const std::string& at, const std::string& actor, const std::string& action,
                             const std::string& record_id, int64_t version, const std::string& source,
                             const std::string& detail, int64_t rid) {
  // Bound without copies: every argument outlives the step, and the
  // statement is reset before this returns.
  insert_.reset().bind_static(1, at).bind_static(2, actor).bind_static(3, action);
  if (record_id.empty())
    insert_.bind_null(4);
  else
    insert_.bind_static(4, record_id);
  if (version)
    insert_.bind(5, version);
  else
    insert_.bind_null(5);
  insert_.bind_static(6, source).bind_static(7, detail);
  if (rid)
    insert_.bind(8, rid);
  else
    insert_.bind_null(8);
  auto ran = insert_.run();
  insert_.reset();
  if (!ran) return ran;
  last_id_ = c_.db().last_insert_id();
  return {};
}

Status SqliteAuditLog::append(const AuditEntry& e) {
  return c_.write(Commit::Durable, [&] {
    return write(now_rfc3339_cst(), e.actor, e.action, e.record_id, e.version, e.source, e.detail.dump());
  });
}

Result<std::vector<AuditRow>> SqliteAuditLog::list(const std::string& record_id, size_t limit) {
  // A record's entries: by its rid once stored, by record_id from before
  // (a quarantined version of it).
  Stmt st(c_.db(),
          record_id.empty()
              ? "SELECT id, at, actor, action, record_id, version, source, detail FROM audit ORDER BY id DESC LIMIT ?"
              : "SELECT id, at, actor, action, record_id, version, source, detail FROM audit "
                "WHERE rid = (SELECT rid FROM records WHERE " CG_RECORD_IS("", "?1") ") "
                "OR (rid IS NULL AND record_id IS NOT NULL AND record_id = ?1) ORDER BY id LIMIT ?2");
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
    a.detail = d.empty() ? json::object() : json::parse(d, nullptr, false);
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace cg::store::sqlite_store
