#include "store/store_writer.hpp"

#include "common/thread_name.hpp"

namespace cg::store {

namespace {

// What a user of the writer holds: each closure is run by the writer. It
// keeps the writer alive; the writer's thread ends with its last handle.
class WriterAccess final : public StoreAccess {
 public:
  explicit WriterAccess(std::shared_ptr<StoreWriter> w) : w_(std::move(w)) {}

 protected:
  void run(const std::function<void(Store&)>& job) override {
    w_->call([&job](Store& s) { job(s); });
  }

 private:
  std::shared_ptr<StoreWriter> w_;
};

}  // namespace

std::shared_ptr<StoreWriter> StoreWriter::start(std::unique_ptr<Store> store) {
  return std::shared_ptr<StoreWriter>(new StoreWriter(std::move(store)));  // private constructor: no make_shared
}

StoreWriter::StoreWriter(std::unique_ptr<Store> store) : store_(std::move(store)) {
  thread_ = std::thread([this] {
    name_this_thread("cg-store-writer");
    loop();
  });
}

StoreWriter::~StoreWriter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

std::unique_ptr<StoreAccess> StoreWriter::handle() {
  return std::make_unique<WriterAccess>(shared_from_this());
}

void StoreWriter::post(std::function<void()> job) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    jobs_.push_back(std::move(job));
  }
  cv_.notify_one();
}

void StoreWriter::loop() {
  while (true) {
    std::function<void()> job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stop_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // stopping with nothing left: no handle can post any more
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job();
  }
}

}  // namespace cg::store
