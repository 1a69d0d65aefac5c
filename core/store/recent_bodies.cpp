#include "store/recent_bodies.hpp"

namespace cg::store {

void RecentBodies::stage(int64_t rid, int64_t version, const std::string& body) {
  if (!enabled() || cost(body) > max_bytes_) return;
  staged_.emplace_back(Key{rid, version}, body);
  staged_bytes_ += cost(body);
  while (staged_bytes_ > max_bytes_) {
    staged_bytes_ -= cost(staged_.front().second);
    staged_.pop_front();
  }
}

void RecentBodies::publish() {
  for (auto& [key, body] : staged_) {
    const size_t added = cost(body);
    while (!order_.empty() && bytes_ + added > max_bytes_) {
      auto oldest = bodies_.find(order_.front());
      bytes_ -= cost(oldest->second);
      bodies_.erase(oldest);
      order_.pop_front();
    }
    auto [it, inserted] = bodies_.try_emplace(key, std::move(body));
    if (!inserted) continue;  // never seen: a committed version is written once
    bytes_ += added;
    order_.push_back(key);
  }
  discard();
}

const std::string* RecentBodies::find(int64_t rid, int64_t version) const {
  auto it = bodies_.find(Key{rid, version});
  return it == bodies_.end() ? nullptr : &it->second;
}

}  // namespace cg::store
