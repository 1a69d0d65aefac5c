#include "sync/apply_changes.hpp"

#include "common/clock.hpp"
#include "lifecycle/lifecycle.hpp"
#include "record/validator.hpp"

namespace cg::sync {

using nlohmann::json;

namespace {

// One page's changes, applied in the caller's transaction.
class PageApplier {
 public:
  PageApplier(store::Store& s, const std::string& source, const std::string& actor)
      : s_(s), source_(source), actor_(actor), origin_("platform:" + source), now_(now_rfc3339_cst()) {}

  Status apply(const json& raw) {
    const std::string id = raw.is_object() ? raw.value("change_id", "") : "";
    if (!id.empty()) {
      auto seen = s_.sync().applied(id);
      if (!seen.ok()) return seen.error();
      if (*seen) {
        bump("repeated");
        return {};  // applied (or kept waiting) before: at most once
      }
    }
    return apply_unseen(raw);
  }

  // The changes kept for records now held, in the order they came.
  Status apply_waiting() {
    store::SyncLedger::WaitingFilter f;
    f.source = source_;
    f.held_only = true;
    return apply_kept(f);
  }

  [[nodiscard]] json result() const { return json{{"counts", counts_}, {"changes", outcomes_}}; }

 private:
  Status apply_unseen(const json& raw) {
    const std::string id = raw.is_object() ? raw.value("change_id", "") : "";
    const std::string type = raw.is_object() ? raw.value("type", "") : "";
    auto c = lifecycle::parse_change(raw);
    if (!c.ok()) return finish(id, type, "invalid", "invalid: " + c.error().message, "", 0);
    json event = {{"type", c->type == "record_upsert" ? "record_upsert" : "status_changed"},
                  {"change_id", c->change_id},
                  {"change_type", c->type},
                  {"at", c->at}};
    if (c->type == "record_upsert") return upsert(*c, event);
    return transition(*c, event);
  }

  // The kept changes `f` lists, each once, in the order they came: taken
  // out of the waiting ones, then applied (their own applying does not look
  // for kept changes again, which would take later ones first).
  Status apply_kept(const store::SyncLedger::WaitingFilter& f) {
    if (applying_kept_) return {};
    auto kept = s_.sync().waiting(f);
    if (!kept.ok()) return kept.error();
    applying_kept_ = true;
    struct Reset {
      bool& flag;
      ~Reset() { flag = false; }
    } reset{applying_kept_};
    for (const auto& w : *kept) {
      if (auto st = s_.sync().drop_waiting(w.change_id); !st) return st;
      if (auto st = apply_unseen(json::parse(w.change, nullptr, false)); !st) return st;
    }
    return {};
  }

  // The changes kept for `record_id`, before a newer one about it.
  Status flush_waiting(const std::string& record_id) {
    store::SyncLedger::WaitingFilter f;
    f.record_id = record_id;
    return apply_kept(f);
  }

  // A record from another region: stored when newer than the one held.
  Status upsert(const lifecycle::Change& c, const json& event) {
    auto rec = record_from_json(c.record);
    std::vector<Violation> v;
    if (rec.ok()) v = validate_record(*rec);
    if (!rec.ok() || !v.empty()) {
      std::string why = rec.ok() ? v[0].rule + " " + v[0].field : rec.error().to_string();
      return finish(c.change_id, c.type, "invalid", "invalid record: " + why, c.record_id, 0);
    }
    auto have = s_.records().get(rec->record_id);
    if (!have.ok()) return have.error();
    if (*have && (*have)->record.version >= rec->version)
      return finish(c.change_id, c.type, "no_change",
                    "not newer than version " + std::to_string((*have)->record.version), rec->record_id, rec->version);
    store::VersionWrite w{actor_, c.change_id, origin_, "upsert:" + source_, event, !*have};
    if (auto s = s_.records().write_version(*rec, w); !s) return s;
    if (auto s = finish(c.change_id, c.type, "applied", *have ? "updated from " + source_ : "stored from " + source_,
                        rec->record_id, rec->version);
        !s)
      return s;
    return *have ? Status{} : flush_waiting(rec->record_id);  // changes that came before their record
  }

