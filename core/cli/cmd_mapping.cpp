// credit-gateway mapping lint FILE...
// credit-gateway mapping test [--update] [DIR]
#include <filesystem>
#include <iostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "mapping/golden.hpp"
#include "mapping/spec.hpp"

namespace cg::cli {

namespace fs = std::filesystem;

std::string find_code_table_dir(const std::string& explicit_dir, const std::string& near_file) {
  if (!explicit_dir.empty()) return explicit_dir;
  if (fs::is_directory("config/code-tables")) return "config/code-tables";
  std::error_code ec;
  fs::path p = fs::absolute(near_file, ec).parent_path();
  for (int i = 0; i < 6 && !p.empty(); ++i, p = p.parent_path()) {
    if (fs::is_directory(p / "config" / "code-tables")) return (p / "config" / "code-tables").string();
    if (p == p.parent_path()) break;
  }
  return {};
}

namespace {

int lint(const Argv& argv) {
  auto args = Args::parse(argv, {"tables"}, {});
  if (!args.ok() || args->positional().empty()) {
    std::cerr << (args.ok() ? "usage: credit-gateway mapping lint [--tables DIR] FILE..." : args.error().message)
              << "\n";
    return 2;
  }
  int bad = 0;
  for (const auto& file : args->positional()) {
    auto loaded = mapping::load_mapping(file, find_code_table_dir(args->get_or("tables", ""), file));
    if (loaded.spec) {
      std::cout << file << ": ok (" << loaded.spec->id() << ", " << loaded.spec->records.size() << " record path(s))\n";
      continue;
    }
    ++bad;
    for (const auto& p : loaded.problems) std::cerr << p.where << ": error: " << p.message << "\n";
  }
  return bad ? 1 : 0;
}

int test(const Argv& argv) {
  auto args = Args::parse(argv, {"tables"}, {"update"});
  if (!args.ok()) {
    std::cerr << args.error().message << "\n";
    return 2;
  }
  std::string dir = args->positional().empty() ? "mappings" : args->positional().front();
  auto results =
      mapping::run_golden_tests(dir, find_code_table_dir(args->get_or("tables", ""), dir), args->flag("update"));
  size_t passed = 0, failed = 0;
  for (const auto& r : results) {
    std::string name = r.mapping_file + (r.case_name.empty() ? "" : " [" + r.case_name + "]");
    if (r.passed) {
      ++passed;
      std::cout << "PASS " << name << "\n";
    } else {
      ++failed;
      std::cout << "FAIL " << name << "\n" << r.report;
    }
  }
  if (results.empty()) {
    std::cerr << "mapping test: no golden cases found under " << dir << "\n";
    return 1;
  }
  std::cout << "mapping test: " << passed << " case(s) passed, " << failed << " failed\n";
  return failed ? 1 : 0;
}

}  // namespace

int cmd_mapping(const Argv& argv) {
  if (argv.empty()) {
    std::cerr << "usage: credit-gateway mapping lint FILE... | mapping test [--update] [DIR]\n";
    return 2;
  }
  Argv rest(argv.begin() + 1, argv.end());
  if (argv[0] == "lint") return lint(rest);
  if (argv[0] == "test") return test(rest);
  std::cerr << "unknown mapping command '" << argv[0] << "' (lint, test)\n";
  return 2;
}

}  // namespace cg::cli
