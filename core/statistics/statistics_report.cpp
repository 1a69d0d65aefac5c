#include "statistics/statistics_report.hpp"

#include <algorithm>
#include <tuple>

#include "calendar/date.hpp"

namespace cg::statistics {

Result<store::StatisticsQuery> parse_query(const std::string& from, const std::string& to, const std::string& period,
                                           const std::string& by, const std::string& figure) {
  store::StatisticsQuery q;
  for (const auto& [name, value] : {std::pair{"from", &from}, std::pair{"to", &to}})
    if (!value->empty())
      if (auto d = calendar::parse_date(*value); !d.ok()) return make_error("bad_request", d.error().message, name);
  q.from = from;
  q.to = to;
  q.period = period.empty() ? "month" : period;
  if (q.period != "day" && q.period != "month" && q.period != "quarter" && q.period != "year")
    return make_error("bad_request", "period '" + q.period + "' is none of day, month, quarter, year", "period");
  size_t start = 0;
  while (start < by.size()) {
    const size_t comma = std::min(by.find(',', start), by.size());
    const std::string dim = by.substr(start, comma - start);
    if (dim == "department")
      q.by_department = true;
    else if (dim == "kind")
      q.by_kind = true;
    else if (dim == "destination")
      q.by_destination = true;
    else if (!dim.empty())
      return make_error("bad_request", "'" + dim + "' is none of department, kind, destination", "by");
    start = comma + 1;
  }
  q.figure = figure;
  return q;
}

Result<std::vector<store::StatisticsRow>> run(store::Store& st, const store::StatisticsQuery& q) {
  auto rows = st.statistics().query(q);
  if (!rows.ok()) return rows.error();
  // Checks are counted in the check ledger, each kept check once (no kind
  // nor destination).
  auto checks = st.checks().statistics(q);
  if (!checks.ok()) return checks.error();
  rows->insert(rows->end(), checks->begin(), checks->end());
  std::sort(rows->begin(), rows->end(), [](const store::StatisticsRow& a, const store::StatisticsRow& b) {
    return std::tie(a.period, a.department, a.kind, a.destination, a.figure) <
           std::tie(b.period, b.department, b.kind, b.destination, b.figure);
  });
  return rows;
}

nlohmann::json to_json(const std::vector<store::StatisticsRow>& rows) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : rows) {
    nlohmann::json j = {{"period", r.period}, {"figure", r.figure}, {"n", r.n}};
    if (!r.department.empty()) j["department"] = r.department;
    if (!r.kind.empty()) j["kind"] = r.kind;
    if (!r.destination.empty()) j["destination"] = r.destination;
    out.push_back(std::move(j));
  }
  return out;
}

std::string to_csv(const std::vector<store::StatisticsRow>& rows) {
  // Every cell is a code, a date or a number: nothing to quote.
  std::string out = "period,department,kind,destination,figure,n\r\n";
  for (const auto& r : rows)
    out += r.period + "," + r.department + "," + r.kind + "," + r.destination + "," + r.figure + "," +
           std::to_string(r.n) + "\r\n";
  return out;
}

}  // namespace cg::statistics
