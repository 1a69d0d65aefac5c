// The embedded store: one SQLite file in WAL mode.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <limits>
#include <random>
#include <unordered_map>

#include "common/clock.hpp"
#include "common/hash.hpp"
#include "common/json_string.hpp"
#include "common/log.hpp"
#include "lifecycle/lifecycle.hpp"
#include "record/validator.hpp"
#include "store/sqlite.hpp"
#include "store/sqlite_schema.hpp"
#include "store/store.hpp"

namespace cg::store {

namespace {

using nlohmann::json;

// A record's current body: the record_versions row of its current version.
#define CG_CURRENT_BODY_SQL \
  "SELECT v.body, r.origin FROM records r JOIN record_versions v ON v.rid = r.rid AND v.version = r.version"
using sqlite::Db;
using sqlite::Stmt;

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string random_hex(size_t bytes) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  std::string out;
  static constexpr char kHex[] = "0123456789abcdef";
  for (size_t i = 0; i < bytes; ++i) {
    auto v = static_cast<unsigned>(rng() & 0xff);
    out.push_back(kHex[v >> 4]);
    out.push_back(kHex[v & 15]);
  }
  return out;
}

// The delivery bookkeeping of the write connection (claims, answers,
// retries) commits with sqlite::RelaxedDurability: its commits do not wait
// for their own fsync. They are durable with the next durable commit (the
// next ingest; the WAL is one file, synced whole) or checkpoint; a power loss
// can undo the last of them, and then those entries are sent again and the
// platforms answer "duplicate" (their idempotency). Records with their outbox
// entries, pull cursors and the audit of changes are committed as
// `store.synchronous` says (FULL: durable).
using DeliveryCommits = sqlite::RelaxedDurability;

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(Db db) : db_(std::move(db)) {}

  Status init(const StoreOptions& opts) {
    durable_ = opts.synchronous != "normal";
    if (auto s = db_.exec("PRAGMA journal_mode=WAL"); !s) return s;
    if (auto s = db_.exec(std::string("PRAGMA synchronous=") + (durable_ ? "FULL" : "NORMAL")); !s) return s;
    if (auto s = db_.exec("PRAGMA foreign_keys=ON"); !s) return s;
    // Each connection's page cache counts in the gateway's memory: large for
    // the write connection (its indexes), small for the others.
    if (auto s = db_.exec("PRAGMA cache_size=-" + std::to_string(opts.cache_kib)); !s) return s;
    if (opts.background_checkpoint)
      if (auto s = db_.exec("PRAGMA wal_autocheckpoint=0"); !s) return s;
    // After a checkpoint resets the log, its file is cut back to this size.
    if (auto s = db_.exec("PRAGMA journal_size_limit=67108864"); !s) return s;
    if (auto s = ensure_sqlite_schema(db_); !s) return s;
    select_record_ = Stmt(db_, "SELECT version, digest, status FROM records WHERE " CG_RECORD_IS("", "?1"));
    // Inserted only after select_record_ found no row with the id, in the
    // same transaction: that is what keeps ids unique (schema 6 has no
    // UNIQUE index of them).
    insert_record_ = Stmt(db_,
                          "INSERT INTO records(record_id, version, kind, department, status, subject_uscc, "
                          "subject_id_number, origin, digest, updated_at) VALUES(?,?,?,?,?,?,?,?,?,?)");
    update_record_ = Stmt(db_,
                          "UPDATE records SET version=?1, status=?2, subject_uscc=?3, subject_id_number=?4, digest=?5, "
                          "updated_at=?6 WHERE " CG_RECORD_IS("", "?7") " RETURNING rid");
    insert_version_ = Stmt(db_, "INSERT INTO record_versions(rid, version, body, cause, created_at) VALUES(?,?,?,?,?)");
    // The record's rid: given (a version just written), else looked up (NULL
    // for a record that is not stored, such as a quarantined one).
    insert_audit_ =
        Stmt(db_,
             "INSERT INTO audit(at, actor, action, record_id, version, source, detail, rid) "
             "VALUES(?1,?2,?3,?4,?5,?6,?7,coalesce(?8,(SELECT rid FROM records WHERE " CG_RECORD_IS("", "?4") ")))");
    // An entry's id: its change's audit id, past the ids of an upgraded store.
    {
      Stmt offset(db_, "SELECT value FROM meta WHERE key = 'outbox_id_offset'");
      auto row = offset.step();
      if (!row.ok()) return row.error();
      if (*row) outbox_id_offset_ = offset.col_int(0);
    }
    insert_outbox_ = Stmt(db_, "INSERT INTO outbox(destination, id, rid, version, created_ms) VALUES(?,?,?,?,?)");
    insert_outbox2_ = Stmt(db_,
                           "INSERT INTO outbox(destination, id, rid, version, created_ms) "
                           "VALUES(?1,?3,?4,?5,?6),(?2,?3,?4,?5,?6)");
    requeue_outbox_ = Stmt(db_,
                           "INSERT INTO outbox(destination, id, rid, version, created_ms) "
                           "SELECT ?1, ?5, rid, ?3, ?4 FROM records WHERE " CG_RECORD_IS("", "?2"));
    insert_quarantine_ = Stmt(db_,
                              "INSERT OR IGNORE INTO quarantine(created_at, department, mapping, rule, field, source, "
                              "record_id, fingerprint, file_level, entry, raw) VALUES(?,?,?,?,?,?,?,?,?,?,?)");
    // A feedback item's body is its record version's (claim_feedback).
    insert_feedback_ = Stmt(db_,
                            "INSERT INTO feedback(department, record_id, version, event, body, created_at) "
                            "VALUES(?1,?2,?3,?4,'',?5)");
    for (auto* s : {&select_record_, &insert_record_, &update_record_, &insert_version_, &insert_audit_,
                    &insert_quarantine_, &insert_outbox_, &insert_outbox2_, &requeue_outbox_, &insert_feedback_})
      if (!s->ok()) return make_error("store", "cannot prepare statement: " + db_.last_error());
    return {};
  }

  Result<IngestResult> ingest(const IngestBatch& batch) override {
    sqlite::Transaction tx(db_);
    if (!tx.begin_status()) return tx.begin_status().error();
    IngestResult result;
    if (auto s = apply(batch, result); !s) return s.error();
    if (auto s = tx.commit(); !s) return s.error();
    return result;
  }

  Result<std::vector<IngestResult>> ingest_group(const std::vector<const IngestBatch*>& batches) override {
    sqlite::Transaction tx(db_);
    if (!tx.begin_status()) return tx.begin_status().error();
    std::vector<IngestResult> results(batches.size());
    for (size_t i = 0; i < batches.size(); ++i)
      if (auto s = apply(*batches[i], results[i]); !s) return s.error();
    if (auto s = tx.commit(); !s) return s.error();
    return results;
  }

