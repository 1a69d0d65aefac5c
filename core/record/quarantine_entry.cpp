#include "record/quarantine_entry.hpp"

namespace cg {

using nlohmann::json;

json to_json(const QuarantineEntry& e) {
  json v = json::array();
  for (const auto& x : e.violations) v.push_back({{"rule", x.rule}, {"field", x.field}, {"message", x.message}});
  json j = {
      {"rule", e.rule},
      {"field", e.field},
      {"message", e.message},
      {"violations", v},
      {"source", {{"file", e.location.file}, {"record_index", e.location.record_index}, {"path", e.location.path}}},
      {"raw", e.raw},
      {"raw_format", e.raw_format},
      {"mapping", e.mapping},
      {"department", e.department},
      {"kind", e.kind},
      {"record_spec", e.record_spec},
  };
  if (e.location.line) j["source"]["line"] = e.location.line;
  if (!e.record_id.empty()) j["record_id"] = e.record_id;
  if (!e.source_key.empty()) j["source_key"] = e.source_key;
  if (!e.decided_on.empty()) j["decided_on"] = e.decided_on;
  if (!e.quarantined_at.empty()) j["quarantined_at"] = e.quarantined_at;
  return j;
}

Result<QuarantineEntry> quarantine_from_json(const json& j) {
  try {
    QuarantineEntry e;
    e.rule = j.at("rule").get<std::string>();
    e.field = j.value("field", "");
    e.message = j.value("message", "");
    for (const auto& v : j.value("violations", json::array()))
      e.violations.push_back({v.value("rule", ""), v.value("field", ""), v.value("message", "")});
    const auto& s = j.at("source");
    e.location.file = s.value("file", "");
    e.location.record_index = s.value("record_index", size_t{0});
    e.location.line = s.value("line", size_t{0});
    e.location.path = s.value("path", "");
    e.raw = j.at("raw").get<std::string>();
    e.raw_format = j.at("raw_format").get<std::string>();
    e.mapping = j.value("mapping", "");
    e.department = j.value("department", "");
    e.kind = j.value("kind", "");
    e.record_spec = j.value("record_spec", size_t{0});
    e.record_id = j.value("record_id", "");
    e.source_key = j.value("source_key", "");
    e.decided_on = j.value("decided_on", "");
    e.quarantined_at = j.value("quarantined_at", "");
    return e;
  } catch (const json::exception& ex) {
    return make_error("bad_quarantine_entry", std::string("not a quarantine entry: ") + ex.what());
  }
}

json to_json(const FileFailure& f) {
  json j = {{"rule", f.code}, {"message", f.message}, {"source", {{"file", f.file}, {"byte_offset", f.byte_offset}}}};
  if (f.line) j["source"]["line"] = f.line;
  return j;
}

}  // namespace cg
