// Market-regulation adapter: the department's front-end processor (前置机)
// pushes 双公示 XML documents over ZeroMQ (`credit-gateway send` is its
// client). Each message is [msg_id, file name, bytes]; the answer
// [msg_id, {"status": "committed"|"rejected"|"failed", "result": ...}] is sent
// only after the gateway has stored the records. A sender that got no answer
// sends the same msg_id again; a message already in flight is not taken twice.
#include <credit_gateway/adapter.hpp>
#include <credit_gateway/feedback_file.hpp>
#include <credit_gateway/options.hpp>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <zmq.hpp>
#include <zmq_addon.hpp>

namespace {

using nlohmann::json;

using cg::sdk::Option;

const cg::sdk::Options kOptions{
    Option::text("endpoint", "tcp://127.0.0.1:18083", "`tcp://host:port` or `ipc://path` to bind"),
    Option::integer("queue_limit", 100, "messages queued before senders wait (0: no limit)")
        .between(0, std::numeric_limits<int>::max()),
    Option::integer("max_message_bytes", int64_t{256} << 20, "larger messages are dropped by ZeroMQ (-1: no limit)")
        .between(-1, std::numeric_limits<int64_t>::max()),
    Option::text("feed", "market_regulation.sgs", "mapping name"),
    Option::optional_text("feedback_dir", "<state_dir>/feedback",
                          "folder the front-end processor collects feedback files from"),
};

class MarketRegulationZmq final : public cg::sdk::Adapter {
 public:
  MarketRegulationZmq(const std::string& config_json, const cg::sdk::Host& host)
      : Adapter(host), ctx_(1), sock_(ctx_, zmq::socket_type::router) {
    const auto c = kOptions.read(config_json);
    feed_ = c.text("feed");
    endpoint_ = c.text("endpoint");
    feedback_dir_ = c.text_or("feedback_dir", host.state_dir() + "/feedback");
    sock_.set(zmq::sockopt::linger, 0);
    sock_.set(zmq::sockopt::rcvhwm, static_cast<int>(c.integer("queue_limit")));
    sock_.set(zmq::sockopt::maxmsgsize, c.integer("max_message_bytes"));
    sock_.bind(endpoint_);
    host.info("market regulation ingest bound to " + endpoint_);
  }

  void poll(int timeout_ms) override {
    zmq::pollitem_t items[] = {{static_cast<void*>(sock_), 0, ZMQ_POLLIN, 0}};
    try {
      zmq::poll(items, 1, std::chrono::milliseconds(timeout_ms));
    } catch (const zmq::error_t& e) {
      if (e.num() != EINTR) throw;
      return;
    }
    while (!draining_) {
      std::vector<zmq::message_t> parts;
      auto got = zmq::recv_multipart(sock_, std::back_inserter(parts), zmq::recv_flags::dontwait);
      if (!got) break;
      if (parts.size() != 4) continue;  // [identity, msg_id, name, bytes]
      std::string identity = parts[0].to_string();
      std::string msg_id = parts[1].to_string();
      std::string name = parts[2].to_string();
      if (auto it = inflight_.find(msg_id); it != inflight_.end()) {
        it->second = identity;  // a resend: answer the newest sender
        continue;
      }
      auto rc =
          host().submit(msg_id, feed_, std::string_view(static_cast<const char*>(parts[3].data()), parts[3].size()),
                        "zmq " + endpoint_ + " " + name);
      if (rc != cg::sdk::Submit::Ok) {
        reply(identity, msg_id, json{{"status", "failed"}, {"result", {{"error", "busy"}}}});
        continue;
      }
      inflight_[msg_id] = identity;
    }
  }

  void on_ack(const cg::sdk::Ack& ack) override {
    auto it = inflight_.find(ack.source_id);
    if (it == inflight_.end()) return;
    const char* status = ack.status == CG_ACK_COMMITTED  ? "committed"
                         : ack.status == CG_ACK_REJECTED ? "rejected"
                                                         : "failed";
    reply(it->second, ack.source_id,
          json{{"status", status}, {"result", json::parse(ack.result_json, nullptr, false)}});
    inflight_.erase(it);
  }

  void drain() override { draining_ = true; }

  // 联合奖惩 feedback: a document in the department's format, into its folder.
  bool feedback(const cg::sdk::Feedback& item, std::string& error) {
    return cg::sdk::write_feedback_file(feedback_dir_, item, error);
  }

 private:
  void reply(const std::string& identity, const std::string& msg_id, const json& body) {
    std::string b = body.dump();
    try {
      sock_.send(zmq::buffer(identity), zmq::send_flags::sndmore | zmq::send_flags::dontwait);
      sock_.send(zmq::buffer(msg_id), zmq::send_flags::sndmore | zmq::send_flags::dontwait);
      sock_.send(zmq::buffer(b), zmq::send_flags::dontwait);
    } catch (const zmq::error_t&) {
      // The sender is gone; it will send again and the store will not take it twice.
    }
  }

  zmq::context_t ctx_;
  zmq::socket_t sock_;
  std::string feed_, endpoint_, feedback_dir_;
  std::map<std::string, std::string> inflight_;  // msg_id -> sender identity
  bool draining_ = false;
};

const std::string kConfigDoc = kOptions.doc();

}  // namespace

CG_DEFINE_ADAPTER(MarketRegulationZmq, "market-regulation-zmq", "1.0.0", "market_regulation",
                  "双公示 XML pushed over ZeroMQ by the department's front-end processor", kConfigDoc.c_str())
