// One source record as the mapping engine sees it, whatever the format.
#pragma once

#include <optional>
#include <string>

#include "mapping/spec.hpp"
#include "record/quarantine_entry.hpp"

namespace cg::mapping {

class RecordView {
 public:
  virtual ~RecordView() = default;
  // Writes the text at a source path (XPath or JSON pointer) into `out`,
  // replacing what it held; false, and `out` unspecified, when absent.
  virtual bool get(const SourcePath& path, std::string& out) const = 0;
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

// What a reader hands the records of a well-formed input to.
class RecordVisitor {
 public:
  virtual ~RecordVisitor() = default;
  // A hint before a record path's records: about `count` records follow
  // (room for them can be made at once).
  virtual void expect(size_t count) { (void)count; }
  // Called once per record, in document order, after the whole input has
  // been found well-formed.
  virtual void visit(size_t record_spec, const RecordView& view) = 0;
};

// Readers: decode, check and parse a whole input, then visit its records.
// A failure means no record was visited.
std::optional<FileFailure> read_xml(std::string_view bytes, const std::string& label, const MappingSpec& spec,
                                    RecordVisitor& visit);
std::optional<FileFailure> read_json(std::string_view bytes, const std::string& label, const MappingSpec& spec,
                                     RecordVisitor& visit);

}  // namespace cg::mapping
