#include "sync/catalog.hpp"

#include <algorithm>

#include "common/json_check.hpp"
#include "record/record.hpp"

namespace cg::sync {

Result<Catalog> load_catalog(const std::string& path) {
  auto doc = JsoncDocument::load_file(path);
  if (!doc.ok()) return doc.error();
  return load_catalog_document(*doc);
}

Result<Catalog> load_catalog_document(const JsoncDocument& doc) {
  JsonChecker c(doc);
  Catalog cat;
  const auto& j = doc.value();
  if (c.keys(j, "", {"description", "departments"}, "the catalog") && j.contains("departments")) {
    for (const auto& [dept, e] : j["departments"].items()) {
      std::string ptr = pointer_append("/departments", dept);
      if (!c.keys(e, ptr, {"receives", "own_status_changes", "description"}, "a catalog entry")) continue;
      CatalogEntry entry;
      if (e.contains("receives")) {
        const auto& r = e["receives"];
        for (size_t i = 0; r.is_array() && i < r.size(); ++i) {
          std::string k = r[i].is_string() ? r[i].get<std::string>() : "";
          if (!is_known_kind(k))
            c.problem(ptr + "/receives/" + std::to_string(i), "'" + k + "' is not a canonical kind");
          else
            entry.receives.push_back(k);
        }
      }
      if (auto b = c.boolean(e, "own_status_changes", ptr)) entry.own_status_changes = *b;
      cat.departments[dept] = entry;
    }
  }
  if (!c.problems.empty()) return c.problems.front();
  return cat;
}

store::FeedbackRouter make_feedback_router(const Catalog& catalog) {
  return [catalog](const Record& r, const std::string& event, const std::string& origin) {
    std::vector<std::string> out;
    const bool local = origin.rfind("platform:", 0) != 0;
    for (const auto& [dept, e] : catalog.departments) {
      if (dept == r.source.department && local) {
        if (event == "status_changed" && e.own_status_changes) out.push_back(dept);
        continue;  // a department does not get back what it sent itself
      }
      if (std::find(e.receives.begin(), e.receives.end(), r.kind) != e.receives.end()) out.push_back(dept);
    }
    return out;
  };
}

}  // namespace cg::sync
