#include "checks/check_request.hpp"

#include <nlohmann/json.hpp>

#include "calendar/date.hpp"
#include "common/text.hpp"
#include "record/codes.hpp"
#include "record/record.hpp"

namespace cg::checks {

using nlohmann::json;

namespace {

constexpr size_t kMaxPurpose = 500;  // characters
constexpr size_t kMaxCaseRef = 64;
constexpr size_t kMaxName = 200;

Error bad(const std::string& field, const std::string& message) {
  return make_error("bad_request", message, field);
}

// A code as people type it: full-width forms to ASCII, spaces out, upper case.
std::string normalised_code(std::string_view v) {
  std::string s = text::fullwidth_to_ascii(v);
  std::string out;
  out.reserve(s.size());
  for (char c : s)
    if (c != ' ' && c != '\t') out.push_back(c);
  text::to_upper_ascii_in_place(out);
  return out;
}

// A text member: absent gives "", anything but bounded UTF-8 text without
// control characters is an error naming it.
Status text_member(const json& doc, const std::string& key, const std::string& field, size_t max, std::string& out) {
  if (!doc.contains(key)) return {};
  if (!doc[key].is_string()) return bad(field, field + " must be a string");
  out = text::trim(doc[key].get<std::string>());
  if (text::find_invalid_utf8(out) || text::find_control_character(out) || text::utf8_length(out) > max)
    return bad(field, field + " must be text of at most " + std::to_string(max) + " characters");
  return {};
}

std::string invalid_reason(const CheckSubject& s) {
  if (s.uscc) {
    const std::string& u = *s.uscc;
    if (codes::is_uscc_placeholder(u)) return "the placeholder code of an individual business names no subject";
    if (!codes::uscc_shape_valid(u)) return "a USCC is 18 characters of 0-9 and A-Y without I, O, S, V and Z";
    if (!codes::uscc_check_valid(u)) return "the USCC's check character is wrong (GB 32100)";
    return "";
  }
  if (s.id_type == "resident_id") {
    const std::string& id = *s.id_number;
    if (!codes::resident_id_shape_valid(id)) return "a resident ID number is 17 digits and a digit or X";
    if (!codes::resident_id_check_valid(id)) return "the resident ID number's check character is wrong (GB 11643)";
    return "";
  }
  if (s.id_number->empty()) return "the ID number is empty";
  return "";
}

Result<CheckSubject> subject_at(const json& e, size_t index) {
  const std::string at = "subjects/" + std::to_string(index);
  if (!e.is_object()) return bad(at, at + " must be an object {\"uscc\"} or {\"id_type\", \"id_number\"}");
  std::optional<std::string> codes[4];
  const char* keys[4] = {"uscc", "id_type", "id_number", "name"};
  for (const auto& [k, v] : e.items()) {
    size_t i = 0;
    while (i < 4 && k != keys[i]) ++i;
    if (i == 4) return bad(at + "/" + k, "unknown field '" + k + "' (uscc, id_type, id_number, name)");
    std::string value;
    if (auto s = text_member(e, k, at + "/" + k, kMaxName, value); !s) return s.error();
    codes[i] = std::move(value);
  }
  if (codes[0] && (codes[1] || codes[2]))
    return bad(at, at + " has a uscc and an id_number: a subject is one or the other");
  if (!codes[0] && !codes[2]) return bad(at, at + " needs a uscc, or an id_type and an id_number");
  if (codes[2] && !codes[1]) return bad(at + "/id_type", "id_type is required with id_number");
  if (codes[1] && !codes[2]) return bad(at + "/id_number", "id_number is required with id_type");
  if (codes[1] && !is_known_id_type(*codes[1]))
    return bad(at + "/id_type", "id_type '" + *codes[1] + "' is not a canonical id type");
  return make_check_subject(codes[0], codes[1], codes[2], codes[3]);
}

}  // namespace

CheckSubject make_check_subject(std::optional<std::string> uscc, std::optional<std::string> id_type,
                                std::optional<std::string> id_number, std::optional<std::string> name) {
  CheckSubject s;
  if (uscc) s.uscc = normalised_code(*uscc);
  if (id_number) {
    s.id_type = id_type.value_or("resident_id");
    s.id_number = normalised_code(*id_number);
  }
  s.name = std::move(name);
  s.invalid = invalid_reason(s);
  return s;
}

Result<CheckRequest> parse_check_request(std::string_view body, const std::string& today) {
  const json doc = json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    return bad("", "the body must be a JSON object {\"scenario\", \"purpose\", \"on\", \"case_ref\", \"subjects\"}");
  for (const auto& [k, _] : doc.items())
    if (k != "scenario" && k != "purpose" && k != "case_ref" && k != "on" && k != "subjects")
      return bad(k, "unknown field '" + k + "' (scenario, purpose, case_ref, on, subjects)");
  CheckRequest r;
  if (auto s = text_member(doc, "scenario", "scenario", 64, r.scenario); !s) return s.error();
  if (r.scenario.empty()) return bad("scenario", "scenario (a matter of the catalog) is required");
  if (auto s = text_member(doc, "purpose", "purpose", kMaxPurpose, r.purpose); !s) return s.error();
  if (r.purpose.empty()) return bad("purpose", "purpose (why the subjects are checked: 查询留痕) is required");
  if (auto s = text_member(doc, "case_ref", "case_ref", kMaxCaseRef, r.case_ref); !s) return s.error();
  if (auto s = text_member(doc, "on", "on", 10, r.on); !s) return s.error();
  if (r.on.empty()) r.on = today;
  if (auto d = calendar::parse_date(r.on); !d.ok()) return bad("on", "on must be a date YYYY-MM-DD");
  if (!doc.contains("subjects") || !doc["subjects"].is_array() || doc["subjects"].empty() ||
      doc["subjects"].size() > kMaxSubjects)
    return bad("subjects", "subjects must be an array of 1 to 1,000 subjects");
  const json& subjects = doc["subjects"];
  r.subjects.reserve(subjects.size());
  for (size_t i = 0; i < subjects.size(); ++i) {
    auto s = subject_at(subjects[i], i);
    if (!s.ok()) return s.error();
    r.subjects.push_back(std::move(*s));
  }
  return r;
}

}  // namespace cg::checks
