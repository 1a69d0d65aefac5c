// Court adapter: 失信被执行人 files dropped into an inbox folder (GB18030 XML).
//
// A file is taken only when it has stopped changing (same size and mtime for
// settle_ms), and never a hidden or *.tmp / *.part file, so a half-written
// file is never read. It moves to done/ only after the gateway has committed
// its records, to failed/ (with a .error.json beside it) when the gateway
// refused it whole; a crash before that leaves it in the inbox to be taken
// again, and the store's versioning makes that second take change nothing.
//
// A file over split_over_bytes is never read whole: it goes to the gateway in
// parts of about part_bytes, cut on record boundaries (XmlSplitter), each
// part committed on its own; memory stays bounded by part size times the
// units in flight. The file moves once every part is answered: to done/, or
// to failed/ with the refused parts (and their byte ranges) listed in its
// .error.json, the other parts' records being stored.
#include <charconv>
#include <chrono>
#include <credit_gateway/adapter.hpp>
#include <credit_gateway/feedback_file.hpp>
#include <credit_gateway/options.hpp>
#include <credit_gateway/xml_splitter.hpp>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <thread>
#include <utility>

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

constexpr int64_t kHour = 3600000;
using cg::sdk::Option;

const cg::sdk::Options kOptions{
    Option::required_text("inbox", "folder watched for files"),
    Option::optional_text("done", "<inbox>/../done", "committed files go here"),
    Option::optional_text("failed", "<inbox>/../failed", "files refused whole go here, with `<file>.error.json`"),
    Option::optional_text("feedback_dir", "<inbox>/../feedback", "folder the department reads feedback files from"),
    Option::text("feed", "court.sxbzxr", "mapping name"),
    Option::text("suffix", ".xml", "file name ending taken"),
    Option::integer("settle_ms", 500, "a file must be unchanged this long before it is read").between(0, kHour),
    Option::integer("retry_ms", 5000, "wait before offering a file again when the gateway could not take it")
        .between(0, kHour),
    Option::integer("split_over_bytes", int64_t{64} << 20,
                    "files larger than this go in parts and are never read whole")
        .between(1, std::numeric_limits<int64_t>::max()),
    Option::integer("part_bytes", int64_t{4} << 20, "size of each part, cut on record boundaries")
        .between(1, int64_t{1} << 30),
    Option::text("record_element", "SXBZXR", "the XML element of one record, where parts are cut"),
};

