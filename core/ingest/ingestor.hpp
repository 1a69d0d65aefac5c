// Takes one unit of department input to the store: map, validate, commit,
// and say what happened (the acknowledgement the adapter passes on).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "credit_gateway/plugin.h"
#include "ingest/mapping_registry.hpp"
#include "store/store.hpp"

namespace cg::ingest {

struct Unit {
  std::string source_id;
  std::string feed;
  std::string origin;
  std::string department;  // the sending plugin's department
  std::string actor;       // "adapter:<plugin>@<version>"
};

struct Ack {
  int status = CG_ACK_COMMITTED;  // CG_ACK_*
  nlohmann::json result;          // {"accepted", "unchanged", "records", "quarantined", "error"}
};

class Ingestor {
 public:
  Ingestor(store::Store& store, const MappingRegistry& mappings, size_t raw_limit)
      : store_(store), mappings_(mappings), raw_limit_(raw_limit) {}

  // The store commit happens before this returns: the ack is safe to pass on.
  Ack ingest(const Unit& unit, std::string_view bytes);

 private:
  store::Store& store_;
  const MappingRegistry& mappings_;
  size_t raw_limit_;
};

}  // namespace cg::ingest
