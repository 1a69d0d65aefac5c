// 目录清单: which kinds of record each department must receive to apply its
// measures (联合奖惩), and whether it gets the status changes of its own records.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/jsonc.hpp"
#include "common/result.hpp"
#include "store/store.hpp"

namespace cg::sync {

struct CatalogEntry {
  std::vector<std::string> receives;  // kinds, from any department or region
  bool own_status_changes = true;
};

struct Catalog {
  std::map<std::string, CatalogEntry> departments;
};

// Loads config/catalog.json; problems name the file and line.
Result<Catalog> load_catalog(const std::string& path);
Result<Catalog> load_catalog_document(const JsoncDocument& doc);

// The departments a record version goes back to, for an event.
store::FeedbackRouter make_feedback_router(const Catalog& catalog);

}  // namespace cg::sync
