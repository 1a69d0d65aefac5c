// A destination's circuit breaker (open after N failures in a row, one probe
// when the pause is over, closed by a success) and its retry backoff.
#include "delivery/circuit_breaker.hpp"

#include <gtest/gtest.h>

#include <set>

namespace {

using cg::delivery::CircuitBreaker;
using cg::delivery::CircuitState;
using Gate = CircuitBreaker::Gate;
using namespace std::chrono_literals;

const CircuitBreaker::Clock::time_point t0{};

TEST(CircuitBreaker, OpensAfterTheConfiguredFailuresInARowAndPausesSending) {
  CircuitBreaker b(3, 1000ms);
  EXPECT_EQ(b.before_send(t0), Gate::Send);
  EXPECT_FALSE(b.failed(t0));
  EXPECT_FALSE(b.failed(t0));
  EXPECT_EQ(b.state(), CircuitState::Closed);
  EXPECT_TRUE(b.failed(t0));  // the third
  EXPECT_EQ(b.state(), CircuitState::Open);
  EXPECT_EQ(b.consecutive_failures(), 3);
  EXPECT_EQ(b.before_send(t0 + 999ms), Gate::Wait);
  // A lane's send that was already out fails too: the pause is not extended.
  EXPECT_FALSE(b.failed(t0 + 500ms));
  EXPECT_EQ(b.before_send(t0 + 1000ms), Gate::Probe);
  EXPECT_EQ(b.state(), CircuitState::HalfOpen);
}

TEST(CircuitBreaker, ASuccessInBetweenStartsTheCountAgain) {
  CircuitBreaker b(2, 1000ms);
  EXPECT_FALSE(b.failed(t0));
  EXPECT_FALSE(b.succeeded());  // it was closed
  EXPECT_FALSE(b.failed(t0));
  EXPECT_EQ(b.state(), CircuitState::Closed);
}

TEST(CircuitBreaker, TheProbesAnswerClosesItOrOpensItForAnotherPause) {
  CircuitBreaker b(1, 1000ms);
  EXPECT_TRUE(b.failed(t0));
  EXPECT_EQ(b.before_send(t0 + 1s), Gate::Probe);
  EXPECT_TRUE(b.failed(t0 + 1s));  // the probe failed: open again, from now
  EXPECT_EQ(b.before_send(t0 + 1999ms), Gate::Wait);
  EXPECT_EQ(b.before_send(t0 + 2s), Gate::Probe);
  EXPECT_TRUE(b.succeeded());
  EXPECT_EQ(b.state(), CircuitState::Closed);
  EXPECT_EQ(b.consecutive_failures(), 0);
  EXPECT_EQ(b.before_send(t0 + 2s), Gate::Send);
}

TEST(CircuitBreaker, StatesAreNamedAsTheAdminApiShowsThem) {
  EXPECT_EQ(cg::delivery::to_string(CircuitState::Closed), "closed");
  EXPECT_EQ(cg::delivery::to_string(CircuitState::Open), "open");
  EXPECT_EQ(cg::delivery::to_string(CircuitState::HalfOpen), "half_open");
}

TEST(Backoff, DoublesFromTheMinimumUpToTheMaximumWithJitterInTheUpperHalf) {
  std::mt19937_64 rng(7);
  for (int64_t attempts = 0; attempts < 12; ++attempts) {
    const int64_t d = std::min<int64_t>(500 << attempts, 60000);
    std::set<int64_t> seen;
    for (int i = 0; i < 200; ++i) {
      const int64_t wait = cg::delivery::backoff_ms(attempts, 500, 60000, rng);
      ASSERT_GE(wait, d / 2) << attempts;
      ASSERT_LE(wait, d) << attempts;
      seen.insert(wait);
    }
    EXPECT_GT(seen.size(), 20u) << "no jitter at " << attempts << " attempts";
  }
}

TEST(Backoff, AMaximumBelowTheMinimumMeansTheMinimumAndManyAttemptsDoNotOverflow) {
  std::mt19937_64 rng(1);
  for (int i = 0; i < 100; ++i) {
    const int64_t wait = cg::delivery::backoff_ms(3, 100, 50, rng);
    EXPECT_GE(wait, 50);
    EXPECT_LE(wait, 100);
    const int64_t capped = cg::delivery::backoff_ms(1000000, 100, 1000, rng);
    EXPECT_GE(capped, 500);
    EXPECT_LE(capped, 1000);
  }
}

}  // namespace
