#include "gateway/signals.hpp"

#include <csignal>

namespace cg::gateway::signals {

namespace {

volatile std::sig_atomic_t g_stop = 0;
volatile std::sig_atomic_t g_hup = 0;

void on_stop(int sig) {
  g_stop = sig;
}
void on_hup(int) {
  g_hup = 1;
}

}  // namespace

void install() {
  std::signal(SIGTERM, on_stop);
  std::signal(SIGINT, on_stop);
  std::signal(SIGPIPE, SIG_IGN);
  std::signal(SIGHUP, on_hup);
}

int stop_requested() {
  return g_stop;
}

bool take_reload() {
  if (!g_hup) return false;
  g_hup = 0;
  return true;
}

}  // namespace cg::gateway::signals
