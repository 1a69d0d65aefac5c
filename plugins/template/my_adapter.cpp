// A template adapter: copy this folder, rename, and fill in the transport.
//
// This one takes *.json files from an inbox folder. Replace poll() with your
// department's transport (a socket, a message queue, a database query) and
// on_ack() with how your source is acknowledged. Rules (docs/plugins.md):
//   - submit() a unit, then acknowledge your source only in on_ack();
//   - on CG_ACK_FAILED keep the unit and offer it again later;
//   - never block in poll() longer than timeout_ms;
//   - never log a personal ID number.
#include <chrono>
#include <credit_gateway/adapter.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

namespace {

namespace fs = std::filesystem;

class MyAdapter final : public cg::sdk::Adapter {
 public:
  MyAdapter(const std::string& config_json, const cg::sdk::Host& host) : Adapter(host) {
    auto c = nlohmann::json::parse(config_json);
    inbox_ = c.at("inbox").get<std::string>();  // a missing option is an error at create()
    feed_ = c.value("feed", "my_department.my_feed");
    fs::create_directories(inbox_);
  }

  void poll(int timeout_ms) override {
    if (!draining_) {
      for (const auto& e : fs::directory_iterator(inbox_)) {
        std::string name = e.path().filename().string();
        if (e.path().extension() != ".json" || inflight_.count(name)) continue;
        std::ifstream in(e.path(), std::ios::binary);
        std::ostringstream data;
        data << in.rdbuf();
        if (host().submit(name, feed_, data.str(), e.path().string()) != cg::sdk::Submit::Ok) break;
        inflight_.insert(name);
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(timeout_ms));
  }

  void on_ack(const cg::sdk::Ack& ack) override {
    inflight_.erase(ack.source_id);
    if (ack.status == CG_ACK_FAILED) return;       // still in the inbox: offered again
    fs::remove(fs::path(inbox_) / ack.source_id);  // committed or kept in quarantine
  }

  void drain() override { draining_ = true; }

 private:
  std::string inbox_, feed_;
  std::set<std::string> inflight_;
  bool draining_ = false;
};

constexpr const char* kConfigDoc = R"DOC({
 "inbox": "folder to take *.json files from (required)",
 "feed": "the mapping that reads them (default my_department.my_feed)"})DOC";

}  // namespace

CG_DEFINE_ADAPTER(MyAdapter, "my-adapter", "0.1.0", "my_department", "Template: JSON files from a folder", kConfigDoc)
