#include "common/log_throttle.hpp"

#include <algorithm>

namespace cg::log {

RepeatThrottle::Decision RepeatThrottle::admit(const std::string& key, Clock::time_point now) {
  if (seen_.size() >= kMaxKeys && !seen_.count(key)) seen_.clear();  // many distinct messages: none is repeated much
  auto [it, fresh] = seen_.try_emplace(key);
  Seen& s = it->second;
  if (!fresh && now < s.next_allowed) {
    ++s.held;
    return {false, 0, 0};
  }
  Decision d;
  if (!fresh) {
    d.repeated = s.held;
    d.over_seconds = std::chrono::duration_cast<std::chrono::seconds>(now - s.last_written).count();
    // Quiet for a whole interval past the last allowed time: start over.
    s.interval = now >= s.next_allowed + s.interval ? kFirst : std::min(kLongest, s.interval * 2);
  }
  s.held = 0;
  s.last_written = now;
  s.next_allowed = now + s.interval;
  return d;
}

}  // namespace cg::log
