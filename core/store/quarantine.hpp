// The quarantine port: records and units that could not be stored, kept with
// their rule, field and place for an operator to fix and replay. Entries are
// added by Records::ingest, in the transaction of the batch they came with.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace cg::store {

struct QuarantineFilter {
  std::optional<int64_t> id;
  std::string status = "open";  // open | replayed | all
  std::string department;
  std::string mapping;  // name (any revision) or name@revision
  std::string rule;
  size_t limit = 1000;
};

struct QuarantineRow {
  int64_t id = 0;
  std::string created_at;
  std::string status;
  nlohmann::json entry;  // QuarantineEntry or FileFailure as JSON
  std::string raw;       // bytes of a refused unit (file-level entries)
  bool file_level = false;
};

class Quarantine {
 public:
  virtual ~Quarantine() = default;

  virtual Result<std::vector<QuarantineRow>> list(const QuarantineFilter& filter) = 0;
  // The open entries by department and rule: [{"department", "rule", "count"}].
  virtual Result<nlohmann::json> counts() = 0;
  // An open entry marked replayed by `actor`, with the ids of the records
  // stored in its place; "not_found" when no open entry has that id.
  virtual Status mark_replayed(int64_t id, const std::string& actor, const std::vector<std::string>& record_ids) = 0;
};

}  // namespace cg::store
