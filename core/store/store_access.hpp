// How a part of the gateway reaches the store: it hands a closure over the
// Store to call(), which runs it where the store lives. Behind the gateway's
// access is the StoreWriter (store_writer.hpp): one connection, one thread,
// every closure in arrival order. Commands and tests use DirectAccess.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "store/store.hpp"

namespace cg::store {

class StoreAccess {
 public:
  virtual ~StoreAccess() = default;

  // fn(store), run where the store lives; its result.
  template <class F>
  auto call(F&& fn) -> std::invoke_result_t<F&, Store&> {
    using R = std::invoke_result_t<F&, Store&>;
    if constexpr (std::is_void_v<R>) {
      run([&](Store& s) { fn(s); });
    } else {
      std::optional<R> out;
      run([&](Store& s) { out.emplace(fn(s)); });
      return std::move(*out);
    }
  }

 protected:
  // Runs job(store) and returns once it has run.
  virtual void run(const std::function<void(Store&)>& job) = 0;
};

// The store itself, called on the caller's thread: owned, or borrowed.
class DirectAccess final : public StoreAccess {
 public:
  explicit DirectAccess(std::unique_ptr<Store> store) : owned_(std::move(store)), store_(*owned_) {}
  explicit DirectAccess(Store& store) : store_(store) {}
  [[nodiscard]] Store& store() const { return store_; }

 protected:
  void run(const std::function<void(Store&)>& job) override { job(store_); }

 private:
  std::unique_ptr<Store> owned_;
  Store& store_;
};

}  // namespace cg::store
