// A credit check as a department asks it (department-api.md §2): the
// scenario, why (查询留痕), the day in question and 1 to 1,000 subjects. A
// subject whose code fails its check character stays in the request with the
// reason, to be answered `invalid_subject`; a body that is not a check is an
// error naming its field.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace cg::checks {

inline constexpr size_t kMaxSubjects = 1000;

struct CheckSubject {
  std::optional<std::string> uscc;
  std::optional<std::string> id_type;  // with id_number
  std::optional<std::string> id_number;
  std::optional<std::string> name;
  std::string invalid;  // why the code cannot be a subject's ("" = checked)
};

struct CheckRequest {
  std::string scenario;
  std::string purpose;
  std::string case_ref;
  std::string on;  // YYYY-MM-DD
  std::vector<CheckSubject> subjects;
};

// `today`: the default for `on` (YYYY-MM-DD, CST). Errors: "bad_request"
// with the field ("subjects/3/uscc").
Result<CheckRequest> parse_check_request(std::string_view body, const std::string& today);

// One subject from its codes as given (the CLI's --uscc, --id-number): the
// same normalising and check-character rules as the API.
CheckSubject make_check_subject(std::optional<std::string> uscc, std::optional<std::string> id_type,
                                std::optional<std::string> id_number, std::optional<std::string> name);

}  // namespace cg::checks
