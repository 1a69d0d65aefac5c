// The catalog file (目录清单, docs/joint-loop.md) loaded and checked whole:
// unknown keys, kinds that are not canonical, a measure naming a kind,
// scenario or department that is not declared, a duplicate measure id. A
// file with any problem is refused with every problem named (file:line), and
// whoever loads it keeps the catalog it had.
#pragma once

#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "common/jsonc.hpp"
#include "common/result.hpp"

namespace cg::catalog {

// `departments`: the departments a catalog may name (the gateway's
// config::Config::department_ids()); empty: any lower-case identifier (a
// lint without the config).
Result<Catalog> load_catalog(const std::string& path, const std::vector<std::string>& departments);
Result<Catalog> load_catalog_document(const JsoncDocument& doc, const std::vector<std::string>& departments);

}  // namespace cg::catalog
