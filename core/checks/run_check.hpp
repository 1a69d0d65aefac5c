// A credit check from request to answer (department-api.md §2): the catalog
// version governing the day in question, each subject's records and those
// of the subjects it represents, the verdicts, and the check kept in the
// store before the answer is given.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "catalog/catalog_history.hpp"
#include "checks/check_request.hpp"
#include "common/result.hpp"
#include "store/store.hpp"

namespace cg::checks {

struct CheckCall {
  std::string department;  // the caller's department, or "operator"
  std::string actor;       // department:<dept>/<token name>, operator:<name>
};

struct CheckAnswer {
  nlohmann::json body;
  std::string text;  // the body's JSON text, as kept and to be sent (made once: 1,000 subjects make a MiB)
};

// The answer, kept as store::StoredCheck first. Errors: "bad_request" with
// the field (a scenario the governing catalog does not have, a day no
// catalog governs), or the store's.
Result<CheckAnswer> run_check(store::Store& store, const catalog::CatalogHistory& catalogs, const CheckCall& call,
                              const CheckRequest& request);

// A kept check as it was answered, with its `department` and `checked_by`
// (GET /api/v1/checks/<id>, on the department and the admin API).
nlohmann::json stored_answer(const store::StoredCheck& check);

}  // namespace cg::checks
