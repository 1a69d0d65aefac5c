// The credit checks port (信用核查, department-api.md §3): every check kept
// with its caller, purpose, case reference, catalog version and the answer
// as it was given, so that a department can prove later that it checked
// (应查必查). Kept before the answer is sent.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "store/statistics.hpp"

namespace cg::store {

struct StoredCheck {
  std::string check_id;    // c-…
  std::string department;  // the caller's department, or "operator"
  std::string actor;       // department:<dept>/<token name>, operator:<name>
  std::string scenario, purpose, case_ref;
  std::string on;       // the day in question (YYYY-MM-DD)
  std::string catalog;  // catalog_id@version that governed `on`
  std::string verdict;  // the most severe of its subjects' (restricted, incentive, clear, invalid_subject)
  int64_t subjects = 0;
  int64_t hits = 0;        // subjects whose verdict is restricted or incentive
  std::string checked_at;  // RFC 3339 (CST)
  std::string answer;      // the answer's JSON text, as sent
};

struct CheckFilter {
  std::string department;  // "" = every department
  std::string from, to;    // checked_at's day, YYYY-MM-DD, inclusive; "" = open
  std::string verdict;     // "" = any
  std::string before_id;   // paging: checks made before this one
  size_t limit = 100;
};

class Checks {
 public:
  virtual ~Checks() = default;

  // Keeps a check, durably.
  virtual Status add(const StoredCheck& check) = 0;
  virtual Result<std::optional<StoredCheck>> get(const std::string& check_id) = 0;
  // Newest first, without their answers.
  virtual Result<std::vector<StoredCheck>> list(const CheckFilter& filter) = 0;
  // The checks as statistics, by the day they were made (and department
  // when grouped by it): `checks:<verdict>` (each check by its most severe
  // verdict), `checked_subjects`, `hit_subjects` (restricted or incentive).
  virtual Result<std::vector<StatisticsRow>> statistics(const StatisticsQuery& q) = 0;
};

}  // namespace cg::store
