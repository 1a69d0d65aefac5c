#include "store/sqlite/feedback.hpp"

#include "common/clock.hpp"
#include "store/sqlite/schema.hpp"

namespace cg::store::sqlite_store {

using nlohmann::json;
using sqlite::Stmt;

namespace {

// Item f is overdue on ?1: a measure without a report after its due date.
#define CG_ITEM_OVERDUE(today) "f.due_on <> '' AND f.due_on < " today " AND " CG_ITEM_UNANSWERED

// Whether some measure of item f has no report yet.
#define CG_ITEM_UNANSWERED                                                                                    \
  "EXISTS (SELECT 1 FROM json_each(f.measures) m WHERE NOT EXISTS (SELECT 1 FROM execution_feedback e WHERE " \
  "e.item_id = f.id AND e.measure_id = json_extract(m.value, '$.measure_id')))"

// An item's columns, its body read from its record version (items written
// before the feedback rows referred to it carry their own copy).
// clang-format off
#define CG_ITEM_COLUMNS                                                                                      \
  "f.id, f.record_id, f.version, f.event, "                                                               \
  "CASE WHEN f.body <> '' THEN f.body ELSE (SELECT v.body FROM records r JOIN record_versions v ON "       \
  "v.rid = r.rid AND v.version = f.version WHERE " CG_RECORD_IS("r.", "f.record_id") ") END, f.attempts, " \
  "f.measures, f.catalog, f.due_on, f.created_at, f.measures <> '[]' AND NOT " CG_ITEM_UNANSWERED ", f.department"
// clang-format on

FeedbackItem read_item(Stmt& st) {
  FeedbackItem f;
  f.id = st.col_int(0);
  f.department = st.col_text(11);
  f.record_id = st.col_text(1);
  f.version = st.col_int(2);
  f.event = json::parse(st.col_text(3), nullptr, false);
  f.body = st.col_text(4);
  f.attempts = st.col_int(5);
  f.measures = json::parse(st.col_text(6), nullptr, false);
  if (!f.measures.is_array()) f.measures = json::array();
  f.catalog = st.col_text(7);
  f.due_on = st.col_text(8);
  f.received_at = st.col_text(9);
  f.answered = st.col_int(10) != 0;
  return f;
}

// Every item the statement gives, after those `out` holds.
Status read_items(Stmt& st, std::vector<FeedbackItem>& out) {
  while (true) {
    auto r = st.step();
    if (!r.ok()) return r.error();
    if (!*r) return {};
    out.push_back(read_item(st));
  }
}

}  // namespace

Status SqliteFeedback::prepare() {
  // An item's body is its record version's (claim).
  insert_ = Stmt(c_.db(),
                 "INSERT INTO feedback(department, record_id, version, event, body, created_at, catalog, measures, "
                 "due_on) VALUES(?1,?2,?3,?4,'',?5,?6,?7,?8)");
  if (!insert_.ok()) return make_error("store", "cannot prepare statement: " + c_.db().last_error());
  return {};
}

// The item refers to the record version written with it for its body (read
// when the item is claimed), rather than holding a second copy of it.
Status SqliteFeedback::enqueue(const Record& r, const json& event, bool created, const std::string& origin,
                               const std::string& now) {
  if (!router_) return {};
  const bool from_feed = !event.is_object();
  const std::string type = from_feed ? (created ? "created" : "updated") : event.value("type", "");
  auto routes = router_(r, type, origin, now.substr(0, 10));  // now is CST: its date is today's
  if (routes.empty()) return {};                              // the usual case: no tree built for nothing
  json ev = from_feed ? json{{"type", type}} : event;
  ev["at"] = ev.value("at", now);
  const std::string ev_text = ev.dump();
  Tally sent;
  for (const auto& route : routes) {
    ++sent[{"items", route.department, r.kind, ""}];
    ++sent[{"catalog:" + route.catalog, route.department, "", ""}];  // the version that routed it
    insert_.reset()
        .bind(1, route.department)
        .bind(2, r.record_id)
        .bind(3, r.version)
        .bind(4, ev_text)
        .bind(5, now)
        .bind(6, route.catalog)
        .bind(7, route.measures.dump())
        .bind(8, route.due_on);
    if (auto s = insert_.run(); !s) return s;
  }
  return statistics_.add(now.substr(0, 10), sent);
}

// Leases and answers are bookkeeping like a delivery's: a power loss can
// undo the last of them, and the items are offered again (each carries its
// id, for the department to see it again).
Result<std::vector<FeedbackItem>> SqliteFeedback::claim(const std::string& dept, size_t max, int64_t lease_ms) {
  return c_.write(Commit::Bookkeeping, [&]() -> Result<std::vector<FeedbackItem>> {
    int64_t now = now_ms();
    // Leases that ran out first, then due items in the order they became due:
    // both read along feedback_due and stop at `max`, however long the queue.
    std::vector<FeedbackItem> out;
    for (const char* sql : {"SELECT " CG_ITEM_COLUMNS " FROM feedback f WHERE f.department=?1 AND "
                            "f.state='inflight' AND f.lease_until_ms<?2 ORDER BY f.id LIMIT ?3",
                            "SELECT " CG_ITEM_COLUMNS " FROM feedback f WHERE f.department=?1 AND "
                            "f.state='pending' AND f.next_attempt_ms<=?2 ORDER BY f.next_attempt_ms, f.id LIMIT ?3"}) {
      Stmt st(c_.db(), sql);
      st.bind(1, dept).bind(2, now).bind(3, static_cast<int64_t>(max - out.size()));
      while (out.size() < max) {
        auto r = st.step();
        if (!r.ok()) return r.error();
        if (!*r) break;
        out.push_back(read_item(st));
      }
    }
    Stmt lease(c_.db(), "UPDATE feedback SET state='inflight', lease_until_ms=? WHERE id=?");
    for (const auto& f : out) {
      lease.reset().bind(1, now + lease_ms).bind(2, f.id);
      if (auto s = lease.run(); !s) return s.error();
    }
    return out;
  });
}

Status SqliteFeedback::complete(int64_t id, bool delivered, const std::string& error, int64_t retry_ms) {
  return c_.write(Commit::Bookkeeping, [&] {
    if (delivered) {
      Stmt st(c_.db(), "UPDATE feedback SET state='delivered', delivered_at=? WHERE id=?");
      st.bind(1, now_rfc3339_cst()).bind(2, id);
      return st.run();
    }
    Stmt st(c_.db(),
            "UPDATE feedback SET state='pending', attempts=attempts+1, next_attempt_ms=?, last_error=? WHERE id=?");
    st.bind(1, now_ms() + retry_ms).bind(2, error).bind(3, id);
    return st.run();
  });
}

// Items that carry measures wait for the department's answer until it has
// reported on each of them (execution_feedback); the others (a status change
// of its own record that it implements no measure for) are listed with "all"
// only.
Result<std::vector<FeedbackItem>> SqliteFeedback::items(const ItemFilter& filter) {
  std::string sql = "SELECT " CG_ITEM_COLUMNS " FROM feedback f WHERE (?1 = '' OR f.department=?1) AND f.id>?2";
  if (filter.state == "pending")
    sql += " AND " CG_ITEM_UNANSWERED;
  else if (filter.state == "overdue")
    sql += " AND " CG_ITEM_OVERDUE("?4");
  else if (filter.state != "all")
    return make_error("bad_request", "state is pending, overdue or all, not '" + filter.state + "'", "state");
  sql += " ORDER BY f.id LIMIT ?3";
  Stmt st(c_.db(), sql);
  st.bind(1, filter.department).bind(2, filter.after_id).bind(3, static_cast<int64_t>(filter.limit));
  if (filter.state == "overdue") st.bind(4, filter.today);
  std::vector<FeedbackItem> out;
  if (auto s = read_items(st, out); !s) return s.error();
  return out;
}

Result<std::vector<FeedbackItem>> SqliteFeedback::note_overdue(const std::string& today, size_t max) {
  return c_.write(Commit::Durable, [&]() -> Result<std::vector<FeedbackItem>> {
    Stmt st(c_.db(), "SELECT " CG_ITEM_COLUMNS " FROM feedback f WHERE f.overdue_noted_at IS NULL AND " CG_ITEM_OVERDUE(
                         "?1") " ORDER BY f.id LIMIT ?2");
    st.bind(1, today).bind(2, static_cast<int64_t>(max));
    std::vector<FeedbackItem> out;
    if (auto s = read_items(st, out); !s) return s.error();
    const std::string now = now_rfc3339_cst();
    Stmt mark(c_.db(), "UPDATE feedback SET overdue_noted_at=? WHERE id=?");
    Tally overdue;
    for (const auto& f : out) {
      ++overdue[{"feedback:overdue", f.department, "", ""}];
      mark.reset().bind(1, now).bind(2, f.id);
      if (auto s = mark.run(); !s) return s.error();
      const json detail = {
          {"department", f.department}, {"item_id", f.id}, {"due_on", f.due_on}, {"catalog", f.catalog}};
      if (auto s = audit_.write(now, "job:overdue", "feedback.overdue", f.record_id, f.version,
                                "item:" + std::to_string(f.id), detail.dump());
          !s)
        return s.error();
    }
    if (auto s = statistics_.add(today, overdue); !s) return s.error();
    return out;
  });
}

Result<std::map<std::string, int64_t>> SqliteFeedback::overdue_counts(const std::string& today) {
  Stmt st(c_.db(),
          "SELECT f.department, count(*) FROM feedback f WHERE " CG_ITEM_OVERDUE("?1") " GROUP BY f.department");
  st.bind(1, today);
  return sqlite::counts_by_key(st);
}

Result<bool> SqliteFeedback::sent_to(const std::string& department, const std::string& record_id) {
  Stmt st(c_.db(), "SELECT 1 FROM feedback WHERE record_id = ?1 AND department = ?2 LIMIT 1");
  st.bind(1, record_id);
  st.bind(2, department);
  auto r = st.step();
  if (!r.ok()) return r.error();
  return *r;
}

Result<json> SqliteFeedback::stats() {
  Stmt st(c_.db(), "SELECT department, state, count(*) FROM feedback GROUP BY department, state");
  json out = json::object();
  while (true) {
    auto r = st.step();
    if (!r.ok()) return r.error();
    if (!*r) break;
    out[st.col_text(0)][st.col_text(1)] = st.col_int(2);
  }
  return out;
}

#undef CG_ITEM_COLUMNS
#undef CG_ITEM_UNANSWERED
#undef CG_ITEM_OVERDUE

}  // namespace cg::store::sqlite_store
