#include "department_api/feedback.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <variant>

#include "calendar/date.hpp"
#include "common/hash.hpp"
#include "common/text.hpp"

namespace cg::department_api {

using nlohmann::json;

namespace {

constexpr size_t kMaxEntries = 1000;
constexpr size_t kMaxFeedbackCaseRef = 64;
constexpr size_t kMaxNote = 500;

const std::vector<std::string> kKeys = {"item_id", "check_id", "subject_index", "measure_id",
                                        "action",  "on",       "case_ref",      "note"};

struct Refusal {
  std::string code, field, message;
};

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// An optional string member no longer than `max` characters (UTF-8).
std::optional<Refusal> text_member(const json& e, const char* key, size_t max, std::string& out) {
  if (!e.contains(key)) return std::nullopt;
  if (!e[key].is_string()) return Refusal{"bad_type", key, std::string(key) + " must be a string"};
  out = e[key].get<std::string>();
  if (text::utf8_length(out) > max)
    return Refusal{"too_long", key, std::string(key) + " is longer than " + std::to_string(max) + " characters"};
  if (text::find_control_character(out))
    return Refusal{"bad_text", key, std::string(key) + " holds a control character"};
  return std::nullopt;
}

// An item_id as the API writes it (a string of digits) or as a number.
std::optional<int64_t> item_number(const json& v) {
  if (v.is_number_unsigned()) return static_cast<int64_t>(v.get<uint64_t>() & INT64_MAX);
  if (!v.is_string()) return std::nullopt;
  const auto& s = v.get_ref<const std::string&>();
  int64_t n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || end != s.data() + s.size() || n <= 0) return std::nullopt;
  return n;
}

// The measure ids of a list of measures as items and hits carry them.
std::vector<std::string> measure_ids(const json& measures) {
  std::vector<std::string> out;
  if (!measures.is_array()) return out;
  for (const auto& m : measures)
    if (m.is_object() && m.contains("measure_id") && m["measure_id"].is_string())
      out.push_back(m["measure_id"].get<std::string>());
  return out;
}

// What an entry reports on: one of the department's items, or a hit of one
// of its checks (the first hit of that subject that carries the measure).
std::optional<Refusal> item_target(store::Store& st, const FeedbackCall& call, const json& e, store::FeedbackReport& r,
                                   std::vector<std::string>& measures) {
  const auto id = item_number(e["item_id"]);
  std::optional<store::FeedbackItem> item;
  if (id) {
    store::ItemFilter f;
    f.department = call.department;
    f.state = "all";
    f.after_id = *id - 1;
    f.limit = 1;
    auto rows = st.feedback().items(f);
    if (!rows.ok()) return Refusal{"store", "", rows.error().message};
    if (!rows->empty() && rows->front().id == *id) item = rows->front();
  }
  if (!item) return Refusal{"unknown_item", "item_id", "no item of " + call.department + " has this item_id"};
  r.item_id = item->id;
  r.record_id = item->record_id;
  r.version = item->version;
  r.catalog = item->catalog;
  measures = measure_ids(item->measures);
  if (measures.empty())
    return Refusal{"unknown_measure", "measure_id", "this item asks for no measure: it is for information"};
  return std::nullopt;
}

// A check of the caller's department with its answer read, once per call
// however many entries name it (none: not the department's, or not held).
struct HeldCheck {
  store::StoredCheck check;
  json answer;
};
using HeldChecks = std::map<std::string, std::optional<HeldCheck>>;

std::optional<Refusal> check_target(store::Store& st, const FeedbackCall& call, const json& e, HeldChecks& held,
                                    store::FeedbackReport& r, std::vector<std::string>& measures) {
  if (e.contains("item_id")) return Refusal{"bad_entry", "check_id", "an entry names an item_id or a check_id"};
  const HeldCheck* found = nullptr;
  if (e["check_id"].is_string()) {
    const std::string& id = e["check_id"].get_ref<const std::string&>();
    auto it = held.find(id);
    if (it == held.end()) {
      auto kept = st.checks().get(id);
      if (!kept.ok()) return Refusal{"store", "", kept.error().message};
      std::optional<HeldCheck> own;
      if (*kept && (*kept)->department == call.department) {
        json answer = json::parse((*kept)->answer, nullptr, false);
        own = HeldCheck{std::move(**kept), std::move(answer)};
      }
      it = held.emplace(id, std::move(own)).first;
    }
    if (it->second) found = &*it->second;
  }
  if (!found) return Refusal{"unknown_check", "check_id", "no check of " + call.department + " has this check_id"};
  const store::StoredCheck& check = found->check;
  const json& answer = found->answer;
  if (!e.contains("subject_index") || !e["subject_index"].is_number_unsigned())
    return Refusal{"missing_field", "subject_index",
                   "subject_index (the subject's place in the check, from 0) is required"};
  const auto index = e["subject_index"].get<uint64_t>();
  if (!answer.is_object() || !answer.contains("results") || index >= answer["results"].size())
    return Refusal{"unknown_subject", "subject_index",
                   "the check has " + std::to_string(check.subjects) + " subject(s), from 0"};
  static const json kNone = json::array();
  const json& result = answer["results"][index];
  const json& hits = result.is_object() && result.contains("hits") ? result["hits"] : kNone;
  if (!e.contains("measure_id") || !e["measure_id"].is_string())
    return Refusal{"missing_field", "measure_id", "measure_id (a string) is required"};
  const std::string wanted = e["measure_id"].get<std::string>();
  for (const auto& h : hits) {
    if (!h.is_object()) continue;
    auto ids = measure_ids(h.contains("measures") ? h["measures"] : kNone);
    for (const auto& id : ids)
      if (std::find(measures.begin(), measures.end(), id) == measures.end()) measures.push_back(id);
    if (r.record_id.empty() && std::find(ids.begin(), ids.end(), wanted) != ids.end()) {
      r.record_id = h.value("record_id", "");
      r.version = h.value("version", int64_t{0});
    }
  }
  if (measures.empty()) return Refusal{"unknown_measure", "measure_id", "this subject's answer applies no measure"};
  r.check_id = check.check_id;
  r.subject_index = static_cast<int64_t>(index);
  r.catalog = check.catalog;
  return std::nullopt;
}

// One entry checked against the department's item or check: the report to
// store, or why it is refused.
std::variant<store::FeedbackReport, Refusal> check_entry(store::Store& st, const FeedbackCall& call, const json& e,
                                                         HeldChecks& held) {
  if (!e.is_object()) return Refusal{"bad_entry", "", "an entry must be a JSON object"};
  for (const auto& [key, _] : e.items())
    if (std::find(kKeys.begin(), kKeys.end(), key) == kKeys.end())
      return Refusal{"unknown_field", key,
                     "unknown field '" + key +
                         "' (item_id, check_id, subject_index, "
                         "measure_id, action, on, case_ref, note)"};
  store::FeedbackReport r;
  r.department = call.department;
  r.actor = call.actor;
  std::vector<std::string> measures;
  if (!e.contains("item_id") && !e.contains("check_id"))
    return Refusal{"missing_field", "item_id", "item_id (or check_id) is required"};
  if (auto why =
          e.contains("check_id") ? check_target(st, call, e, held, r, measures) : item_target(st, call, e, r, measures))
    return *why;
  if (!e.contains("measure_id") || !e["measure_id"].is_string())
    return Refusal{"missing_field", "measure_id", "measure_id (a string) is required"};
  r.measure_id = e["measure_id"].get<std::string>();
  if (std::find(measures.begin(), measures.end(), r.measure_id) == measures.end())
    return Refusal{"unknown_measure", "measure_id",
                   "not a measure of this " + std::string(r.check_id.empty() ? "item" : "subject's hits") + " (" +
                       joined(measures) + ")"};
  if (!e.contains("action") || !e["action"].is_string())
    return Refusal{"missing_field", "action", "action (applied, not_applicable or lifted) is required"};
  r.action = e["action"].get<std::string>();
  if (r.action != "applied" && r.action != "not_applicable" && r.action != "lifted")
    return Refusal{"bad_action", "action", "action is applied, not_applicable or lifted"};
  if (!e.contains("on") || !e["on"].is_string())
    return Refusal{"missing_field", "on", "on (YYYY-MM-DD: when it was done) is required"};
  r.on = e["on"].get<std::string>();
  if (auto d = calendar::parse_date(r.on); !d.ok()) return Refusal{"bad_date", "on", d.error().message};
  if (r.on > call.today) return Refusal{"bad_date", "on", "on is after today (" + call.today + ")"};
  if (auto bad = text_member(e, "case_ref", kMaxFeedbackCaseRef, r.case_ref)) return *bad;
  if (auto bad = text_member(e, "note", kMaxNote, r.note)) return *bad;
  r.feedback_id = r.check_id.empty()
                      ? feedback_id(r.department, r.item_id, r.measure_id, r.action)
                      : check_feedback_id(r.department, r.check_id, r.subject_index, r.measure_id, r.action);
  return r;
}

// The platforms that take feedback and hold the report's record: those it
// is delivered to, or the one it came from.
Result<std::vector<std::string>> relay_to(store::Store& st, const FeedbackCall& call, const std::string& record_id) {
  std::vector<std::string> out;
  if (call.destinations.empty()) return out;
  auto held = st.records().get(record_id);
  if (!held.ok()) return held.error();
  if (!*held) return out;
  const auto& origin = (*held)->origin;
  const auto routed = call.router ? call.router((*held)->record, origin) : std::vector<std::string>{};
  for (const auto& d : call.destinations)
    if (origin == "platform:" + d || std::find(routed.begin(), routed.end(), d) != routed.end()) out.push_back(d);
  return out;
}

json refused(const Refusal& why) {
  json e = {{"code", why.code}, {"message", why.message}};
  if (!why.field.empty()) e["field"] = why.field;
  return {{"status", "rejected"}, {"error", e}};
}

}  // namespace

