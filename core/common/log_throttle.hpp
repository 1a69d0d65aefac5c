// Repeated identical warnings and errors (a full disk, a missing endpoint)
// are written with backoff, not thousands of times a minute: the first at
// once, then at most one line per interval (1 s, doubling up to 60 s) that
// says how often it came in between. A message quiet for its interval starts
// over at 1 s.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <unordered_map>

namespace cg::log {

class RepeatThrottle {
 public:
  using Clock = std::chrono::steady_clock;

  struct Decision {
    bool write = true;
    int64_t repeated = 0;      // written: how many were held back since the last line of this key
    int64_t over_seconds = 0;  // ... over this many seconds
  };

  Decision admit(const std::string& key, Clock::time_point now);

 private:
  struct Seen {
    Clock::time_point last_written;
    Clock::time_point next_allowed;
    std::chrono::milliseconds interval{1000};
    int64_t held = 0;
  };
  static constexpr std::chrono::milliseconds kFirst{1000};
  static constexpr std::chrono::milliseconds kLongest{60000};
  static constexpr size_t kMaxKeys = 4096;  // distinct messages remembered
  std::unordered_map<std::string, Seen> seen_;
};

}  // namespace cg::log
