// The text the store writes for a batch, made ahead of the write connection.
//
// The store has one write connection on one thread (store_writer.hpp), and
// that thread is the gateway's busiest: whatever it does not have to do for a
// record raises what the gateway takes. A record's content digest and body,
// and a quarantine entry's JSON and fingerprint, depend on nothing stored, so
// the ingest pipeline makes them on its mapping thread (make_texts) and the
// writer only binds them. A batch that comes without them (texts_ready()
// false: a replay, a platform's change) has them made by the store itself,
// through the same functions, so both ways store the same bytes.
#pragma once

#include <string>
#include <vector>

#include "record/quarantine_entry.hpp"
#include "record/record.hpp"

namespace cg::store {

struct BatchTexts {
  std::vector<std::string> digests;                  // content_digest of each record
  std::vector<std::string> new_bodies;               // its body as a new record: version 1 (the
                                                     // mapper gives that number; another is renumbered)
  std::vector<std::string> quarantine_entries;       // each entry as JSON text
  std::vector<std::string> quarantine_fingerprints;  // what finds it again when re-sent
};

// The fingerprint of a quarantined record: the same broken record sent again
// is the same open entry.
std::string quarantine_fingerprint(const QuarantineEntry& q);

// The texts of these records and quarantine entries, in their order.
BatchTexts make_texts(const std::vector<Record>& records, const std::vector<QuarantineEntry>& quarantined);

}  // namespace cg::store
