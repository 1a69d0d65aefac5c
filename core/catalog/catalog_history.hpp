// Which catalog version governs a day (catalog.md, effective_from): the
// highest version in effect on that day, so that a version published ahead
// of its date waits for it while the one before keeps governing. The
// configured file is the newest version that counts: versions numbered above
// it (a catalog rolled back) govern nothing.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "common/result.hpp"
#include "store/catalog_ledger.hpp"

namespace cg::catalog {

class CatalogHistory {
 public:
  explicit CatalogHistory(Catalog configured);

  // An earlier version of the configured catalog (same catalog_id, lower
  // version); any other is passed over (false).
  bool add_earlier(Catalog earlier);
  // The version governing `date` (YYYY-MM-DD), or nullptr before the first
  // effective_from: no catalog, no measure.
  [[nodiscard]] const Catalog* governing(const std::string& date) const;
  [[nodiscard]] const Catalog& configured() const { return *versions_.back(); }

 private:
  std::vector<std::shared_ptr<const Catalog>> versions_;  // by version; the configured one last
};

// The configured catalog with the earlier versions of it that the ledger
// keeps (each as it was loaded; one that no longer reads is named in the log
// and passed over).
Result<CatalogHistory> history_from_ledger(Catalog configured, store::CatalogLedger& ledger);

// The catalog file at `path` with the ledger's earlier versions of it (what
// the check API and command read; the gateway's start keeps the file's
// version in the ledger).
Result<CatalogHistory> load_catalog_history(const std::string& path, const std::vector<std::string>& departments,
                                            store::CatalogLedger& ledger);

}  // namespace cg::catalog
