// The store's port tests run against every backend listed here, with the
// same assertions: a backend is a function that opens a fresh, empty store
// in a temporary folder. SQLite is always here; a server backend adds
// itself when its server can be started.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "../sample_record.hpp"
#include "../test_support.hpp"
#include "record/quarantine_entry.hpp"
#include "store/store.hpp"

namespace cg::test {

struct StoreBackend {
  std::string name;
  std::function<Result<std::unique_ptr<store::Store>>(const std::string& folder)> open;
};

inline void PrintTo(const StoreBackend& backend, std::ostream* os) {
  *os << backend.name;
}

inline std::vector<StoreBackend> store_backends() {
  return {{"sqlite", [](const std::string& folder) { return store::open_sqlite_store(folder + "/gateway.db"); }}};
}

inline Record record(const std::string& key, int64_t fine = 100) {
  return sample_record(key, fine);
}

// A market regulation record the mapping refused for its USCC.
inline QuarantineEntry broken(const std::string& raw) {
  QuarantineEntry q;
  q.rule = "invalid_uscc";
  q.field = "subject.uscc";
  q.raw = raw;
  q.raw_format = "xml";
  q.mapping = "market_regulation.sgs@1";
  return q;
}

inline store::IngestBatch batch(std::vector<Record> recs, const std::string& origin = "local") {
  store::IngestBatch b;
  b.actor = "test";
  b.source = "unit";
  b.origin = origin;
  b.records = std::move(recs);
  return b;
}

// A fresh store whose records go to two platforms, "provincial" and "city",
// except those that came from the provincial platform, which go to "city".
inline void route_to_both_platforms(store::Store& s) {
  s.outbox().set_router([](const Record&, const std::string& origin) {
    std::vector<std::string> d;
    if (origin != "platform:provincial") d.push_back("provincial");
    d.push_back("city");
    return d;
  });
}

class StorePortTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    auto s = GetParam().open(dir_.path());
    ASSERT_TRUE(s.ok()) << s.error().to_string();
    store_ = std::move(s.value());
    route_to_both_platforms(*store_);
  }
  TempDir dir_;
  std::unique_ptr<store::Store> store_;
};

// Tests of how the SQLite backend keeps what it keeps.
class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::open_sqlite_store(dir_.file("gateway.db"));
    ASSERT_TRUE(s.ok()) << s.error().to_string();
    store_ = std::move(s.value());
    route_to_both_platforms(*store_);
  }
  TempDir dir_;
  std::unique_ptr<store::Store> store_;
};

}  // namespace cg::test

// A suite of port tests, run once per backend (its name the backend's).
#define CG_STORE_PORT_SUITE(Suite)                                        \
  class Suite : public ::cg::test::StorePortTest {};                      \
  INSTANTIATE_TEST_SUITE_P(                                               \
      Backends, Suite, ::testing::ValuesIn(::cg::test::store_backends()), \
      [](const ::testing::TestParamInfo<::cg::test::StoreBackend>& backend) { return backend.param.name; })
