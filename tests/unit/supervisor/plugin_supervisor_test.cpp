// The plugin supervisor with real plugin-host processes (the credit-gateway
// executable) and real plugins: what the allowlist lets in, restarts with
// backoff, a host that stops beating, a plugin that cannot run, a removed
// file drained. No router is bound, so the test plays the gateway's part:
// it says HELLO and heartbeats on the hosts' behalf when it needs them.
#include "supervisor/plugin_supervisor.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <credit_gateway/support/hash.hpp>
#include <filesystem>
#include <functional>
#include <thread>

#include "../test_support.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using std::chrono::milliseconds;

const std::string kCourtPlugin = std::string(CG_BINARY_DIR) + "/plugins/libcg_adapter_court.so";
const std::string kTax = std::string(CG_BINARY_DIR) + "/plugins/libcg_adapter_tax.so";
const std::string kWrongAbi = std::string(CG_BINARY_DIR) + "/test-plugins/libcg_test_wrong_abi.so";

std::string sha_of(const std::string& file) {
  return cg::sdk::sha256_hex(cg::test::read_file(file));
}

class SupervisorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cfg_.data_dir = dir_.path();
    cfg_.plugins.dir = dir_.file("plugins");
    cfg_.plugins.allowlist_file = dir_.file("ALLOWLIST");
    cfg_.plugins.scan_interval_ms = 20;
    cfg_.plugins.restart_min_ms = 50;
    cfg_.plugins.restart_max_ms = 400;
    cfg_.plugins.hang_timeout_ms = 5000;
    cfg_.plugins.drain_timeout_ms = 300;
    cfg_.router_endpoint = "ipc://" + dir_.file("router.sock");  // nobody binds it
    cfg_.log_level = "error";
    cfg_.adapters = {{"court-file-drop", {{"inbox", dir_.file("inbox")}}}};
    fs::create_directories(cfg_.plugins.dir);
    fs::create_directories(cfg_.run_dir());
    cg::test::write_file(cfg_.plugins.allowlist_file, "");
  }

  void allow(const std::string& file) {
    std::ofstream(cfg_.plugins.allowlist_file, std::ios::app)
        << sha_of(file) << "  " << fs::path(file).filename().string() << "\n";
  }
  void drop_in(const std::string& file, const std::string& name) {
    fs::copy_file(file, cfg_.plugins.dir + "/." + name + ".tmp", fs::copy_options::overwrite_existing);
    fs::rename(cfg_.plugins.dir + "/." + name + ".tmp", cfg_.plugins.dir + "/" + name);
  }

  cg::supervisor::PluginSupervisor& supervisor() {
    if (!supervisor_)
      supervisor_ = std::make_unique<cg::supervisor::PluginSupervisor>(
          cfg_, std::string(CG_BINARY_DIR) + "/core/credit-gateway",
          [this](const std::string& identity, const cg::router::FromCore& m) {
            if (std::holds_alternative<cg::router::Drain>(m)) drained_.push_back(identity);
          });
    return *supervisor_;
  }

  // The status entry of a file (null when there is none).
  json entry(const std::string& file) {
    for (const auto& e : supervisor().status())
      if (e["file"] == file) return e;
    return nullptr;
  }

  // Ticks until `done` holds; false after `within`.
  bool tick_until(const std::function<bool()>& done, milliseconds within = milliseconds(10000)) {
    const auto end = std::chrono::steady_clock::now() + within;
    while (std::chrono::steady_clock::now() < end) {
      supervisor().tick();
      if (done()) return true;
      std::this_thread::sleep_for(milliseconds(10));
    }
    return false;
  }
  bool reaches(const std::string& file, const std::string& state) {
    return tick_until([&] {
      auto e = entry(file);
      return !e.is_null() && e["state"] == state;
    });
  }

  cg::test::TempDir dir_;
  cg::config::Config cfg_;
  std::unique_ptr<cg::supervisor::PluginSupervisor> supervisor_;
  std::vector<std::string> drained_;
};

TEST_F(SupervisorTest, APluginNotOnTheAllowlistIsRefusedUntilItsDigestIsAdded) {
  allow(kCourtPlugin);
  drop_in(kCourtPlugin, "court.so");
  drop_in(kTax, "tax.so");
  ASSERT_TRUE(reaches("court.so", "starting"));
  ASSERT_TRUE(reaches("tax.so", "refused"));
  EXPECT_EQ(entry("tax.so")["pid"], 0) << "no process for a refused plugin";
  EXPECT_EQ(entry("tax.so")["last_error"], "not on the allowlist");
  EXPECT_GT(entry("court.so")["pid"].get<int>(), 0);

  allow(kTax);  // asked again on every scan: no reload needed
  EXPECT_TRUE(reaches("tax.so", "starting"));
  EXPECT_GT(entry("tax.so")["pid"].get<int>(), 0);
}

