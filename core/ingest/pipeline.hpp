// The gateway's ingest path, off the router thread: one thread maps units as
// they arrive, another commits what is mapped, several units per transaction
// when they queue up (one durable commit for all). The router thread only
// hands units in and takes acknowledgements out, so heartbeats and other
// plugins are served while a large unit is mapped or committed.
//
// Order is kept: units are committed, and answered, in the order they came.
// Memory is bounded: mapped records wait between the two steps only up to
// `max_queued_records` (the plugins' max_inflight bounds the raw units).
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "ingest/ingestor.hpp"
#include "store/store_access.hpp"

namespace cg::ingest {

// A unit's bytes as they were received, kept by their owner (the router's
// ZeroMQ message) until the unit is mapped: a unit of a few MB is not copied
// on its way from the router thread to the mapping thread.
struct UnitBytes {
  std::shared_ptr<const void> owner;
  std::string_view view;

  static UnitBytes copy_of(std::string bytes) {
    auto s = std::make_shared<const std::string>(std::move(bytes));
    return {s, *s};
  }
};

struct PipelineOptions {
  size_t max_queued_records = 10000;  // mapped records waiting for the store, at most
  size_t max_group_units = 32;        // units per transaction, at most
  // Records per transaction, at most: 10,000 (one unit of a court file; two
  // such units and their texts had taken the backlog run to 297 MiB).
  size_t max_group_records = 10000;
};

class IngestPipeline {
 public:
  struct Finished {
    std::string identity;  // the plugin host that sent the unit
    std::string source_id;
    Ack ack;
  };

  // `store`: a handle the commit thread alone uses (in the gateway, one of
  // the write connection's, store/store_writer).
  IngestPipeline(std::unique_ptr<store::StoreAccess> store, const Ingestor& ingestor, PipelineOptions opts = {});
  ~IngestPipeline();  // finishes every unit handed in, then stops
  IngestPipeline(const IngestPipeline&) = delete;
  IngestPipeline& operator=(const IngestPipeline&) = delete;

  void submit(std::string identity, Unit unit, UnitBytes bytes);
  void submit(std::string identity, Unit unit, std::string bytes) {
    submit(std::move(identity), std::move(unit), UnitBytes::copy_of(std::move(bytes)));
  }
  // Acknowledgements of committed (or refused) units, in order.
  std::vector<Finished> take_finished();
  // Units handed in and not yet taken out with take_finished().
  [[nodiscard]] size_t in_flight() const;
  // Waits until every unit handed in is finished.
  void drain();

 private:
  struct Incoming {
    std::string identity;
    Unit unit;
    UnitBytes bytes;
  };
  struct Mapped {
    std::string identity;
    Prepared prepared;
  };
  void map_loop();
  void commit_loop();

  std::unique_ptr<store::StoreAccess> store_;
  const Ingestor& ingestor_;
  PipelineOptions opts_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Incoming> incoming_;
  std::deque<Mapped> mapped_;
  std::vector<Finished> finished_;
  // Committed units, freed by the mapper, whose thread allocated their
  // records: not by the committer while the writer waits for its next group.
  std::vector<std::vector<Prepared>> spent_;
  size_t in_flight_ = 0;
  size_t queued_records_ = 0;  // records in mapped_
  bool mapping_ = false;       // the mapper holds a unit taken from incoming_
  bool stop_ = false;
  std::thread mapper_, committer_;
};

}  // namespace cg::ingest
