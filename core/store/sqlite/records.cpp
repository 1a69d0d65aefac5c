#include "store/sqlite/records.hpp"

#include "common/clock.hpp"
#include "common/json_string.hpp"
#include "record/resend.hpp"
#include "store/sqlite/schema.hpp"

namespace cg::store::sqlite_store {

using nlohmann::json;
using sqlite::Stmt;

// A record's current body: the record_versions row of its current version.
#define CG_CURRENT_BODY_SQL \
  "SELECT v.body, r.origin FROM records r JOIN record_versions v ON v.rid = r.rid AND v.version = r.version"

namespace {

// Every row of `st` (body, origin) as a StoredRecord; bodies that do not
// read are an error when `strict`, else passed over.
Result<std::vector<StoredRecord>> read_records(Stmt& st, bool strict) {
  std::vector<StoredRecord> out;
  while (true) {
    auto row = st.step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    auto rec = record_from_json_text(st.col_text(0));
    if (!rec.ok()) {
      if (strict) return rec.error();
      continue;
    }
    out.push_back({std::move(rec.value()), st.col_text(1)});
  }
  return out;
}

// The ID number of the record's legal representative, indexed (落实到人).
const std::string* legal_rep_id(const Record& r) {
  const auto& rep = r.subject.legal_representative;
  return rep && rep->id_number ? &*rep->id_number : nullptr;
}

}  // namespace

Status SqliteRecords::prepare() {
  auto& db = c_.db();
  select_record_ = Stmt(db, "SELECT version, digest, status FROM records WHERE " CG_RECORD_IS("", "?1"));
  // Inserted only after select_record_ found no row with the id, in the same
  // transaction: that is what keeps ids unique (schema 6 has no UNIQUE index
  // of them).
  insert_record_ =
      Stmt(db,
           "INSERT INTO records(record_id, version, kind, department, status, subject_uscc, "
           "subject_id_number, origin, digest, updated_at, legal_rep_id_number) VALUES(?,?,?,?,?,?,?,?,?,?,?)");
  update_record_ = Stmt(
      db,
      "UPDATE records SET version=?1, status=?2, subject_uscc=?3, subject_id_number=?4, digest=COALESCE(?5, digest), "
      "updated_at=?6, legal_rep_id_number=?8 WHERE " CG_RECORD_IS("", "?7") " RETURNING rid");
  insert_version_ = Stmt(db, "INSERT INTO record_versions(rid, version, body, cause, created_at) VALUES(?,?,?,?,?)");
  for (auto* s : {&select_record_, &insert_record_, &update_record_, &insert_version_})
    if (!s->ok()) return make_error("store", "cannot prepare statement: " + db.last_error());
  return {};
}

Result<IngestResult> SqliteRecords::ingest(const IngestBatch& batch) {
  return c_.write(Commit::Durable, [&]() -> Result<IngestResult> {
    IngestResult result;
    if (auto s = apply(batch, result); !s) return s.error();
    return result;
  });
}

Result<std::vector<IngestResult>> SqliteRecords::ingest_group(const std::vector<const IngestBatch*>& batches) {
  return c_.write(Commit::Durable, [&]() -> Result<std::vector<IngestResult>> {
    std::vector<IngestResult> results(batches.size());
    for (size_t i = 0; i < batches.size(); ++i)
      if (auto s = apply(*batches[i], results[i]); !s) return s.error();
    return results;
  });
}

// A stored record's digest is that of the content its department last sent:
// a version made by a rule (a platform's change, an expiry) keeps it, so that
// the department sending the same content again changes nothing and does
// not undo what the rule did (a valid_until moved by an objection, a
// corrected record).
Status SqliteRecords::write_version(const Record& r, const VersionWrite& w) {
  return c_.write(Commit::Durable, [&] {
    return write(r, w.created ? content_digest(r) : std::string(), Writer{w.actor, w.source, w.origin},
                 now_rfc3339_cst(), w.created, w.cause, w.event);
  });
}

Result<std::optional<StoredRecord>> SqliteRecords::get(const std::string& record_id) {
  Stmt st(c_.db(), CG_CURRENT_BODY_SQL " WHERE " CG_RECORD_IS("r.", "?1"));
  st.bind(1, record_id);
  auto found = read_records(st, true);
  if (!found.ok()) return found.error();
  if (found->empty()) return std::optional<StoredRecord>{};
  return std::optional<StoredRecord>(std::move(found->front()));
}

Result<std::vector<Record>> SqliteRecords::history(const std::string& record_id) {
  Stmt st(c_.db(),
          "SELECT v.body FROM records r JOIN record_versions v ON v.rid = r.rid WHERE " CG_RECORD_IS("r.", "?1") " "
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

Status SqliteRecords::for_each(const std::string& kind, const std::function<void(const StoredRecord&)>& fn) {
  // In id order: the index of id prefixes, then the whole id among the few
  // that share a prefix.
#define CG_IN_ID_ORDER " ORDER BY substr(r.record_id, 1, 8), r.record_id"
  Stmt st(c_.db(),
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

Result<int64_t> SqliteRecords::count() {
  Stmt st(c_.db(), "SELECT count(*) FROM records");
  auto row = st.step();
  if (!row.ok()) return row.error();
  return st.col_int(0);
}

Result<std::vector<StoredRecord>> SqliteRecords::of_subject(const std::string& uscc, const std::string& id_number,
                                                            int64_t limit) {
  Stmt st(c_.db(), uscc.empty() ? CG_CURRENT_BODY_SQL " WHERE " CG_ID_NUMBER_IS("?1") " ORDER BY r.record_id LIMIT ?2"
                                : CG_CURRENT_BODY_SQL " WHERE " CG_USCC_IS("?1") " ORDER BY r.record_id LIMIT ?2");
  st.bind(1, uscc.empty() ? id_number : uscc).bind(2, limit);
  return read_records(st, false);
}

// Through the subject's index; status and kind are read from the records
// row, so that only the bodies of the records that can count are read.
Result<std::vector<StoredRecord>> SqliteRecords::in_force(const InForceQuery& q) {
  if (q.kinds.empty() || (q.uscc.empty() && q.id_number.empty())) return std::vector<StoredRecord>{};
#define CG_IN_FORCE(subject)                                                            \
  CG_CURRENT_BODY_SQL " WHERE " subject                                                 \
                      " AND r.status IN ('active', 'suspended') AND r.kind IN (SELECT " \
                      "value FROM json_each(?2)) ORDER BY r.record_id LIMIT 1000"
  Stmt st(c_.db(), q.as_legal_representative ? CG_IN_FORCE(CG_LEGAL_REP_IS("?1"))
                   : q.uscc.empty()          ? CG_IN_FORCE(CG_ID_NUMBER_IS("?1"))
                                             : CG_IN_FORCE(CG_USCC_IS("?1")));
#undef CG_IN_FORCE
  st.bind(1, q.uscc.empty() || q.as_legal_representative ? q.id_number : q.uscc);
  st.bind(2, json(q.kinds).dump());
  return read_records(st, false);
}

Result<std::vector<StoredRecord>> SqliteRecords::active_ending_before(const std::string& today) {
  Stmt st(c_.db(), CG_CURRENT_BODY_SQL
          " WHERE r.status='active' AND "
          "(json_extract(v.body, '$.decision.valid_until') < ?1 OR json_extract(v.body, '$.decision.publish_until') "
          "< ?1)");
  st.bind(1, today);
  return read_records(st, false);
}

Status SqliteRecords::apply(const IngestBatch& batch, IngestResult& result) {
  const std::string now = now_rfc3339_cst();
  const Writer by{batch.actor, batch.source, batch.origin, batch.arrived_ms};
  // Made on the mapping thread as a rule; here only for a batch without them.
  BatchTexts made;
  if (!batch.texts_ready()) made = make_texts(batch.records, batch.quarantined);
  const BatchTexts& texts = batch.texts_ready() ? batch.texts : made;
  // The batch's figures by department and kind (a batch has one or a few):
  // counted without a string copy per record.
  struct Counts {
    const std::string *department, *kind;
    int64_t received = 0, created = 0, changed = 0;
  };
  std::vector<Counts> counts;
  auto counts_of = [&counts](const Record& r) -> Counts& {
    for (auto& c : counts)
      if (*c.kind == r.kind && *c.department == r.source.department) return c;
    return counts.emplace_back(Counts{&r.source.department, &r.kind});
  };
  for (size_t i = 0; i < batch.records.size(); ++i) {
    const Record& in = batch.records[i];
    Counts& counted = counts_of(in);
    ++counted.received;
    const std::string& digest = texts.digests[i];  // version and updated_at do not count
    // A new record is stored as version 1; the mapper gives it that number,
    // so it is copied only when it has another.
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
      if (auto s = write(first, digest, by, now, true, "", json(), rid, &texts.new_bodies[i]); !s) return s;
      result.created++;
      ++counted.created;
      result.stored.push_back({first.record_id, first.version, true});
      continue;
    }
    Record r = in;
    int64_t version = select_record_.col_int(0);
    std::string old_digest = select_record_.col_text(1);
    std::string status = select_record_.col_text(2);
    select_record_.reset();
    const Resend judged = judge_resend(status, in.status, old_digest == digest);
    if (judged.outcome == Resend::Outcome::Unchanged) {
      result.unchanged++;
      continue;
    }
    r.version = version + 1;
    r.status = judged.status;  // a re-send that states no status keeps the stored one (a repair stays)
    r.updated_at = now;
    if (judged.outcome == Resend::Outcome::StatusChange) {
      // The department's own lifecycle change: audited, pushed and routed by
      // the catalog like a platform's.
      json event = {{"type", "status_changed"},
                    {"change_type", "department"},
                    {"from", status},
                    {"to", judged.status},
                    {"at", now}};
      if (auto s = write(r, digest, by, now, false, "status:" + judged.status, event); !s) return s;
    } else if (auto s = write(r, digest, by, now, false); !s) {
      return s;
    }
    result.updated++;
    ++counted.changed;
    result.stored.push_back({r.record_id, r.version, false});
  }
  Tally tally;
  for (const auto& c : counts) {
    tally[{batch.origin == "local" ? "received" : "pulled", *c.department, *c.kind, ""}] += c.received;
    if (c.created) tally[{"created", *c.department, *c.kind, ""}] += c.created;
    if (c.changed) tally[{"changed", *c.department, *c.kind, ""}] += c.changed;
  }
  for (size_t i = 0; i < batch.quarantined.size(); ++i) {
    auto added = quarantine_.add(batch, batch.quarantined[i], texts.quarantine_entries[i],
                                 texts.quarantine_fingerprints[i], now);
    if (!added.ok()) return added.error();
    ++(*added ? result.quarantined : result.quarantine_duplicates);
    const QuarantineEntry& q = batch.quarantined[i];
    if (*added) ++tally[{"quarantined:" + q.rule, q.department, q.kind, ""}];
  }
  if (batch.failure) {
    auto added = quarantine_.add_refused_unit(batch, now);
    if (!added.ok()) return added.error();
    ++(*added ? result.quarantined : result.quarantine_duplicates);
    if (*added) ++tally[{"quarantined:" + batch.failure->code, batch.failure_department, "", ""}];
  }
  return statistics_.add(now.substr(0, 10), tally);
}

// The records row of a new record, whose id the caller has looked up in this
// transaction and not found; `rid` is the row's.
Status SqliteRecords::insert_record(const Record& r, const std::string& digest, const std::string& origin,
                                    const std::string& now, int64_t& rid) {
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
  if (const auto* rep = legal_rep_id(r))
    insert_record_.bind_static(11, *rep);
  else
    insert_record_.bind_null(11);
  auto ran = insert_record_.run();
  const int64_t last = c_.db().last_insert_id();
  insert_record_.reset();
  if (!ran) return ran;
  rid = last;
  return {};
}

// `created`: a new record; its records row is inserted here unless the
// caller did (`new_rid`). `digest`: of the department's content; empty keeps
// the stored one. `made_body`: the record's JSON text when the caller has it
// made. The version's audit entry, outbox entries and feedback items
// are written with it.
Status SqliteRecords::write(const Record& r, const std::string& digest, const Writer& by, const std::string& now,
                            bool created, const std::string& cause, const json& event, int64_t new_rid,
                            const std::string* made_body) {
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
    if (auto st = insert_record(r, digest, by.origin, now, rid); !st) return st;
  } else if (!created) {
    update_record_.reset()
        .bind(1, r.version)
        .bind(2, r.status)
        .bind_opt(3, s.uscc)
        .bind_opt(4, s.id_number)
        .bind(6, now)
        .bind(7, r.record_id);
    if (const auto* rep = legal_rep_id(r))
      update_record_.bind(8, *rep);
    else
      update_record_.bind_null(8);
    if (digest.empty())  // a version made by a rule: the department's digest stays
      update_record_.bind_null(5);
    else
      update_record_.bind(5, digest);
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
  if (auto st = publicity_.keep(r, rid, by.origin); !st) return st;
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
  if (auto st = audit_.write(now, by.actor, action, r.record_id, r.version, by.source, detail, rid); !st) return st;
  if (auto st = outbox_.enqueue(r, rid, by.origin, by.arrived_ms); !st) return st;
  return feedback_.enqueue(r, event, created, by.origin, now);
}

}  // namespace cg::store::sqlite_store
