#include "department_api/items.hpp"

#include <charconv>
#include <limits>

namespace cg::department_api {

using nlohmann::json;

namespace {

// A whole number in [lo, hi], else an error naming the parameter.
Result<int64_t> number_param(const std::string& name, const std::string& text, int64_t lo, int64_t hi) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < lo || v > hi)
    return make_error("bad_request",
                      name + " must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi), name);
  return v;
}

}  // namespace

Result<store::ItemFilter> item_filter(const std::string& department, const std::map<std::string, std::string>& query,
                                      const std::string& today) {
  store::ItemFilter f;
  f.department = department;
  f.today = today;
  for (const auto& [key, value] : query) {
    if (key == "state") {
      if (value != "pending" && value != "overdue" && value != "all")
        return make_error("bad_request", "state is pending, overdue or all", "state");
      f.state = value;
    } else if (key == "after") {
      auto n = number_param("after", value, 0, std::numeric_limits<int64_t>::max());
      if (!n.ok()) return n.error();
      f.after_id = *n;
    } else if (key == "limit") {
      auto n = number_param("limit", value, 1, 1000);
      if (!n.ok()) return n.error();
      f.limit = static_cast<size_t>(*n);
    } else if (key != "department") {
      return make_error("bad_request", "unknown parameter '" + key + "' (state, after, limit)", key);
    }
  }
  return f;
}

json item_json(const store::FeedbackItem& item, const std::string& today) {
  json record = json::parse(item.body, nullptr, false);
  if (!record.is_object()) record = json::object();
  const bool asks = !item.measures.empty();
  const bool overdue = asks && !item.answered && !item.due_on.empty() && item.due_on < today;
  json out = {{"item_id", std::to_string(item.id)},
              {"record_id", item.record_id},
              {"version", item.version},
              {"kind", record.value("kind", "")},
              {"status", record.value("status", "")},
              {"subject", record.value("subject", json::object())},
              {"event", item.event.is_object() ? item.event.value("type", "") : ""},
              {"measures", item.measures},
              {"catalog", item.catalog.empty() ? json(nullptr) : json(item.catalog)},
              {"received_at", item.received_at},
              {"due_on", item.due_on.empty() ? json(nullptr) : json(item.due_on)},
              {"state", !asks           ? "for_information"
                        : item.answered ? "answered"
                        : overdue       ? "overdue"
                                        : "pending"}};
  if (record.contains("decision")) out["decision"] = record["decision"];
  return out;
}

}  // namespace cg::department_api
