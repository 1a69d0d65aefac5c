// credit-gateway catalog lint FILE [--config FILE]   check a catalog file, every problem named
// credit-gateway catalog show --config FILE          the catalog the gateway loads, by department
#include <iostream>
#include <nlohmann/json.hpp>

#include "catalog/catalog_loader.hpp"
#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/config_file.hpp"
#include "config/config.hpp"

namespace cg::cli {

namespace {

nlohmann::ordered_json measure_json(const catalog::Measure& m) {
  nlohmann::ordered_json j{{"measure_id", m.id},
                           {"name", m.name},
                           {"type", m.type},
                           {"applies_to", m.applies_to},
                           {"subject_types", m.subject_types},
                           {"scenarios", m.scenarios},
                           {"extends_to_legal_representative", m.extends_to_legal_representative},
                           {"feedback_within_working_days", m.feedback_within_working_days},
                           {"basis", m.basis}};
  if (!m.when.empty()) {
    nlohmann::ordered_json w = nlohmann::ordered_json::object();
    for (const auto& [field, value] : m.when) w[field] = value;
    j["when"] = w;
  }
  return j;
}

// What `catalog show` prints: the catalog's identity, its lists and
// scenarios, and each implementing department's measures.
nlohmann::ordered_json describe(const catalog::Catalog& c) {
  nlohmann::ordered_json lists = nlohmann::ordered_json::object();
  for (const auto& [kind, l] : c.lists) lists[kind] = {{"name", l.name}, {"type", l.type}, {"provider", l.provider}};
  nlohmann::ordered_json by_department = nlohmann::ordered_json::object();
  for (const auto& m : c.measures)
    for (const auto& d : m.implementing) by_department[d].push_back(measure_json(m));
  return {{"catalog", c.ref()},       {"issued_by", c.issued_by}, {"effective_from", c.effective_from},
          {"scenarios", c.scenarios}, {"lists", lists},           {"measures_by_department", by_department}};
}

}  // namespace

int cmd_catalog(const Argv& argv) {
  const std::string usage =
      "usage: credit-gateway catalog lint FILE [--config FILE]\n"
      "       credit-gateway catalog show --config FILE\n";
  if (argv.empty() || (argv[0] != "lint" && argv[0] != "show")) {
    std::cerr << usage;
    return 2;
  }
  auto args = Args::parse(Argv(argv.begin() + 1, argv.end()), {"config"}, {});
  if (!args.ok()) {
    std::cerr << args.error().message << "\n" << usage;
    return 2;
  }
  std::optional<config::Config> cfg;
  if (auto file = args->get("config")) {
    cfg = load_config_reporting(*file);
    if (!cfg) return 2;
  }
  const bool lint = argv[0] == "lint";
  if (lint ? args->positional().size() != 1 : (!cfg || !args->positional().empty())) {
    std::cerr << usage;
    return 2;
  }
  const std::string file = lint ? args->positional()[0] : cfg->catalog_file;
  auto cat = catalog::load_catalog(file, cfg ? cfg->department_ids() : std::vector<std::string>{});
  if (!cat.ok()) {
    std::cerr << file << ": error: " << cat.error().message << "\n";
    return 1;
  }
  if (!lint) {
    std::cout << describe(*cat).dump(2) << "\n";
    return 0;
  }
  std::cout << file << ": catalog " << cat->ref() << ", effective from " << cat->effective_from << ": "
            << cat->measures.size() << " measure(s), " << cat->lists.size() << " list(s), " << cat->scenarios.size()
            << " scenario(s)\n";
  if (!cfg)
    std::cout << "(the departments it names are not checked against a config: give --config FILE to check them)\n";
  return 0;
}

}  // namespace cg::cli
