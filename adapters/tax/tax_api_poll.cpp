// Tax adapter: polls the tax bureau's paged JSON API for 重大税收违法失信主体.
//
// Up to pages_in_flight pages are fetched ahead and handed to the gateway
// while earlier ones are committed. The position saved in the adapter's
// state folder is the first page not yet committed, so a restart goes on
// where it stopped and never skips a page (a page committed after it is
// fetched again; its records are unchanged and not stored twice). After the
// last page it waits interval_ms (or its schedule) and starts again from the
// first. A page the gateway refused (an error answer such as {"code": "99"})
// is fetched again after retry_ms, once the pages fetched after it are
// answered.
#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <credit_gateway/adapter.hpp>
#include <credit_gateway/feedback_file.hpp>
#include <credit_gateway/options.hpp>
#include <credit_gateway/support/cron.hpp>
#include <credit_gateway/support/http_client.hpp>
#include <cstdio>
#include <fstream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
  return s;
}

constexpr int64_t kDay = 86400000;
using cg::sdk::Option;

const cg::sdk::Options kOptions{
    Option::required_text("url",
                          "page URL with `{page}` and optionally `{size}`, e.g. "
                          "`https://tax.example/api/wf?page={page}&size={size}`"),
    Option::integer("page_size", 100, "value for `{size}`").between(1, 100000),
    Option::integer("first_page", 1, "number of the first page").between(0, std::numeric_limits<int32_t>::max()),
    Option::integer("interval_ms", 60000, "wait after the last page before the next pass").between(0, kDay),
    Option::optional_text("schedule", "",
                          "instead of `interval_ms`: a cron expression in China Standard Time for the passes "
                          "(`*/10 * * * *`); each pass is logged with its page count"),
    Option::integer("retry_ms", 5000, "wait after a failed fetch or a refused page").between(0, kDay),
    Option::integer("pages_in_flight", 4,
                    "pages fetched ahead and handed to the gateway while earlier ones are committed (the "
                    "gateway takes at most `plugins.max_inflight` at a time)")
        .between(1, 64),
    Option::integer("timeout_ms", 30000, "HTTP timeout").between(1, kDay),
    Option::boolean("verify_tls", true, "verify the server certificate"),
    Option::text("ca_file", "", "PEM bundle of trusted CAs (none: the system's)"),
    Option::text("feed", "tax.zdsswf", "mapping name"),
    Option::optional_text("feedback_dir", "<state_dir>/feedback",
                          "folder the tax system collects feedback JSON files from"),
};

class TaxApiPoll final : public cg::sdk::Adapter {
 public:
  TaxApiPoll(const std::string& config_json, const cg::sdk::Host& host) : Adapter(host), http_(options(config_json)) {
    const auto c = kOptions.read(config_json);
    url_ = c.text("url");
    feed_ = c.text("feed");
    size_ = static_cast<int>(c.integer("page_size"));
    first_page_ = static_cast<int>(c.integer("first_page"));
    interval_ = std::chrono::milliseconds(c.integer("interval_ms"));
    if (c.has("schedule")) {  // a cron expression in CST for the passes, instead of interval_ms
      auto cron = cg::sdk::Cron::parse(c.text("schedule"));
      if (!cron.ok()) throw std::runtime_error("schedule: " + cron.error().message);
      schedule_ = *cron;
    }
    retry_ = std::chrono::milliseconds(c.integer("retry_ms"));
    max_in_flight_ = static_cast<size_t>(c.integer("pages_in_flight"));
    state_file_ = host.state_dir() + "/cursor.json";
    feedback_dir_ = c.text_or("feedback_dir", host.state_dir() + "/feedback");
    fetch_page_ = first_page_;
    std::ifstream in(state_file_);
    if (in) {
      json s = json::parse(in, nullptr, false);
      if (s.is_object()) fetch_page_ = s.value("next_page", first_page_);
      host.info("tax: resuming at page " + std::to_string(fetch_page_));
    }
  }

  void poll(int timeout_ms) override {
    auto until = Clock::now() + std::chrono::milliseconds(timeout_ms);
    if (rewinding_ && in_flight_.empty()) rewinding_ = false;  // the pages after a refused one are answered
    if (!may_fetch()) {
      std::this_thread::sleep_until(Clock::now() < next_fetch_ ? std::min(until, next_fetch_) : until);
      return;
    }
    if (!fetched_ && !fetch()) return;
    auto rc = host().submit("page-" + std::to_string(fetched_->page), feed_, fetched_->body, fetched_->url);
    if (rc != cg::sdk::Submit::Ok) {  // the gateway has enough in hand: the same page is offered again soon
      next_fetch_ = Clock::now() + std::chrono::milliseconds(200);
      return;
    }
    in_flight_.emplace(fetched_->page, false);
    fetch_page_ = fetched_->page + 1;
    fetched_.reset();
  }

