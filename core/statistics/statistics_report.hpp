// Monitoring statistics (跟踪监测): the store's daily figures summed by
// period and grouping, for the admin API and `credit-gateway report
// statistics`, as JSON or CSV.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace cg::statistics {

// A query from its text parameters: from, to (YYYY-MM-DD), period (day,
// month, quarter, year; default month), by (a comma-separated list of
// department, kind, destination), figure. An error names the parameter.
Result<store::StatisticsQuery> parse_query(const std::string& from, const std::string& to, const std::string& period,
                                           const std::string& by, const std::string& figure);

Result<std::vector<store::StatisticsRow>> run(store::Store& st, const store::StatisticsQuery& q);

nlohmann::json to_json(const std::vector<store::StatisticsRow>& rows);
// RFC 4180 with a header line: period, department, kind, destination, figure, n.
std::string to_csv(const std::vector<store::StatisticsRow>& rows);

}  // namespace cg::statistics
