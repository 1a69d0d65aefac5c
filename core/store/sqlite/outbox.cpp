// An outbox entry is (destination, record version); its body is the
// version's, read when the batch is built. A batch is a range of entry ids
// in outbox_batches: claiming, retrying and releasing write one row, not one
// per entry. Entries whose record has a newer version by then are dropped
// (superseded): a platform never gets an older version after a newer.
#include "store/sqlite/outbox.hpp"

#include <algorithm>
#include <limits>
#include <unordered_map>

#include "common/clock.hpp"
#include "common/hash.hpp"
#include "common/random_hex.hpp"
#include "store/sqlite/schema.hpp"

namespace cg::store::sqlite_store {

namespace {

using nlohmann::json;
using sqlite::Stmt;

// Each entry of the batch answered once, accepted or duplicate (entries are
// in id order, as claimed).
bool all_delivered(const OutboxBatch& batch, const std::vector<DeliveryOutcome>& outcomes) {
  if (batch.entries.empty() || outcomes.size() != batch.entries.size()) return false;
  std::vector<int64_t> ids;
  ids.reserve(outcomes.size());
  for (const auto& o : outcomes) {
    if (!o.delivered()) return false;
    ids.push_back(o.outbox_id);
  }
  std::sort(ids.begin(), ids.end());
  for (size_t i = 0; i < ids.size(); ++i)
    if (ids[i] != batch.entries[i].id) return false;
  return true;
}

// A delivered version replaces an older one only.
constexpr const char* kDeliveredUpsert =
    " ON CONFLICT(destination, rid) DO UPDATE SET version=excluded.version, delivered_on=excluded.delivered_on "
    "WHERE excluded.version > delivered.version";

}  // namespace

Status SqliteOutbox::prepare() {
  {
    Stmt offset(c_.db(), "SELECT value FROM meta WHERE key = 'outbox_id_offset'");
    auto row = offset.step();
    if (!row.ok()) return row.error();
    if (*row) id_offset_ = offset.col_int(0);
  }
  insert_ = Stmt(c_.db(), "INSERT INTO outbox(destination, id, rid, version, created_ms) VALUES(?,?,?,?,?)");
  insert2_ = Stmt(c_.db(),
                  "INSERT INTO outbox(destination, id, rid, version, created_ms) "
                  "VALUES(?1,?3,?4,?5,?6),(?2,?3,?4,?5,?6)");
  requeue_ = Stmt(c_.db(),
                  "INSERT INTO outbox(destination, id, rid, version, created_ms) "
                  "SELECT ?1, ?5, rid, ?3, ?4 FROM records WHERE " CG_RECORD_IS("", "?2"));
  for (auto* s : {&insert_, &insert2_, &requeue_})
    if (!s->ok()) return make_error("store", "cannot prepare statement: " + c_.db().last_error());
  return {};
}

Status SqliteOutbox::enqueue(const Record& r, int64_t rid, const std::string& origin, int64_t arrived_ms) {
  if (!router_) return {};
  const int64_t at = arrived_ms > 0 ? arrived_ms : now_ms();  // delivery latency counts from arrival
  const int64_t id = next_id();
  auto dests = router_(r, origin);
  if (dests.size() == 2) {  // the usual two platforms: one statement
    insert2_.reset().bind(1, dests[0]).bind(2, dests[1]).bind(3, id).bind(4, rid).bind(5, r.version).bind(6, at);
    return insert2_.run();
  }
  for (const auto& dest : dests) {
    insert_.reset().bind(1, dest).bind(2, id).bind(3, rid).bind(4, r.version).bind(5, at);
    if (auto st = insert_.run(); !st) return st;
  }
  return {};
}

Result<OutboxBatch> SqliteOutbox::claim_batch(const std::string& dest, size_t max, BusyBatches& busy,
                                              size_t max_in_flight) {
  auto claimed = c_.write(Commit::Bookkeeping, [&]() -> Result<OutboxBatch> {
    OutboxBatch b;
    int64_t now = now_ms();
    // The unfinished batches: the oldest one not being sent is offered again.
    struct Range {
      int64_t first, last;
    };
    std::vector<Range> ranges;
    Stmt inflight(c_.db(),
                  "SELECT batch_id, first_id, last_id, attempts, next_attempt_ms FROM outbox_batches "
                  "WHERE destination=? ORDER BY first_id");
    inflight.bind(1, dest);
    int64_t after = 0, upto = std::numeric_limits<int64_t>::max();
    bool resuming = false;
    while (true) {
      auto row = inflight.step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      ranges.push_back({inflight.col_int(1), inflight.col_int(2)});
      if (resuming || busy.contains(inflight.col_text(0))) continue;
      if (inflight.col_int(4) > now) return OutboxBatch{};  // its retry is not due: nothing jumps the queue
      b.batch_id = inflight.col_text(0);
      b.attempts = inflight.col_int(3);
      after = inflight.col_int(1) - 1;
      upto = inflight.col_int(2);
      resuming = true;
    }
    inflight.reset();
    if (!resuming && ranges.size() >= std::max<size_t>(1, max_in_flight)) return OutboxBatch{};
    Stmt entries(c_.db(),
                 "SELECT o.id, r.record_id, o.version, o.created_ms, v.body, r.version FROM outbox o "
                 "JOIN records r ON r.rid = o.rid "
                 "JOIN record_versions v ON v.rid = o.rid AND v.version = o.version "
                 "WHERE o.destination = ? AND o.id > ? AND o.id <= ? ORDER BY o.id");
    entries.bind(1, dest).bind(2, after).bind(3, upto);
    auto in_flight = [&](int64_t id) -> const Range* {
      for (const auto& r : ranges)
        if (id >= r.first && id <= r.last) return &r;
      return nullptr;
    };
    std::vector<int64_t> superseded;
    b.entries.reserve(resuming ? 0 : std::min<size_t>(max, 4096));
    int64_t last = after, boundary = std::numeric_limits<int64_t>::max();
    while (resuming || b.entries.size() < max) {
      auto r = entries.step();
      if (!r.ok()) return r.error();
      if (!*r) break;
      int64_t id = entries.col_int(0);
      if (!resuming) {
        if (const Range* busy_range = in_flight(id)) {
          if (!b.entries.empty() || !superseded.empty()) break;  // a new batch never spans another one
          // Not stepped through (each row is a join that reads a body): the
          // scan starts again past that batch.
          entries.reset().bind(1, dest).bind(2, busy_range->last).bind(3, upto);
          continue;
        }
        if (id >= boundary) break;
        if (b.entries.empty() && superseded.empty())
          for (const auto& rg : ranges)
            if (rg.first > id) boundary = std::min(boundary, rg.first);
      }
      // A batch being retried keeps its content (same id, same records).
      if (!resuming && entries.col_int(5) > entries.col_int(2)) {
        superseded.push_back(id);
        continue;
      }
      last = id;
      b.entries.push_back(
          {id, dest, entries.col_text(1), entries.col_int(2), entries.col_text(4), entries.col_int(3), ""});
    }
    entries.reset();
    Stmt drop(c_.db(), "DELETE FROM outbox WHERE destination=? AND id=?");
    for (int64_t id : superseded) {
      drop.reset().bind(1, dest).bind(2, id);
      if (auto s = drop.run(); !s) return s.error();
    }
    if (!resuming && !b.entries.empty()) {
      // Random: unique across the gateway's nodes.
      b.batch_id = "b-" + random_hex(12) + "-" + std::to_string(b.entries.front().id);
      Stmt mark(c_.db(), "INSERT INTO outbox_batches(batch_id, destination, first_id, last_id) VALUES(?,?,?,?)");
      mark.bind(1, b.batch_id).bind(2, dest).bind(3, b.entries.front().id).bind(4, last);
      if (auto s = mark.run(); !s) return s.error();
    } else if (resuming && b.entries.empty()) {
      Stmt gone(c_.db(), "DELETE FROM outbox_batches WHERE batch_id=?");  // nothing left in it
      gone.bind(1, b.batch_id);
      if (auto s = gone.run(); !s) return s.error();
      b = OutboxBatch{};
    }
    return b;
  });
  if (claimed.ok() && !claimed->entries.empty()) busy.insert(claimed->batch_id);
  return claimed;
}

Status SqliteOutbox::complete_batch(const std::string& dest, const OutboxBatch& batch,
                                    const std::vector<DeliveryOutcome>& outcomes) {
  return c_.write(Commit::Bookkeeping, [&]() -> Status {
    std::string now = now_rfc3339_cst();
    std::string today = now.substr(0, 10);
    Status finished = all_delivered(batch, outcomes) ? finish_delivered(dest, batch, now)
                                                     : finish_each(dest, batch, outcomes, now, today);
    if (!finished) return finished;
    // Entries without an outcome (none, from a conforming platform) are
    // pending again once the batch row is gone.
    Stmt done(c_.db(), "DELETE FROM outbox_batches WHERE batch_id=? AND destination=?");
    done.bind(1, batch.batch_id).bind(2, dest);
    return done.run();
  });
}

// The usual answer: every entry accepted or already held. The batch is its
// own id range (batches never overlap), so two statements finish it instead
// of two per entry.
Status SqliteOutbox::finish_delivered(const std::string& dest, const OutboxBatch& batch, const std::string& now) {
  const int64_t first = batch.entries.front().id, last = batch.entries.back().id;
  const std::string today = now.substr(0, 10);
  if (auto s = publicity_.accepted(dest, first, last, now); !s) return s;
  if (auto s = statistics_.add_outbox_range(today, "accepted", dest, first, last); !s) return s;
  Stmt up(c_.db(), std::string("INSERT INTO delivered(destination, rid, version, delivered_on) "
                               "SELECT destination, rid, version, ?4 FROM outbox "
                               "WHERE destination=?1 AND id BETWEEN ?2 AND ?3") +
                       kDeliveredUpsert);
  up.bind(1, dest).bind(2, first).bind(3, last).bind(4, today);
  if (auto s = up.run(); !s) return s;
  Stmt del(c_.db(), "DELETE FROM outbox WHERE destination=? AND id BETWEEN ? AND ?");
  del.bind(1, dest).bind(2, first).bind(3, last);
  return del.run();
}

// Any other answer, entry by entry: delivered, stale, or dead.
Status SqliteOutbox::finish_each(const std::string& dest, const OutboxBatch& batch,
                                 const std::vector<DeliveryOutcome>& outcomes, const std::string& now,
                                 const std::string& today) {
  std::unordered_map<int64_t, const OutboxEntry*> by_id;
  for (const auto& x : batch.entries) by_id.emplace(x.id, &x);
  // The entry goes, giving its rid and version for the delivered row.
  Stmt del(c_.db(), "DELETE FROM outbox WHERE id=? AND destination=? RETURNING rid, version");
  Stmt dead(c_.db(),
            "INSERT INTO dead_letters(destination, record_id, version, created_ms, attempts, dead_at, "
            "error_code, error_field, error_message) VALUES(?,?,?,?,?,?,?,?,?)");
  Stmt up(c_.db(), std::string("INSERT INTO delivered(destination, rid, version, delivered_on) VALUES(?,?,?,?)") +
                       kDeliveredUpsert);
  Stmt of(c_.db(), "SELECT department, kind FROM records WHERE rid = ?");
  Tally tally;
  for (const auto& o : outcomes) {
    auto it = by_id.find(o.outbox_id);
    if (it == by_id.end()) continue;
    const OutboxEntry* e = it->second;
    del.reset().bind(1, o.outbox_id).bind(2, dest);
    auto row = del.step();
    if (!row.ok()) return row.error();
    if (!*row) continue;  // already finished (a batch answered twice)
    const int64_t rid = del.col_int(0), version = del.col_int(1);
    del.reset();  // RETURNING: the delete is done once stepped to its end
    if (o.delivered() || o.dead()) {
      of.reset().bind(1, rid);
      auto found = of.step();
      if (!found.ok()) return found.error();
      if (*found) ++tally[{o.delivered() ? "accepted" : "rejected", of.col_text(0), of.col_text(1), dest}];
    }
    if (o.delivered()) {
      up.reset().bind(1, dest).bind(2, rid).bind(3, version).bind(4, today);
      if (auto s = up.run(); !s) return s;
      if (auto s = publicity_.accepted_rid(dest, rid, now); !s) return s;
    }
    if (o.dead()) {
      dead.reset()
          .bind(1, dest)
          .bind(2, e->record_id)
          .bind(3, e->version)
          .bind(4, e->created_ms)
          .bind(5, batch.attempts + 1)
          .bind(6, now)
          .bind(7, o.error_code)
          .bind(8, o.error_field)
          .bind(9, o.error_message);
      if (auto s = dead.run(); !s) return s;
      if (auto s = audit_.write(
              now, "delivery:" + dest, "delivery.dead_letter", e->record_id, e->version, batch.batch_id,
              json{
                  {"destination", dest}, {"code", o.error_code}, {"field", o.error_field}, {"message", o.error_message}}
                  .dump());
          !s)
        return s;
    }
  }
  return statistics_.add(today, tally);
}

Status SqliteOutbox::retry_batch(const std::string& dest, const std::string& batch_id, int64_t delay_ms,
                                 const std::string& error) {
  return c_.write(Commit::Bookkeeping, [&] {
    Stmt st(c_.db(),
            "UPDATE outbox_batches SET attempts=attempts+1, next_attempt_ms=?, last_error=? WHERE destination=? "
            "AND batch_id=?");
    st.bind(1, now_ms() + delay_ms).bind(2, error).bind(3, dest).bind(4, batch_id);
    return st.run();
  });
}

// The entries are simply pending again.
Status SqliteOutbox::release_batch(const std::string& dest, const std::string& batch_id) {
  return c_.write(Commit::Bookkeeping, [&] {
    Stmt st(c_.db(), "DELETE FROM outbox_batches WHERE destination=? AND batch_id=?");
    st.bind(1, dest).bind(2, batch_id);
    return st.run();
  });
}

Result<OutboxStats> SqliteOutbox::stats(const std::string& dest) {
  OutboxStats s;
  auto count = [&](const char* sql, int64_t& out) -> Status {
    Stmt st(c_.db(), sql);
    st.bind(1, dest);
    auto r = st.step();
    if (!r.ok()) return r.error();
    if (*r) out = st.col_int(0);
    return {};
  };
  int64_t all = 0, oldest = 0;
  if (auto e = count("SELECT count(*) FROM outbox WHERE destination=?", all); !e) return e.error();
  if (auto e = count("SELECT coalesce(sum((SELECT count(*) FROM outbox o WHERE o.destination = b.destination AND "
                     "o.id BETWEEN b.first_id AND b.last_id)), 0) FROM outbox_batches b WHERE b.destination=?",
                     s.inflight);
      !e)
    return e.error();
  s.pending = all - s.inflight;
  if (auto e = count("SELECT created_ms FROM outbox WHERE destination=? ORDER BY id LIMIT 1", oldest); !e)
    return e.error();
  if (auto e = count("SELECT count(*) FROM dead_letters WHERE destination=?", s.dead); !e) return e.error();
  if (oldest) s.oldest_pending_age_s = (now_ms() - oldest) / 1000;
  return s;
}

// The version given, queued at the end of the destination's outbox, after
// the audit entry that says why.
Status SqliteOutbox::queue_again(const std::string& dest, const std::string& record_id, int64_t version) {
  requeue_.reset().bind(1, dest).bind(2, record_id).bind(3, version).bind(4, now_ms()).bind(5, next_id());
  return requeue_.run();
}

Status SqliteOutbox::requeue(const std::string& dest, const std::string& record_id, const std::string& actor) {
  return c_.write(Commit::Durable, [&]() -> Status {
    Stmt st(c_.db(), "SELECT version FROM records WHERE " CG_RECORD_IS("", "?1"));
    st.bind(1, record_id);
    auto r = st.step();
    if (!r.ok()) return r.error();
    if (!*r) return make_error("not_found", "no record " + record_id);
    int64_t version = st.col_int(0);
    st.reset();
    if (auto s = audit_.write(now_rfc3339_cst(), actor, "delivery.requeued", record_id, version, dest,
                              json{{"destination", dest}}.dump());
        !s)
      return s;
    return queue_again(dest, record_id, version);
  });
}

Result<ReconcileFigures> SqliteOutbox::delivered_on(const std::string& dest, const std::string& date) {
  Stmt st(c_.db(),
          "SELECT r.record_id, d.version FROM delivered d JOIN records r ON r.rid = d.rid "
          "WHERE d.destination=? AND d.delivered_on=? ORDER BY r.record_id");
  st.bind(1, dest).bind(2, date);
  ReconcileFigures f;
  std::string lines;
  while (true) {
    auto r = st.step();
    if (!r.ok()) return r.error();
    if (!*r) break;
    f.records.emplace_back(st.col_text(0), st.col_int(1));
    lines += st.col_text(0) + ":" + std::to_string(st.col_int(1)) + "\n";
  }
  f.count = static_cast<int64_t>(f.records.size());
  f.digest = sha256_hex(lines);
  return f;
}

}  // namespace cg::store::sqlite_store
