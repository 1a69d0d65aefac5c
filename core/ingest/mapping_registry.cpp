#include "ingest/mapping_registry.hpp"

#include <algorithm>
#include <filesystem>

namespace cg::ingest {

namespace fs = std::filesystem;

std::vector<Error> MappingRegistry::load(const std::string& dir, const std::string& code_tables_dir) {
  std::vector<Error> problems;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    problems.push_back(make_error("config", "mappings folder does not exist", dir));
    return problems;
  }
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(dir, ec); it != fs::recursive_directory_iterator(); ++it) {
    const auto& p = it->path();
    if (it->is_directory() && p.extension() == ".tests") {
      it.disable_recursion_pending();
      continue;
    }
    std::string fname = p.filename().string();
    bool outbound = fname.size() > 9 && fname.substr(fname.size() - 9) == ".out.json";
    if (it->is_regular_file() && p.extension() == ".json" && !outbound) files.push_back(p);
  }
  std::sort(files.begin(), files.end());
  std::map<std::string, std::unique_ptr<mapping::Mapper>> loaded;
  for (const auto& f : files) {
    auto r = mapping::load_mapping(f.string(), code_tables_dir);
    if (!r.spec) {
      problems.insert(problems.end(), r.problems.begin(), r.problems.end());
      continue;
    }
    if (loaded.count(r.spec->name)) {
      problems.push_back(make_error("mapping", "a second mapping named '" + r.spec->name + "'", f.string()));
      continue;
    }
    loaded[r.spec->name] = std::make_unique<mapping::Mapper>(r.spec);
  }
  by_name_ = std::move(loaded);
  return problems;
}

const mapping::Mapper* MappingRegistry::find(const std::string& name) const {
  // "court.sxbzxr" or "court.sxbzxr@3" (the revision must match then).
  auto at = name.find('@');
  auto it = by_name_.find(name.substr(0, at));
  if (it == by_name_.end()) return nullptr;
  if (at != std::string::npos && it->second->spec().id() != name) return nullptr;
  return it->second.get();
}

std::vector<std::string> MappingRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& [n, m] : by_name_) out.push_back(m->spec().id());
  return out;
}

}  // namespace cg::ingest