class CourtFileDrop final : public cg::sdk::Adapter {
 public:
  CourtFileDrop(const std::string& config_json, const cg::sdk::Host& host) : Adapter(host) {
    const auto c = kOptions.read(config_json);
    inbox_ = c.text("inbox");
    done_ = c.text_or("done", inbox_ + "/../done");
    failed_ = c.text_or("failed", inbox_ + "/../failed");
    feedback_dir_ = c.text_or("feedback_dir", inbox_ + "/../feedback");
    feed_ = c.text("feed");
    suffix_ = c.text("suffix");
    settle_ = std::chrono::milliseconds(c.integer("settle_ms"));
    retry_ = std::chrono::milliseconds(c.integer("retry_ms"));
    split_over_ = static_cast<uint64_t>(c.integer("split_over_bytes"));
    part_bytes_ = static_cast<size_t>(c.integer("part_bytes"));
    record_element_ = c.text("record_element");
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
    if (auto part = part_of(ack.source_id)) {
      on_part_ack(part->first, part->second, ack);
      return;
    }
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
  // A large file on its way in parts.
  struct Split {
    explicit Split(const std::string& path, const std::string& element, size_t part_bytes)
        : reader(path, element, part_bytes) {}
    credit_gateway::XmlSplitter reader;
    std::optional<credit_gateway::XmlSplitter::Part> held;  // read, not yet taken by the host
    size_t next_part = 0;
    bool finished = false;                                         // the reader gave its last part
    std::map<size_t, credit_gateway::XmlSplitter::Part> inflight;  // sent, not answered
    std::map<size_t, credit_gateway::XmlSplitter::Part> resend;    // the gateway could not take them now
    Clock::time_point resend_at{};
    json refused = json::array();
  };

  struct Tracked {
    uintmax_t size = 0;
    fs::file_time_type mtime{};
    Clock::time_point stable_since{};
    bool inflight = false;
    Clock::time_point retry_at{};
    std::shared_ptr<Split> split;
  };

  // Offers the next parts of a split file while the host takes them.
  void pump(const std::string& name, Tracked& t) {
    Split& sp = *t.split;
    const std::string path = (fs::path(inbox_) / name).string();
    auto offer = [&](size_t k, const credit_gateway::XmlSplitter::Part& p) {
      return host().submit(name + "#" + std::to_string(k), feed_, p.document,
                           path + " [bytes " + std::to_string(p.begin) + "-" + std::to_string(p.end) + "]");
    };
    while (!sp.resend.empty() && Clock::now() >= sp.resend_at) {
      auto it = sp.resend.begin();
      if (offer(it->first, it->second) != cg::sdk::Submit::Ok) return;
      sp.inflight.emplace(it->first, std::move(it->second));
      sp.resend.erase(it);
    }
    while (!sp.finished || sp.held) {
      if (!sp.held) {
        sp.held = sp.reader.next();
        if (!sp.held) {
          sp.finished = true;
          if (!sp.reader.error().empty()) sp.refused.push_back({{"part", sp.next_part}, {"error", sp.reader.error()}});
          break;
        }
      }
      if (offer(sp.next_part, *sp.held) != cg::sdk::Submit::Ok) return;  // back-pressure
      if (sp.held->last) sp.finished = true;
      sp.inflight.emplace(sp.next_part++, std::move(*sp.held));
      sp.held.reset();
    }
    if (sp.finished && sp.inflight.empty() && sp.resend.empty()) {
      fs::path src = fs::path(inbox_) / name;
      if (sp.refused.empty()) {
        move(src, done_);
      } else {
        fs::path dst = move(src, failed_);
        std::ofstream(dst.string() + ".error.json") << json{{"parts", sp.next_part},
                                                            {"refused", sp.refused},
                                                            {"note", "the records of the other parts were stored"}}
                                                           .dump(1)
                                                    << "\n";
        host().warn("parts of " + name + " were refused; the file moved to failed/ with the list");
      }
      host().info("large file " + name + " taken in " + std::to_string(sp.next_part) + " parts");
      files_.erase(name);
    }
  }

  // The file and part number of a part's source id ("<file>#<n>", a file
  // that goes in parts); none for a whole file's, whose name may hold '#'.
  std::optional<std::pair<std::string, size_t>> part_of(const std::string& source_id) const {
    const auto hash = source_id.rfind('#');
    if (hash == std::string::npos) return std::nullopt;
    std::string name = source_id.substr(0, hash);
    auto it = files_.find(name);
    if (it == files_.end() || !it->second.split) return std::nullopt;
    size_t k = 0;
    const char* end = source_id.data() + source_id.size();
    auto [at, ec] = std::from_chars(source_id.data() + hash + 1, end, k);
    if (ec != std::errc() || at != end) return std::nullopt;
    return std::make_pair(std::move(name), k);
  }

  void on_part_ack(const std::string& name, size_t k, const cg::sdk::Ack& ack) {
    auto it = files_.find(name);
    if (it == files_.end() || !it->second.split) return;
    Split& sp = *it->second.split;
    auto p = sp.inflight.find(k);
    if (p == sp.inflight.end()) return;
    if (ack.status == CG_ACK_COMMITTED) {
      sp.inflight.erase(p);
    } else if (ack.status == CG_ACK_REJECTED) {
      sp.refused.push_back({{"part", k},
                            {"bytes", {p->second.begin, p->second.end}},
                            {"result", json::parse(ack.result_json, nullptr, false)}});
      sp.inflight.erase(p);
    } else {  // FAILED: the same part again later
      sp.resend.emplace(k, std::move(p->second));
      sp.inflight.erase(p);
      sp.resend_at = Clock::now() + retry_;
    }
    pump(name, it->second);
  }

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
      if (size > split_over_) {
        if (!t.split) {
          t.split = std::make_shared<Split>(e.path().string(), record_element_, part_bytes_);
          host().info("large file " + name + " (" + std::to_string(size) + " bytes) goes in parts of about " +
                      std::to_string(part_bytes_) + " bytes");
        }
        pump(name, t);  // may finish the file and forget it: `t` is not used after
        continue;
      }
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
  uint64_t split_over_ = uint64_t{64} << 20;
  size_t part_bytes_ = size_t{4} << 20;
  std::string record_element_;
  std::map<std::string, Tracked> files_;
  Clock::time_point next_scan_{};
  bool draining_ = false;
};

const std::string kConfigDoc = kOptions.doc();

}  // namespace

CG_DEFINE_ADAPTER(CourtFileDrop, "court-file-drop", "1.0.0", "court",
                  "失信被执行人 XML files dropped into an inbox folder", kConfigDoc.c_str())
