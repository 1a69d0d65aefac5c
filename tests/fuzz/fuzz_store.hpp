// The store the department API's fuzz targets call into: a fresh SQLite
// file holding a court's listing of a company (with its legal
// representative) and a check of finance's that hit it, so that bodies
// naming them reach past the lookups.
#pragma once

#include <cstdlib>
#include <memory>
#include <string>

#include "record/record.hpp"
#include "store/store.hpp"

namespace cg::fuzz {

inline constexpr const char* kCheckId = "c-00000000000000000000000000000001";

// `router`: the feedback items the listing makes (none by default).
inline std::unique_ptr<store::Store> make_store(const std::string& name, store::FeedbackRouter router = {}) {
  std::string dir = "/tmp/cg-fuzz-" + name + "-XXXXXX";
  if (!mkdtemp(dir.data())) std::abort();
  store::StoreOptions opts;
  opts.synchronous = "normal";  // every input may write: no fsync each
  auto s = store::open_sqlite_store(dir + "/gateway.db", opts);
  if (!s.ok()) std::abort();
  if (router) (*s)->feedback().set_router(std::move(router));
  Record r;
  r.kind = "dishonest_debtor";
  r.source.department = "court";
  r.source.source_key = "fuzz-1";
  r.record_id = compute_record_id("court", r.kind, "fuzz-1");
  r.version = 1;
  r.status = "active";
  r.subject.type = "legal_person";
  r.subject.name = "广元市某某商贸有限责任公司";
  r.subject.uscc = "91510802QEFLCR6390";
  r.subject.legal_representative = Person{"张三", "resident_id", "510802200011115368"};
  r.decision.decided_on = "2024-01-17";
  store::IngestBatch b;
  b.actor = "fuzz";
  b.source = "fuzz";
  b.origin = "local";
  b.records = {r};
  if (!(*s)->records().ingest(b).ok()) std::abort();
  store::StoredCheck c;
  c.check_id = kCheckId;
  c.department = "finance";
  c.actor = "department:finance/fuzz";
  c.scenario = "subsidy";
  c.purpose = "fuzz";
  c.on = "2026-12-05";
  c.catalog = "510800-2026@3";
  c.verdict = "restricted";
  c.subjects = 1;
  c.hits = 1;
  c.checked_at = "2026-12-05T10:00:00+08:00";
  c.answer = R"({"check_id":")" + std::string(kCheckId) +
             R"(","results":[{"verdict":"restricted","hits":[{"record_id":")" + r.record_id +
             R"(","version":1,"measures":[{"measure_id":"P-FIN-01"}]}]}]})";
  if (!(*s)->checks().add(c).ok()) std::abort();
  return std::move(s.value());
}

}  // namespace cg::fuzz
