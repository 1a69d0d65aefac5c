// The sync ledger port: what the two-way sync with a platform has seen. Its
// change feed's cursor, each change applied (so that none is applied twice),
// and the objections the platform opened and resolved. The rules that turn a
// change into record versions are core/sync's (apply_changes.hpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace cg::store {

// The outcome of a change kept until its record arrives: the only outcome
// that a later mark_applied replaces.
inline constexpr const char* kWaitingOutcome = "record not held yet: kept until it arrives";

struct AppliedChange {
  std::string change_id, source, type, record_id, outcome;
  int64_t version = 0;  // 0: the change wrote none
};

// A change about a record not held (yet), kept until the record arrives
// (platform-api.md §4).
struct WaitingChange {
  int64_t id = 0;  // the order they came in
  std::string change_id, source, type, record_id;
  std::string change;  // the change as the platform sent it (JSON)
  std::string received_at;
};

class SyncLedger {
 public:
  virtual ~SyncLedger() = default;

  virtual Result<std::optional<std::string>> cursor(const std::string& source) = 0;
  virtual Status save_cursor(const std::string& source, const std::string& cursor) = 0;
  virtual Result<bool> applied(const std::string& change_id) = 0;
  // The change's outcome, once; a change marked kWaitingOutcome gets its
  // final outcome. Marking any other change again is an error.
  virtual Status mark_applied(const AppliedChange& change) = 0;
  // Keeps a change whose record is not held (again: kept as first kept).
  virtual Status keep_waiting(const WaitingChange& change) = 0;
  // The changes kept, in the order they came: of `source` whose record is
  // held now (held_only), of one record (record_id), or all (neither).
  struct WaitingFilter {
    std::string source, record_id;
    bool held_only = false;
    size_t limit = 1000;
  };
  virtual Result<std::vector<WaitingChange>> waiting(const WaitingFilter& filter) = 0;
  virtual Status drop_waiting(const std::string& change_id) = 0;
  virtual Result<int64_t> waiting_count() = 0;
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
