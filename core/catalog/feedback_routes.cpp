#include "catalog/feedback_routes.hpp"

#include <algorithm>

#include "common/log.hpp"

namespace cg::catalog {

using nlohmann::json;

json measure_json(const Measure& m) {
  return {{"measure_id", m.id}, {"name", m.name}, {"type", m.type}, {"basis", m.basis}};
}

namespace {

// The n-th working day after `today`; "" (and an error in the log naming
// the year to add) when a calendar is missing: the item is still made.
std::string due_on(const calendar::WorkingDays& days, const std::string& today, int n) {
  auto from = calendar::parse_date(today);
  if (!from.ok()) return "";
  auto due = days.add(*from, n);
  if (!due.ok()) {
    log::error("catalog", "an item has no deadline: " + due.error().message, {{"calendar", "calendar_dir"}});
    return "";
  }
  return calendar::format_date(*due);
}

}  // namespace

store::FeedbackRouter make_feedback_router(CatalogHistory catalogs, calendar::WorkingDays calendar) {
  return [history = std::make_shared<const CatalogHistory>(std::move(catalogs)), days = std::move(calendar)](
             const Record& r, const std::string& event, const std::string& origin, const std::string& today) {
    const Catalog* governing = history->governing(today);
    const std::string ref = governing ? governing->ref() : "";
    std::vector<store::FeedbackRoute> out;
    auto route = [&](const std::string& d) -> store::FeedbackRoute& {
      auto it = std::find_if(out.begin(), out.end(), [&](const auto& x) { return x.department == d; });
      if (it != out.end()) return *it;
      out.push_back({d, json::array(), ref, ""});
      return out.back();
    };
    const bool local = origin.rfind("platform:", 0) != 0;
    const std::string& own = r.source.department;
    if (local && event == "status_changed") route(own);
    std::map<std::string, int> shortest;  // department -> fewest working days among its measures
    static const std::vector<Measure> kNone;
    for (const auto& m : governing ? governing->measures : kNone) {
      if (!m.applies_to_record(r)) continue;
      for (const auto& d : m.implementing) {
        // A department's own local records come back only as status changes.
        if (local && d == own && event != "status_changed") continue;
        route(d).measures.push_back(measure_json(m));
        auto [it, fresh] = shortest.try_emplace(d, m.feedback_within_working_days);
        if (!fresh) it->second = std::min(it->second, m.feedback_within_working_days);
      }
    }
    for (auto& x : out)
      if (auto it = shortest.find(x.department); it != shortest.end() && it->second > 0)
        x.due_on = due_on(days, today, it->second);
    return out;
  };
}

}  // namespace cg::catalog