  // A lifecycle change of a record held here.
  Status transition(const lifecycle::Change& c, json event) {
    auto have = s_.records().get(c.record_id);
    if (!have.ok()) return have.error();
    if (!*have) {  // kept until the record arrives, then applied in the order they came
      store::WaitingChange w{0, c.change_id, source_, c.type, c.record_id, c.raw.dump(), now_};
      if (auto s = s_.sync().keep_waiting(w); !s) return s;
      return finish(c.change_id, c.type, "waiting", store::kWaitingOutcome, c.record_id, 0);
    }
    if (auto s = flush_waiting(c.record_id); !s) return s;
    have = s_.records().get(c.record_id);  // as the kept changes left it
    if (!have.ok()) return have.error();
    std::optional<std::string> opened_at;
    if (c.type == "objection_opened") {
      if (auto s = s_.sync().open_objection(c.record_id, c.objection_id, c.at); !s) return s;
    } else if (c.type == "objection_resolved") {
      auto opened = s_.sync().resolve_objection(c.record_id, c.objection_id, c.at, c.outcome);
      if (!opened.ok()) return opened.error();
      opened_at = *opened;
    }
    const Record& cur = (*have)->record;
    auto t = lifecycle::apply_change(cur, c, opened_at, now_);
    if (!t.ok()) return finish(c.change_id, c.type, "invalid", "invalid: " + t.error().message, c.record_id, 0);
    if (!t->changed) return finish(c.change_id, c.type, "no_change", t->note, c.record_id, cur.version);
    event["from"] = cur.status;
    event["to"] = t->next.status;
    if (c.type == "objection_resolved") event["outcome"] = c.outcome;
    store::VersionWrite w{actor_, c.change_id, (*have)->origin, "status:" + t->next.status, event, false};
    if (auto s = s_.records().write_version(t->next, w); !s) return s;
    return finish(c.change_id, c.type, "applied", t->note, c.record_id, t->next.version);
  }

  void bump(const char* kind) { counts_[kind] = counts_[kind].get<int64_t>() + 1; }

  // The change's outcome counted, listed, and (when it has an id) kept in the
  // ledger and audited.
  Status finish(const std::string& id, const std::string& type, const char* kind, const std::string& outcome,
                const std::string& record_id, int64_t version) {
    bump(kind);
    outcomes_.push_back({{"change_id", id}, {"outcome", outcome}, {"record_id", record_id}, {"version", version}});
    if (id.empty()) return {};
    if (auto s = s_.sync().mark_applied({id, source_, type, record_id, outcome, version}); !s) return s;
    return s_.audit().append(store::AuditEntry{actor_, "sync.change", record_id, version, origin_,
                                               json{{"change_id", id}, {"type", type}, {"outcome", outcome}}});
  }

  store::Store& s_;
  const std::string& source_;
  const std::string& actor_;
  const std::string origin_;
  const std::string now_;
  json outcomes_ = json::array();
  bool applying_kept_ = false;
  json counts_ = {{"applied", 0}, {"repeated", 0}, {"no_change", 0}, {"invalid", 0}, {"waiting", 0}};
};

}  // namespace

Result<json> apply_changes(store::Store& store, const std::string& source, const json& changes,
                           const std::string& next_cursor, const std::string& actor) {
  return store.transact([&](store::Store& s) -> Result<json> {
    PageApplier page(s, source, actor);
    if (auto st = page.apply_waiting(); !st) return st.error();  // records that arrived since
    for (const auto& raw : changes)
      if (auto st = page.apply(raw); !st) return st.error();
    if (!next_cursor.empty())
      if (auto st = s.sync().save_cursor(source, next_cursor); !st) return st.error();
    return page.result();
  });
}

}  // namespace cg::sync
