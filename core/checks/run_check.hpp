// A credit check from request to answer (department-api.md §2): the catalog
// version governing the day in question, each subject's records and those
// of the subjects it represents, the verdicts, and the check kept in the
// store before the answer is given.
#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

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
  std::string check_id, catalog;
  std::vector<std::string> results;  // each subject's answer, as JSON text, in the request's order
  std::string text;                  // the whole answer's JSON text, as kept and to be sent
};

// The answer, kept as store::StoredCheck first. A check of many subjects is
// shared with `helpers`, other connections to the same store, each read on
// a thread of its own (a 1,000-subject check is CPU-bound: pages, record
// bodies, the answer's JSON). Errors: "bad_request" with the field (a
// scenario the governing catalog does not have, a day no catalog governs),
// or the store's.
Result<CheckAnswer> run_check(store::Store& store, const catalog::CatalogHistory& catalogs, const CheckCall& call,
                              const CheckRequest& request, std::span<store::Store* const> helpers = {});

// From how many subjects a check is shared with helpers.
inline constexpr size_t kSharedCheckFrom = 32;

// A kept check as it was answered, with its `department` and `checked_by`
// (GET /api/v1/checks/<id>, on the department and the admin API).
nlohmann::json stored_answer(const store::StoredCheck& check);

}  // namespace cg::checks
