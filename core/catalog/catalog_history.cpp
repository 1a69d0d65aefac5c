#include "catalog/catalog_history.hpp"

#include <algorithm>

#include "catalog/catalog_loader.hpp"
#include "common/log.hpp"

namespace cg::catalog {

CatalogHistory::CatalogHistory(Catalog configured) {
  versions_.push_back(std::make_shared<const Catalog>(std::move(configured)));
}

bool CatalogHistory::add_earlier(Catalog earlier) {
  const Catalog& top = configured();
  if (earlier.catalog_id != top.catalog_id || earlier.version >= top.version) return false;
  auto at = std::lower_bound(versions_.begin(), versions_.end(), earlier.version,
                             [](const auto& c, int64_t v) { return c->version < v; });
  if ((*at)->version == earlier.version) return false;
  versions_.insert(at, std::make_shared<const Catalog>(std::move(earlier)));
  return true;
}

const Catalog* CatalogHistory::governing(const std::string& date) const {
  for (auto it = versions_.rbegin(); it != versions_.rend(); ++it)
    if ((*it)->effective_from <= date) return it->get();
  return nullptr;
}

Result<CatalogHistory> history_from_ledger(Catalog configured, store::CatalogLedger& ledger) {
  const std::string prefix = configured.catalog_id + "@";
  CatalogHistory history(std::move(configured));
  auto kept = ledger.versions();
  if (!kept.ok()) return kept.error();
  for (const auto& v : *kept) {
    if (v.ref.rfind(prefix, 0) != 0 || v.ref == history.configured().ref()) continue;
    auto text = ledger.text(v.ref);
    if (!text.ok()) return text.error();
    if (!*text) continue;
    auto doc = JsoncDocument::parse(v.ref, **text);
    // Its departments were checked when it was loaded; a department since
    // taken out of the config does not make an earlier version unreadable.
    auto earlier = doc.ok() ? load_catalog_document(*doc, {}) : Result<Catalog>(doc.error());
    if (!earlier.ok()) {
      log::warn("catalog", "a kept catalog version no longer reads and governs nothing",
                {{"catalog", v.ref}, {"error", earlier.error().message}});
      continue;
    }
    history.add_earlier(std::move(*earlier));
  }
  return history;
}

Result<CatalogHistory> load_catalog_history(const std::string& path, const std::vector<std::string>& departments,
                                            store::CatalogLedger& ledger) {
  auto configured = load_catalog(path, departments);
  if (!configured.ok()) return configured.error();
  return history_from_ledger(std::move(*configured), ledger);
}

}  // namespace cg::catalog
