// Applies a mapping to department input: canonical records out, broken
// records to quarantine, nothing dropped.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mapping/field_setter.hpp"
#include "mapping/spec.hpp"
#include "record/quarantine_entry.hpp"
#include "record/record.hpp"
#include "record/validator.hpp"

namespace cg::mapping {

struct MapOptions {
  std::string received_at;  // RFC 3339; empty = now
  ValidationOptions validation;
};

struct MapOutcome {
  std::vector<Record> records;
  std::vector<QuarantineEntry> quarantined;
  std::optional<FileFailure> failure;  // set: the input was not taken at all
};

class Mapper {
 public:
  explicit Mapper(std::shared_ptr<const MappingSpec> spec);

  [[nodiscard]] const MappingSpec& spec() const { return *spec_; }

  // Reads a file (its size is checked before it is read).
  [[nodiscard]] MapOutcome map_file(const std::string& path, const MapOptions& opts = {}) const;
  // Maps a document held in memory; `label` names it in locations.
  [[nodiscard]] MapOutcome map_bytes(std::string_view bytes, const std::string& label,
                                     const MapOptions& opts = {}) const;
  // Maps a quarantined record again, with this (possibly fixed) mapping.
  [[nodiscard]] MapOutcome replay(const QuarantineEntry& entry, const MapOptions& opts = {}) const;

 private:
  class RecordBuilder;
  std::shared_ptr<const MappingSpec> spec_;
  std::vector<std::vector<FieldSetter>> setters_;  // by record spec, then field: found once
};

}  // namespace cg::mapping