TEST_F(SupervisorTest, HelloMakesAHostRunningAndOneThatDiesIsRestartedAfterABackoff) {
  allow(kCourtPlugin);
  drop_in(kCourtPlugin, "court.so");
  ASSERT_TRUE(reaches("court.so", "starting"));
  const int pid = entry("court.so")["pid"];
  const std::string identity = "h" + std::to_string(pid);
  supervisor().on_hello(identity, cg::router::Hello{"court-file-drop", "1.0.0", "court", "court.so", "", pid, true});
  EXPECT_EQ(entry("court.so")["state"], "running");
  EXPECT_EQ(entry("court.so")["department"], "court");
  ASSERT_EQ(supervisor().running().size(), 1u);
  EXPECT_EQ(supervisor().running()[0].first, identity);

  ::kill(pid, SIGKILL);
  ASSERT_TRUE(reaches("court.so", "backoff"));
  EXPECT_EQ(entry("court.so")["restarts"], 1);
  EXPECT_EQ(entry("court.so")["last_error"], "killed by signal 9");
  EXPECT_TRUE(supervisor().running().empty());
  ASSERT_TRUE(reaches("court.so", "starting")) << "started again once the backoff has passed";
  EXPECT_NE(entry("court.so")["pid"].get<int>(), pid);
}

TEST_F(SupervisorTest, AHostThatStopsBeatingIsKilledAndRestarted) {
  cfg_.plugins.hang_timeout_ms = 300;
  allow(kCourtPlugin);
  drop_in(kCourtPlugin, "court.so");
  ASSERT_TRUE(reaches("court.so", "starting"));
  const int pid = entry("court.so")["pid"];
  supervisor().on_hello("h" + std::to_string(pid),
                        cg::router::Hello{"court-file-drop", "1.0.0", "court", "court.so", "", pid, true});
  // Beats keep it alive past the timeout ...
  const auto until = std::chrono::steady_clock::now() + milliseconds(600);
  while (std::chrono::steady_clock::now() < until) {
    supervisor().on_beat("h" + std::to_string(pid));
    supervisor().tick();
    std::this_thread::sleep_for(milliseconds(20));
  }
  EXPECT_EQ(entry("court.so")["state"], "running");
  EXPECT_EQ(entry("court.so")["pid"], pid);
  // ... and without them it is taken for hung.
  ASSERT_TRUE(reaches("court.so", "backoff"));
  EXPECT_EQ(entry("court.so")["last_error"], "hung (no heartbeat), killed by signal 9");
  EXPECT_EQ(::kill(pid, 0), -1) << "the hung host is gone";
}

TEST_F(SupervisorTest, APluginThatCannotRunStaysFailedUntilItsFileChanges) {
  allow(kWrongAbi);
  drop_in(kWrongAbi, "wrong.so");
  ASSERT_TRUE(reaches("wrong.so", "failed"));
  EXPECT_EQ(entry("wrong.so")["pid"], 0);
  // Not restarted, however long it is watched.
  EXPECT_FALSE(tick_until([&] { return entry("wrong.so")["state"] != "failed"; }, milliseconds(500)));
  EXPECT_EQ(entry("wrong.so")["restarts"], 0);

  allow(kCourtPlugin);
  drop_in(kCourtPlugin, "wrong.so");  // replaced by a plugin that runs
  EXPECT_TRUE(reaches("wrong.so", "starting"));
}

TEST_F(SupervisorTest, APluginGivenAnOptionOfTheWrongTypeDoesNotStart) {
  cfg_.adapters = {{"court-file-drop", {{"inbox", dir_.file("inbox")}, {"settle_ms", "soon"}}}};
  allow(kCourtPlugin);
  drop_in(kCourtPlugin, "court.so");
  ASSERT_TRUE(reaches("court.so", "failed"));
  EXPECT_FALSE(fs::exists(dir_.file("inbox"))) << "the plugin was created with the options it was refused";
  EXPECT_FALSE(tick_until([&] { return entry("court.so")["state"] != "failed"; }, milliseconds(300)));
}

TEST_F(SupervisorTest, ARemovedPluginIsDrainedThenForgotten) {
  allow(kCourtPlugin);
  drop_in(kCourtPlugin, "court.so");
  ASSERT_TRUE(reaches("court.so", "starting"));
  const int pid = entry("court.so")["pid"];
  fs::remove(cfg_.plugins.dir + "/court.so");
  ASSERT_TRUE(reaches("court.so", "draining"));
  ASSERT_EQ(drained_, std::vector<std::string>{"h" + std::to_string(pid)});
  // This host never hears the DRAIN (no router): it is killed at the drain
  // deadline, and the plugin is gone from the status.
  EXPECT_TRUE(tick_until([&] { return entry("court.so").is_null(); }));
  EXPECT_EQ(::kill(pid, 0), -1);
}

}  // namespace
