#include "store/sqlite/health.hpp"

#include <sqlite3.h>

#include <mutex>

#include "common/log.hpp"

namespace cg::store {

namespace {
std::mutex g_mu;
std::optional<std::string> g_corruption;
}  // namespace

void on_sqlite_error(int code, const char* message) {
  const int primary = code & 0xff;
  if (primary != SQLITE_CORRUPT && primary != SQLITE_NOTADB) return;
  std::string what = std::string(sqlite3_errstr(code)) + ": " + (message ? message : "");
  {
    std::lock_guard<std::mutex> lock(g_mu);
    if (g_corruption) return;  // one alert, not one per statement
    g_corruption = what;
  }
  log::error("store",
             "the store is corrupt: the gateway is not ready and takes no input until it is repaired "
             "(credit-gateway store check; docs/operations.md)",
             {{"error", what}, {"alert", "store_corrupt"}});
}

std::optional<std::string> corruption_seen() {
  std::lock_guard<std::mutex> lock(g_mu);
  return g_corruption;
}

void forget_corruption() {
  std::lock_guard<std::mutex> lock(g_mu);
  g_corruption.reset();
}

}  // namespace cg::store
