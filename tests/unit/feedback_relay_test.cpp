#include "gateway/feedback_relay.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <set>
#include <thread>

#include "route_to.hpp"
#include "sample_record.hpp"
#include "test_support.hpp"

namespace {

using cg::gateway::FeedbackRelay;
using cg::gateway::FeedbackTaker;
using cg::gateway::FeedbackToSend;

class FeedbackRelayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = cg::store::open_sqlite_store(dir_.file("gateway.db"));
    ASSERT_TRUE(s.ok()) << s.error().to_string();
    s.value()->outbox().set_router([](const cg::Record&, const std::string&) { return std::vector<std::string>{}; });
    s.value()->feedback().set_router(cg::test::route_to([](const cg::Record& r, const std::string&) {
      return std::vector<std::string>{r.source.source_key.rfind("t", 0) == 0 ? "tax" : "court"};
    }));
    writer_ = cg::store::StoreWriter::start(std::move(s.value()));
  }
  // n records whose feedback goes to the court ("c<i>") or to tax ("t<i>").
  void ingest(const std::string& prefix, int n) {
    cg::store::IngestBatch b;
    b.actor = "test";
    b.source = "unit";
    for (int i = 0; i < n; ++i) b.records.push_back(cg::test::sample_record(prefix + std::to_string(i)));
    auto r = writer_->handle()->call([&](cg::store::Store& s_) { return s_.records().ingest(b); });
    ASSERT_TRUE(r.ok()) << r.error().to_string();
  }
  // Polls until a claim has brought something (or 10 s have passed).
  static std::vector<FeedbackToSend> claimed(FeedbackRelay& relay, const std::vector<FeedbackTaker>& takers) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      auto got = relay.poll(FeedbackRelay::Clock::now(), takers);
      if (!got.empty()) return got;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return {};
  }
  static FeedbackRelay::Options options() {
    FeedbackRelay::Options o;
    o.every = std::chrono::milliseconds(0);
    o.per_host = 3;
    o.retry_ms = 0;
    return o;
  }

  cg::test::TempDir dir_;
  std::shared_ptr<cg::store::StoreWriter> writer_;
};

TEST_F(FeedbackRelayTest, EachHostGetsItsDepartmentsItemsUpToItsLimitAndMoreAsItAnswers) {
  ingest("c", 5);
  ingest("t", 2);
  FeedbackRelay relay(writer_, options());
  const std::vector<FeedbackTaker> takers = {{"h-court", "court"}, {"h-tax", "tax"}};
  auto first = claimed(relay, takers);
  ASSERT_EQ(first.size(), 5u);  // three for the court's host (its limit), both of tax's
  std::map<std::string, std::set<std::string>> departments;
  for (const auto& f : first) departments[f.identity].insert(f.item.department);
  EXPECT_EQ(departments["h-court"], std::set<std::string>{"court"});
  EXPECT_EQ(departments["h-tax"], std::set<std::string>{"tax"});
  EXPECT_EQ(relay.in_flight(), 5u);
  // The court's host is at its limit and tax has nothing more.
  for (int i = 0; i < 50; ++i) {
    EXPECT_TRUE(relay.poll(FeedbackRelay::Clock::now(), takers).empty());
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  // One delivered, one refused: two places free; the refused item comes back.
  int64_t delivered = -1, refused = -1;
  for (const auto& f : first)
    if (f.identity == "h-court") (delivered < 0 ? delivered : refused) = f.item.id;
  relay.answered(delivered, true, "");
  relay.answered(refused, false, "the department's system is down");
  EXPECT_EQ(relay.in_flight(), 3u);
  auto second = claimed(relay, takers);
  ASSERT_EQ(second.size(), 2u) << "the two court items never offered, before the refused one";
  for (const auto& f : second) {
    EXPECT_EQ(f.identity, "h-court");
    EXPECT_NE(f.item.id, refused);
    EXPECT_NE(f.item.id, delivered);
    relay.answered(f.item.id, true, "");
  }
  auto third = claimed(relay, takers);
  ASSERT_EQ(third.size(), 1u);
  EXPECT_EQ(third[0].item.id, refused) << "a refused item is offered again; a delivered one never";
}

TEST_F(FeedbackRelayTest, PollNeverWaitsForTheWriter) {
  ingest("c", 2);
  FeedbackRelay relay(writer_, options());
  // The writer is busy with a long call until the gate opens.
  std::promise<void> gate;
  auto busy = writer_->submit([opened = gate.get_future().share()](cg::store::Store&) {
    return opened.wait_for(std::chrono::seconds(30)) == std::future_status::ready;
  });
  const std::vector<FeedbackTaker> takers = {{"h-court", "court"}};
  EXPECT_TRUE(relay.due(FeedbackRelay::Clock::now()));
  EXPECT_TRUE(relay.poll(FeedbackRelay::Clock::now(), takers).empty());
  EXPECT_TRUE(relay.claiming());
  EXPECT_FALSE(relay.due(FeedbackRelay::Clock::now())) << "a claim is under way";
  EXPECT_TRUE(relay.poll(FeedbackRelay::Clock::now(), takers).empty()) << "the claim waits behind the busy call";
  relay.answered(12345, false, "an answer for an item it does not know");  // queued, not waited for
  EXPECT_EQ(busy.wait_for(std::chrono::seconds(0)), std::future_status::timeout)
      << "all of it ran while the writer was busy";
  gate.set_value();
  EXPECT_TRUE(busy.get());
  EXPECT_EQ(claimed(relay, takers).size(), 2u);
}

}  // namespace
