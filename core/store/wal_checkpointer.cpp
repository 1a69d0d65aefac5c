#include "store/wal_checkpointer.hpp"

#include "common/log.hpp"

namespace cg::store {

Result<std::unique_ptr<WalCheckpointer>> WalCheckpointer::start(const std::string& path,
                                                                std::chrono::milliseconds every) {
  auto db = sqlite::Db::open(path);
  if (!db.ok()) return db.error();
  if (auto s = db->exec("PRAGMA busy_timeout=5000"); !s) return s.error();
  return std::unique_ptr<WalCheckpointer>(new WalCheckpointer(std::move(db.value()), every));
}

WalCheckpointer::WalCheckpointer(sqlite::Db db, std::chrono::milliseconds every)
    : db_(std::move(db)), every_(every), thread_([this] { loop(); }) {}

WalCheckpointer::~WalCheckpointer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void WalCheckpointer::loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    cv_.wait_for(lock, every_, [this] { return stop_; });
    lock.unlock();
    checkpoint_once();  // also once more on stop
    lock.lock();
  }
}

void WalCheckpointer::checkpoint_once() {
  // Through the pragma, not sqlite3_wal_checkpoint_v2(): the pragma reads the
  // schema first, without which a fresh connection has no WAL to checkpoint.
  if (auto s = db_.exec("PRAGMA wal_checkpoint(PASSIVE)"); !s)
    log::warn("store", "WAL checkpoint failed: " + s.error().message);
}

}  // namespace cg::store
