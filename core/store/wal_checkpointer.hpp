// Copies the SQLite write-ahead log back into the database file on a thread
// of its own, so that the write connection's commits never wait for it.
// The write connection opens with `StoreOptions.background_checkpoint`
// (no automatic checkpoint); the other connections keep SQLite's automatic
// one. PASSIVE checkpoints never block readers or writers; once the log holds
// `restart_frames` pages, a RESTART checkpoint makes it start over (the next
// writer waits for that one).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/result.hpp"
#include "store/sqlite.hpp"

namespace cg::store {

class WalCheckpointer {
 public:
  // Opens its own connection to the store at `path`.
  static Result<std::unique_ptr<WalCheckpointer>> start(const std::string& path,
                                                        std::chrono::milliseconds every,
                                                        int64_t restart_frames = 16384);
  ~WalCheckpointer();  // stops the thread, after one last checkpoint
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

 private:
  WalCheckpointer(sqlite::Db db, std::chrono::milliseconds every, int64_t restart_frames);
  void loop();
  void checkpoint_once();
  int64_t run(const char* pragma);  // frames in the log

  sqlite::Db db_;
  std::chrono::milliseconds every_;
  int64_t restart_frames_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace cg::store
