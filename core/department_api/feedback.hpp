// POST /api/v1/feedback (department-api.md §5): what a department did with
// the measures of its items. Each entry is checked on its own (an entry that
// is refused names its field and does not hold back the others); the
// accepted ones are committed, with their relay to the platforms, before the
// answer.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "store/store.hpp"

namespace cg::department_api {

struct FeedbackCall {
  std::string department;
  std::string actor;                      // department:<dept>/<token name>
  std::vector<std::string> destinations;  // the platforms that take feedback
  store::OutboxRouter router;             // where records go (delivery/routing.hpp)
  std::string today;                      // YYYY-MM-DD (CST): no report is dated after it
};

// {"results": [{"index", "status": accepted|duplicate|rejected, "feedback_id", "error"}]},
// or an error for a body that is not {"feedback": [1 to 1,000 entries]}.
Result<nlohmann::json> take_feedback(store::Store& store, const FeedbackCall& call, std::string_view body);

// The id of a report: the same department, item, measure and action give the
// same id, so that a report sent twice is held once.
std::string feedback_id(const std::string& department, int64_t item_id, const std::string& measure_id,
                        const std::string& action);
// The id of a report on a check's hit: one per department, check, subject,
// measure and action.
std::string check_feedback_id(const std::string& department, const std::string& check_id, int64_t subject_index,
                              const std::string& measure_id, const std::string& action);

}  // namespace cg::department_api
