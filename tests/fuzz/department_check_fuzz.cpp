// A department's POST /api/v1/checks body, as bytes, against a store that
// holds a company's listing with its legal representative: answered (and
// kept) or refused naming its field, never an exception.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "checks/run_check.hpp"
#include "fuzz_support.hpp"
#include "record/record.hpp"
#include "store/store.hpp"

namespace {

std::unique_ptr<cg::store::Store> make_store() {
  char dir[] = "/tmp/cg-fuzz-check-XXXXXX";
  if (!mkdtemp(dir)) std::abort();
  cg::store::StoreOptions opts;
  opts.synchronous = "normal";  // a check is kept per input: no fsync each
  auto s = cg::store::open_sqlite_store(std::string(dir) + "/gateway.db", opts);
  if (!s.ok()) std::abort();
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
  r.subject.legal_representative = cg::Person{"张三", "resident_id", "510802200011115368"};
  r.decision.decided_on = "2024-01-17";
  cg::store::IngestBatch b;
  b.actor = "fuzz";
  b.source = "fuzz";
  b.origin = "local";
  b.records = {r};
  if (!(*s)->records().ingest(b).ok()) std::abort();
  return std::move(s.value());
}

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
  static const std::unique_ptr<cg::store::Store> store = make_store();
  static const cg::catalog::CatalogHistory catalogs = make_catalog();
  const std::string body(reinterpret_cast<const char*>(data), size);
  cg::fuzz::must_not_throw("department check", [&] {
    auto request = cg::checks::parse_check_request(body, "2026-12-07");
    if (request.ok()) (void)cg::checks::run_check(*store, catalogs, {"finance", "department:finance/fuzz"}, *request);
  });
  return 0;
}
