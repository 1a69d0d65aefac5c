#include "record/resend.hpp"

namespace cg {

bool is_final_status(const std::string& status) {
  return status == "repaired" || status == "revoked" || status == "expired";
}

bool states_status(const std::string& sent_status) {
  return is_final_status(sent_status);
}

Resend judge_resend(const std::string& stored_status, const std::string& sent_status, bool same_content) {
  if (is_final_status(stored_status)) return {};
  if (states_status(sent_status) && sent_status != stored_status) return {Resend::Outcome::StatusChange, sent_status};
  if (same_content) return {};
  return {Resend::Outcome::ContentChange, stored_status};
}

}  // namespace cg
