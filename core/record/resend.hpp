// What a department's re-send does to the record it already sent
// (canonical-record.md 1.1, "Lifecycle changes that a department sends").
#pragma once

#include <string>

namespace cg {

// repaired, revoked and expired: no feed reopens a record in one of them.
bool is_final_status(const std::string& status);

// A record's status as its feed states it: a final status is a statement; any
// other ("active", the default when a mapping sets none) says nothing.
bool states_status(const std::string& sent_status);

struct Resend {
  enum class Outcome {
    Unchanged,      // no new version
    ContentChange,  // version + 1, the stored status kept
    StatusChange,   // version + 1 with the status the feed states
  };
  Outcome outcome = Outcome::Unchanged;
  std::string status;  // the new version's status (ContentChange and StatusChange)
};

// Rules 1 to 4: a stored final record stays as it is; a stated status other
// than the stored one is a new version with it (a suspended record too); a
// re-send that states nothing, or the stored status, is a new version only
// when its content differs.
Resend judge_resend(const std::string& stored_status, const std::string& sent_status, bool same_content);

}  // namespace cg
