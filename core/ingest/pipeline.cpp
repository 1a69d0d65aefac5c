#include "ingest/pipeline.hpp"

#include "common/log.hpp"
#include "common/thread_name.hpp"

namespace cg::ingest {

IngestPipeline::IngestPipeline(std::unique_ptr<store::StoreAccess> store, const Ingestor& ingestor,
                               PipelineOptions opts)
    : store_(std::move(store)), ingestor_(ingestor), opts_(opts) {
  mapper_ = std::thread([this] {
    name_this_thread("cg-map");
    map_loop();
  });
  committer_ = std::thread([this] {
    name_this_thread("cg-commit");
    commit_loop();
  });
}

IngestPipeline::~IngestPipeline() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  mapper_.join();
  committer_.join();
}

void IngestPipeline::submit(std::string identity, Unit unit, UnitBytes bytes) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    incoming_.push_back({std::move(identity), std::move(unit), std::move(bytes)});
    ++in_flight_;
  }
  cv_.notify_all();
}

std::vector<IngestPipeline::Finished> IngestPipeline::take_finished() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<Finished> out;
  out.swap(finished_);
  in_flight_ -= out.size();
  cv_.notify_all();
  return out;
}

size_t IngestPipeline::in_flight() const {
  std::lock_guard<std::mutex> lock(mu_);
  return in_flight_;
}

void IngestPipeline::drain() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock,
           [this] { return incoming_.empty() && mapped_.empty() && !mapping_ && finished_.size() == in_flight_; });
}

void IngestPipeline::map_loop() {
  while (true) {
    Incoming in;
    {
      std::unique_lock<std::mutex> lock(mu_);
      // Stop only when nothing is left: a unit handed in is always finished.
      cv_.wait(lock, [this] {
        return !spent_.empty() ||
               (!incoming_.empty() && (mapped_.empty() || queued_records_ < opts_.max_queued_records)) ||
               (stop_ && incoming_.empty());
      });
      if (!spent_.empty()) {
        auto spent = std::move(spent_);
        spent_.clear();
        lock.unlock();
        spent.clear();  // freed first: the memory of one group at a time
        continue;
      }
      if (incoming_.empty()) return;
      in = std::move(incoming_.front());
      incoming_.pop_front();
      mapping_ = true;
    }
    Mapped m{std::move(in.identity), ingestor_.prepare(in.unit, in.bytes.view)};
    {
      std::lock_guard<std::mutex> lock(mu_);
      queued_records_ += m.prepared.batch.records.size();
      mapped_.push_back(std::move(m));
      mapping_ = false;
    }
    cv_.notify_all();
  }
}

void IngestPipeline::commit_loop() {
  while (true) {
    std::vector<Mapped> group;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return !mapped_.empty() || (stop_ && incoming_.empty() && !mapping_); });
      if (mapped_.empty()) return;  // stopping, and every unit handed in is finished
      // What has queued up goes in one transaction.
      size_t records = 0;
      while (!mapped_.empty() && group.size() < opts_.max_group_units &&
             (group.empty() || records + mapped_.front().prepared.batch.records.size() <= opts_.max_group_records)) {
        records += mapped_.front().prepared.batch.records.size();
        queued_records_ -= mapped_.front().prepared.batch.records.size();
        group.push_back(std::move(mapped_.front()));
        mapped_.pop_front();
      }
    }
    cv_.notify_all();  // room for the mapper
    std::vector<Prepared> units;
    units.reserve(group.size());
    for (auto& g : group) units.push_back(std::move(g.prepared));
    auto acks = store_->call([&](store::Store& s) { return ingestor_.commit(s, units); });
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (size_t i = 0; i < group.size(); ++i)
        finished_.push_back({std::move(group[i].identity), units[i].unit.source_id, std::move(acks[i])});
      spent_.push_back(std::move(units));
    }
    cv_.notify_all();
  }
}

}  // namespace cg::ingest
