#include "store/sqlite/objections.hpp"

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "common/hash.hpp"

namespace cg::store {

std::string objection_id(const std::string& raised_by, const std::string& record_id, int64_t version) {
  return "ob-" + sha256_hex(raised_by + "\n" + record_id + "\n" + std::to_string(version)).substr(0, 40);
}

namespace sqlite_store {

using nlohmann::json;
using sqlite::Stmt;

namespace {

#define CG_OBJECTION_COLUMNS                                                                                     \
  "objection_id, record_id, version, raised_by, actor, raised_on, reason, state, answer, attempts, created_at, " \
  "updated_at"

Objection read_row(Stmt& st) {
  Objection o;
  o.objection_id = st.col_text(0);
  o.record_id = st.col_text(1);
  o.version = st.col_int(2);
  o.raised_by = st.col_text(3);
  o.actor = st.col_text(4);
  o.raised_on = st.col_text(5);
  o.reason = st.col_text(6);
  o.state = st.col_text(7);
  o.answer = st.col_text(8);
  o.attempts = st.col_int(9);
  o.created_at = st.col_text(10);
  o.updated_at = st.col_text(11);
  return o;
}

}  // namespace

Result<RaiseOutcome> SqliteObjections::raise(const Objection& o) {
  return c_.write(Commit::Durable, [&]() -> Result<RaiseOutcome> {
    {
      Stmt held(c_.db(), "SELECT reason FROM local_objections WHERE objection_id=?");
      held.bind(1, o.objection_id);
      auto row = held.step();
      if (!row.ok()) return row.error();
      if (*row) return held.col_text(0) == o.reason ? RaiseOutcome::Duplicate : RaiseOutcome::Conflict;
    }
    const std::string now = now_rfc3339_cst();
    Stmt ins(c_.db(), "INSERT INTO local_objections(" CG_OBJECTION_COLUMNS
                      ") VALUES(?1,?2,?3,?4,?5,?6,?7,'pending','',0,?8,?8)");
    ins.bind(1, o.objection_id)
        .bind(2, o.record_id)
        .bind(3, o.version)
        .bind(4, o.raised_by)
        .bind(5, o.actor)
        .bind(6, o.raised_on)
        .bind(7, o.reason)
        .bind(8, now);
    if (auto s = ins.run(); !s) return s.error();
    const json detail = {{"objection_id", o.objection_id}, {"raised_by", o.raised_by}, {"raised_on", o.raised_on}};
    if (auto s = audit_.write(now, o.actor, "objection.raised", o.record_id, o.version, o.objection_id, detail.dump());
        !s)
      return s.error();
    return RaiseOutcome::Raised;
  });
}

Result<std::optional<Objection>> SqliteObjections::get(const std::string& objection_id) {
  Stmt st(c_.db(), "SELECT " CG_OBJECTION_COLUMNS " FROM local_objections WHERE objection_id=?");
  st.bind(1, objection_id);
  auto row = st.step();
  if (!row.ok()) return row.error();
  if (!*row) return std::optional<Objection>();
  return std::optional<Objection>(read_row(st));
}

Result<std::vector<Objection>> SqliteObjections::list(const ObjectionFilter& f) {
  Stmt st(c_.db(), "SELECT " CG_OBJECTION_COLUMNS
                   " FROM local_objections WHERE (?1='' OR record_id=?1) AND (?2='' OR raised_by=?2) AND "
                   "(?3='' OR state=?3) ORDER BY created_at DESC, rowid DESC LIMIT ?4");
  st.bind(1, f.record_id).bind(2, f.raised_by).bind(3, f.state).bind(4, static_cast<int64_t>(f.limit));
  std::vector<Objection> out;
  if (auto s = sqlite::each_row(st, [&] { out.push_back(read_row(st)); }); !s) return s.error();
  return out;
}

Result<std::map<std::string, int64_t>> SqliteObjections::counts() {
  Stmt st(c_.db(), "SELECT state, count(*) FROM local_objections GROUP BY state");
  return sqlite::counts_by_key(st);
}

Status SqliteObjections::answered(const std::string& objection_id, const std::string& state,
                                  const std::string& answer) {
  if (state != "pending" && state != "opened" && state != "refused")
    return make_error("store", "an objection's answer is opened, refused or pending, not '" + state + "'");
  return c_.write(Commit::Durable, [&]() -> Status {
    const std::string now = now_rfc3339_cst();
    Stmt up(c_.db(),
            "UPDATE local_objections SET state=?2, answer=?3, attempts=attempts+1, updated_at=?4 WHERE objection_id=?1 "
            "RETURNING record_id, version");
    up.bind(1, objection_id).bind(2, state).bind(3, answer).bind(4, now);
    auto row = up.step();
    if (!row.ok()) return row.error();
    if (!*row) return make_error("store", "no objection " + objection_id);
    const std::string record_id = up.col_text(0);
    const int64_t version = up.col_int(1);
    up.reset();
    if (state == "pending") return {};  // not answered: tried again later, no audit entry per try
    const json detail = {{"objection_id", objection_id}, {"state", state}, {"answer", answer}};
    return audit_.write(now, "sync", "objection." + state, record_id, version, objection_id, detail.dump());
  });
}

}  // namespace sqlite_store

}  // namespace cg::store
