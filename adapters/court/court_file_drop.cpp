// Court adapter: 失信被执行人 files dropped into an inbox folder (GB18030 XML).
//
// A file is taken only when it has stopped changing (same size and mtime for
// settle_ms), and never a hidden or *.tmp / *.part file, so a half-written
// file is never read. It moves to done/ only after the gateway has committed
// its records, to failed/ (with a .error.json beside it) when the gateway
// refused it whole; a crash before that leaves it in the inbox to be taken
// again, and the store's versioning makes that second take change nothing.
#include <credit_gateway/adapter.hpp>
#include <credit_gateway/feedback_file.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

class CourtFileDrop final : public cg::sdk::Adapter {
 public:
  CourtFileDrop(const std::string& config_json, const cg::sdk::Host& host) : Adapter(host) {
    json c = json::parse(config_json);
    inbox_ = c.at("inbox").get<std::string>();
    done_ = c.value("done", inbox_ + "/../done");
    failed_ = c.value("failed", inbox_ + "/../failed");
    feedback_dir_ = c.value("feedback_dir", inbox_ + "/../feedback");
    feed_ = c.value("feed", "court.sxbzxr");
    suffix_ = c.value("suffix", ".xml");
    settle_ = std::chrono::milliseconds(c.value("settle_ms", 500));
    retry_ = std::chrono::milliseconds(c.value("retry_ms", 5000));
    for (const auto& d : {inbox_, done_, failed_}) fs::create_directories(d);
  }

  void poll(int timeout_ms) override {
    auto until = Clock::now() + std::chrono::milliseconds(timeout_ms);
    if (draining_) return;
    if (Clock::now() >= next_scan_) {
      scan();
      next_scan_ = Clock::now() + std::chrono::milliseconds(100);
    }
    std::this_thread::sleep_until(std::min(until, next_scan_));
  }

  void on_ack(const cg::sdk::Ack& ack) override {
    auto it = files_.find(ack.source_id);
    if (it == files_.end()) return;
    fs::path src = fs::path(inbox_) / ack.source_id;
    if (ack.status == CG_ACK_COMMITTED) {
      move(src, done_);
      files_.erase(it);
    } else if (ack.status == CG_ACK_REJECTED) {
      fs::path dst = move(src, failed_);
      std::ofstream(dst.string() + ".error.json") << ack.result_json << "\n";
      host().warn("file refused by the gateway and moved to failed/: " + ack.source_id);
      files_.erase(it);
    } else {  // FAILED: keep it, offer it again later
      it->second.inflight = false;
      it->second.retry_at = Clock::now() + retry_;
    }
  }

  void drain() override { draining_ = true; }

  // 联合奖惩 feedback: a document in the department's format, into its folder.
  bool feedback(const cg::sdk::Feedback& item, std::string& error) {
    return cg::sdk::write_feedback_file(feedback_dir_, item, error);
  }

 private:
  struct Tracked {
    uintmax_t size = 0;
    fs::file_time_type mtime{};
    Clock::time_point stable_since{};
    bool inflight = false;
    Clock::time_point retry_at{};
  };

  void scan() {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(inbox_, ec)) {
      if (!e.is_regular_file(ec)) continue;
      std::string name = e.path().filename().string();
      if (name.empty() || name[0] == '.' || name.size() < suffix_.size() ||
          name.compare(name.size() - suffix_.size(), suffix_.size(), suffix_) != 0)
        continue;
      auto size = e.file_size(ec);
      auto mtime = e.last_write_time(ec);
      auto& t = files_[name];
      if (t.inflight) continue;
      if (t.size != size || t.mtime != mtime || t.stable_since == Clock::time_point{}) {
        t.size = size;
        t.mtime = mtime;
        t.stable_since = Clock::now();
        continue;
      }
      if (Clock::now() - t.stable_since < settle_ || Clock::now() < t.retry_at) continue;
      std::ifstream in(e.path(), std::ios::binary);
      std::ostringstream ss;
      ss << in.rdbuf();
      auto rc = host().submit(name, feed_, ss.str(), e.path().string());
      if (rc == cg::sdk::Submit::Retry) return;  // back-pressure: the rest waits
      if (rc == cg::sdk::Submit::Ok) t.inflight = true;
    }
  }

  fs::path move(const fs::path& src, const std::string& dir) {
    fs::path dst = fs::path(dir) / src.filename();
    std::error_code ec;
    if (fs::exists(dst)) {  // the same name again: keep both
      auto stamp = std::chrono::system_clock::now().time_since_epoch().count();
      dst = fs::path(dir) / (src.stem().string() + "." + std::to_string(stamp) + src.extension().string());
    }
    fs::rename(src, dst, ec);
    if (ec) host().error("cannot move " + src.string() + " to " + dir + ": " + ec.message());
    return dst;
  }

  std::string inbox_, done_, failed_, feed_, suffix_, feedback_dir_;
  std::chrono::milliseconds settle_{500}, retry_{5000};
  std::map<std::string, Tracked> files_;
  Clock::time_point next_scan_{};
  bool draining_ = false;
};

}  // namespace

static constexpr const char* kConfigDoc = R"DOC({"inbox": "folder watched for files (required)",
 "done": "where committed files go (default <inbox>/../done)",
 "failed": "where refused files go, with <file>.error.json (default <inbox>/../failed)",
 "feed": "mapping name (default court.sxbzxr)",
 "suffix": "file name ending taken (default .xml)",
 "settle_ms": "a file must be unchanged this long before it is read (default 500)",
 "retry_ms": "wait before offering a file again after the gateway could not take it (default 5000)",
 "feedback_dir": "folder the department reads feedback files from (default <inbox>/../feedback)"})DOC";

CG_DEFINE_ADAPTER(CourtFileDrop, "court-file-drop", "1.0.0", "court",
                  "失信被执行人 XML files dropped into an inbox folder",
                  kConfigDoc)