  void on_ack(const cg::sdk::Ack& ack) override {
    int page = 0;
    if (std::sscanf(ack.source_id.c_str(), "page-%d", &page) != 1) return;
    auto it = in_flight_.find(page);
    if (it == in_flight_.end()) return;
    if (ack.status != CG_ACK_COMMITTED) {
      host().warn("tax: " + ack.source_id + " was not taken; fetching it again later");
      in_flight_.erase(it);
      fetch_page_ = std::min(fetch_page_, page);
      fetched_.reset();  // a page fetched ahead of the refused one is fetched again after it
      rewinding_ = true;
      next_fetch_ = Clock::now() + retry_;
      save();
      return;
    }
    it->second = true;
    while (!in_flight_.empty() && in_flight_.begin()->second) in_flight_.erase(in_flight_.begin());
    if (in_flight_.empty() && !rewinding_ && !fetched_ && pages_known_ && fetch_page_ > pages_) {
      fetch_page_ = first_page_;  // the pass is complete
      pages_known_ = false;
      auto wait = interval_;
      if (schedule_) {
        auto next = schedule_->next_after(std::chrono::system_clock::now());
        if (next)
          wait = std::chrono::duration_cast<std::chrono::milliseconds>(*next - std::chrono::system_clock::now());
      }
      next_fetch_ = Clock::now() + wait;
      host().info("tax: all pages taken (" + std::to_string(pages_) + "); next pass in " +
                  std::to_string(wait.count()) + " ms");
    }
    save();
  }

  void drain() override { draining_ = true; }

  // 联合奖惩 feedback: a document in the department's format, into its folder.
  bool feedback(const cg::sdk::Feedback& item, std::string& error) {
    return cg::sdk::write_feedback_file(feedback_dir_, item, error);
  }

 private:
  static cg::sdk::HttpClientOptions options(const std::string& config_json) {
    const auto c = kOptions.read(config_json);
    cg::sdk::HttpClientOptions o;
    o.timeout_ms = c.integer("timeout_ms");
    o.verify_tls = c.boolean("verify_tls");
    o.ca_file = c.text("ca_file");
    return o;
  }

  // A page may be fetched: not stopping, not waiting, room in flight, and
  // the pass's page count known once its first page is in hand.
  bool may_fetch() const {
    if (draining_ || rewinding_ || Clock::now() < next_fetch_ || in_flight_.size() >= max_in_flight_) return false;
    if (fetched_) return true;
    if (!pages_known_) return in_flight_.empty();
    return fetch_page_ <= pages_;
  }

  // Fetches page fetch_page_ into fetched_; false (and a retry later) when it could not.
  bool fetch() {
    std::string url =
        replace_all(replace_all(url_, "{page}", std::to_string(fetch_page_)), "{size}", std::to_string(size_));
    auto r = http_.request("GET", url);
    if (r.status != 200) {
      host().warn("tax: fetching " + url + " failed (" + (r.status ? "HTTP " + std::to_string(r.status) : r.error) +
                  "); trying again later");
      next_fetch_ = Clock::now() + retry_;
      return false;
    }
    // Only the page count is read here (simdjson: no tree for the whole page);
    // the gateway's mapping reads the records. A page without one is the last.
    pages_ = fetch_page_;
    simdjson::dom::element doc;
    int64_t pages = 0;
    if (!parser_.parse(r.body).get(doc) && !doc.at_pointer("/data/pages").get_int64().get(pages) && pages > 0 &&
        pages <= 1'000'000)
      pages_ = static_cast<int>(pages);
    pages_known_ = true;
    if (parser_.capacity() > (2u << 20)) parser_ = simdjson::dom::parser{};  // not kept for one large page
    fetched_ = Page{fetch_page_, std::move(r.body), std::move(url)};
    return true;
  }

  // The first page not yet committed: where a restart begins.
  [[nodiscard]] int cursor() const {
    return in_flight_.empty() ? fetch_page_ : std::min(fetch_page_, in_flight_.begin()->first);
  }

  void save() {
    std::string tmp = state_file_ + ".tmp";
    {
      std::ofstream out(tmp, std::ios::trunc);
      out << json{{"next_page", cursor()}}.dump() << "\n";
      out.flush();
    }
    std::rename(tmp.c_str(), state_file_.c_str());
  }

  struct Page {
    int page = 0;
    std::string body, url;
  };

  cg::sdk::HttpClient http_;
  simdjson::dom::parser parser_;
  std::string url_, feed_, state_file_, feedback_dir_;
  int size_ = 100, first_page_ = 1;
  int fetch_page_ = 1;        // the next page to fetch
  int pages_ = 1;             // pages in this pass, as the last page fetched said
  bool pages_known_ = false;  // a page of this pass has been fetched
  size_t max_in_flight_ = 4;
  std::map<int, bool> in_flight_;  // pages handed to the gateway -> committed
  std::optional<Page> fetched_;    // fetched, not yet taken by the gateway
  bool rewinding_ = false;         // a page was refused: the pages after it are answered first
  std::chrono::milliseconds interval_{60000}, retry_{5000};
  std::optional<cg::sdk::Cron> schedule_;
  Clock::time_point next_fetch_{};
  bool draining_ = false;
};

const std::string kConfigDoc = kOptions.doc();

}  // namespace

CG_DEFINE_ADAPTER(TaxApiPoll, "tax-api-poll", "1.0.0", "tax",
                  "重大税收违法失信主体 pages polled from the tax bureau's JSON API", kConfigDoc.c_str())
