// GET /api/v1/items (department-api.md §4): the measures that reached a
// department through the catalog, whether or not it also has an adapter
// that receives them as files or posts.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "common/result.hpp"
#include "store/feedback.hpp"

namespace cg::department_api {

// The filter a query asks for: state (pending, overdue, all; pending by
// default), after (an item_id: the next page), limit (1 to 1,000; 100).
Result<store::ItemFilter> item_filter(const std::string& department, const std::map<std::string, std::string>& query,
                                      const std::string& today);

// One item as the API answers it.
nlohmann::json item_json(const store::FeedbackItem& item, const std::string& today);

}  // namespace cg::department_api
