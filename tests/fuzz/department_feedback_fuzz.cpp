// A department's POST /api/v1/feedback body, as bytes, against a store that
// holds one item and one check of finance's: every entry accepted, duplicate
// or refused with a reason, the call refused whole, never an exception.
#include <cstdint>
#include <memory>
#include <string>

#include "department_api/feedback.hpp"
#include "fuzz_store.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::unique_ptr<cg::store::Store> store = cg::fuzz::make_store(
      "feedback", [](const cg::Record&, const std::string&, const std::string&, const std::string&) {
        cg::store::FeedbackRoute route;
        route.department = "finance";
        route.catalog = "510800-2026@3";
        route.measures = nlohmann::json::array({{{"measure_id", "P-FIN-01"}}, {{"measure_id", "P-PPP-01"}}});
        route.due_on = "2026-12-18";
        return std::vector<cg::store::FeedbackRoute>{route};
      });
  const std::string body(reinterpret_cast<const char*>(data), size);
  cg::department_api::FeedbackCall call{"finance", "department:finance/fuzz", {"provincial"}, nullptr, "2026-12-06"};
  cg::fuzz::must_not_throw("department feedback", [&] { (void)cg::department_api::take_feedback(*store, call, body); });
  return 0;
}
