// Every mapping in the mappings folder, by name.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "mapping/mapper.hpp"

namespace cg::ingest {

class MappingRegistry {
 public:
  // Loads every *.json under `dir` (not inside *.tests folders). Mappings
  // with problems are left out; their problems are returned.
  std::vector<Error> load(const std::string& dir, const std::string& code_tables_dir);

  [[nodiscard]] const mapping::Mapper* find(const std::string& name) const;
  [[nodiscard]] std::vector<std::string> names() const;

 private:
  std::map<std::string, std::unique_ptr<mapping::Mapper>> by_name_;
};

}  // namespace cg::ingest
