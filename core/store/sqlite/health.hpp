// Whether SQLite has reported the store corrupt anywhere in this process.
// Every connection's errors pass through SQLite's error log (installed before
// its first use), so no call site has to look for SQLITE_CORRUPT itself: once
// one is seen, the gateway is not ready and takes no more input until an
// operator has looked (docs/operations.md, "A corrupt store").
#pragma once

#include <optional>
#include <string>

namespace cg::store {

// SQLite's error log: notes SQLITE_CORRUPT and SQLITE_NOTADB, logs the first once.
void on_sqlite_error(int code, const char* message);

// The first corruption SQLite reported, if any.
std::optional<std::string> corruption_seen();

// For tests: forget what was seen.
void forget_corruption();

}  // namespace cg::store
