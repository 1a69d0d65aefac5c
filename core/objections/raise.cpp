#include "objections/raise.hpp"

#include "common/text.hpp"

namespace cg::objections {

using nlohmann::json;

namespace {

constexpr size_t kReasonMax = 2000;  // characters

Error bad_objection(const std::string& field, const std::string& message) {
  return make_error("bad_request", message, field);
}

}  // namespace

int http_status_of(const std::string& code) {
  if (code == "bad_request") return 400;
  if (code == "not_sent") return 403;
  if (code == "unknown_record" || code == "unknown_version") return 404;
  if (code == "conflict") return 409;
  return 500;
}

Result<json> raise_objection(store::Store& st, const RaiseCall& call, std::string_view body) {
  const json doc = json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    return bad_objection("", "the body must be a JSON object {\"record_id\", \"reason\", \"version\"}");
  for (const auto& [k, v] : doc.items())
    if (k != "record_id" && k != "reason" && k != "version") return bad_objection(k, "unknown field '" + k + "'");
  if (!doc.contains("record_id") || !doc["record_id"].is_string() || doc["record_id"].get<std::string>().empty())
    return bad_objection("record_id", "record_id (the record objected to) is required");
  if (!doc.contains("reason") || !doc["reason"].is_string())
    return bad_objection("reason", "reason (what is wrong with the record) is required");
  const std::string record_id = doc["record_id"];
  const std::string reason = text::trim(doc["reason"].get<std::string>());
  if (reason.empty()) return bad_objection("reason", "reason must say what is wrong with the record");
  if (text::find_invalid_utf8(reason) || text::utf8_length(reason) > kReasonMax)
    return bad_objection("reason", "reason must be UTF-8 text of at most 2,000 characters");
  auto held = st.records().get(record_id);
  if (!held.ok()) return held.error();
  if (!*held) return make_error("unknown_record", "no record " + record_id + " is held here", "record_id");
  if (call.must_hold_item) {
    auto sent = st.feedback().sent_to(call.raised_by, record_id);
    if (!sent.ok()) return sent.error();
    if (!*sent)
      return make_error("not_sent",
                        call.raised_by + " was sent no item for record " + record_id +
                            ": a department objects to the records it applies measures to; the credit office "
                            "raises others",
                        "record_id");
  }
  int64_t version = (*held)->record.version;
  if (doc.contains("version")) {
    if (!doc["version"].is_number_integer()) return bad_objection("version", "version must be an integer");
    version = doc["version"].get<int64_t>();
    if (version < 1 || version > (*held)->record.version)
      return make_error("unknown_version",
                        "record " + record_id + " has versions 1 to " + std::to_string((*held)->record.version),
                        "version");
  }
  store::Objection o;
  o.objection_id = store::objection_id(call.raised_by, record_id, version);
  o.record_id = record_id;
  o.version = version;
  o.raised_by = call.raised_by;
  o.actor = call.actor;
  o.raised_on = call.today;
  o.reason = reason;
  auto raised = st.objections().raise(o);
  if (!raised.ok()) return raised.error();
  if (*raised == store::RaiseOutcome::Conflict)
    return make_error("conflict",
                      "an objection of " + call.raised_by + " to version " + std::to_string(version) +
                          " of this record is held with another reason",
                      "reason");
  auto now = st.objections().get(o.objection_id);
  if (!now.ok()) return now.error();
  return json{{"objection_id", o.objection_id},
              {"record_id", record_id},
              {"version", version},
              {"state", *now ? (*now)->state : std::string("pending")},
              {"duplicate", *raised == store::RaiseOutcome::Duplicate}};
}

}  // namespace cg::objections
