// A platform's answer to a batch, read without trusting its shape: a
// platform that answers 200 with something other than the contract's
// {"results": [{"record_id" | "feedback_id", "status", "error"}...]} gets the batch sent again
// or its records dead-lettered, never an exception in a delivery lane.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.hpp"

namespace cg::delivery {

// One record's result. A member that is absent or not a string is empty,
// except `status`: a status that is not a string is given as its JSON text
// (so that the dead letter says what the platform answered).
struct RecordResult {
  std::string record_id;
  std::string feedback_id;  // of an execution feedback's result
  std::string status;
  std::string error_code;
  std::string error_field;
  std::string error_message;
};

// The results of a 200 answer, in order; nullopt when the body is not a JSON
// object with a "results" array (an element that is not an object gives an
// empty result: its status is "", which the lane treats as unknown).
std::optional<std::vector<RecordResult>> parse_batch_answer(std::string_view body);

// A result's status in the contract's words ("accepted", "duplicate",
// "stale", "rejected"); nullopt for any other.
std::optional<store::DeliveryStatus> delivery_status_from(std::string_view status);

// The {"error": {"code", "message"}} of an error answer; empty strings for
// whatever is absent, not a string, or not JSON at all.
struct ErrorAnswer {
  bool present = false;  // the body has an "error" object
  std::string code;
  std::string message;
};
ErrorAnswer parse_error_answer(std::string_view body);

}  // namespace cg::delivery
