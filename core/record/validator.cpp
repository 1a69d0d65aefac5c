#include "record/validator.hpp"

#include <chrono>

#include "common/clock.hpp"
#include "common/mask.hpp"
#include "common/text.hpp"
#include "record/codes.hpp"

namespace cg {

namespace {

int today_cst() {
  std::string d = date_cst(std::chrono::system_clock::now());
  return std::stoi(d.substr(0, 4)) * 10000 + std::stoi(d.substr(5, 2)) * 100 + std::stoi(d.substr(8, 2));
}

bool hex32(const std::string& s) {
  if (s.size() != 32) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

class Checker {
 public:
  Checker(std::vector<Violation>& out, int today) : out_(out), today_(today) {}

  // Field names are literals: nothing is built unless a check fails.
  void fail(std::string_view rule, std::string_view field, const std::string& message) {
    out_.push_back({std::string(rule), std::string(field), mask_ids_in_text(message)});
  }
  void required(bool present, std::string_view field) {
    if (!present) fail("required", field, std::string(field) + " is required");
  }
  void date(const std::optional<std::string>& v, std::string_view field) {
    if (v && !codes::iso_date_valid(*v))
      fail("invalid_date", field, std::string(field) + " '" + *v + "' is not a calendar date YYYY-MM-DD");
  }
  void money(const std::optional<int64_t>& v, std::string_view field) {
    if (v && *v < 0)
      fail("negative_money", field, std::string(field) + " is negative (" + std::to_string(*v) + " fen)");
  }
  void uscc(const std::string& v, std::string_view field) {
    if (!codes::uscc_shape_valid(v)) {
      fail("invalid_uscc", field,
           "'" + v +
               "' is not a 统一社会信用代码: 18 characters of 0-9 and A-Y without I, O, S, V, Z "
               "expected, got " +
               std::to_string(v.size()));
    } else if (!codes::uscc_check_valid(v)) {
      fail("invalid_uscc", field, "'" + v + "' has a wrong check character (GB 32100)");
    } else if (!codes::org_code_check_valid(v.substr(8, 9))) {
      fail("invalid_uscc", field,
           "'" + v + "' embeds organisation code " + v.substr(8, 9) + " whose check character is wrong (GB 11714)");
    }
  }
  void resident_id(const std::string& v, std::string_view field) {
    if (!codes::resident_id_shape_valid(v)) {
      fail("invalid_resident_id", field,
           "resident ID " + mask_id(v) + " must be 17 digits and a digit or X (" + std::to_string(v.size()) +
               " characters given)");
    } else if (!codes::resident_id_check_valid(v)) {
      fail("invalid_resident_id", field,
           "resident ID " + mask_id(v) + " has a wrong check character (GB 11643, ISO 7064 MOD 11-2)");
    } else if (!codes::resident_id_birth_date_valid(v, today_)) {
      fail("invalid_resident_id", field, "resident ID " + mask_id(v) + " has an impossible birth date");
    }
  }

 private:
  std::vector<Violation>& out_;
  int today_;
};

}  // namespace

std::vector<Violation> validate_record(const Record& r, const ValidationOptions& opts) {
  std::vector<Violation> out;
  Checker c(out, opts.today_yyyymmdd ? opts.today_yyyymmdd : today_cst());

  // Rule 1: presence and enumerations.
  c.required(!r.record_id.empty(), "record_id");
  if (!r.record_id.empty() && !hex32(r.record_id))
    c.fail("invalid_record_id", "record_id", "record_id must be 32 lowercase hex characters");
  if (r.version < 1) c.fail("invalid_version", "version", "version must be an integer >= 1");
  c.required(!r.kind.empty(), "kind");
  if (!r.kind.empty() && !is_known_kind(r.kind))
    c.fail("unknown_value", "kind", "kind '" + r.kind + "' is not a canonical kind");
  c.required(!r.status.empty(), "status");
  if (!r.status.empty() && !is_known_status(r.status))
    c.fail("unknown_value", "status", "status '" + r.status + "' is not a canonical status");
  c.required(!r.subject.type.empty(), "subject.type");
  if (!r.subject.type.empty() && !is_known_subject_type(r.subject.type))
    c.fail("unknown_value", "subject.type", "subject.type '" + r.subject.type + "' is not a canonical subject type");
  c.required(!r.subject.name.empty(), "subject.name");
  c.required(r.decision.decided_on.has_value(), "decision.decided_on");
  c.required(!r.source.department.empty(), "source.department");
  if (!r.source.department.empty() && !text::is_lower_identifier(r.source.department))
    c.fail("unknown_value", "source.department", "source.department must be a lower-case identifier");
  c.required(!r.source.source_key.empty(), "source.source_key");
  if (r.region && (r.region->size() != 6 || r.region->find_first_not_of("0123456789") != std::string::npos))
    c.fail("invalid_region", "region", "region '" + *r.region + "' must be a 6-digit 行政区划代码");

  // Rule 2: organisations have a valid USCC.
  const auto& s = r.subject;
  if (s.type != "natural_person" && !s.type.empty()) {
    if (!s.uscc) {
      c.fail("required", "subject.uscc", "subject.uscc is required for a " + s.type);
    } else if (codes::is_uscc_placeholder(*s.uscc)) {
      auto reg = r.detail.extra.find("registration_number");
      if (s.type != "individual_business" || reg == r.detail.extra.end() || reg->second.empty())
        c.fail("invalid_uscc", "subject.uscc",
               "the placeholder 00000000000000000X is allowed only for an individual_business "
               "with detail.extra.registration_number");
    } else {
      c.uscc(*s.uscc, "subject.uscc");
    }
  } else if (s.uscc) {
    c.uscc(*s.uscc, "subject.uscc");
  }

  // Rule 3: natural persons are identified.
  if (s.id_type && !is_known_id_type(*s.id_type))
    c.fail("unknown_value", "subject.id_type", "subject.id_type '" + *s.id_type + "' is not a canonical id type");
  if (s.type == "natural_person") {
    c.required(s.id_type.has_value(), "subject.id_type");
    c.required(s.id_number.has_value(), "subject.id_number");
  }
  if (s.id_number && s.id_type == "resident_id") c.resident_id(*s.id_number, "subject.id_number");
  if (s.legal_representative) {
    const auto& lr = *s.legal_representative;
    if (lr.id_type && !is_known_id_type(*lr.id_type))
      c.fail("unknown_value", "subject.legal_representative.id_type",
             "id_type '" + *lr.id_type + "' is not a canonical id type");
    if (lr.id_number && lr.id_type == "resident_id")
      c.resident_id(*lr.id_number, "subject.legal_representative.id_number");
  }

  // Dates, and rule 4.
  const auto& d = r.decision;
  c.date(d.decided_on, "decision.decided_on");
  c.date(d.valid_from, "decision.valid_from");
  c.date(d.valid_until, "decision.valid_until");
  c.date(d.publish_until, "decision.publish_until");
  c.date(r.detail.removed_on, "detail.removed_on");
  c.date(r.detail.fulfilment_due, "detail.fulfilment_due");
  if (d.valid_from && d.valid_until && codes::iso_date_valid(*d.valid_from) && codes::iso_date_valid(*d.valid_until) &&
      *d.valid_until < *d.valid_from)
    c.fail("date_order", "decision.valid_until",
           "valid_until " + *d.valid_until + " is before valid_from " + *d.valid_from);

  // Rule 5: money.
  c.money(r.detail.fine_fen, "detail.fine_fen");
  c.money(r.detail.confiscated_fen, "detail.confiscated_fen");
  c.money(r.detail.amount_fen, "detail.amount_fen");
  if (r.detail.penalty_types)
    for (const auto& p : *r.detail.penalty_types)
      if (!is_known_penalty_type(p))
        c.fail("unknown_value", "detail.penalty_types", "penalty type '" + p + "' is not canonical");
  if (r.detail.commitment_type && !is_known_commitment_type(*r.detail.commitment_type))
    c.fail("unknown_value", "detail.commitment_type",
           "commitment type '" + *r.detail.commitment_type + "' is not canonical");
  if (r.detail.commitment_status && !is_known_commitment_status(*r.detail.commitment_status))
    c.fail("unknown_value", "detail.commitment_status",
           "commitment status '" + *r.detail.commitment_status + "' is not canonical");
  return out;
}

}  // namespace cg
