#include "store/sqlite/wal_checkpointer.hpp"

#include "common/log.hpp"
#include "common/thread_name.hpp"

namespace cg::store {

Result<std::unique_ptr<WalCheckpointer>> WalCheckpointer::start(const std::string& path,
                                                                std::chrono::milliseconds every, int64_t restart_frames,
                                                                BetweenWrites between_writes) {
  auto db = sqlite::Db::open(path);
  if (!db.ok()) return db.error();
  return std::unique_ptr<WalCheckpointer>(
      new WalCheckpointer(std::move(db.value()), every, restart_frames, std::move(between_writes)));
}

WalCheckpointer::WalCheckpointer(sqlite::Db db, std::chrono::milliseconds every, int64_t restart_frames,
                                 BetweenWrites between_writes)
    : db_(std::move(db)),
      every_(every),
      restart_frames_(restart_frames),
      between_writes_(std::move(between_writes)),
      thread_([this] {
        name_this_thread("cg-checkpoint");
        loop();
      }) {}

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
  // PASSIVE copies what it can without blocking anyone. A log that a busy
  // writer keeps appending to is never found fully copied with nobody in it,
  // so it would never start over: past the limit, RESTART makes it start
  // again from its beginning.
  auto frames = run("PRAGMA wal_checkpoint(PASSIVE)");
  if (frames.in_log < restart_frames_) return;
  if (!between_writes_) {
    run("PRAGMA wal_checkpoint(RESTART)");
    return;
  }
  // A second passive pass copies what was committed during the first, so
  // that the writer waits only for the copy of what came after it.
  if (frames.copied < frames.in_log) run("PRAGMA wal_checkpoint(PASSIVE)");
  between_writes_([this] { restart_between_writes(); });
}

void WalCheckpointer::restart_between_writes() {
  // Run on the writer's thread: a reader still on an old snapshot (a long
  // export) would hold up the writer while the checkpoint waits for it, so a
  // short wait, and another try at the next turn.
  sqlite3_busy_timeout(db_.get(), 100);
  run("PRAGMA wal_checkpoint(RESTART)");
  sqlite3_busy_timeout(db_.get(), sqlite::kBusyTimeoutMs);
}

WalCheckpointer::Frames WalCheckpointer::run(const char* pragma) {
  sqlite::Stmt st(db_, pragma);  // one row: busy, frames in the log, frames copied
  auto row = st.ok() ? st.step() : Result<bool>(make_error("store", db_.last_error()));
  if (!row.ok()) {
    log::warn("store", std::string("WAL checkpoint failed: ") + row.error().message);
    return {};
  }
  if (!*row) return {};
  return {st.col_int(1), st.col_int(2)};
}

}  // namespace cg::store