std::string check_feedback_id(const std::string& department, const std::string& check_id, int64_t subject_index,
                              const std::string& measure_id, const std::string& action) {
  return "fb-" + sha256_hex(department + "\ncheck\n" + check_id + "\n" + std::to_string(subject_index) + "\n" +
                            measure_id + "\n" + action)
                     .substr(0, 40);
}

std::string feedback_id(const std::string& department, int64_t item_id, const std::string& measure_id,
                        const std::string& action) {
  return "fb-" +
         sha256_hex(department + "\n" + std::to_string(item_id) + "\n" + measure_id + "\n" + action).substr(0, 40);
}

Result<json> take_feedback(store::Store& st, const FeedbackCall& call, std::string_view body) {
  json doc = json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    return make_error("bad_request", "the body must be a JSON object {\"feedback\": [...]}", "");
  for (const auto& [key, _] : doc.items())
    if (key != "feedback") return make_error("bad_request", "unknown member '" + key + "' (feedback)", key);
  if (!doc.contains("feedback") || !doc["feedback"].is_array() || doc["feedback"].empty() ||
      doc["feedback"].size() > kMaxEntries)
    return make_error("bad_request", "feedback must be an array of 1 to 1,000 entries", "feedback");
  const json& entries = doc["feedback"];
  std::vector<std::variant<store::FeedbackReport, Refusal>> checked;
  checked.reserve(entries.size());
  HeldChecks held;
  for (const auto& e : entries) checked.push_back(check_entry(st, call, e, held));
  // Every accepted entry in one transaction, committed before the answer.
  return st.transact([&](store::Store& s) -> Result<json> {
    json results = json::array();
    for (size_t i = 0; i < checked.size(); ++i) {
      json r;
      if (const auto* why = std::get_if<Refusal>(&checked[i])) {
        r = refused(*why);
      } else {
        const auto& report = std::get<store::FeedbackReport>(checked[i]);
        auto to = relay_to(s, call, report.record_id);
        if (!to.ok()) return to.error();
        auto added = s.feedback_reports().add(report, *to);
        if (!added.ok()) return added.error();
        if (*added == store::ReportOutcome::Conflict)
          r = refused({"conflict", "",
                       "this measure's " + report.action +
                           " was reported before with another date, case_ref or note; the first "
                           "report stands"});
        else
          r = {{"status", *added == store::ReportOutcome::Accepted ? "accepted" : "duplicate"}};
        r["feedback_id"] = report.feedback_id;
      }
      r["index"] = i;
      results.push_back(std::move(r));
    }
    return json{{"results", results}};
  });
}

}  // namespace cg::department_api
