// Procurement adapter: the finance department's procurement system POSTs its
// 政府采购严重违法失信行为记录 (a JSON array) to the gateway.
//
// The HTTP answer is given only after the gateway has committed the records:
// 200 with what was accepted and what was quarantined; 413 for a body over the
// limit; 400 for a body that is not JSON; 422 when the body is JSON but cannot
// be taken (it is kept in quarantine); 503 with Retry-After when the gateway
// cannot take it now. A request that never got its answer can be sent again:
// records already stored are not stored twice.
#include <simdjson.h>

#include <credit_gateway/adapter.hpp>
#include <credit_gateway/options.hpp>
#include <credit_gateway/support/http_client.hpp>
#include <credit_gateway/support/http_server.hpp>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

namespace {

using cg::sdk::HttpRequest;
using cg::sdk::HttpResponse;
using nlohmann::json;

using cg::sdk::Option;

const cg::sdk::Options kOptions = [] {
  cg::sdk::Options o{
      Option::text("listen", "127.0.0.1:18082", "`address:port`; port 0 picks a free one"),
      Option::optional_text("port_file", "", "write the bound port here"),
      Option::text("path", "/ingest", "URL path the records are POSTed to"),
      Option::text("feed", "procurement.cgsx", "mapping name"),
      Option::text("report_path", "/feedback",
                   "URL path the procurement system POSTs its execution feedback (执行反馈) to: a "
                   "POST /api/v1/feedback body of the department API (department-api.md §5), answered "
                   "with the gateway's result for each entry once the accepted ones are stored"),
      Option::required_text("feedback_url",
                            "the procurement system's URL that feedback (联合奖惩) is POSTed to "
                            "(JSON, `Idempotency-Key: fb-<id>`)"),
  };
  o.add(cg::sdk::HttpServer::limit_options({}));
  return o;
}();

class ProcurementHttp final : public cg::sdk::Adapter {
 public:
  ProcurementHttp(const std::string& config_json, const cg::sdk::Host& host)
      : Adapter(host), server_([this](const HttpRequest& r) { return handle(r); }) {
    const auto c = kOptions.read(config_json);
    feed_ = c.text("feed");
    feedback_url_ = c.text("feedback_url");
    if (feedback_url_.empty())  // its measures' feedback would have nowhere to go
      throw std::runtime_error(
          "feedback_url is required: the procurement system's URL that feedback (联合奖惩) is POSTed to");
    path_ = c.text("path");
    report_path_ = c.text("report_path");
    if (report_path_ == path_) throw std::invalid_argument("options 'path' and 'report_path' must differ");
    std::string listen = c.text("listen");
    auto colon = listen.rfind(':');
    if (colon == std::string::npos) throw std::invalid_argument("option 'listen' must be address:port");
    auto limits = cg::sdk::HttpServer::limits_from(config_json, {});
    if (!limits.ok()) throw std::runtime_error(limits.error().message);
    server_.limits = *limits;
    auto port = server_.listen(listen.substr(0, colon), static_cast<uint16_t>(std::stoi(listen.substr(colon + 1))));
    if (!port.ok()) throw std::runtime_error(port.error().message);
    if (c.has("port_file")) {
      const std::string port_file = c.text("port_file");
      std::ofstream(port_file + ".tmp") << *port << "\n";
      std::rename((port_file + ".tmp").c_str(), port_file.c_str());
    }
    host.info("procurement ingest listening on " + listen.substr(0, colon) + ":" + std::to_string(*port) + path_);
  }

  void poll(int timeout_ms) override { server_.poll(timeout_ms); }

  void on_ack(const cg::sdk::Ack& ack) override {
    auto it = pending_.find(ack.source_id);
    if (it == pending_.end()) return;
    uint64_t id = it->second;
    pending_.erase(it);
    json result = json::parse(ack.result_json, nullptr, false);
    HttpResponse r;
    if (ack.source_id.rfind(kReportPrefix, 0) == 0) {
      server_.respond(id, report_answer(ack, result));
      return;
    }
    if (ack.status == CG_ACK_COMMITTED) {
      r.status = 200;
      r.body = json{{"status", "stored"},
                    {"request_id", ack.source_id},
                    {"accepted", result.value("accepted", 0)},
                    {"unchanged", result.value("unchanged", 0)},
                    {"records", result.value("records", json::array())},
                    {"quarantined", result.value("quarantined", json::array())}}
                   .dump();
    } else if (ack.status == CG_ACK_REJECTED) {
      r.status = 422;
      r.body = json{{"error",
                     {{"code", "refused"},
                      {"message", "the body was kept in quarantine and not taken"},
                      {"detail", result.value("error", json::object())}}},
                    {"request_id", ack.source_id}}
                   .dump();
    } else {
      r = cg::sdk::error_response(503, "unavailable", "the gateway cannot take records now; send again later");
      r.headers.emplace_back("Retry-After", "5");
    }
    server_.respond(id, r);
  }

