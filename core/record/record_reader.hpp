// The one strict reader of canonical records from JSON, on simdjson's DOM:
// behind record_from_json and record_from_json_text (record.hpp), and used
// directly by whoever has already parsed a document holding many records
// (the platform simulator parses a batch of 1,000 once).
#pragma once

#include <simdjson.h>

#include "record/record.hpp"

namespace cg {

// Strict: an unknown field or a value of the wrong type is an error naming
// the field ("subject.legal_representative.idnumber"); the first one met in
// the document's order is reported.
Result<Record> record_from_element(simdjson::dom::element e);

}  // namespace cg
