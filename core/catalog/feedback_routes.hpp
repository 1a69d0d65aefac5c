// Which departments a record version goes back to (联合奖惩 响应), by the
// catalog: the departments that implement a measure the record's kind and
// subject type trigger, and the department that made the record, for the
// status changes of its own records (移出, 修复, 撤销, 异议). A department is not
// sent back the records it sent itself. Each item names the measures its
// department implements for the record, the catalog version, and its
// deadline: the shortest feedback_within_working_days among them, counted in
// working days from the day the item is made. The catalog version is the one
// governing that day.
#pragma once

#include "calendar/working_days.hpp"
#include "catalog/catalog_history.hpp"
#include "store/feedback.hpp"

namespace cg::catalog {

store::FeedbackRouter make_feedback_router(CatalogHistory catalogs, calendar::WorkingDays calendar);

// A measure as an item, a check's hit and the platform quote it.
nlohmann::json measure_json(const Measure& m);

}  // namespace cg::catalog
