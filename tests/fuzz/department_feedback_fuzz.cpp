// A department's POST /api/v1/feedback body, as bytes, against a store that
// holds one item of finance's: every entry accepted, duplicate or refused
// with a reason, the call refused whole, never an exception.
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "department_api/feedback.hpp"
#include "fuzz_support.hpp"
#include "record/record.hpp"
#include "store/store.hpp"

namespace {

std::unique_ptr<cg::store::Store> make_store() {
  char dir[] = "/tmp/cg-fuzz-feedback-XXXXXX";
  if (!mkdtemp(dir)) std::abort();
  auto s = cg::store::open_sqlite_store(std::string(dir) + "/gateway.db");
  if (!s.ok()) std::abort();
  (*s)->feedback().set_router([](const cg::Record&, const std::string&, const std::string&, const std::string&) {
    cg::store::FeedbackRoute route;
    route.department = "finance";
    route.catalog = "510800-2026@3";
    route.measures = nlohmann::json::array({{{"measure_id", "P-FIN-01"}}, {{"measure_id", "P-PPP-01"}}});
    route.due_on = "2026-12-18";
    return std::vector<cg::store::FeedbackRoute>{route};
  });
  cg::Record r;
  r.kind = "dishonest_debtor";
  r.source.department = "court";
  r.source.source_key = "fuzz-1";
  r.record_id = cg::compute_record_id("court", r.kind, "fuzz-1");
  r.version = 1;
  r.status = "active";
  r.subject.type = "legal_person";
  r.subject.name = "广元市某某商贸有限责任公司";
  r.subject.uscc = "91510802QEFLCR6390";
  cg::store::IngestBatch b;
  b.actor = "fuzz";
  b.source = "fuzz";
  b.origin = "local";
  b.records = {r};
  if (!(*s)->records().ingest(b).ok()) std::abort();
  return std::move(s.value());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::unique_ptr<cg::store::Store> store = make_store();
  const std::string body(reinterpret_cast<const char*>(data), size);
  cg::department_api::FeedbackCall call{"finance", "department:finance/fuzz", {"provincial"}, nullptr, "2026-12-06"};
  cg::fuzz::must_not_throw("department feedback", [&] { (void)cg::department_api::take_feedback(*store, call, body); });
  return 0;
}
