// The WAL checkpointer thread.
#include "store/sqlite/wal_checkpointer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "../store_port_test.hpp"
#include "store/store_writer.hpp"

using cg::store::IngestBatch;
using cg::test::batch;
using cg::test::broken;
using cg::test::record;

namespace {

// A store holding N new records, kept open: closing the last connection checkpoints.
std::unique_ptr<cg::store::Store> store_with(const std::string& path, bool background_checkpoint, int n) {
  cg::store::StoreOptions opts;
  opts.background_checkpoint = background_checkpoint;
  auto s = cg::store::open_sqlite_store(path, opts);
  EXPECT_TRUE(s.ok());
  IngestBatch b;
  b.actor = "test";
  b.source = "unit";
  for (int i = 0; i < n; ++i) b.records.push_back(record("k" + std::to_string(i)));
  EXPECT_TRUE((*s)->records().ingest(b).ok());
  return std::move(s.value());
}

}  // namespace

TEST(WalCheckpointer, CopiesTheLogIntoTheDatabaseSoThatIngestCommitsDoNotHaveTo) {
  cg::test::TempDir dir;
  // SQLite's automatic checkpoint runs inside the committing connection...
  auto automatic = store_with(dir.file("auto.db"), false, 6000);
  EXPECT_GT(std::filesystem::file_size(dir.file("auto.db")), 2u << 20);
  // ...which a background-checkpoint connection leaves alone: the data stays in the log,
  const std::string path = dir.file("bg.db");
  auto store = store_with(path, true, 6000);
  EXPECT_LT(std::filesystem::file_size(path), 1u << 20);
  EXPECT_GT(std::filesystem::file_size(path + "-wal"), 2u << 20);
  // ...until the checkpointer's thread copies it into the database file.
  auto cp = cg::store::WalCheckpointer::start(path, std::chrono::milliseconds(10));
  ASSERT_TRUE(cp.ok()) << cp.error().to_string();
  for (int i = 0; i < 500 && std::filesystem::file_size(path) < (2u << 20); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_GT(std::filesystem::file_size(path), 2u << 20);
  cp->reset();
  EXPECT_EQ(store->records().count().value(), 6000);
}

// A writer that commits back to back leaves the checkpointer no gap to
// restart the log in: the RESTART runs between two of the writer's calls
// instead, and the log stays near its limit however much is written.
TEST(WalCheckpointer, TheLogStartsOverBetweenTheWritersTransactionsWhileItCommitsBackToBack) {
  cg::test::TempDir dir;
  const std::string path = dir.file("busy.db");
  auto writer = cg::store::StoreWriter::start(store_with(path, true, 1));
  auto between = [w = std::weak_ptr<cg::store::StoreWriter>(writer)](const std::function<void()>& fn) {
    if (auto s = w.lock()) s->call([&fn](cg::store::Store&) { fn(); });
  };
  constexpr int64_t kRestartFrames = 256;  // 1 MiB of 4 KiB pages
  auto cp = cg::store::WalCheckpointer::start(path, std::chrono::milliseconds(5), kRestartFrames, between);
  ASSERT_TRUE(cp.ok()) << cp.error().to_string();
  auto handle = writer->handle();
  uintmax_t largest_log = 0;
  int batches = 0;
  // Written until the database holds enough to tell, however slow the build
  // (a sanitizer build writes a tenth as fast); the deadline only ends a hang.
  constexpr uintmax_t kEnough = 40u << 20;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  for (; std::filesystem::file_size(path) < kEnough && std::chrono::steady_clock::now() < deadline; ++batches) {
    IngestBatch b;
    b.actor = "test";
    b.source = "unit";
    for (int i = 0; i < 200; ++i) b.records.push_back(record("b" + std::to_string(batches) + "-" + std::to_string(i)));
    ASSERT_TRUE(handle->call([&](cg::store::Store& s_) { return s_.records().ingest(b); }).ok());
    largest_log = std::max(largest_log, std::filesystem::file_size(path + "-wal"));
  }
  cp->reset();
  const uintmax_t written = std::filesystem::file_size(path);
  ASSERT_GE(written, kEnough) << "only " << (written >> 20) << " MiB reached the database in 120 s (" << batches
                              << " transactions)";
  // The limit, plus what was committed while the passive passes copied (more
  // when the checkpointer's thread waits for a core: 7 MiB seen under a
  // parallel test run). Without the restart between writes the log holds
  // about everything written.
  EXPECT_LT(largest_log, std::max<uintmax_t>(16u << 20, written / 4))
      << "the log reached " << (largest_log >> 20) << " MiB while " << (written >> 20) << " MiB were written";
}
