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
#include <credit_gateway/options.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

namespace {

namespace fs = std::filesystem;
using cg::sdk::Option;

// Every option once: key, type, default (or required), bounds, meaning.
const cg::sdk::Options kOptions{
    Option::required_text("inbox", "folder to take *.json files from"),
    Option::text("feed", "my_department.my_feed", "the mapping that reads them"),
};

class MyAdapter final : public cg::sdk::Adapter {
 public:
  MyAdapter(const std::string& config_json, const cg::sdk::Host& host) : Adapter(host) {
    const auto c = kOptions.read(config_json);  // a bad config is an error at create(), naming the option
    inbox_ = c.text("inbox");
    feed_ = c.text("feed");
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

const std::string kConfigDoc = kOptions.doc();  // what `plugin info` prints and the gateway checks configs against

}  // namespace

CG_DEFINE_ADAPTER(MyAdapter, "my-adapter", "0.1.0", "my_department", "Template: JSON files from a folder",
                  kConfigDoc.c_str())
