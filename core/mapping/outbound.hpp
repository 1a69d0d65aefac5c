// Outbound mappings (mappings/<department>/*.out.json): a record version and
// its event, rendered in the department's own format and encoding for the
// feedback it receives (docs/mappings.md, "Feedback to departments").
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace cg::mapping {

struct OutboundField {
  std::string name;                // element or member name
  std::vector<std::string> paths;  // "subject.uscc|subject.id_number": the first with a value
  std::string constant;
  std::map<std::string, std::string> map;  // value -> department code
};

struct OutboundSpec {
  std::string file, name, department;
  int revision = 1;
  std::string format = "xml";  // xml | json
  std::string encoding = "utf-8";
  std::string root = "FEEDBACK", record = "RECORD", file_prefix = "feedback";
  std::vector<OutboundField> fields;
  [[nodiscard]] std::string id() const { return name + "@" + std::to_string(revision); }
};

Result<OutboundSpec> load_outbound(const std::string& path);

struct Rendered {
  std::string data;
  std::string file_name;
};
// `record` is the canonical record JSON; `event` the feedback event.
Result<Rendered> render(const OutboundSpec& spec, const nlohmann::json& record, const nlohmann::json& event,
                        int64_t feedback_id);
// Without an outbound mapping: {"event": ..., "record": ...} as UTF-8 JSON.
Rendered render_default(const nlohmann::json& record, const nlohmann::json& event, int64_t feedback_id);

// Every *.out.json under a folder, by department.
std::map<std::string, OutboundSpec> load_outbound_dir(const std::string& dir, std::vector<Error>& problems);

}  // namespace cg::mapping
