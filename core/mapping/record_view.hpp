// One source record as the mapping engine sees it, whatever the format.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "mapping/quarantine_entry.hpp"
#include "mapping/spec.hpp"

namespace cg::mapping {

class RecordView {
 public:
  virtual ~RecordView() = default;
  // The text at a source path (XPath or JSON pointer), nullopt when absent.
  [[nodiscard]] virtual std::optional<std::string> get(const SourcePath& path) const = 0;
  // The record as received, UTF-8 (an XML element or a JSON object).
  [[nodiscard]] virtual std::string raw() const = 0;
  [[nodiscard]] virtual const char* format() const = 0;
  // Where the record is (file, index, line, path). May be costly (the line
  // is found by a scan): call it only for a record that is quarantined.
  [[nodiscard]] virtual SourceLocation where() const = 0;
  // Why this is not a record at all (a JSON string where an object belongs),
  // or nullopt.
  [[nodiscard]] virtual std::optional<std::string> shape_error() const { return std::nullopt; }
};

// Called once per record, in document order, after the whole input has been
// found well-formed.
using RecordVisitor = std::function<void(size_t record_spec, const RecordView& view)>;

// Readers: decode, check and parse a whole input, then visit its records.
// A failure means no record was visited.
std::optional<FileFailure> read_xml(std::string_view bytes, const std::string& label,
                                    const MappingSpec& spec, const RecordVisitor& visit);
std::optional<FileFailure> read_json(std::string_view bytes, const std::string& label,
                                     const MappingSpec& spec, const RecordVisitor& visit);

}  // namespace cg::mapping
