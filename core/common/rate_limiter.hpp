// A token bucket per client key (an address): `per_minute` calls a minute
// on average, as many at once; the buckets of clients gone quiet are
// dropped when there are many, so that a scan from many addresses cannot
// grow it without bound.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace cg {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  explicit RateLimiter(int64_t per_minute) : per_minute_(static_cast<double>(per_minute)) {}

  // Whether `key` may make one more call now; when not, the seconds until it may.
  bool allow(const std::string& key, Clock::time_point now, int64_t* retry_after_s = nullptr) {
    std::lock_guard<std::mutex> lock(mu_);
    if (buckets_.size() > kMaxKeys) forget_full(now);
    auto [it, fresh] = buckets_.try_emplace(key, Bucket{per_minute_, now});
    Bucket& b = it->second;
    if (!fresh) {
      b.tokens = std::min(per_minute_, b.tokens + seconds(now - b.at) * per_minute_ / 60);
      b.at = now;
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return true;
    }
    if (retry_after_s) *retry_after_s = static_cast<int64_t>((1 - b.tokens) * 60 / per_minute_) + 1;
    return false;
  }

 private:
  static constexpr size_t kMaxKeys = 10000;
  struct Bucket {
    double tokens;
    Clock::time_point at;
  };
  static double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

  void forget_full(Clock::time_point now) {
    std::erase_if(buckets_, [&](const auto& kv) {
      return kv.second.tokens + seconds(now - kv.second.at) * per_minute_ / 60 >= per_minute_;
    });
  }

  double per_minute_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace cg
