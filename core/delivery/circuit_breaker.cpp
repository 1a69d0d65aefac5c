#include "delivery/circuit_breaker.hpp"

#include <algorithm>

namespace cg::delivery {

std::string_view to_string(CircuitState s) {
  switch (s) {
    case CircuitState::Closed:
      return "closed";
    case CircuitState::Open:
      return "open";
    case CircuitState::HalfOpen:
      return "half_open";
  }
  return "closed";
}

CircuitBreaker::Gate CircuitBreaker::before_send(Clock::time_point now) {
  if (state_ == CircuitState::Open) {
    if (now < open_until_) return Gate::Wait;
    state_ = CircuitState::HalfOpen;
  }
  return state_ == CircuitState::HalfOpen ? Gate::Probe : Gate::Send;
}

bool CircuitBreaker::failed(Clock::time_point now) {
  ++consecutive_;
  const bool opens = state_ == CircuitState::HalfOpen || (state_ == CircuitState::Closed && consecutive_ >= failures_);
  if (opens) {
    state_ = CircuitState::Open;
    open_until_ = now + open_for_;
  }
  return opens;
}

bool CircuitBreaker::succeeded() {
  consecutive_ = 0;
  const bool closes = state_ != CircuitState::Closed;
  state_ = CircuitState::Closed;
  return closes;
}

int64_t backoff_ms(int64_t attempts, int64_t min_ms, int64_t max_ms, std::mt19937_64& rng) {
  int64_t d = std::max<int64_t>(min_ms, 1);
  for (int64_t i = 0; i < attempts && d < max_ms; ++i) d *= 2;
  d = std::min(d, std::max(max_ms, min_ms));
  return d / 2 + static_cast<int64_t>(rng() % static_cast<uint64_t>(d / 2 + 1));
}

}  // namespace cg::delivery
