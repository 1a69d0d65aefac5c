#include "delivery/batch_answer.hpp"

#include <simdjson.h>

namespace cg::delivery {

namespace {

using simdjson::dom::element;

// The string at `key` of `object`, or "" when absent or not a string.
std::string text_at(simdjson::dom::object object, std::string_view key) {
  std::string_view s;
  if (object[key].get_string().get(s)) return {};
  return std::string(s);
}

// A parser per thread, kept between answers (each lane sends one batch at a time).
simdjson::dom::parser& parser() {
  thread_local simdjson::dom::parser p;
  return p;
}

}  // namespace

std::optional<std::vector<RecordResult>> parse_batch_answer(std::string_view body) {
  element doc;
  if (parser().parse(body.data(), body.size()).get(doc)) return std::nullopt;
  simdjson::dom::array results;
  if (doc["results"].get_array().get(results)) return std::nullopt;  // also: doc not an object
  std::vector<RecordResult> out;
  out.reserve(results.size());
  for (element item : results) {
    RecordResult& r = out.emplace_back();
    simdjson::dom::object o;
    if (item.get_object().get(o)) continue;
    r.record_id = text_at(o, "record_id");
    r.feedback_id = text_at(o, "feedback_id");
    element status;
    if (!o["status"].get(status)) {
      std::string_view s;
      r.status = status.get_string().get(s) ? simdjson::minify(status) : std::string(s);
    }
    simdjson::dom::object error;
    if (!o["error"].get_object().get(error)) {
      r.error_code = text_at(error, "code");
      r.error_field = text_at(error, "field");
      r.error_message = text_at(error, "message");
    }
  }
  return out;
}

ErrorAnswer parse_error_answer(std::string_view body) {
  ErrorAnswer a;
  element doc;
  simdjson::dom::object error;
  if (parser().parse(body.data(), body.size()).get(doc) || doc["error"].get_object().get(error)) return a;
  a.present = true;
  a.code = text_at(error, "code");
  a.message = text_at(error, "message");
  return a;
}

std::optional<store::DeliveryStatus> delivery_status_from(std::string_view status) {
  using store::DeliveryStatus;
  if (status == "accepted") return DeliveryStatus::Accepted;
  if (status == "duplicate") return DeliveryStatus::Duplicate;
  if (status == "stale") return DeliveryStatus::Stale;
  if (status == "rejected") return DeliveryStatus::Rejected;
  return std::nullopt;
}

}  // namespace cg::delivery
