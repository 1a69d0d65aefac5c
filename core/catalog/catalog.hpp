// The joint reward and punishment catalog (联合奖惩目录清单) as data: which
// lists exist, and for each measure what triggers it, who applies it, in
// which matters, on what basis, and how fast the implementing department
// reports back. Nothing outside the catalog triggers a measure.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "record/record.hpp"

namespace cg::catalog {

struct ListInfo {
  std::string name;
  std::string type;      // black, red, watch
  std::string provider;  // a department, or "any"
};

struct Measure {
  std::string id;
  std::string name;
  std::string type;                                       // punishment (惩戒) or incentive (激励)
  std::vector<std::string> applies_to;                    // canonical kinds
  std::vector<std::string> subject_types;                 // canonical subject types
  bool extends_to_legal_representative = false;           // 落实到人
  std::vector<std::string> implementing;                  // departments that apply it and report back
  std::vector<std::string> scenarios;                     // matters (办理事项) it applies in
  std::string basis;                                      // legal basis, quoted wherever it is applied
  std::vector<std::pair<std::string, std::string>> when;  // canonical field -> value the record must also have
  int feedback_within_working_days = 0;

  [[nodiscard]] bool applies_to_kind(const std::string& kind) const;
  [[nodiscard]] bool applies_to_subject(const std::string& subject_type) const;
  // Its kind, its subject's type and the values `when` names (rule 1 of
  // catalog.md, "When a measure applies to a record"; status and period are
  // the caller's).
  [[nodiscard]] bool applies_to_record(const Record& r) const;
  [[nodiscard]] bool implemented_by(const std::string& department) const;
};

struct Catalog {
  std::string catalog_id;
  int64_t version = 0;
  std::string issued_by;
  std::string effective_from;                    // YYYY-MM-DD
  std::map<std::string, std::string> scenarios;  // id -> matter's name
  std::map<std::string, ListInfo> lists;         // canonical kind -> list
  std::vector<Measure> measures;
  std::string text;  // the file as loaded, kept with its version (store::CatalogLedger)

  // "catalog_id@version", which every item, check and statistic names.
  [[nodiscard]] std::string ref() const { return catalog_id + "@" + std::to_string(version); }
};

}  // namespace cg::catalog
