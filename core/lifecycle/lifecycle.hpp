// The credit lifecycle rules: what a platform change (信用修复, 异议, 撤销, a
// corrected record) or the passing of time does to a record.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "common/result.hpp"
#include "record/record.hpp"

namespace cg::lifecycle {

struct Change {
  std::string change_id, type, at, record_id;
  std::string objection_id, outcome, reason, repaired_on;
  nlohmann::json record;     // record_upsert, objection_resolved/corrected
  nlohmann::json authority;  // repair
  nlohmann::json raw;
};

// Checks a change of GET /api/v1/changes (docs/platform-api.md §4).
Result<Change> parse_change(const nlohmann::json& j);

struct Transition {
  bool changed = false;
  Record next;       // version + 1 when changed
  std::string note;  // why nothing changed, or what did
};

// Applies a lifecycle change to the stored record. `objection_opened_at` is
// the instant the open objection began (for a rejected objection, whose
// valid_until moves later by exactly the time spent suspended).
Result<Transition> apply_change(const Record& current, const Change& c,
                                const std::optional<std::string>& objection_opened_at, const std::string& now);

// The daily expiry: an active record whose valid_until or publish_until is
// before `today` (YYYY-MM-DD) becomes expired.
std::optional<Record> expire(const Record& current, const std::string& today, const std::string& now);

// Whole days between the CST dates of two RFC 3339 instants (b - a).
int64_t days_between(const std::string& a_instant, const std::string& b_instant);
std::string add_days(const std::string& date, int64_t days);

}  // namespace cg::lifecycle
