// A market-regulation penalty record, as the store's tests use it.
#pragma once

#include <string>

#include "record/record.hpp"

namespace cg::test {

inline Record sample_record(const std::string& key, int64_t fine = 100) {
  Record r;
  r.kind = "admin_penalty";
  r.source.department = "market_regulation";
  r.source.source_key = key;
  r.record_id = compute_record_id("market_regulation", "admin_penalty", key);
  r.subject.type = "legal_person";
  r.subject.name = "某公司";
  r.subject.uscc = "91510802QEFLCR6390";
  r.decision.decided_on = "2024-01-17";
  r.detail.fine_fen = fine;
  return r;
}

}  // namespace cg::test