  Result<IngestResult> resolve_quarantine(int64_t id, const IngestBatch& batch) override {
    sqlite::Transaction tx(db_);
    if (!tx.begin_status()) return tx.begin_status().error();
    Stmt upd(db_, "UPDATE quarantine SET status='replayed', resolved_at=?, resolution=? WHERE id=? AND status='open'");
    std::string now = now_rfc3339_cst();
    json resolution = {{"actor", batch.actor}, {"records", json::array()}};
    for (const auto& r : batch.records) resolution["records"].push_back(r.record_id);
    upd.bind(1, now).bind(2, resolution.dump()).bind(3, id);
    if (auto s = upd.run(); !s) return s.error();
    if (db_.changes() != 1) return make_error("not_found", "no open quarantine entry " + std::to_string(id));
    IngestResult result;
    if (auto s = apply(batch, result); !s) return s.error();
    if (auto s = audit(now, batch.actor, "quarantine.replayed", "", 0, batch.source,
                       json{{"quarantine_id", id}, {"records", resolution["records"]}}.dump());
        !s)
      return s.error();
    if (auto s = tx.commit(); !s) return s.error();
    return result;
  }

  Result<std::optional<StoredRecord>> get_record(const std::string& record_id) override {
    Stmt st(db_, CG_CURRENT_BODY_SQL " WHERE " CG_RECORD_IS("r.", "?1"));
    st.bind(1, record_id);
    auto row = st.step();
    if (!row.ok()) return row.error();
    if (!*row) return std::optional<StoredRecord>{};
    auto rec = record_from_json_text(st.col_text(0));
    if (!rec.ok()) return rec.error();
    return std::optional<StoredRecord>(StoredRecord{std::move(rec.value()), st.col_text(1)});
  }

  Result<std::vector<Record>> record_history(const std::string& record_id) override {
    Stmt st(db_, "SELECT v.body FROM records r JOIN record_versions v ON v.rid = r.rid WHERE " CG_RECORD_IS("r.", "?1") " "
                 "ORDER BY v.version");
    st.bind(1, record_id);
    std::vector<Record> out;
    while (true) {
      auto row = st.step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      auto rec = record_from_json_text(st.col_text(0));
      if (!rec.ok()) return rec.error();
      out.push_back(std::move(rec.value()));
    }
    return out;
  }

  Status for_each_record(const std::string& kind, const std::function<void(const StoredRecord&)>& fn) override {
    // In id order: the index of id prefixes, then the whole id among the few
    // that share a prefix.
#define CG_IN_ID_ORDER " ORDER BY substr(r.record_id, 1, 8), r.record_id"
    Stmt st(db_,
            kind.empty() ? CG_CURRENT_BODY_SQL CG_IN_ID_ORDER : CG_CURRENT_BODY_SQL " WHERE r.kind = ?" CG_IN_ID_ORDER);
#undef CG_IN_ID_ORDER
    if (!kind.empty()) st.bind(1, kind);
    while (true) {
      auto row = st.step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      auto rec = record_from_json_text(st.col_text(0));
      if (!rec.ok()) return rec.error();
      fn(StoredRecord{std::move(rec.value()), st.col_text(1)});
    }
    return {};
  }

  Result<int64_t> count_records() override {
    Stmt st(db_, "SELECT count(*) FROM records");
    auto row = st.step();
    if (!row.ok()) return row.error();
    return st.col_int(0);
  }

  Result<std::vector<QuarantineRow>> list_quarantine(const QuarantineFilter& f) override {
    std::string sql = "SELECT id, created_at, status, entry, raw, file_level FROM quarantine WHERE 1=1";
    if (f.id) sql += " AND id = :id";
    if (f.status != "all") sql += " AND status = :status";
    if (!f.department.empty()) sql += " AND department = :dept";
    if (!f.mapping.empty())
      sql +=
          f.mapping.find('@') != std::string::npos ? " AND mapping = :mapping" : " AND mapping LIKE :mapping || '@%'";
    if (!f.rule.empty()) sql += " AND rule = :rule";
    sql += " ORDER BY id LIMIT :limit";
    Stmt st(db_, sql);
    auto bind = [&](const char* name, const std::string& v) {
      int i = sqlite3_bind_parameter_index(st.handle(), name);
      if (i > 0) st.bind(i, v);
    };
    if (f.id) {
      int i = sqlite3_bind_parameter_index(st.handle(), ":id");
      st.bind(i, *f.id);
    }
    bind(":status", f.status);
    bind(":dept", f.department);
    bind(":mapping", f.mapping);
    bind(":rule", f.rule);
    st.bind(sqlite3_bind_parameter_index(st.handle(), ":limit"), static_cast<int64_t>(f.limit));
    std::vector<QuarantineRow> out;
    while (true) {
      auto row = st.step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      QuarantineRow q;
      q.id = st.col_int(0);
      q.created_at = st.col_text(1);
      q.status = st.col_text(2);
      q.entry = json::parse(st.col_text(3));
      q.raw = st.col_text(4);
      q.file_level = st.col_int(5) != 0;
      out.push_back(std::move(q));
    }
    return out;
  }

  Result<std::vector<AuditRow>> list_audit(const std::string& record_id, size_t limit) override {
    // A record's entries: by its rid once stored, by record_id from before
    // (a quarantined version of it).
    Stmt st(db_, record_id.empty()
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
      a.detail = d.empty() ? json::object() : json::parse(d);
      out.push_back(std::move(a));
    }
    return out;
  }

  void set_outbox_router(OutboxRouter router) override {
    router_ = std::move(router);
  }

