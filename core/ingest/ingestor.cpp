#include "ingest/ingestor.hpp"

#include <chrono>

#include "common/log.hpp"
#include "common/mask.hpp"
#include "common/text.hpp"
#include "store/sqlite/health.hpp"

namespace cg::ingest {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {
int64_t ms_since(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
}
// A commit that threw is a commit that failed: the units stay at their sources.
template <typename F>
auto guarded_commit(F&& commit) -> decltype(commit()) {
  try {
    return commit();
  } catch (const std::exception& e) {
    return make_error("store", mask_ids_in_text(text::valid_utf8(e.what())));
  } catch (...) {
    return make_error("store", "unknown error");
  }
}

}  // namespace

Prepared Ingestor::prepare(const Unit& unit, std::string_view bytes) const {
  // What the mapper did not foresee refuses the unit, which is kept whole in
  // quarantine: an exception here would end the gateway.
  try {
    return prepare_unguarded(unit, bytes);
  } catch (const std::exception& e) {
    return refused(unit, bytes, mask_ids_in_text(text::valid_utf8(e.what())));
  } catch (...) {
    return refused(unit, bytes, "unknown error");
  }
}

Prepared Ingestor::refused(const Unit& unit, std::string_view bytes, const std::string& why) const {
  Prepared p;
  p.unit = unit;
  p.label = unit.origin.empty() ? unit.source_id : unit.origin;
  const mapping::Mapper* mapper = mappings_.find(unit.feed);
  p.department = mapper ? mapper->spec().department : unit.department;
  p.feed_id = mapper ? mapper->spec().id() : unit.feed;
  p.batch.actor = unit.actor;
  p.batch.source = p.label;
  p.batch.arrived_ms = unit.arrived_ms;
  p.batch.failure = FileFailure{p.label, "unreadable", "the unit could not be mapped: " + why, 0, 0};
  p.batch.failure_raw = bytes.size() <= raw_limit_ ? std::string(bytes) : std::string();
  p.batch.failure_mapping = p.feed_id;
  p.batch.failure_department = p.department;
  log::error("ingest", "unit refused: it could not be mapped",
             {{"feed", unit.feed}, {"source", p.label}, {"error", why}});
  return p;
}

Prepared Ingestor::prepare_unguarded(const Unit& unit, std::string_view bytes) const {
  Prepared p;
  p.unit = unit;
  if (unit.feed == CG_FEED_EXECUTION_FEEDBACK) {
    p.label = unit.origin.empty() ? unit.source_id : unit.origin;
    p.department = unit.department;
    p.feed_id = unit.feed;
    p.feedback = true;
    p.feedback_body = std::string(bytes);
    return p;
  }
  const mapping::Mapper* mapper = mappings_.find(unit.feed);
  if (!mapper) {
    p.answered = true;
    p.early.status = CG_ACK_FAILED;
    p.early.result = {{"error", "no mapping named '" + unit.feed + "' is loaded"}};
    log::error("ingest", "unit for an unknown feed kept at its source", {{"feed", unit.feed}, {"source", unit.origin}});
    return p;
  }
  if (!unit.department.empty() && mapper->spec().department != unit.department) {
    // Refused for good, not kept for a retry: sending it again cannot help.
    p.answered = true;
    p.early.status = CG_ACK_REJECTED;
    const std::string why = "a plugin of department '" + unit.department + "' may not submit feed '" + unit.feed +
                            "' of department '" + mapper->spec().department + "'";
    p.early.result = {{"error", {{"code", "wrong_department"}, {"message", why}}}};
    log::error("ingest", "unit refused: " + why, {{"feed", unit.feed}, {"actor", unit.actor}, {"source", unit.origin}});
    return p;
  }
  p.label = unit.origin.empty() ? unit.source_id : unit.origin;
  p.department = mapper->spec().department;
  p.feed_id = mapper->spec().id();
  const auto t0 = Clock::now();
  auto out = mapper->map_bytes(bytes, p.label);
  p.map_ms = ms_since(t0);

  store::IngestBatch& batch = p.batch;
  batch.actor = unit.actor;
  batch.source = p.label;
  batch.arrived_ms = unit.arrived_ms;
  if (out.failure) {
    batch.failure = out.failure;
    batch.failure_raw = bytes.size() <= raw_limit_ ? std::string(bytes) : std::string();
    batch.failure_mapping = p.feed_id;
    batch.failure_department = p.department;
  } else {
    batch.records = std::move(out.records);
    batch.quarantined = std::move(out.quarantined);
    batch.texts = store::make_texts(batch.records, batch.quarantined);  // here, not on the store's writer thread
  }
  return p;
}

std::vector<Ack> Ingestor::commit(store::Store& store, std::vector<Prepared>& units) const {
  std::vector<Ack> acks(units.size());
  std::vector<const store::IngestBatch*> group;
  std::vector<size_t> index;
  for (size_t i = 0; i < units.size(); ++i) {
    if (units[i].answered) {
      acks[i] = units[i].early;
    } else if (units[i].feedback) {
      acks[i] = take_feedback(store, units[i]);
    } else {
      group.push_back(&units[i].batch);
      index.push_back(i);
    }
  }
  if (group.empty()) return acks;
  if (auto corrupt = store::corruption_seen()) {  // nothing is acknowledged into a corrupt store
    for (size_t k : index)
      acks[k] = answer(units[k], make_error("store_corrupt", "the store is corrupt: " + *corrupt), 0);
    return acks;
  }
  const auto t0 = Clock::now();
  auto all = guarded_commit([&] { return store.records().ingest_group(group); });
  if (all.ok()) {
    int64_t ms = ms_since(t0);
    for (size_t k = 0; k < index.size(); ++k) acks[index[k]] = answer(units[index[k]], (*all)[k], ms);
    return acks;
  }
  if (group.size() > 1)
    log::warn("ingest", "a group commit failed; committing its units one by one",
              {{"units", group.size()}, {"error", all.error().message}});
  for (size_t k = 0; k < index.size(); ++k) {
    const auto t1 = Clock::now();
    auto one = group.size() > 1 ? guarded_commit([&] { return store.records().ingest(*group[k]); })
                                : Result<store::IngestResult>(all.error());
    acks[index[k]] = answer(units[index[k]], one, ms_since(t1));
  }
  return acks;
}

// Execution feedback passed on by an adapter: taken as the department API
// takes it, for the plugin's own department; committed before the ack.
Ack Ingestor::take_feedback(store::Store& store, const Prepared& p) const {
  Ack ack;
  if (!feedback_ || p.department.empty()) {
    ack.status = CG_ACK_REJECTED;
    const std::string why =
        feedback_ ? "execution feedback needs the plugin's department" : "this gateway takes no execution feedback";
    ack.result = {{"error", {{"code", "feedback_refused"}, {"message", why}}}};
    log::error("ingest", "execution feedback refused: " + why, {{"actor", p.unit.actor}, {"source", p.label}});
    return ack;
  }
  auto taken = guarded_commit([&] { return feedback_(store, p.department, p.unit.actor, p.feedback_body); });
  if (!taken.ok()) {
    const Error& e = taken.error();
    const bool refused = e.code == "bad_request";  // the body itself: sending it again cannot help
    ack.status = refused ? CG_ACK_REJECTED : CG_ACK_FAILED;
    ack.result = {{"error", {{"code", refused ? "bad_request" : "store"}, {"message", e.message}, {"where", e.where}}}};
    log::error("ingest",
               refused ? "execution feedback refused" : "execution feedback not stored; it stays at its source",
               {{"department", p.department}, {"source", p.label}, {"error", e.message}});
    return ack;
  }
  size_t accepted = 0;
  for (const auto& r : (*taken)["results"]) accepted += r.value("status", "") == "accepted";
  log::info("ingest", "execution feedback taken",
            {{"department", p.department},
             {"source", p.label},
             {"accepted", accepted},
             {"entries", (*taken)["results"].size()}});
  ack.result = std::move(*taken);
  return ack;
}

Ack Ingestor::answer(const Prepared& p, const Result<store::IngestResult>& committed, int64_t commit_ms) const {
  Ack ack;
  const auto& batch = p.batch;
  if (!committed.ok()) {
    ack.status = CG_ACK_FAILED;
    ack.result = {{"error", "store: " + committed.error().message}};
    log::error("ingest", "store commit failed; the unit stays at its source",
               {{"feed", p.unit.feed}, {"source", p.label}, {"error", committed.error().message}});
    return ack;
  }
  const auto& r = *committed;
  json records = json::array();
  for (const auto& s : r.stored) records.push_back({{"record_id", s.record_id}, {"version", s.version}});
  json quarantined = json::array();
  for (const auto& q : batch.quarantined)
    quarantined.push_back({{"record_index", q.location.record_index},
                           {"rule", q.rule},
                           {"field", q.field},
                           {"message", q.message},
                           {"record_id", q.record_id}});
  ack.result = {{"accepted", r.created + r.updated}, {"created", r.created}, {"updated", r.updated},
                {"unchanged", r.unchanged},          {"records", records},   {"quarantined", quarantined}};
  if (batch.failure) {
    ack.status = CG_ACK_REJECTED;
    ack.result["error"] = {{"code", batch.failure->code},
                           {"message", batch.failure->message},
                           {"byte_offset", batch.failure->byte_offset},
                           {"line", batch.failure->line}};
    log::warn("ingest", "unit refused and kept in quarantine",
              {{"department", p.department},
               {"feed", p.unit.feed},
               {"source", p.label},
               {"rule", batch.failure->code},
               {"error", batch.failure->message}});
  } else {
    log::info("ingest", "unit committed",
              {{"department", p.department},
               {"feed", p.unit.feed},
               {"source", p.label},
               {"created", r.created},
               {"updated", r.updated},
               {"unchanged", r.unchanged},
               {"quarantined", batch.quarantined.size()},
               {"map_ms", p.map_ms},
               {"commit_ms", commit_ms}});
  }
  return ack;
}

}  // namespace cg::ingest
