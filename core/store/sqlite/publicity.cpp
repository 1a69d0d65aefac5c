#include "store/sqlite/publicity.hpp"

#include <map>

namespace cg::store::sqlite_store {

using sqlite::Stmt;

bool publicised_kind(const std::string& kind) {
  return kind == "admin_license" || kind == "admin_penalty";
}

Status SqlitePublicity::prepare() {
  auto& db = c_.db();
  keep_ = Stmt(db,
               "INSERT INTO publicity(rid, department, kind, decided_on, document_number) VALUES(?,?,?,?,?) "
               "ON CONFLICT(rid) DO UPDATE SET decided_on=excluded.decided_on, "
               "document_number=excluded.document_number");
  accept_ = Stmt(db,  // a licence's or penalty's only
                 "INSERT INTO publicity_accepted(rid, destination, accepted_at) SELECT ?1, ?2, ?3 WHERE EXISTS "
                 "(SELECT 1 FROM publicity WHERE rid = ?1) ON CONFLICT(rid, destination) DO NOTHING");
  first_ = Stmt(db, "UPDATE publicity SET accepted_at=?2 WHERE rid=?1 AND accepted_at IS NULL");
  fresh_ = Stmt(db, "INSERT OR IGNORE INTO publicity_first(rid) VALUES(?)");
  for (auto* s : {&keep_, &accept_, &first_, &fresh_})
    if (!s->ok()) return make_error("store", "cannot prepare statement: " + db.last_error());
  return {};
}

Status SqlitePublicity::keep(const Record& r, int64_t rid, const std::string& origin) {
  if (!publicised_kind(r.kind) || origin != "local" || !r.decision.decided_on) return {};
  keep_.reset()
      .bind(1, rid)
      .bind_static(2, r.source.department)
      .bind_static(3, r.kind)
      .bind_static(4, *r.decision.decided_on)
      .bind_static(5, r.decision.document_number ? std::string_view(*r.decision.document_number) : "");
  auto ran = keep_.run();
  keep_.reset();
  return ran;
}

Status SqlitePublicity::accepted(const std::string& destination, int64_t first, int64_t last, const std::string& now) {
  // The batch's licences and penalties (accepted_rid passes over those accepted there before).
  Stmt rows(c_.db(),
            "SELECT o.rid FROM outbox o JOIN publicity p ON p.rid = o.rid WHERE o.destination=?1 AND o.id BETWEEN ?2 "
            "AND ?3");
  rows.bind(1, destination).bind(2, first).bind(3, last);
  std::vector<int64_t> rids;
  if (auto s = sqlite::each_row(rows, [&] { rids.push_back(rows.col_int(0)); }); !s) return s;
  for (int64_t rid : rids)
    if (auto s = accepted_rid(destination, rid, now); !s) return s;
  return {};
}

Status SqlitePublicity::accepted_rid(const std::string& destination, int64_t rid, const std::string& now) {
  accept_.reset().bind(1, rid).bind(2, destination).bind(3, now);
  if (auto s = accept_.run(); !s) return s;
  if (c_.db().changes() == 0) return {};  // not a licence or penalty, or accepted there before
  first_.reset().bind(1, rid).bind(2, now);
  if (auto s = first_.run(); !s) return s;
  if (c_.db().changes() == 0) return {};  // accepted by another platform before
  fresh_.reset().bind(1, rid);
  return fresh_.run();
}

Result<size_t> SqlitePublicity::count_first_acceptances(
    const std::function<std::string(const std::string& decided_on, const std::string& accepted_on)>& state_of,
    size_t max) {
  return c_.write(Commit::Durable, [&]() -> Result<size_t> {
    Stmt rows(c_.db(),
              "SELECT f.rid, coalesce(p.department, ''), coalesce(p.kind, ''), coalesce(p.decided_on, ''), "
              "coalesce(p.accepted_at, '') FROM publicity_first f LEFT JOIN publicity p ON p.rid = f.rid ORDER BY "
              "f.rid LIMIT ?");
    rows.bind(1, static_cast<int64_t>(max));
    std::vector<int64_t> rids;
    std::map<std::string, Tally> by_day;
    auto read = sqlite::each_row(rows, [&] {
      rids.push_back(rows.col_int(0));
      const std::string accepted_at = rows.col_text(4);
      if (accepted_at.size() < 10) return;  // its record is gone
      const std::string state = state_of(rows.col_text(3), accepted_at.substr(0, 10));
      ++by_day[accepted_at.substr(0, 10)][{"publicity:" + state, rows.col_text(1), rows.col_text(2), ""}];
    });
    if (!read) return read.error();
    for (const auto& [day, tally] : by_day)
      if (auto s = statistics_.add(day, tally); !s) return s.error();
    Stmt done(c_.db(), "DELETE FROM publicity_first WHERE rid = ?");
    for (int64_t rid : rids)
      if (auto s = done.reset().bind(1, rid).run(); !s) return s.error();
    return rids.size();
  });
}

namespace {

#define CG_PUBLICITY_FILTER \
  " AND (?1 = '' OR p.department = ?1) AND (?2 = '' OR p.decided_on >= ?2) AND (?3 = '' OR p.decided_on <= ?3)"

Stmt& bind_filter(Stmt& st, const PublicityFilter& f) {
  return st.bind(1, f.department).bind(2, f.from).bind(3, f.to);
}

}  // namespace

Result<std::vector<PublicityRow>> SqlitePublicity::list(const PublicityFilter& f) {
  std::vector<PublicityRow> out;
  Stmt st(c_.db(),
          "SELECT r.record_id, p.department, p.kind, p.decided_on, p.document_number, coalesce(p.accepted_at, ''), "
          "(SELECT json_group_object(a.destination, a.accepted_at) FROM publicity_accepted a WHERE a.rid = p.rid), "
          "CASE WHEN p.accepted_at IS NULL THEN (SELECT d.destination || ': ' || coalesce(d.error_code, '') || ' ' || "
          "coalesce(d.error_message, '') FROM dead_letters d WHERE d.record_id = r.record_id ORDER BY d.id DESC "
          "LIMIT 1) END FROM publicity p JOIN records r ON r.rid = p.rid WHERE " +
              std::string(f.unaccepted ? "p.accepted_at IS NULL" : "1") +  // the unaccepted: through their index
              CG_PUBLICITY_FILTER " ORDER BY p.decided_on, r.record_id");
  bind_filter(st, f);
  auto stored = sqlite::each_row(st, [&] {
    PublicityRow r;
    r.record_id = st.col_text(0);
    r.department = st.col_text(1);
    r.kind = st.col_text(2);
    r.decided_on = st.col_text(3);
    r.document_number = st.col_text(4);
    r.accepted_at = st.col_text(5);
    auto by = nlohmann::json::parse(st.col_text(6), nullptr, false);
    if (by.is_object())
      for (const auto& [dest, at] : by.items())
        if (at.is_string()) r.accepted[dest] = at.get<std::string>();
    r.dead_letter = st.col_text(7);
    out.push_back(std::move(r));
  });
  if (!stored) return stored.error();
  // Quarantined: open entries of a record that is not stored, whose decision
  // date was read.
  Stmt q(c_.db(),
         "SELECT coalesce(record_id, ''), p.department, p.kind, p.decided_on, p.document_number, id, rule, "
         "coalesce(field, '') FROM (SELECT id, record_id, rule, field, department, json_extract(entry, '$.kind') "
         "AS kind, json_extract(entry, '$.decided_on') AS decided_on, '' AS document_number "
         "FROM quarantine WHERE status = 'open' AND file_level = 0) p WHERE p.kind IN ('admin_license', "
         "'admin_penalty') AND p.decided_on IS NOT NULL AND NOT EXISTS (SELECT 1 FROM records r WHERE "
         "substr(r.record_id, 1, 8) = substr(p.record_id, 1, 8) AND +r.record_id = p.record_id)" CG_PUBLICITY_FILTER
         " ORDER BY p.decided_on, p.id");
  bind_filter(q, f);
  auto held = sqlite::each_row(q, [&] {
    PublicityRow r;
    r.record_id = q.col_text(0);
    r.department = q.col_text(1);
    r.kind = q.col_text(2);
    r.decided_on = q.col_text(3);
    r.document_number = q.col_text(4);
    r.quarantine_id = q.col_int(5);
    r.quarantine_rule = q.col_text(6);
    r.quarantine_field = q.col_text(7);
    out.push_back(std::move(r));
  });
  if (!held) return held.error();
  return out;
}

#undef CG_PUBLICITY_FILTER

Result<std::vector<PublicityNote>> SqlitePublicity::note(const std::vector<PublicityNote>& notes,
                                                         const std::string& actor, const std::string& now) {
  return c_.write(Commit::Durable, [&]() -> Result<std::vector<PublicityNote>> {
    std::vector<PublicityNote> fresh;
    Tally overdue;
    Stmt ins(c_.db(), "INSERT INTO publicity_noted(record_id, state, noted_at) VALUES(?,?,?) ON CONFLICT DO NOTHING");
    for (const auto& n : notes) {
      ins.reset().bind(1, n.record_id).bind(2, n.state).bind(3, now);
      if (auto s = ins.run(); !s) return s.error();
      if (c_.db().changes() == 0) continue;
      if (auto s = audit_.write(now, actor, "publicity.noted", n.record_id, 0, "",
                                nlohmann::json{{"state", n.state}}.dump());
          !s)
        return s.error();
      if (n.state == "overdue") ++overdue[{"publicity:overdue", n.department, n.kind, ""}];
      fresh.push_back(n);
    }
    if (auto s = statistics_.add(now.substr(0, 10), overdue); !s) return s.error();
    return fresh;
  });
}

}  // namespace cg::store::sqlite_store
