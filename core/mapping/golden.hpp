// Golden cases for mappings: an input sample and its expected canonical
// output kept beside the mapping, run by `credit-gateway mapping test`.
//
//   mappings/court/sxbzxr.json
//   mappings/court/sxbzxr.tests/<case>/input.xml        (input*, any name)
//   mappings/court/sxbzxr.tests/<case>/expected.jsonl   (canonical records)
//   mappings/court/sxbzxr.tests/<case>/quarantine.jsonl (record_index, rule, field, record_id)
#pragma once

#include <string>
#include <vector>

namespace cg::mapping {

struct GoldenResult {
  std::string mapping_file;
  std::string case_name;  // empty for a mapping-level problem (lint, no cases)
  bool passed = false;
  std::string report;  // the diff, or the problems
};

// Runs every case under `dir` (a mapping file or a folder searched
// recursively). With `update`, writes the actual output as the expectation.
std::vector<GoldenResult> run_golden_tests(const std::string& dir, const std::string& code_table_dir, bool update);

// The fixed instant golden cases are mapped at.
inline constexpr const char* kGoldenReceivedAt = "2024-01-01T00:00:00+08:00";

}  // namespace cg::mapping
