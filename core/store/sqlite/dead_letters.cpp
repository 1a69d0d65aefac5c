// The outbox's dead letters: entries a platform refused, kept for an
// operator to see and replay.
#include "common/clock.hpp"
#include "store/sqlite/outbox.hpp"
#include "store/sqlite/schema.hpp"

namespace cg::store::sqlite_store {

namespace {

using nlohmann::json;
using sqlite::Stmt;

std::string dead_where(const DeadLetterFilter& f) {
  std::string w = " WHERE 1=1";
  if (f.id) w += " AND d.id=:id";
  if (!f.destination.empty()) w += " AND d.destination=:dest";
  if (!f.record_id.empty()) w += " AND d.record_id=:rid";
  if (!f.error_code.empty()) w += " AND d.error_code=:code";
  if (!f.from.empty()) w += " AND d.dead_at>=:from";
  if (!f.to.empty()) w += " AND d.dead_at<=:to";
  return w;
}

void dead_bind(Stmt& st, const DeadLetterFilter& f) {
  if (f.id) st.bind_named(":id", *f.id);
  st.bind_named(":dest", f.destination)
      .bind_named(":rid", f.record_id)
      .bind_named(":code", f.error_code)
      .bind_named(":from", f.from)
      .bind_named(":to", f.to);
}

}  // namespace

Result<std::vector<DeadLetter>> SqliteOutbox::dead_letters(const DeadLetterFilter& f) {
  Stmt st(c_.db(), "SELECT d.id, d.destination, d.record_id, d.version, d.error_code, d.error_field, "
                   "d.error_message, d.dead_at, v.body, d.attempts FROM dead_letters d LEFT JOIN records r ON " CG_RECORD_IS("r.", "d.record_id") " "
                   "LEFT JOIN record_versions v ON v.rid = r.rid AND v.version = d.version" +
                       dead_where(f) + " ORDER BY d.id LIMIT " + std::to_string(f.limit));
  dead_bind(st, f);
  std::vector<DeadLetter> out;
  while (true) {
    auto r = st.step();
    if (!r.ok()) return r.error();
    if (!*r) break;
    DeadLetter d;
    d.id = st.col_int(0);
    d.destination = st.col_text(1);
    d.record_id = st.col_text(2);
    d.version = st.col_int(3);
    d.error_code = st.col_text(4);
    d.error_field = st.col_text(5);
    d.error_message = st.col_text(6);
    d.dead_at = st.col_text(7);
    d.body = st.col_text(8);
    d.attempts = st.col_int(9);
    out.push_back(std::move(d));
  }
  return out;
}

// A replayed dead letter goes back to the end of its destination's outbox,
// with the version it had.
Result<int64_t> SqliteOutbox::replay_dead_letters(const DeadLetterFilter& f, const std::string& actor) {
  return c_.write(Commit::Durable, [&]() -> Result<int64_t> {
    auto rows = dead_letters(f);
    if (!rows.ok()) return rows.error();
    std::string now = now_rfc3339_cst();
    Stmt del(c_.db(), "DELETE FROM dead_letters WHERE id=?");
    int64_t n = 0;
    for (const auto& d : *rows) {
      del.reset().bind(1, d.id);
      if (auto s = del.run(); !s) return s.error();
      if (c_.db().changes() == 0) continue;
      if (auto s = audit_.write(now, actor, "delivery.replayed", d.record_id, d.version,
                                "deadletter#" + std::to_string(d.id),
                                json{{"destination", d.destination}, {"previous_error", d.error_code}}.dump());
          !s)
        return s.error();
      if (auto s = queue_again(d.destination, d.record_id, d.version); !s) return s.error();
      ++n;
    }
    return n;
  });
}

}  // namespace cg::store::sqlite_store
