#include "gateway/config_check.hpp"

#include <filesystem>

#include "calendar/working_days.hpp"
#include "catalog/catalog_loader.hpp"
#include "common/tokens_file.hpp"
#include "ingest/mapping_registry.hpp"
#include "mapping/outbound.hpp"

namespace cg::gateway {

CheckedConfig check_config(const std::string& file) {
  CheckedConfig out;
  auto loaded = config::load_config(file);
  out.problems = std::move(loaded.problems);
  if (!loaded.config && !loaded.as_read) return out;  // not even a document
  const config::Config& cfg = loaded.config ? *loaded.config : *loaded.as_read;
  auto& problems = out.problems;

  ingest::MappingRegistry mappings;
  for (auto& p : mappings.load(cfg.mappings_dir, cfg.code_tables_dir)) problems.push_back(std::move(p));
  mapping::load_outbound_dir(cfg.mappings_dir, problems);
  for (const auto& [name, a] : cfg.adapters.items())
    if (a.is_object() && a.contains("feed") && a["feed"].is_string() && !mappings.find(a["feed"].get<std::string>()))
      problems.push_back(make_error(
          "config",
          "no mapping named '" + a["feed"].get<std::string>() + "' in " + cfg.mappings_dir + " serves this feed",
          file + ": /adapters/" + name + "/feed"));
  if (auto catalog = catalog::load_catalog(cfg.catalog_file, cfg.department_ids()); !catalog.ok())
    problems.push_back(catalog.error());
  if (auto calendar = calendar::WorkingDays::load_dir(cfg.calendar_dir); !calendar.ok())
    problems.push_back(calendar.error());
  if (!cfg.plugins.allowlist_file.empty() && !std::filesystem::exists(cfg.plugins.allowlist_file))
    problems.push_back(make_error("config",
                                  "the allowlist file " + cfg.plugins.allowlist_file +
                                      " does not exist (create it, empty, to allow no plugin yet)",
                                  file + ": /plugins/allowlist_file"));
  else if (auto digests = config::allowed_digests(cfg.plugins); !digests.ok())
    problems.push_back(digests.error());
  for (const auto& d : cfg.destinations)
    if (auto secret = config::resolve_secret(d); !secret.ok()) problems.push_back(secret.error());
  out.warnings = read_admin_tokens(cfg.admin_tokens_file).problems;
  for (auto& p : read_department_tokens(cfg.department_api_tokens_file, cfg.department_ids()).problems)
    out.warnings.push_back(std::move(p));

  if (problems.empty() && loaded.config) {
    out.mappings = mappings.names().size();
    out.config = std::move(*loaded.config);
  }
  return out;
}

std::vector<std::string> describe(const std::vector<Error>& problems) {
  std::vector<std::string> out;
  for (const auto& p : problems) out.push_back(p.where.empty() ? p.message : p.where + ": " + p.message);
  return out;
}

}  // namespace cg::gateway
