#include "store/sqlite/feedback_reports.hpp"

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "common/random_hex.hpp"
#include "store/sqlite/schema.hpp"

namespace cg::store::sqlite_store {

using nlohmann::json;
using sqlite::Stmt;

namespace {

// The report as the platform receives it (platform-api.md §7).
std::string relay_body(const FeedbackReport& r) {
  json j = {
      {"feedback_id", r.feedback_id}, {"record_id", r.record_id},   {"version", r.version}, {"catalog", r.catalog},
      {"measure_id", r.measure_id},   {"department", r.department}, {"action", r.action},   {"on", r.on}};
  if (!r.case_ref.empty()) j["case_ref"] = r.case_ref;
  if (!r.note.empty()) j["note"] = r.note;
  return j.dump();
}

}  // namespace

Result<ReportOutcome> SqliteFeedbackReports::add(const FeedbackReport& r,
                                                 const std::vector<std::string>& destinations) {
  return c_.write(Commit::Durable, [&]() -> Result<ReportOutcome> {
    const std::string body = relay_body(r);
    {
      Stmt held(c_.db(), "SELECT body FROM execution_feedback WHERE feedback_id=?");
      held.bind(1, r.feedback_id);
      auto row = held.step();
      if (!row.ok()) return row.error();
      if (*row) return held.col_text(0) == body ? ReportOutcome::Duplicate : ReportOutcome::Conflict;
    }
    const std::string now = now_rfc3339_cst();
    Stmt ins(c_.db(),
             "INSERT INTO execution_feedback(feedback_id, department, item_id, record_id, version, catalog, "
             "measure_id, action, on_date, case_ref, note, actor, received_at, received_ms, body, check_id, "
             "subject_index) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17)");
    ins.bind(1, r.feedback_id)
        .bind(2, r.department)
        .bind(3, r.item_id)
        .bind(4, r.record_id)
        .bind(5, r.version)
        .bind(6, r.catalog)
        .bind(7, r.measure_id)
        .bind(8, r.action)
        .bind(9, r.on)
        .bind(10, r.case_ref)
        .bind(11, r.note)
        .bind(12, r.actor)
        .bind(13, now)
        .bind(14, now_ms())
        .bind(15, body)
        .bind(16, r.check_id)
        .bind(17, r.subject_index);
    if (auto s = ins.run(); !s) return s.error();
    const int64_t id = c_.db().last_insert_id();
    Stmt queue(c_.db(), "INSERT INTO feedback_relay(destination, id) VALUES(?,?)");
    for (const auto& d : destinations) {
      queue.reset().bind(1, d).bind(2, id);
      if (auto s = queue.run(); !s) return s.error();
    }
    const json detail = {{"feedback_id", r.feedback_id}, {"department", r.department}, {"item_id", r.item_id},
                         {"measure_id", r.measure_id},   {"action", r.action},         {"on", r.on},
                         {"relayed_to", destinations}};
    const std::string source = r.check_id.empty() ? "item:" + std::to_string(r.item_id)
                                                  : "check:" + r.check_id + "#" + std::to_string(r.subject_index);
    if (auto s = audit_.write(now, r.actor, "feedback.reported", r.record_id, r.version, source, detail.dump()); !s)
      return s.error();
    if (r.item_id > 0) {  // an answer to an item: on time by its due date (a check's hit has none)
      Stmt item(c_.db(), "SELECT due_on FROM feedback WHERE id = ?");
      item.bind(1, r.item_id);
      auto row = item.step();
      if (!row.ok()) return row.error();
      const std::string due_on = *row ? item.col_text(0) : "";
      const std::string today = now.substr(0, 10);
      const char* figure = due_on.empty() || today <= due_on ? "feedback:on_time" : "feedback:late";
      if (auto s = statistics_.add(today, {{{figure, r.department, "", ""}, 1}}); !s) return s.error();
    }
    return ReportOutcome::Accepted;
  });
}

Result<std::vector<StoredReport>> SqliteFeedbackReports::list(const ReportFilter& f) {
  Stmt st(c_.db(),
          "SELECT id, feedback_id, department, item_id, record_id, version, catalog, measure_id, action, on_date, "
          "case_ref, note, actor, received_at, check_id, subject_index FROM execution_feedback WHERE id>?1 AND (?2='' "
          "OR department=?2) AND "
          "(?3=0 OR item_id=?3) ORDER BY id LIMIT ?4");
  st.bind(1, f.after_id).bind(2, f.department).bind(3, f.item_id).bind(4, static_cast<int64_t>(f.limit));
  std::vector<StoredReport> out;
  if (auto read = each_row(st,
                           [&] {
                             StoredReport held;
                             held.id = st.col_int(0);
                             FeedbackReport& r = held.report;
                             r.feedback_id = st.col_text(1);
                             r.department = st.col_text(2);
                             r.item_id = st.col_int(3);
                             r.record_id = st.col_text(4);
                             r.version = st.col_int(5);
                             r.catalog = st.col_text(6);
                             r.measure_id = st.col_text(7);
                             r.action = st.col_text(8);
                             r.on = st.col_text(9);
                             r.case_ref = st.col_text(10);
                             r.note = st.col_text(11);
                             r.actor = st.col_text(12);
                             r.received_at = st.col_text(13);
                             r.check_id = st.col_text(14);
                             r.subject_index = st.col_int(15);
                             out.push_back(std::move(held));
                           });
      !read)
    return read.error();
  Stmt relay(c_.db(), "SELECT destination, state, error_code FROM feedback_relay WHERE id=? ORDER BY destination");
  for (auto& s : out) {
    relay.reset().bind(1, s.id);
    if (auto e = each_row(relay,
                          [&] {
                            std::string state = relay.col_text(1);
                            if (state == "dead") state += ": " + relay.col_text(2);
                            s.relay.emplace_back(relay.col_text(0), state);
                          });
        !e)
      return e.error();
  }
  return out;
}

Result<FeedbackReports::RelayStats> SqliteFeedbackReports::relay_stats(const std::string& dest) {
  Stmt st(c_.db(),
          "SELECT state, count(*) FROM feedback_relay WHERE destination=? AND state<>'delivered' GROUP BY state");
  st.bind(1, dest);
  RelayStats out;
  if (auto s = each_row(st,
                        [&] {
                          if (st.col_text(0) == "pending") out.pending = st.col_int(1);
                          if (st.col_text(0) == "dead") out.dead = st.col_int(1);
                        });
      !s)
    return s.error();
  return out;
}

// One batch at a time per destination (feedback is a trickle next to
// records): the unfinished batch again when its retry is due, else a new one
// of the oldest pending reports.
Result<OutboxBatch> SqliteFeedbackReports::claim_batch(const std::string& dest, size_t max, BusyBatches& busy, size_t) {
  auto claimed = c_.write(Commit::Bookkeeping, [&]() -> Result<OutboxBatch> {
    OutboxBatch b;
    const int64_t now = now_ms();
    {
      Stmt open(c_.db(),
                "SELECT batch_id, attempts, next_attempt_ms FROM feedback_relay WHERE destination=? AND "
                "state='pending' AND batch_id IS NOT NULL ORDER BY id LIMIT 1");
      open.bind(1, dest);
      auto row = open.step();
      if (!row.ok()) return row.error();
      if (*row) {
        if (busy.contains(open.col_text(0)) || open.col_int(2) > now) return OutboxBatch{};
        b.batch_id = open.col_text(0);
        b.attempts = open.col_int(1);
      }
    }
    // A new batch takes the reports whose record version the platform holds
    // by now: delivered there, or pulled from it. The others wait for their
    // record (a platform answers a report on a record it lacks unknown_record).
    Stmt entries(c_.db(),
                 "SELECT f.id, f.record_id, f.version, f.body, f.received_ms, f.feedback_id FROM feedback_relay q "
                 "JOIN execution_feedback f ON f.id = q.id WHERE q.destination=?1 AND q.state='pending' AND "
                 "(q.batch_id=?2 OR (?2 = '' AND q.batch_id IS NULL AND EXISTS (SELECT 1 FROM records r WHERE " CG_RECORD_IS(
                     "r.", "f.record_id") " AND (r.origin = 'platform:' || ?1 OR EXISTS (SELECT 1 FROM delivered d "
                                          "WHERE d.destination = ?1 AND d.rid = r.rid AND d.version >= f.version))))) "
                 "ORDER BY q.id LIMIT ?3");
    entries.bind(1, dest).bind(2, b.batch_id).bind(3, static_cast<int64_t>(b.batch_id.empty() ? max : 1000));
    if (auto s = each_row(entries,
                          [&] {
                            OutboxEntry e{entries.col_int(0),  dest,
                                          entries.col_text(1), entries.col_int(2),
                                          entries.col_text(3), entries.col_int(4),
                                          entries.col_text(5)};
                            b.entries.push_back(std::move(e));
                          });
        !s)
      return s.error();
    if (b.entries.empty()) return OutboxBatch{};
    if (b.batch_id.empty()) {
      b.batch_id = "fb-" + random_hex(12) + "-" + std::to_string(b.entries.front().id);
      Stmt mark(c_.db(), "UPDATE feedback_relay SET batch_id=? WHERE destination=? AND id=?");
      for (const auto& e : b.entries) {
        mark.reset().bind(1, b.batch_id).bind(2, dest).bind(3, e.id);
        if (auto s = mark.run(); !s) return s.error();
      }
    }
    return b;
  });
  if (claimed.ok() && !claimed->entries.empty()) busy.insert(claimed->batch_id);
  return claimed;
}

// Delivered reports stay, marked (the department and the operator see that
// the platform has them); refused ones are dead, with the platform's error.
Status SqliteFeedbackReports::complete_batch(const std::string& dest, const OutboxBatch& batch,
                                             const std::vector<DeliveryOutcome>& outcomes) {
  return c_.write(Commit::Bookkeeping, [&]() -> Status {
    const std::string now = now_rfc3339_cst();
    Stmt done(c_.db(),
              "UPDATE feedback_relay SET state=?1, done_at=?2, error_code=?3, error_message=?4, "
              "attempts=attempts+1 WHERE destination=?5 AND id=?6 AND batch_id=?7");
    for (const auto& o : outcomes) {
      done.reset()
          .bind(1, o.dead() ? "dead" : "delivered")
          .bind(2, now)
          .bind(3, o.error_code)
          .bind(4, o.error_message)
          .bind(5, dest)
          .bind(6, o.outbox_id)
          .bind(7, batch.batch_id);
      if (auto s = done.run(); !s) return s;
      if (o.dead()) {
        if (auto s =
                audit_.write(now, "relay:" + dest, "feedback.dead", "", 0, batch.batch_id,
                             json{{"id", o.outbox_id}, {"code", o.error_code}, {"message", o.error_message}}.dump());
            !s)
          return s;
      }
    }
    // Reports without an outcome (none, from a conforming platform) go out again.
    return release_batch(dest, batch.batch_id);
  });
}

Status SqliteFeedbackReports::retry_batch(const std::string& dest, const std::string& batch_id, int64_t delay_ms,
                                          const std::string& error) {
  return c_.write(Commit::Bookkeeping, [&] {
    Stmt st(c_.db(),
            "UPDATE feedback_relay SET attempts=attempts+1, next_attempt_ms=?1, last_error=?2 WHERE destination=?3 "
            "AND batch_id=?4 AND state='pending'");
    st.bind(1, now_ms() + delay_ms).bind(2, error).bind(3, dest).bind(4, batch_id);
    return st.run();
  });
}

Status SqliteFeedbackReports::release_batch(const std::string& dest, const std::string& batch_id) {
  return c_.write(Commit::Bookkeeping, [&] {
    Stmt st(c_.db(), "UPDATE feedback_relay SET batch_id=NULL WHERE destination=? AND batch_id=? AND state='pending'");
    st.bind(1, dest).bind(2, batch_id);
    return st.run();
  });
}

}  // namespace cg::store::sqlite_store
