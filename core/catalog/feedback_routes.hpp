// Which departments a record version goes back to (联合奖惩 响应), by the
// catalog: the departments that implement a measure the record's kind and
// subject type trigger, and the department that made the record, for the
// status changes of its own records (移出, 修复, 撤销, 异议). A department is not
// sent back the records it sent itself.
#pragma once

#include "catalog/catalog.hpp"
#include "store/feedback.hpp"

namespace cg::catalog {

store::FeedbackRouter make_feedback_router(const Catalog& catalog);

}  // namespace cg::catalog
