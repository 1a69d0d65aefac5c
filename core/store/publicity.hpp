// The 双公示 ledger port: every local licence and penalty (admin_license,
// admin_penalty) with its decision date and when each platform first
// accepted it, kept as records are stored and batches answered; and the
// licences and penalties waiting in quarantine, whose deadline runs all the
// same. The deadline and state are worked out above the store
// (publicity/timeliness.hpp), against the working-day calendar.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/result.hpp"

namespace cg::store {

struct PublicityRow {
  std::string record_id, department, kind, decided_on, document_number;
  std::string accepted_at;                      // the first acceptance by any platform; "" while none
  std::map<std::string, std::string> accepted;  // destination -> its first acceptance
  std::string dead_letter;                      // "destination: code message" of a rejection, when there is one
  int64_t quarantine_id = 0;                    // > 0: held in quarantine, not stored
  std::string quarantine_rule, quarantine_field;
};

struct PublicityFilter {
  std::string department;
  std::string from, to;     // decided_on within [from, to] when set
  bool unaccepted = false;  // only those that no platform has accepted
};

struct PublicityNote {
  std::string record_id, state, department, kind;
};

// A licence's or penalty's first acceptance by any platform, waiting to be
// counted on time or late (the statistics' publicity:on_time / late).
struct FirstAcceptance {
  std::string department, kind, decided_on, accepted_at;
};

class Publicity {
 public:
  virtual ~Publicity() = default;

  // Stored licences and penalties, then quarantined ones (not stored under
  // their record id), each in decided_on order.
  virtual Result<std::vector<PublicityRow>> list(const PublicityFilter& f) = 0;
  // Notes each (record_id, state), audited once as `publicity.noted`: the
  // ones not noted before, to be named in the log once. A first `overdue`
  // is counted (publicity:overdue, by department and kind).
  virtual Result<std::vector<PublicityNote>> note(const std::vector<PublicityNote>& notes, const std::string& actor,
                                                  const std::string& now) = 0;
  // Up to `max` first acceptances not counted yet, each counted as
  // state_of(decided_on, accepted day) says (on_time, late, unknown) on the
  // day it was accepted, in one transaction; how many were counted.
  virtual Result<size_t> count_first_acceptances(
      const std::function<std::string(const std::string& decided_on, const std::string& accepted_on)>& state_of,
      size_t max) = 0;
};

}  // namespace cg::store
