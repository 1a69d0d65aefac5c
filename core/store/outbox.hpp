// The outbox port: delivery to the platforms, an entry per (destination,
// record version), sent in batches; the dead letters that platforms refused;
// the figures of what was delivered, for reconciliation.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.hpp"
#include "record/record.hpp"
#include "store/batch_queue.hpp"

namespace cg::store {

struct DeadLetterFilter {
  std::string destination, record_id, error_code;
  std::string from, to;  // RFC 3339 bounds on dead_at; empty = open
  std::optional<int64_t> id;
  size_t limit = 1000;
};

struct DeadLetter {
  int64_t id = 0;
  std::string destination, record_id, error_code, error_field, error_message, dead_at, body;
  int64_t version = 0;
  int64_t attempts = 0;
};

struct OutboxStats {
  int64_t pending = 0, inflight = 0, dead = 0;
  int64_t oldest_pending_age_s = 0;
};

struct ReconcileFigures {
  int64_t count = 0;
  std::string digest;  // hex SHA-256 of "record_id:version\n" lines sorted by record_id
  std::vector<std::pair<std::string, int64_t>> records;
};

// Which destinations a stored record version goes to. Records that came from
// a platform ("platform:<name>" origin) must not be routed back to it.
using OutboxRouter = std::function<std::vector<std::string>(const Record& r, const std::string& origin)>;

class Outbox : public BatchQueue {
 public:
  // The destinations of every version written from now on (none without one).
  virtual void set_router(OutboxRouter router) = 0;

  virtual Result<OutboxStats> stats(const std::string& destination) = 0;

  virtual Result<std::vector<DeadLetter>> dead_letters(const DeadLetterFilter& f) = 0;
  // Back to the queue with the same record version, audited; returns how many.
  virtual Result<int64_t> replay_dead_letters(const DeadLetterFilter& f, const std::string& actor) = 0;
  // Queues the current version of a record for a destination again, audited.
  virtual Status requeue(const std::string& destination, const std::string& record_id, const std::string& actor) = 0;
  // The records whose newest accepted version reached `destination` on `date` (CST).
  virtual Result<ReconcileFigures> delivered_on(const std::string& destination, const std::string& date) = 0;
};

}  // namespace cg::store
