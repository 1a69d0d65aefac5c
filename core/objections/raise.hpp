// Raising an objection on a record (platform-api.md §8): a department
// through its API, an operator through the admin API or the CLI. The
// objection is kept before the answer; the sync job sends it to the
// provincial platform.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "store/store.hpp"

namespace cg::objections {

struct RaiseCall {
  std::string raised_by;  // the department, or "operator"
  std::string actor;      // department:<dept>/<token name>, operator:<name>
  std::string today;      // YYYY-MM-DD (CST): raised_on
  // A department objects only to a record it was sent an item for (it found
  // the record wrong while applying a measure); an operator to any record.
  bool must_hold_item = false;
};

// `body`: {"record_id", "reason", "version"?} (the version objected to; the
// current one when absent). Answers {"objection_id", "record_id", "version",
// "state", "duplicate"}. Errors: "bad_request" (naming the field),
// "unknown_record", "unknown_version", "not_sent" (must_hold_item, and the
// department holds no item for the record), "conflict" (this raiser's
// objection to that version is held with another reason), or the store's.
Result<nlohmann::json> raise_objection(store::Store& store, const RaiseCall& call, std::string_view body);

// The HTTP status of raise_objection's error codes.
int http_status_of(const std::string& code);

}  // namespace cg::objections