  // An outbox entry is (destination, record version); its body is the
  // version's, read when the batch is built. A batch is a range of entry ids
  // in outbox_batches: claiming, retrying and releasing write one row, not
  // one per entry. Entries whose record has a newer version by then are
  // dropped (superseded): a platform never gets an older version after a newer.
  Result<OutboxBatch> claim_batch(const std::string& dest, size_t max, const std::string& node_id, BusyBatches& busy,
                                  size_t max_in_flight) override {
    DeliveryCommits light(db_, durable_);
    sqlite::Transaction tx(db_);
    if (!tx.begin_status()) return tx.begin_status().error();
    OutboxBatch b;
    int64_t now = now_ms();
    // The unfinished batches: the oldest one not being sent is offered again.
    struct Range {
      int64_t first, last;
    };
    std::vector<Range> ranges;
    Stmt inflight(db_,
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
    Stmt entries(db_,
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
      b.entries.push_back({id, dest, entries.col_text(1), entries.col_int(2), entries.col_text(4), entries.col_int(3)});
    }
    entries.reset();
    Stmt drop(db_, "DELETE FROM outbox WHERE destination=? AND id=?");
    for (int64_t id : superseded) {
      drop.reset().bind(1, dest).bind(2, id);
      if (auto s = drop.run(); !s) return s.error();
    }
    if (!resuming && !b.entries.empty()) {
      (void)node_id;  // the batch id is random: unique across nodes without it
      b.batch_id = "b-" + random_hex(12) + "-" + std::to_string(b.entries.front().id);
      Stmt mark(db_, "INSERT INTO outbox_batches(batch_id, destination, first_id, last_id) VALUES(?,?,?,?)");
      mark.bind(1, b.batch_id).bind(2, dest).bind(3, b.entries.front().id).bind(4, last);
      if (auto s = mark.run(); !s) return s.error();
    } else if (resuming && b.entries.empty()) {
      Stmt gone(db_, "DELETE FROM outbox_batches WHERE batch_id=?");  // nothing left in it
      gone.bind(1, b.batch_id);
      if (auto s = gone.run(); !s) return s.error();
      b = OutboxBatch{};
    }
    if (auto s = tx.commit(); !s) return s.error();
    if (!b.entries.empty()) busy.insert(b.batch_id);
    return b;
  }

  // Each entry of the batch answered once, accepted or duplicate (entries
  // are in id order, as claimed).
  static bool all_delivered(const OutboxBatch& batch, const std::vector<DeliveryOutcome>& outcomes) {
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

  Status complete_batch(const std::string& dest, const OutboxBatch& batch,
                        const std::vector<DeliveryOutcome>& outcomes) override {
    DeliveryCommits light(db_, durable_);
    sqlite::Transaction tx(db_);
    if (!tx.begin_status()) return tx.begin_status().error();
    std::string now = now_rfc3339_cst();
    std::string today = now.substr(0, 10);
    Status finished = all_delivered(batch, outcomes) ? finish_delivered(dest, batch, today)
                                                     : finish_each(dest, batch, outcomes, now, today);
    if (!finished) return finished;
    // Entries without an outcome (none, from a conforming platform) are
    // pending again once the batch row is gone.
    Stmt done(db_, "DELETE FROM outbox_batches WHERE batch_id=? AND destination=?");
    done.bind(1, batch.batch_id).bind(2, dest);
    if (auto s = done.run(); !s) return s;
    return tx.commit();
  }

  // A delivered version replaces an older one only.
  static constexpr const char* kDeliveredUpsert =
      " ON CONFLICT(destination, rid) DO UPDATE SET version=excluded.version, delivered_on=excluded.delivered_on "
      "WHERE excluded.version > delivered.version";

  // The usual answer: every entry accepted or already held. The batch is its
  // own id range (batches never overlap), so two statements finish it
  // instead of two per entry.
  Status finish_delivered(const std::string& dest, const OutboxBatch& batch, const std::string& today) {
    const int64_t first = batch.entries.front().id, last = batch.entries.back().id;
    Stmt up(db_, std::string("INSERT INTO delivered(destination, rid, version, delivered_on) "
                             "SELECT destination, rid, version, ?4 FROM outbox "
                             "WHERE destination=?1 AND id BETWEEN ?2 AND ?3") +
                     kDeliveredUpsert);
    up.bind(1, dest).bind(2, first).bind(3, last).bind(4, today);
    if (auto s = up.run(); !s) return s;
    Stmt del(db_, "DELETE FROM outbox WHERE destination=? AND id BETWEEN ? AND ?");
    del.bind(1, dest).bind(2, first).bind(3, last);
    return del.run();
  }

  // Any other answer, entry by entry: delivered, stale, or dead.
  Status finish_each(const std::string& dest, const OutboxBatch& batch, const std::vector<DeliveryOutcome>& outcomes,
                     const std::string& now, const std::string& today) {
    std::unordered_map<int64_t, const OutboxEntry*> by_id;
    for (const auto& x : batch.entries) by_id.emplace(x.id, &x);
    // The entry goes, giving its rid and version for the delivered row.
    Stmt del(db_, "DELETE FROM outbox WHERE id=? AND destination=? RETURNING rid, version");
    Stmt dead(db_,
              "INSERT INTO dead_letters(destination, record_id, version, created_ms, attempts, dead_at, "
              "error_code, error_field, error_message) VALUES(?,?,?,?,?,?,?,?,?)");
    Stmt up(db_, std::string("INSERT INTO delivered(destination, rid, version, delivered_on) VALUES(?,?,?,?)") +
                     kDeliveredUpsert);
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
      if (o.delivered()) {
        up.reset().bind(1, dest).bind(2, rid).bind(3, version).bind(4, today);
        if (auto s = up.run(); !s) return s;
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
        if (auto s = audit(now, "delivery:" + dest, "delivery.dead_letter", e->record_id, e->version, batch.batch_id,
                           json{{"destination", dest},
                                {"code", o.error_code},
                                {"field", o.error_field},
                                {"message", o.error_message}}
                               .dump());
            !s)
          return s;
      }
    }
    return {};
  }

  Status retry_batch(const std::string& dest, const std::string& batch_id, int64_t delay_ms,
                     const std::string& error) override {
    DeliveryCommits light(db_, durable_);
    Stmt st(db_,
            "UPDATE outbox_batches SET attempts=attempts+1, next_attempt_ms=?, last_error=? WHERE destination=? "
            "AND batch_id=?");
    st.bind(1, now_ms() + delay_ms).bind(2, error).bind(3, dest).bind(4, batch_id);
    return st.run();
  }

  Status release_batch(const std::string& dest, const std::string& batch_id, const std::string& why) override {
    (void)why;  // the worker logs it; the entries are simply pending again
    DeliveryCommits light(db_, durable_);
    Stmt st(db_, "DELETE FROM outbox_batches WHERE destination=? AND batch_id=?");
    st.bind(1, dest).bind(2, batch_id);
    return st.run();
  }

  Result<OutboxStats> outbox_stats(const std::string& dest) override {
    OutboxStats s;
    auto count = [&](const char* sql, int64_t& out) -> Status {
      Stmt st(db_, sql);
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

  Result<std::vector<DeadLetter>> list_dead_letters(const DeadLetterFilter& f) override {
    Stmt st(db_, "SELECT d.id, d.destination, d.record_id, d.version, d.error_code, d.error_field, d.error_message, "
                 "d.dead_at, v.body, d.attempts FROM dead_letters d LEFT JOIN records r ON " CG_RECORD_IS("r.", "d.record_id") " "
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
  Result<int64_t> replay_dead_letters(const DeadLetterFilter& f, const std::string& actor) override {
    auto rows = list_dead_letters(f);
    if (!rows.ok()) return rows.error();
    sqlite::Transaction tx(db_);
    if (!tx.begin_status()) return tx.begin_status().error();
    std::string now = now_rfc3339_cst();
    Stmt del(db_, "DELETE FROM dead_letters WHERE id=?");
    int64_t n = 0;
    for (const auto& d : *rows) {
      del.reset().bind(1, d.id);
      if (auto s = del.run(); !s) return s.error();
      if (db_.changes() == 0) continue;
      if (auto s = audit(now, actor, "delivery.replayed", d.record_id, d.version, "deadletter#" + std::to_string(d.id),
                         json{{"destination", d.destination}, {"previous_error", d.error_code}}.dump());
          !s)
        return s.error();
      requeue_outbox_.reset()
          .bind(1, d.destination)
          .bind(2, d.record_id)
          .bind(3, d.version)
          .bind(4, now_ms())
          .bind(5, outbox_id());
      if (auto s = requeue_outbox_.run(); !s) return s.error();
      ++n;
    }
    if (auto s = tx.commit(); !s) return s.error();
    return n;
  }

  Status requeue(const std::string& dest, const std::string& record_id, const std::string& actor) override {
    sqlite::Transaction tx(db_);
    if (!tx.begin_status()) return tx.begin_status();
    Stmt st(db_, "SELECT version FROM records WHERE " CG_RECORD_IS("", "?1"));
    st.bind(1, record_id);
    auto r = st.step();
    if (!r.ok()) return r.error();
    if (!*r) return make_error("not_found", "no record " + record_id);
    int64_t version = st.col_int(0);
    std::string now = now_rfc3339_cst();
    if (auto s = audit(now, actor, "delivery.requeued", record_id, version, dest, json{{"destination", dest}}.dump());
        !s)
      return s;
    requeue_outbox_.reset().bind(1, dest).bind(2, record_id).bind(3, version).bind(4, now_ms()).bind(5, outbox_id());
    if (auto s = requeue_outbox_.run(); !s) return s;
    return tx.commit();
  }

  Result<ReconcileFigures> delivered_on(const std::string& dest, const std::string& date) override {
    Stmt st(db_,
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

  Status record_job_run(const JobRun& r) override {
    Stmt st(
        db_,
        "INSERT INTO job_runs(job, started_at, started_ms, finished_at, status, counts, error) VALUES(?,?,?,?,?,?,?)");
    st.bind(1, r.job)
        .bind(2, r.started_at)
        .bind(3, r.started_ms)
        .bind(4, r.finished_at)
        .bind(5, r.status)
        .bind(6, r.counts.dump())
        .bind(7, r.error);
    return st.run();
  }

  Result<std::vector<JobRun>> job_runs(const std::string& job, size_t limit) override {
    Stmt st(db_,
            "SELECT job, started_at, started_ms, finished_at, status, counts, error FROM job_runs WHERE job=? "
            "ORDER BY id DESC LIMIT ?");
    st.bind(1, job).bind(2, static_cast<int64_t>(limit));
    std::vector<JobRun> out;
    while (true) {
      auto r = st.step();
      if (!r.ok()) return r.error();
      if (!*r) break;
      JobRun j;
      j.job = st.col_text(0);
      j.started_at = st.col_text(1);
      j.started_ms = st.col_int(2);
      j.finished_at = st.col_text(3);
      j.status = st.col_text(4);
      j.counts = json::parse(st.col_text(5), nullptr, false);
      j.error = st.col_text(6);
      out.push_back(std::move(j));
    }
    return out;
  }

  Result<bool> try_lock_job(const std::string& job, const std::string& owner, int64_t ttl_ms) override {
    Stmt st(db_,
            "INSERT INTO job_locks(job, owner, until_ms) VALUES(?,?,?) ON CONFLICT(job) DO UPDATE SET "
            "owner=excluded.owner, until_ms=excluded.until_ms WHERE job_locks.until_ms < ? OR job_locks.owner = ?");
    int64_t now = now_ms();
    st.bind(1, job).bind(2, owner).bind(3, now + ttl_ms).bind(4, now).bind(5, owner);
    if (auto s = st.run(); !s) return s.error();
    return db_.changes() == 1;
  }

  Status unlock_job(const std::string& job, const std::string& owner) override {
    Stmt st(db_, "DELETE FROM job_locks WHERE job=? AND owner=?");
    st.bind(1, job).bind(2, owner);
    return st.run();
  }

  Result<std::optional<std::string>> sync_cursor(const std::string& source) override {
    Stmt st(db_, "SELECT cursor FROM sync_cursors WHERE source=?");
    st.bind(1, source);
    auto r = st.step();
    if (!r.ok()) return r.error();
    if (!*r) return std::optional<std::string>{};
    return std::optional<std::string>(st.col_text(0));
  }

  Result<std::optional<std::pair<Record, std::string>>> load(const std::string& record_id) {
    Stmt st(db_, CG_CURRENT_BODY_SQL " WHERE " CG_RECORD_IS("r.", "?1"));
    st.bind(1, record_id);
    auto r = st.step();
    if (!r.ok()) return r.error();
    if (!*r) return std::optional<std::pair<Record, std::string>>{};
    auto rec = record_from_json_text(st.col_text(0));
    if (!rec.ok()) return rec.error();
    return std::optional<std::pair<Record, std::string>>(std::make_pair(rec.value(), st.col_text(1)));
  }

  Result<json> apply_changes(const std::string& source, const json& changes, const std::string& next_cursor,
                             const std::string& actor) override {
    sqlite::Transaction tx(db_);
    if (!tx.begin_status()) return tx.begin_status().error();
    const std::string now = now_rfc3339_cst();
    const std::string origin = "platform:" + source;
    json outcomes = json::array();
    json counts = {{"applied", 0}, {"repeated", 0}, {"no_change", 0}, {"invalid", 0}, {"unknown_record", 0}};
    Stmt seen(db_, "SELECT 1 FROM applied_changes WHERE change_id=?");
    Stmt mark(db_,
              "INSERT INTO applied_changes(change_id, source, type, record_id, outcome, version, applied_at) "
              "VALUES(?,?,?,?,?,?,?)");
    for (const auto& raw : changes) {
      auto c = lifecycle::parse_change(raw);
      std::string id = raw.is_object() ? raw.value("change_id", "") : "";
      auto finish = [&](const std::string& kind, const std::string& outcome, const std::string& record_id,
                        int64_t version) -> Status {
        counts[kind] = counts[kind].get<int64_t>() + 1;
        outcomes.push_back({{"change_id", id}, {"outcome", outcome}, {"record_id", record_id}, {"version", version}});
        if (id.empty()) return {};
        mark.reset().bind(1, id).bind(2, source).bind(3, raw.value("type", "")).bind(4, record_id).bind(5, outcome);
        if (version)
          mark.bind(6, version);
        else
          mark.bind_null(6);
        mark.bind(7, now);
        if (auto s = mark.run(); !s) return s;
        return audit(now, actor, "sync.change", record_id, version, origin,
                     json{{"change_id", id}, {"type", raw.value("type", "")}, {"outcome", outcome}}.dump());
      };
      if (!id.empty()) {
        seen.reset().bind(1, id);
        auto r = seen.step();
        if (!r.ok()) return r.error();
        if (*r) {
          counts["repeated"] = counts["repeated"].get<int64_t>() + 1;
          continue;  // applied before: at most once
        }
      }
      if (!c.ok()) {
        if (auto s = finish("invalid", "invalid: " + c.error().message, "", 0); !s) return s.error();
        continue;
      }
      json event = {{"type", c->type == "record_upsert" ? "record_upsert" : "status_changed"},
                    {"change_id", c->change_id},
                    {"change_type", c->type},
                    {"at", c->at}};
      if (c->type == "record_upsert") {
        auto rec = record_from_json(c->record);
        std::vector<Violation> v;
        if (rec.ok()) v = validate_record(*rec);
        if (!rec.ok() || !v.empty()) {
          std::string why = rec.ok() ? v[0].rule + " " + v[0].field : rec.error().to_string();
          if (auto s = finish("invalid", "invalid record: " + why, c->record_id, 0); !s) return s.error();
          continue;
        }
        auto have = load(rec->record_id);
        if (!have.ok()) return have.error();
        if (*have && (*have)->first.version >= rec->version) {
          if (auto s = finish("no_change", "not newer than version " + std::to_string((*have)->first.version),
                              rec->record_id, rec->version);
              !s)
            return s.error();
          continue;
        }
        IngestBatch ctx;
        ctx.actor = actor;
        ctx.source = c->change_id;
        ctx.origin = origin;
        if (auto s = write(*rec, content_digest(*rec), ctx, now, !*have, "upsert:" + source, event); !s)
          return s.error();
        if (auto s = finish("applied", *have ? "updated from " + source : "stored from " + source, rec->record_id,
                            rec->version);
            !s)
          return s.error();
        continue;
      }
      auto have = load(c->record_id);
      if (!have.ok()) return have.error();
      if (!*have) {
        if (auto s = finish("unknown_record", "unknown record", c->record_id, 0); !s) return s.error();
        continue;
      }
      std::optional<std::string> opened_at;
      if (c->type == "objection_opened") {
        Stmt o(db_, "INSERT OR IGNORE INTO objections(record_id, objection_id, opened_at) VALUES(?,?,?)");
        o.bind(1, c->record_id).bind(2, c->objection_id).bind(3, c->at);
        if (auto s = o.run(); !s) return s.error();
      } else if (c->type == "objection_resolved") {
        Stmt o(db_, "SELECT opened_at FROM objections WHERE record_id=? AND objection_id=?");
        o.bind(1, c->record_id).bind(2, c->objection_id);
        if (auto r = o.step(); r.ok() && *r) opened_at = o.col_text(0);
        Stmt u(db_, "UPDATE objections SET resolved_at=?, outcome=? WHERE record_id=? AND objection_id=?");
        u.bind(1, c->at).bind(2, c->outcome).bind(3, c->record_id).bind(4, c->objection_id);
        if (auto s = u.run(); !s) return s.error();
      }
      const Record& cur = (*have)->first;
      auto t = lifecycle::apply_change(cur, *c, opened_at, now);
      if (!t.ok()) {
        if (auto s = finish("invalid", "invalid: " + t.error().message, c->record_id, 0); !s) return s.error();
        continue;
      }
      if (!t->changed) {
        if (auto s = finish("no_change", t->note, c->record_id, cur.version); !s) return s.error();
        continue;
      }
      event["from"] = cur.status;
      event["to"] = t->next.status;
      if (c->type == "objection_resolved") event["outcome"] = c->outcome;
      if (auto s = write_transition(t->next, (*have)->second, actor, c->change_id, event, now); !s) return s.error();
      if (auto s = finish("applied", t->note, c->record_id, t->next.version); !s) return s.error();
    }
    if (!next_cursor.empty()) {
      Stmt cur(db_,
               "INSERT INTO sync_cursors(source, cursor, updated_at) VALUES(?,?,?) ON CONFLICT(source) DO UPDATE "
               "SET cursor=excluded.cursor, updated_at=excluded.updated_at");
      cur.bind(1, source).bind(2, next_cursor).bind(3, now);
      if (auto s = cur.run(); !s) return s.error();
    }
    if (auto s = tx.commit(); !s) return s.error();
    return json{{"counts", counts}, {"changes", outcomes}};
  }

  Result<int64_t> expire_records(const std::string& today, const std::string& actor) override {
    sqlite::Transaction tx(db_);
    if (!tx.begin_status()) return tx.begin_status().error();
    Stmt st(db_, CG_CURRENT_BODY_SQL
            " WHERE r.status='active' AND "
            "(json_extract(v.body, '$.decision.valid_until') < ?1 OR json_extract(v.body, '$.decision.publish_until') "
            "< ?1)");
    st.bind(1, today);
    std::vector<std::pair<Record, std::string>> due;
    while (true) {
      auto r = st.step();
      if (!r.ok()) return r.error();
      if (!*r) break;
      auto rec = record_from_json_text(st.col_text(0));
      if (rec.ok()) due.emplace_back(rec.value(), st.col_text(1));
    }
    std::string now = now_rfc3339_cst();
    int64_t n = 0;
    for (const auto& [rec, origin] : due) {
      auto next = lifecycle::expire(rec, today, now);
      if (!next) continue;
      json event = {
          {"type", "status_changed"}, {"change_type", "expiry"}, {"from", rec.status}, {"to", "expired"}, {"at", now}};
      if (auto s = write_transition(*next, origin, actor, "expiry " + today, event, now); !s) return s.error();
      ++n;
    }
    if (auto s = tx.commit(); !s) return s.error();
    return n;
  }

  void set_feedback_router(FeedbackRouter router) override {
    feedback_router_ = std::move(router);
  }

  // Feedback leases and answers are bookkeeping like a delivery's: a power
  // loss can undo the last of them, and the items are offered again (each
  // carries its id, for the department to see it again).
  Result<std::vector<FeedbackItem>> claim_feedback(const std::string& dept, size_t max, int64_t lease_ms) override {
    DeliveryCommits light(db_, durable_);
    sqlite::Transaction tx(db_);
    if (!tx.begin_status()) return tx.begin_status().error();
    int64_t now = now_ms();
    // Leases that ran out first, then due items in the order they became due:
    // both read along feedback_due and stop at `max`, however long the queue.
    std::vector<FeedbackItem> out;
    // An item's body is its record version's (items written before the
    // feedback rows referred to it carry their own copy).
    // clang-format off
#define CG_FEEDBACK_COLUMNS                                                                             \
  "SELECT f.id, f.record_id, f.version, f.event, "                                                     \
  "CASE WHEN f.body <> '' THEN f.body ELSE (SELECT v.body FROM records r JOIN record_versions v ON "    \
  "v.rid = r.rid AND v.version = f.version WHERE " CG_RECORD_IS("r.", "f.record_id") ") END, f.attempts FROM feedback f "
    // clang-format on
    for (const char* sql : {CG_FEEDBACK_COLUMNS "WHERE f.department=?1 AND f.state='inflight' AND f.lease_until_ms<?2 "
                                                "ORDER BY f.id LIMIT ?3",
                            CG_FEEDBACK_COLUMNS "WHERE f.department=?1 AND f.state='pending' AND f.next_attempt_ms<=?2 "
                                                "ORDER BY f.next_attempt_ms, f.id LIMIT ?3"}) {
#undef CG_FEEDBACK_COLUMNS
      Stmt st(db_, sql);
      st.bind(1, dept).bind(2, now).bind(3, static_cast<int64_t>(max - out.size()));
      while (out.size() < max) {
        auto r = st.step();
        if (!r.ok()) return r.error();
        if (!*r) break;
        FeedbackItem f;
        f.id = st.col_int(0);
        f.department = dept;
        f.record_id = st.col_text(1);
        f.version = st.col_int(2);
        f.event = json::parse(st.col_text(3), nullptr, false);
        f.body = st.col_text(4);
        f.attempts = st.col_int(5);
        out.push_back(std::move(f));
      }
    }
    Stmt lease(db_, "UPDATE feedback SET state='inflight', lease_until_ms=? WHERE id=?");
    for (const auto& f : out) {
      lease.reset().bind(1, now + lease_ms).bind(2, f.id);
      if (auto s = lease.run(); !s) return s.error();
    }
    if (auto s = tx.commit(); !s) return s.error();
    return out;
  }

  Status complete_feedback(int64_t id, bool delivered, const std::string& error, int64_t retry_ms) override {
    DeliveryCommits light(db_, durable_);
    if (delivered) {
      Stmt st(db_, "UPDATE feedback SET state='delivered', delivered_at=? WHERE id=?");
      st.bind(1, now_rfc3339_cst()).bind(2, id);
      return st.run();
    }
    Stmt st(db_,
            "UPDATE feedback SET state='pending', attempts=attempts+1, next_attempt_ms=?, last_error=? WHERE id=?");
    st.bind(1, now_ms() + retry_ms).bind(2, error).bind(3, id);
    return st.run();
  }

  Result<json> feedback_stats() override {
    Stmt st(db_, "SELECT department, state, count(*) FROM feedback GROUP BY department, state");
    json out = json::object();
    while (true) {
      auto r = st.step();
      if (!r.ok()) return r.error();
      if (!*r) break;
      out[st.col_text(0)][st.col_text(1)] = st.col_int(2);
    }
    return out;
  }

  Status append_audit(const std::string& actor, const std::string& action, const json& detail) override {
    return audit(now_rfc3339_cst(), actor, action, "", 0, "admin", detail.dump());
  }

  Status check_writable() override {
    if (const auto* why = db_.writes_refused()) return make_error("store_unwritable", *why);
    Stmt st(db_,
            "INSERT INTO meta(key, value) VALUES('health', ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value");
    st.bind(1, now_rfc3339_cst());
    return st.run();
  }

  Result<json> quarantine_counts() override {
    Stmt st(db_, "SELECT coalesce(department, ''), rule, count(*) FROM quarantine WHERE status='open' GROUP BY 1, 2");
    json out = json::array();
    while (true) {
      auto r = st.step();
      if (!r.ok()) return r.error();
      if (!*r) break;
      out.push_back({{"department", st.col_text(0)}, {"rule", st.col_text(1)}, {"count", st.col_int(2)}});
    }
    return out;
  }

  Result<std::vector<StoredRecord>> records_of_subject(const std::string& uscc, const std::string& id_number) override {
    Stmt st(db_, uscc.empty() ? CG_CURRENT_BODY_SQL " WHERE " CG_ID_NUMBER_IS("?1") " ORDER BY r.record_id LIMIT 1000"
                              : CG_CURRENT_BODY_SQL " WHERE " CG_USCC_IS("?1") " ORDER BY r.record_id LIMIT 1000");
    st.bind(1, uscc.empty() ? id_number : uscc);
    std::vector<StoredRecord> out;
    while (true) {
      auto r = st.step();
      if (!r.ok()) return r.error();
      if (!*r) break;
      auto rec = record_from_json_text(st.col_text(0));
      if (rec.ok()) out.push_back({rec.value(), st.col_text(1)});
    }
    return out;
  }

 private:
  static std::string dead_where(const DeadLetterFilter& f) {
    std::string w = " WHERE 1=1";
    if (f.id) w += " AND d.id=:id";
    if (!f.destination.empty()) w += " AND d.destination=:dest";
    if (!f.record_id.empty()) w += " AND d.record_id=:rid";
    if (!f.error_code.empty()) w += " AND d.error_code=:code";
    if (!f.from.empty()) w += " AND d.dead_at>=:from";
    if (!f.to.empty()) w += " AND d.dead_at<=:to";
    return w;
  }
  static void dead_bind(Stmt& st, const DeadLetterFilter& f) {
    auto b = [&](const char* n, const std::string& v) {
      int i = sqlite3_bind_parameter_index(st.handle(), n);
      if (i > 0) st.bind(i, v);
    };
    if (f.id) st.bind(sqlite3_bind_parameter_index(st.handle(), ":id"), *f.id);
    b(":dest", f.destination);
    b(":rid", f.record_id);
    b(":code", f.error_code);
    b(":from", f.from);
    b(":to", f.to);
  }

  // `rid`: the record's, when the caller has it (0: looked up by record_id).
  Status audit(const std::string& at, const std::string& actor, const std::string& action, const std::string& record_id,
               int64_t version, const std::string& source, const std::string& detail, int64_t rid = 0) {
    // Bound without copies: every argument outlives the step, and the
    // statement is reset before this returns.
    insert_audit_.reset().bind_static(1, at).bind_static(2, actor).bind_static(3, action);
    if (record_id.empty())
      insert_audit_.bind_null(4);
    else
      insert_audit_.bind_static(4, record_id);
    if (version)
      insert_audit_.bind(5, version);
    else
      insert_audit_.bind_null(5);
    insert_audit_.bind_static(6, source).bind_static(7, detail);
    if (rid)
      insert_audit_.bind(8, rid);
    else
      insert_audit_.bind_null(8);
    auto ran = insert_audit_.run();
    insert_audit_.reset();
    if (!ran) return ran;
    last_audit_id_ = db_.last_insert_id();
    return {};
  }

  Status apply(const IngestBatch& batch, IngestResult& result) {
    const std::string now = now_rfc3339_cst();
    // Made on the mapping thread as a rule; here only for a batch without them.
    BatchTexts made;
    if (!batch.texts_ready()) made = make_texts(batch.records, batch.quarantined);
    const BatchTexts& texts = batch.texts_ready() ? batch.texts : made;
    for (size_t i = 0; i < batch.records.size(); ++i) {
      const Record& in = batch.records[i];
      const std::string& digest = texts.digests[i];  // version and updated_at do not count
      // A new record is stored as version 1; the mapper gives it that
      // number, so it is copied only when it has another.
      std::optional<Record> renumbered;
      if (in.version != 1) {
        renumbered = in;
        renumbered->version = 1;
      }
      const Record& first = renumbered ? *renumbered : in;
      select_record_.reset().bind_static(1, in.record_id);
      auto row = select_record_.step();
      if (!row.ok()) return row.error();
      if (!*row) {
        select_record_.reset();
        int64_t rid = 0;
        if (auto s = insert_record(first, digest, batch.origin, now, rid); !s) return s;
        if (auto s = write(first, digest, batch, now, true, "", json(), rid, &texts.new_bodies[i]); !s) return s;
        result.created++;
        result.stored.push_back({first.record_id, first.version, true});
        continue;
      }
      Record r = in;
      int64_t version = select_record_.col_int(0);
      std::string old_digest = select_record_.col_text(1);
      std::string status = select_record_.col_text(2);
      select_record_.reset();
      if (old_digest == digest) {
        result.unchanged++;
        continue;
      }
      r.version = version + 1;
      r.status = status;  // the lifecycle is kept: a department re-send does not undo a repair
      r.updated_at = now;
      if (auto s = write(r, digest, batch, now, false); !s) return s;
      result.updated++;
      result.stored.push_back({r.record_id, r.version, false});
    }
    for (size_t i = 0; i < batch.quarantined.size(); ++i) {
      const auto& q = batch.quarantined[i];
      insert_quarantine_.reset()
          .bind(1, now)
          .bind(2, q.department)
          .bind(3, q.mapping)
          .bind(4, q.rule)
          .bind(5, q.field)
          .bind(6, q.location.file)
          .bind(7, q.record_id)
          .bind_static(8, texts.quarantine_fingerprints[i])
          .bind(9, int64_t{0})
          .bind_static(10, texts.quarantine_entries[i])
          .bind_null(11);
      auto ran = insert_quarantine_.run();
      insert_quarantine_.reset();  // the texts were bound without a copy
      if (!ran) return ran;
      if (db_.changes() == 0) {
        result.quarantine_duplicates++;
        continue;
      }
      result.quarantined++;
      if (auto s = audit(now, batch.actor, "quarantine.added", q.record_id, 0, batch.source,
                         json{{"quarantine_id", db_.last_insert_id()}, {"rule", q.rule}, {"field", q.field}}.dump());
          !s)
        return s;
    }
    if (batch.failure) {
      json entry = mapping::to_json(*batch.failure);
      entry["mapping"] = batch.failure_mapping;
      entry["department"] = batch.failure_department;
      std::string fp = sha256_hex(batch.failure_mapping + "\x1f" + batch.failure->code + "\x1f" + batch.failure_raw);
      insert_quarantine_.reset()
          .bind(1, now)
          .bind(2, batch.failure_department)
          .bind(3, batch.failure_mapping)
          .bind(4, batch.failure->code)
          .bind_null(5)
          .bind(6, batch.failure->file)
          .bind_null(7)
          .bind(8, fp)
          .bind(9, int64_t{1})
          .bind(10, entry.dump())
          .bind_blob(11, batch.failure_raw);
      if (auto s = insert_quarantine_.run(); !s) return s;
      if (db_.changes() == 0) {
        result.quarantine_duplicates++;
      } else {
        result.quarantined++;
        if (auto s = audit(now, batch.actor, "quarantine.file_refused", "", 0, batch.source,
                           json{{"quarantine_id", db_.last_insert_id()}, {"rule", batch.failure->code}}.dump());
            !s)
          return s;
      }
    }
    return {};
  }

  // The id of the outbox entries queued by the change whose audit entry was
  // the last one written.
  int64_t outbox_id() const {
    return last_audit_id_ + outbox_id_offset_;
  }

  // The outbox entries of a new record version: same transaction, always;
  // called right after the version's audit entry is written.
  Status enqueue(const Record& r, int64_t rid, const std::string& origin, int64_t arrived_ms) {
    if (!router_) return {};
    const int64_t at = arrived_ms > 0 ? arrived_ms : now_ms();  // delivery latency counts from arrival
    const int64_t id = outbox_id();
    auto dests = router_(r, origin);
    if (dests.size() == 2) {  // the usual two platforms: one statement
      insert_outbox2_.reset()
          .bind(1, dests[0])
          .bind(2, dests[1])
          .bind(3, id)
          .bind(4, rid)
          .bind(5, r.version)
          .bind(6, at);
      return insert_outbox2_.run();
    }
    for (const auto& dest : dests) {
      insert_outbox_.reset().bind(1, dest).bind(2, id).bind(3, rid).bind(4, r.version).bind(5, at);
      if (auto st = insert_outbox_.run(); !st) return st;
    }
    return {};
  }

  // `event`: the platform's change, or null for a record written from a
  // department's feed (then the event is {"type": "created"|"updated"}). The
  // item refers to the record version written with it for its body (read
  // when the item is claimed), rather than holding a second copy of it.
  Status enqueue_feedback(const Record& r, const json& event, bool created, const std::string& origin,
                          const std::string& now) {
    if (!feedback_router_) return {};
    const bool from_feed = !event.is_object();
    const std::string type = from_feed ? (created ? "created" : "updated") : event.value("type", "");
    auto departments = feedback_router_(r, type, origin);
    if (departments.empty()) return {};  // the usual case: no tree built for nothing
    json ev = from_feed ? json{{"type", type}} : event;
    ev["at"] = ev.value("at", now);
    const std::string ev_text = ev.dump();
    for (const auto& dept : departments) {
      insert_feedback_.reset().bind(1, dept).bind(2, r.record_id).bind(3, r.version).bind(4, ev_text).bind(5, now);
      if (auto s = insert_feedback_.run(); !s) return s;
    }
    return {};
  }

  // Writes a lifecycle version of an existing record (from a platform change or expiry).
  Status write_transition(const Record& next, const std::string& origin, const std::string& actor,
                          const std::string& source, const json& event, const std::string& now) {
    IngestBatch ctx;
    ctx.actor = actor;
    ctx.source = source;
    ctx.origin = origin;
    return write(next, content_digest(next), ctx, now, false, "status:" + next.status, event);
  }

  // Inserts the records row of a new record, whose id the caller has looked
  // up in this transaction and not found; `rid` is the row's.
  Status insert_record(const Record& r, const std::string& digest, const std::string& origin, const std::string& now,
                       int64_t& rid) {
    const auto& s = r.subject;
    // Bound without copies: every argument outlives the step, and the
    // statement is reset before this returns.
    insert_record_.reset()
        .bind_static(1, r.record_id)
        .bind(2, r.version)
        .bind_static(3, r.kind)
        .bind_static(4, r.source.department)
        .bind_static(5, r.status)
        .bind_static(8, origin)
        .bind_static(9, digest)
        .bind_static(10, now);
    if (s.uscc)
      insert_record_.bind_static(6, *s.uscc);
    else
      insert_record_.bind_null(6);
    if (s.id_number)
      insert_record_.bind_static(7, *s.id_number);
    else
      insert_record_.bind_null(7);
    auto ran = insert_record_.run();
    const int64_t last = db_.last_insert_id();
    insert_record_.reset();
    if (!ran) return ran;
    rid = last;
    return {};
  }

  // `created`: a new record; its records row is inserted here unless the
  // caller did (`new_rid`).
  // `made_body`: the record's JSON text when the caller has it made.
  Status write(const Record& r, const std::string& digest, const IngestBatch& batch, const std::string& now,
               bool created, const std::string& cause = "", const json& event = json(), int64_t new_rid = 0,
               const std::string* made_body = nullptr) {
    std::string own_body;
    if (!made_body) own_body = to_json_text(r);
    const std::string& body = made_body ? *made_body : own_body;
    const auto& s = r.subject;
    int64_t rid = new_rid;
    if (created && rid == 0) {
      select_record_.reset().bind_static(1, r.record_id);
      auto found = select_record_.step();
      const bool stored = found.ok() && *found;
      select_record_.reset();
      if (!found.ok()) return found.error();
      if (stored) return make_error("store", "record " + r.record_id + " is stored already");
      if (auto st = insert_record(r, digest, batch.origin, now, rid); !st) return st;
    } else if (!created) {
      update_record_.reset()
          .bind(1, r.version)
          .bind(2, r.status)
          .bind_opt(3, s.uscc)
          .bind_opt(4, s.id_number)
          .bind(5, digest)
          .bind(6, now)
          .bind(7, r.record_id);
      auto row = update_record_.step();
      if (!row.ok()) return row.error();
      if (!*row) return make_error("store", "record " + r.record_id + " vanished during its update");
      rid = update_record_.col_int(0);
      update_record_.reset();  // RETURNING: the update is done once stepped to the end
    }
    std::string why = !cause.empty() ? cause : created ? "created" : "content_changed";
    insert_version_.reset().bind(1, rid).bind(2, r.version).bind_static(3, body).bind(4, why).bind(5, now);
    auto stored = insert_version_.run();
    insert_version_.reset();  // the body was bound without a copy: no reference to it survives this call
    if (!stored) return stored;
    std::string detail;
    if (event.is_object()) {
      detail = json{{"kind", r.kind}, {"mapping", r.source.mapping.value_or("")}, {"event", event}}.dump();
    } else {  // a feed's record: the same text, without a tree per record
      detail = "{\"kind\":";
      append_json_string(detail, r.kind);
      detail += ",\"mapping\":";
      append_json_string(detail, r.source.mapping ? std::string_view(*r.source.mapping) : std::string_view());
      detail += '}';
    }
    std::string action = event.is_object() && event.value("type", "") == "status_changed" ? "record.status_changed"
                         : created                                                        ? "record.created"
                                                                                          : "record.updated";
    if (auto st = audit(now, batch.actor, action, r.record_id, r.version, batch.source, detail, rid); !st) return st;
    if (auto st = enqueue(r, rid, batch.origin, batch.arrived_ms); !st) return st;
    return enqueue_feedback(r, event, created, batch.origin, now);
  }

  Db db_;
  Stmt select_record_, insert_record_, update_record_, insert_version_, insert_audit_, insert_quarantine_;
  Stmt insert_outbox_, insert_outbox2_, requeue_outbox_, insert_feedback_;
  OutboxRouter router_;
  FeedbackRouter feedback_router_;
  int64_t outbox_id_offset_ = 0;  // meta's outbox_id_offset (a store upgraded from schema 4)
  int64_t last_audit_id_ = 0;     // the id of the audit entry this connection wrote last
  bool durable_ = true;           // store.synchronous FULL
};

}  // namespace

namespace {

// The file the store will open: made private when new, refused when it is
// an empty file nobody asked to initialise.
Status prepare_store_file(const std::string& path, const StoreOptions& opts) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const bool exists = fs::exists(path, ec);
  if (exists) {
    if (fs::file_size(path, ec) == 0 && !ec && !opts.init_empty_file)
      return make_error("store_empty",
                        "the store file is empty (0 bytes); the gateway will not make a new store over it, since its "
                        "records, outbox and cursors would be gone without a word. Restore it from a backup, or, for "
                        "a new installation, run: credit-gateway store init --config FILE",
                        path);
    if (opts.create)  // the gateway's own opening: a store made by an older release is made private too
      for (const char* suffix : {"", "-wal", "-shm"})
        if (fs::exists(path + suffix, ec))
          fs::permissions(path + suffix, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace, ec);
    return {};
  }
  if (!opts.create)
    return make_error("store_missing", "no store at this path (run the gateway once, or credit-gateway store init)",
                      path);
  auto parent = fs::path(path).parent_path();
  if (!parent.empty()) fs::create_directories(parent, ec);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);  // its -wal and -shm follow
  if (fd < 0 && errno != EEXIST)
    return make_error("store_open", std::string("cannot create the store file: ") + std::strerror(errno), path);
  if (fd >= 0) ::close(fd);
  return {};
}

// PRAGMA quick_check or integrity_check: each problem SQLite names, in `problems`.
Status check_integrity(sqlite::Db& db, const std::string& pragma, std::vector<std::string>* problems = nullptr) {
  sqlite::Stmt st(db, "PRAGMA " + pragma);
  std::vector<std::string> found;
  while (true) {
    auto row = st.step();
    if (!row.ok()) return make_error("store_corrupt", pragma + " could not run: " + row.error().message);
    if (!*row) break;
    std::string line = st.col_text(0);
    if (line != "ok") found.push_back(std::move(line));
  }
  if (found.empty()) return {};
  const std::string first = found.front();
  const size_t n = found.size();
  if (problems) *problems = std::move(found);
  return make_error("store_corrupt", pragma + " found " + std::to_string(n) + " problem(s), the first: " + first);
}

}  // namespace

Status check_sqlite_store(const std::string& path, std::vector<std::string>& problems) {
  StoreOptions opts;
  opts.create = false;
  if (auto s = prepare_store_file(path, opts); !s) return s.error();
  auto db = Db::open(path);
  if (!db.ok()) return db.error();
  return check_integrity(*db, "integrity_check", &problems);
}

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path, const StoreOptions& opts) {
  if (auto s = prepare_store_file(path, opts); !s) return s.error();
  auto db = Db::open(path);
  if (!db.ok()) return db.error();
  if (opts.quick_check)
    if (auto s = check_integrity(*db, "quick_check"); !s) return s.error();
  auto store = std::make_unique<SqliteStore>(std::move(db.value()));
  if (auto s = store->init(opts); !s) return make_error(s.error().code, s.error().message, path);
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace cg::store
