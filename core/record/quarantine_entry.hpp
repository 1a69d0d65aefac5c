// A source record that broke a rule: kept whole, with why and where, so that
// it can be corrected and replayed. Never dropped.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "record/validator.hpp"

namespace cg {

struct SourceLocation {
  std::string file;         // file name, or "request <id>" for HTTP/ZeroMQ input
  size_t record_index = 0;  // 0-based, in document order over all record paths
  size_t line = 0;          // 1-based line of the record in the file, 0 when unknown
  std::string path;         // XPath-like or JSON pointer location of the record
};

struct QuarantineEntry {
  std::string rule;                   // the first broken rule (docs/canonical-record.md lists them)
  std::string field;                  // canonical field it concerns
  std::string message;                // human text, personal ID numbers masked
  std::vector<Violation> violations;  // every broken rule
  SourceLocation location;
  std::string raw;         // the source record as received (UTF-8)
  std::string raw_format;  // "xml" or "json"
  std::string mapping;     // name@revision that was applied
  std::string department;
  std::string kind;
  size_t record_spec = 0;  // which of the mapping's record paths
  std::string record_id;   // when the key could be computed
  std::string source_key;
  std::string decided_on;  // decision.decided_on when it was read whole: the 双公示 deadline runs from it
  std::string quarantined_at;
};

nlohmann::json to_json(const QuarantineEntry& e);
Result<QuarantineEntry> quarantine_from_json(const nlohmann::json& j);

// A file that could not be taken at all (not well-formed, wrong encoding,
// too large, hostile). None of its records are taken.
struct FileFailure {
  std::string file;
  std::string code;  // malformed_xml, malformed_json, wrong_encoding, file_too_large, doctype_refused, too_deep, ...
  std::string message;
  size_t byte_offset = 0;
  size_t line = 0;
};

nlohmann::json to_json(const FileFailure& f);

}  // namespace cg
