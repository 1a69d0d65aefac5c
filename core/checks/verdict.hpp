// One subject's answer (department-api.md §2; catalog.md, "When a measure
// applies to a record"): the subject's records, and those of the subjects
// it represents, read against the measures of one scenario on one day.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "catalog/catalog.hpp"
#include "checks/check_request.hpp"
#include "store/records.hpp"

namespace cg::checks {

struct SubjectRecords {
  std::vector<store::StoredRecord> own;          // the subject's records
  std::vector<store::StoredRecord> represented;  // records whose legal representative the subject is
};

// {"subject", "verdict", "hits"} (or "reason" for an invalid subject). A hit:
// an active record in its period that triggers a measure of the scenario
// (with those measures), or a suspended one that would (measures [],
// held). Repaired, revoked and expired records are never hits. Through a
// legal representative only measures with extends_to_legal_representative
// count. Hits carry no personal ID number: the caller's own is in
// `subject`, as it was sent.
nlohmann::json answer_subject(const catalog::Catalog& catalog, const std::string& scenario, const std::string& on,
                              const CheckSubject& subject, const SubjectRecords& records);

// The verdicts from the most to the least severe: restricted, incentive,
// clear, invalid_subject. Of several subjects' verdicts, the check's.
int verdict_rank(const std::string& verdict);
// The verdict of a rank; "" for none (a check of no subject).
std::string verdict_name(int rank);

}  // namespace cg::checks
