// Copies the SQLite write-ahead log back into the database file on a thread
// of its own, so that the write connection's commits never wait for it.
// The write connection opens with `StoreOptions.background_checkpoint`
// (no automatic checkpoint); the other connections keep SQLite's automatic
// one. PASSIVE checkpoints never block readers or writers; once the log holds
// `restart_frames` pages, a RESTART checkpoint makes it start over. Given
// `between_writes` (which runs a function on the store writer's thread between
// two of its calls, StoreWriter), the RESTART runs there, where no write
// transaction is open: made from the checkpointer's own thread it waits for a
// gap between the writer's transactions that a busy writer seldom leaves, and
// then holds the writer up while it copies all that was committed meanwhile
// (up to 7.7 s and a log of 1.1 GiB, measured while a backlog was built).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/result.hpp"
#include "store/sqlite/db.hpp"

namespace cg::store {

class WalCheckpointer {
 public:
  // 256 MiB of 4 KiB pages. The RESTART copies, on the writer's thread, what
  // was committed since the last passive pass: about one transaction. At 64
  // MiB a 10,000-record transaction into a store of a million records (some
  // 19,000 pages, most of them its random indexes') passed the limit on its
  // own, so the writer copied half of the log itself; at 256 MiB it copies
  // about a quarter, and pages rewritten by several transactions are copied
  // once (900,000 records: 43.4-47.3 s against 46.8-50.0 s).
  static constexpr int64_t kRestartFrames = 65536;
  // Runs the function it is given while no write transaction is open.
  using BetweenWrites = std::function<void(const std::function<void()>&)>;
  // Opens its own connection to the store at `path`.
  static Result<std::unique_ptr<WalCheckpointer>> start(const std::string& path, std::chrono::milliseconds every,
                                                        int64_t restart_frames = kRestartFrames,
                                                        BetweenWrites between_writes = {});
  ~WalCheckpointer();  // stops the thread, after one last checkpoint
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

 private:
  WalCheckpointer(sqlite::Db db, std::chrono::milliseconds every, int64_t restart_frames, BetweenWrites between_writes);
  void loop();
  void checkpoint_once();
  void restart_between_writes();
  struct Frames {
    int64_t in_log = 0, copied = 0;
  };
  Frames run(const char* pragma);

  sqlite::Db db_;
  std::chrono::milliseconds every_;
  int64_t restart_frames_;
  BetweenWrites between_writes_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace cg::store
