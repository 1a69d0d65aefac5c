// A department's POST /api/v1/checks body, as bytes, against a store that
// holds a company's listing with its legal representative: answered (and
// kept) or refused naming its field, never an exception. The same bytes as a
// POST /api/v1/reports body and as a verification code (GET /verify/<code>).
#include <cstdint>
#include <memory>
#include <string>

#include "checks/run_check.hpp"
#include "credit_report/make_report.hpp"
#include "credit_report/verification_code.hpp"
#include "fuzz_store.hpp"
#include "fuzz_support.hpp"

namespace {

cg::catalog::CatalogHistory make_catalog() {
  cg::catalog::Catalog c;
  c.catalog_id = "510800-2026";
  c.version = 3;
  c.effective_from = "2026-01-01";
  c.scenarios = {{"procurement_bid", "政府采购投标"}, {"subsidy", "财政补贴"}};
  cg::catalog::Measure m;
  m.id = "P-PROC-01";
  m.name = "限制参与政府采购";
  m.type = "punishment";
  m.applies_to = {"dishonest_debtor"};
  m.subject_types = {"legal_person", "natural_person"};
  m.scenarios = {"procurement_bid"};
  m.extends_to_legal_representative = true;
  c.measures = {m};
  return cg::catalog::CatalogHistory(c);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::unique_ptr<cg::store::Store> store = cg::fuzz::make_store("check");
  static const cg::catalog::CatalogHistory catalogs = make_catalog();
  const std::string body(reinterpret_cast<const char*>(data), size);
  cg::fuzz::must_not_throw("department check", [&] {
    auto request = cg::checks::parse_check_request(body, "2026-12-07");
    if (request.ok()) (void)cg::checks::run_check(*store, catalogs, {"finance", "department:finance/fuzz"}, *request);
  });
  cg::fuzz::must_not_throw("report request", [&] {
    (void)cg::credit_report::parse_report_ask(body);
    (void)cg::credit_report::normalise_verification_code(body);
  });
  return 0;
}