  void drain() override { draining_ = true; }

  // 联合奖惩 feedback: POSTed to the procurement system, which bars the bidder.
  bool feedback(const cg::sdk::Feedback& item, std::string& error) {
    if (feedback_url_.empty()) {
      error = "no feedback_url configured";
      return false;
    }
    auto r =
        feedback_http_.request("POST", feedback_url_, std::string(item.data),
                               {{"Content-Type", "application/json"}, {"Idempotency-Key", "fb-" + item.feedback_id}});
    if (r.status >= 200 && r.status < 300) return true;
    error = r.status ? "HTTP " + std::to_string(r.status) : r.error;
    return false;
  }

 private:
  static constexpr const char* kReportPrefix = "report-";

  // The gateway's answer to execution feedback: each entry's result, or why
  // the body as a whole was not taken.
  static HttpResponse report_answer(const cg::sdk::Ack& ack, const json& result) {
    if (ack.status == CG_ACK_COMMITTED) return cg::sdk::json_response(200, ack.result_json);
    if (ack.status == CG_ACK_REJECTED) {
      const json e = result.is_object() ? result.value("error", json::object()) : json::object();
      return cg::sdk::error_response(400, e.value("code", "bad_request"),
                                     e.value("message", "not a feedback document"));
    }
    auto r = cg::sdk::error_response(503, "unavailable", "the gateway cannot take feedback now; send again later");
    r.headers.emplace_back("Retry-After", "5");
    return r;
  }

  std::optional<HttpResponse> handle(const HttpRequest& req) {
    if (req.path == "/healthz") return cg::sdk::json_response(200, R"({"status": "ok"})");
    const bool report = req.path == report_path_;
    if (req.path != path_ && !report)
      return cg::sdk::error_response(404, "not_found",
                                     "POST records to " + path_ + ", execution feedback to " + report_path_);
    if (req.method != "POST") {
      auto r = cg::sdk::error_response(405, "method_not_allowed", "use POST");
      r.headers.emplace_back("Allow", "POST");
      return r;
    }
    if (draining_) {
      auto r = cg::sdk::error_response(503, "draining", "the gateway is stopping; send again later");
      r.headers.emplace_back("Retry-After", "5");
      return r;
    }
    if (!well_formed(req.body)) return cg::sdk::error_response(400, "malformed_json", "the body is not valid JSON");
    std::string sid = (report ? kReportPrefix : "req-") + std::to_string(req.id) + "-" + std::to_string(seq_++);
    const std::string origin = "http " + req.peer + " " + req.path;
    auto rc = report ? host().submit_feedback(sid, req.body, origin) : host().submit(sid, feed_, req.body, origin);
    if (rc != cg::sdk::Submit::Ok) {
      auto r = cg::sdk::error_response(503, "busy", "too many requests in flight; send again shortly");
      r.headers.emplace_back("Retry-After", "1");
      return r;
    }
    pending_[sid] = req.id;
    return std::nullopt;  // answered in on_ack, after the commit
  }

  // Well-formed JSON (simdjson: GB/s, no tree); what the records hold is the
  // mapping's business. The parser's buffers are not kept for one large body.
  bool well_formed(const std::string& body) {
    simdjson::dom::element doc;
    bool ok = !parser_.parse(body).get(doc);
    if (parser_.capacity() > (2u << 20)) parser_ = simdjson::dom::parser{};
    return ok;
  }

  simdjson::dom::parser parser_;
  cg::sdk::HttpServer server_;
  std::string feed_, path_, report_path_, feedback_url_;
  cg::sdk::HttpClient feedback_http_;
  std::map<std::string, uint64_t> pending_;
  uint64_t seq_ = 0;
  bool draining_ = false;
};

const std::string kConfigDoc = kOptions.doc();

}  // namespace

CG_DEFINE_ADAPTER(ProcurementHttp, "procurement-http", "1.0.0", "procurement",
                  "政府采购 records POSTed as JSON to the gateway's ingest endpoint", kConfigDoc.c_str())
