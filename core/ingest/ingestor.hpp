// Takes units of department input to the store: map, validate, commit, and
// say what happened (the acknowledgement the adapter passes on). Mapping and
// committing are separate steps so that the pipeline can map one unit while
// the store commits others, and commit several units in one transaction.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

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
  int64_t arrived_ms = 0;  // when the core received it (Unix ms)
};

struct Ack {
  int status = CG_ACK_COMMITTED;  // CG_ACK_*
  nlohmann::json result;          // {"accepted", "unchanged", "records", "quarantined", "error"}
};

// A unit mapped and ready for the store (or answered already: unknown feed).
struct Prepared {
  Unit unit;
  std::string label;  // where it came from, for logs and the audit
  std::string department, feed_id;
  bool answered = false;  // `early` is the answer; nothing to commit
  Ack early;
  store::IngestBatch batch;
  int64_t map_ms = 0;
  // A unit of feed CG_FEED_EXECUTION_FEEDBACK: the department's execution
  // feedback (department-api.md §5 body), taken by the FeedbackTaker.
  bool feedback = false;
  std::string feedback_body;
};

// Takes a department's execution feedback into the store (committed before
// it returns): the department API's answer, {"results": [...]}, or an error
// of code "bad_request" for a body that is not a feedback document.
using FeedbackTaker = std::function<Result<nlohmann::json>(store::Store& store, const std::string& department,
                                                           const std::string& actor, std::string_view body)>;

class Ingestor {
 public:
  Ingestor(const MappingRegistry& mappings, size_t raw_limit, FeedbackTaker feedback = {})
      : mappings_(mappings), raw_limit_(raw_limit), feedback_(std::move(feedback)) {}

  // Maps a unit; no store access. Safe to call from another thread than commit().
  // Never throws: a unit that cannot be mapped is refused and kept in quarantine.
  [[nodiscard]] Prepared prepare(const Unit& unit, std::string_view bytes) const;
  // Commits prepared units in one transaction; if that fails, each on its
  // own, so that one unit the store refuses does not hold back the others.
  // The commit happens before this returns: the acks are safe to pass on.
  // Never throws: a store that throws has failed the commit.
  std::vector<Ack> commit(store::Store& store, std::vector<Prepared>& units) const;

 private:
  [[nodiscard]] Prepared prepare_unguarded(const Unit& unit, std::string_view bytes) const;
  [[nodiscard]] Prepared refused(const Unit& unit, std::string_view bytes, const std::string& why) const;
  Ack answer(const Prepared& p, const Result<store::IngestResult>& committed, int64_t commit_ms) const;
  Ack take_feedback(store::Store& store, const Prepared& p) const;

  const MappingRegistry& mappings_;
  size_t raw_limit_;
  FeedbackTaker feedback_;
};

}  // namespace cg::ingest
