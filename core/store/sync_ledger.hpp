// The sync ledger port: what the two-way sync with a platform has seen. Its
// change feed's cursor, each change applied (so that none is applied twice),
// and the objections the platform opened and resolved. The rules that turn a
// change into record versions are core/sync's (apply_changes.hpp).
#pragma once

#include <optional>
#include <string>

#include "common/result.hpp"

namespace cg::store {

struct AppliedChange {
  std::string change_id, source, type, record_id, outcome;
  int64_t version = 0;  // 0: the change wrote none
};

class SyncLedger {
 public:
  virtual ~SyncLedger() = default;

  virtual Result<std::optional<std::string>> cursor(const std::string& source) = 0;
  virtual Status save_cursor(const std::string& source, const std::string& cursor) = 0;
  virtual Result<bool> applied(const std::string& change_id) = 0;
  virtual Status mark_applied(const AppliedChange& change) = 0;
  // An objection opened on a record (again: kept as first opened).
  virtual Status open_objection(const std::string& record_id, const std::string& objection_id,
                                const std::string& opened_at) = 0;
  // Closes an objection; returns when it was opened (none: never seen opened).
  virtual Result<std::optional<std::string>> resolve_objection(const std::string& record_id,
                                                               const std::string& objection_id,
                                                               const std::string& resolved_at,
                                                               const std::string& outcome) = 0;
};

}  // namespace cg::store
