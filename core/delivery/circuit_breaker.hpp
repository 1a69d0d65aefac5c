// A destination's circuit breaker and its retry backoff.
//
// After `failures` failed sends in a row the circuit opens: nothing is sent
// for `open_for`. Then it is half-open: one probe batch goes alone (the
// other lanes wait); its success closes the circuit, its failure opens it
// again for another `open_for`. A success at any time closes it and starts
// the count again.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>
#include <string_view>

namespace cg::delivery {

enum class CircuitState { Closed, Open, HalfOpen };

// "closed", "open", "half_open": as the admin API and the metrics show it.
std::string_view to_string(CircuitState s);

class CircuitBreaker {
 public:
  using Clock = std::chrono::steady_clock;

  CircuitBreaker(int64_t failures, std::chrono::milliseconds open_for) : failures_(failures), open_for_(open_for) {}

  // What a lane may do now: send (every lane), send the one probe, or wait.
  enum class Gate { Send, Probe, Wait };
  Gate before_send(Clock::time_point now);

  // A send that failed; true when it opened the circuit.
  bool failed(Clock::time_point now);
  // A send the platform answered; true when it closed a circuit that was not closed.
  bool succeeded();

  [[nodiscard]] CircuitState state() const { return state_; }
  [[nodiscard]] int64_t consecutive_failures() const { return consecutive_; }

 private:
  int64_t failures_;
  std::chrono::milliseconds open_for_;
  CircuitState state_ = CircuitState::Closed;
  int64_t consecutive_ = 0;
  Clock::time_point open_until_{};
};

// The wait before sending again a batch that has failed `attempts` times:
// `min_ms` doubled per attempt up to `max_ms`, then a uniform draw from
// [d/2, d] (jitter, so that destinations and lanes do not retry in step).
int64_t backoff_ms(int64_t attempts, int64_t min_ms, int64_t max_ms, std::mt19937_64& rng);

}  // namespace cg::delivery
