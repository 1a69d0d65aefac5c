// The local objections port (platform-api.md §8): an objection a department
// or an operator raises on a record (主动发现信息不实), kept for good, sent to
// the provincial platform by the sync job, and closed by the platform's
// change feed like an objection raised on its side.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace cg::store {

struct Objection {
  std::string objection_id;  // ob-…: the same raiser, record and version give the same id
  std::string record_id;
  int64_t version = 0;    // the version objected to
  std::string raised_by;  // the department, or "operator"
  std::string actor;      // department:<dept>/<token name>, operator:<name>
  std::string raised_on;  // YYYY-MM-DD (CST)
  std::string reason;
  // pending: not yet answered by the platform; opened: the platform opened
  // it (the record is suspended); refused: the platform holds no such record.
  std::string state = "pending";
  std::string answer;  // the platform's last answer or error
  int64_t attempts = 0;
  std::string created_at, updated_at;  // RFC 3339, set by the store
};

struct ObjectionFilter {
  std::string record_id;  // "" = any
  std::string raised_by;  // "" = any
  std::string state;      // "" = any
  size_t limit = 100;
};

enum class RaiseOutcome {
  Raised,     // stored, to be sent
  Duplicate,  // held already with the same reason
  Conflict,   // held already with another reason: refused
};

class Objections {
 public:
  virtual ~Objections() = default;

  // Keeps a new objection (audited). The same id again is a duplicate or a conflict.
  virtual Result<RaiseOutcome> raise(const Objection& o) = 0;
  virtual Result<std::optional<Objection>> get(const std::string& objection_id) = 0;
  // Newest first.
  virtual Result<std::vector<Objection>> list(const ObjectionFilter& filter) = 0;
  // The platform's answer: `state` opened or refused, or pending again with
  // the error that kept it from an answer (attempts counted). Audited.
  virtual Status answered(const std::string& objection_id, const std::string& state, const std::string& answer) = 0;
  // How many objections are in each state: {"pending": 2, "opened": 5}.
  virtual Result<std::map<std::string, int64_t>> counts() = 0;
};

// The id of an objection: a department that objects twice to one version of
// a record raises one objection.
std::string objection_id(const std::string& raised_by, const std::string& record_id, int64_t version);

}  // namespace cg::store
