// A template adapter: copy this folder, rename, and fill in the transport.
//
// This one takes *.json files from an inbox folder, and the department's
// execution feedback (执行反馈, what it did with the measures of its items) as
// *.json files from a replies folder. Replace poll() with your department's
// transport (a socket, a message queue, a database query) and on_ack() with
// how your source is acknowledged. Rules (docs/plugins.md):
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
// The source ids of the replies folder's files start with this.
const std::string kReplyPrefix = "reply:";

const cg::sdk::Options kOptions{
    Option::required_text("inbox", "folder to take *.json files from"),
    Option::text("feed", "my_department.my_feed", "the mapping that reads them"),
    Option::text("replies", "",
                 "folder of the department's execution feedback, *.json files with a POST /api/v1/feedback body "
                 "(department-api.md §5); empty: none"),
};

class MyAdapter final : public cg::sdk::Adapter {
 public:
  MyAdapter(const std::string& config_json, const cg::sdk::Host& host) : Adapter(host) {
    const auto c = kOptions.read(config_json);  // a bad config is an error at create(), naming the option
    inbox_ = c.text("inbox");
    feed_ = c.text("feed");
    replies_ = c.text("replies");
    fs::create_directories(inbox_);
    if (!replies_.empty()) fs::create_directories(replies_);
  }

  void poll(int timeout_ms) override {
    if (!draining_) {
      submit_files(inbox_, "", [&](const std::string& id, const std::string& data, const std::string& path) {
        return host().submit(id, feed_, data, path);
      });
      // Execution feedback: the gateway answers each entry in the ack.
      if (!replies_.empty())
        submit_files(replies_, kReplyPrefix,
                     [&](const std::string& id, const std::string& data, const std::string& path) {
                       return host().submit_feedback(id, data, path);
                     });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(timeout_ms));
  }

  void on_ack(const cg::sdk::Ack& ack) override {
    inflight_.erase(ack.source_id);
    if (ack.status == CG_ACK_FAILED) return;  // still in its folder: offered again
    const bool reply = ack.source_id.rfind(kReplyPrefix, 0) == 0;
    const fs::path file =
        reply ? fs::path(replies_) / ack.source_id.substr(kReplyPrefix.size()) : fs::path(inbox_) / ack.source_id;
    if (reply) {  // the gateway's answer for each entry goes beside it, for the department to read
      std::ofstream(file.string() + ".result") << ack.result_json;
    }
    fs::remove(file);  // committed, or kept in quarantine (records) or refused (feedback)
  }

  void drain() override { draining_ = true; }

 private:
  // Submits each *.json file of `dir` not in flight; its source id is
  // `prefix` + its name.
  template <class SubmitFn>
  void submit_files(const std::string& dir, const std::string& prefix, SubmitFn submit) {
    for (const auto& e : fs::directory_iterator(dir)) {
      const std::string id = prefix + e.path().filename().string();
      if (e.path().extension() != ".json" || inflight_.count(id)) continue;
      std::ifstream in(e.path(), std::ios::binary);
      std::ostringstream data;
      data << in.rdbuf();
      if (submit(id, data.str(), e.path().string()) != cg::sdk::Submit::Ok) break;
      inflight_.insert(id);
    }
  }

  std::string inbox_, feed_, replies_;
  std::set<std::string> inflight_;
  bool draining_ = false;
};

const std::string kConfigDoc = kOptions.doc();  // what `plugin info` prints and the gateway checks configs against

}  // namespace

CG_DEFINE_ADAPTER(MyAdapter, "my-adapter", "0.1.0", "my_department", "Template: JSON files from a folder",
                  kConfigDoc.c_str())
