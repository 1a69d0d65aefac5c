// One store connection shared by several threads. Every call runs on the
// writer's own thread, one after the other in arrival order, so that the
// gateway's writers (the ingest pipeline, every delivery lane, the feedback
// relay and the scheduled jobs) use a single SQLite connection: its page
// cache stays warm (in WAL mode a connection drops its whole cache whenever
// another connection has committed) and its statements stay prepared.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>

#include "store/store.hpp"
#include "store/store_access.hpp"

namespace cg::store {

class StoreWriter : public std::enable_shared_from_this<StoreWriter> {
 public:
  // Starts the writer's thread; it ends when the last handle is gone.
  static std::shared_ptr<StoreWriter> start(std::unique_ptr<Store> store);
  ~StoreWriter();
  StoreWriter(const StoreWriter&) = delete;
  StoreWriter& operator=(const StoreWriter&) = delete;

  // An access whose every closure runs on the writer's thread (one per user).
  std::unique_ptr<StoreAccess> handle();

  // Runs fn(store) on the writer's thread and returns its result. A call
  // made from the writer's thread itself runs at once (no deadlock).
  template <class F>
  auto call(F&& fn) -> std::invoke_result_t<F, Store&> {
    if (std::this_thread::get_id() == thread_.get_id()) return fn(*store_);
    return submit([&fn](Store& s) { return fn(s); }).get();
  }

  // Runs fn(store) on the writer's thread and returns at once: the future
  // holds the result once the writer has come to it (in arrival order with
  // every other call). For a thread that must not wait behind the writer's
  // queue, such as the router's. Made on the writer's thread, it runs at once.
  template <class F>
  auto submit(F fn) -> std::future<std::invoke_result_t<F&, Store&>> {
    using R = std::invoke_result_t<F&, Store&>;
    auto task = std::make_shared<std::packaged_task<R()>>([fn = std::move(fn), this]() mutable { return fn(*store_); });
    auto done = task->get_future();
    if (std::this_thread::get_id() == thread_.get_id())
      (*task)();
    else
      post([task] { (*task)(); });
    return done;
  }

 private:
  explicit StoreWriter(std::unique_ptr<Store> store);
  void post(std::function<void()> job);
  void loop();

  std::unique_ptr<Store> store_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace cg::store
