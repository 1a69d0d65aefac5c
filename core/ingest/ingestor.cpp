#include "ingest/ingestor.hpp"

#include <chrono>

#include "common/log.hpp"
#include "common/mask.hpp"

namespace cg::ingest {

using nlohmann::json;

Ack Ingestor::ingest(const Unit& unit, std::string_view bytes) {
  Ack ack;
  const mapping::Mapper* mapper = mappings_.find(unit.feed);
  if (!mapper) {
    ack.status = CG_ACK_FAILED;
    ack.result = {{"error", "no mapping named '" + unit.feed + "' is loaded"}};
    log::error("ingest", "unit for an unknown feed kept at its source", {{"feed", unit.feed}, {"source", unit.origin}});
    return ack;
  }
  if (!unit.department.empty() && mapper->spec().department != unit.department) {
    ack.status = CG_ACK_FAILED;
    ack.result = {{"error", "plugin of department '" + unit.department + "' may not submit feed '" + unit.feed +
                                "' of department '" + mapper->spec().department + "'"}};
    log::error("ingest", ack.result["error"], {{"feed", unit.feed}, {"actor", unit.actor}});
    return ack;
  }
  std::string label = unit.origin.empty() ? unit.source_id : unit.origin;
  using Clock = std::chrono::steady_clock;
  auto ms_since = [](Clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
  };
  const auto t0 = Clock::now();
  auto out = mapper->map_bytes(bytes, label);
  const auto map_ms = ms_since(t0);
  const auto t1 = Clock::now();

  store::IngestBatch batch;
  batch.actor = unit.actor;
  batch.source = label;
  if (out.failure) {
    batch.failure = out.failure;
    batch.failure_raw = bytes.size() <= raw_limit_ ? std::string(bytes) : std::string();
    batch.failure_mapping = mapper->spec().id();
    batch.failure_department = mapper->spec().department;
  } else {
    batch.records = std::move(out.records);
    batch.quarantined = std::move(out.quarantined);
  }
  auto committed = store_.ingest(batch);
  const auto commit_ms = ms_since(t1);
  if (!committed.ok()) {
    ack.status = CG_ACK_FAILED;
    ack.result = {{"error", "store: " + committed.error().message}};
    log::error("ingest", "store commit failed; the unit stays at its source",
               {{"feed", unit.feed}, {"source", label}, {"error", committed.error().message}});
    return ack;
  }
  const auto& r = *committed;
  json records = json::array();
  for (const auto& s : r.stored) records.push_back({{"record_id", s.record_id}, {"version", s.version}});
  json quarantined = json::array();
  for (const auto& q : batch.quarantined)
    quarantined.push_back({{"record_index", q.location.record_index}, {"rule", q.rule}, {"field", q.field},
                           {"message", q.message}, {"record_id", q.record_id}});
  ack.result = {{"accepted", r.created + r.updated}, {"created", r.created}, {"updated", r.updated},
                {"unchanged", r.unchanged}, {"records", records}, {"quarantined", quarantined}};
  if (out.failure) {
    ack.status = CG_ACK_REJECTED;
    ack.result["error"] = {{"code", out.failure->code}, {"message", out.failure->message},
                           {"byte_offset", out.failure->byte_offset}, {"line", out.failure->line}};
    log::warn("ingest", "unit refused and kept in quarantine",
              {{"department", mapper->spec().department}, {"feed", unit.feed}, {"source", label},
               {"rule", out.failure->code}, {"error", out.failure->message}});
  } else {
    log::info("ingest", "unit committed",
              {{"department", mapper->spec().department}, {"feed", unit.feed}, {"source", label},
               {"created", r.created}, {"updated", r.updated},
               {"unchanged", r.unchanged}, {"quarantined", batch.quarantined.size()}, {"map_ms", map_ms},
               {"commit_ms", commit_ms}});
  }
  return ack;
}

}  // namespace cg::ingest
