// The catalog ledger port: every catalog version (目录清单) the gateway ever
// loaded, with its text, so that an item, a check or a statistic that names
// catalog_id@version can be read against the rules that governed it. A
// published version is never edited: another text under a version already
// kept is refused.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace cg::store {

struct CatalogVersion {
  std::string ref;  // catalog_id@version
  std::string effective_from;
  std::string digest;  // SHA-256 of its text
  std::string loaded_at;
};

class CatalogLedger {
 public:
  virtual ~CatalogLedger() = default;

  // Keeps a version's text the first time it is loaded, and audits it (true);
  // the same text again keeps nothing (false).
  virtual Result<bool> keep(const std::string& ref, const std::string& effective_from, const std::string& text) = 0;
  // Oldest first.
  virtual Result<std::vector<CatalogVersion>> versions() = 0;
  virtual Result<std::optional<std::string>> text(const std::string& ref) = 0;
};

}  // namespace cg::store
