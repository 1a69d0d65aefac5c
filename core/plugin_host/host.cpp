#include "plugin_host/host.hpp"

#include <sys/prctl.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <zmq.hpp>
#include <zmq_addon.hpp>

#include "common/log.hpp"
#include "common/mask.hpp"
#include "plugin_host/plugin_library.hpp"
#include "router/protocol.hpp"

namespace cg::plugin_host {

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

volatile std::sig_atomic_t g_term = 0;
void on_term(int) {
  g_term = 1;
}

void send(zmq::socket_t& s, std::string_view type, const json& header, std::string_view payload = {},
          bool with_payload = false) {
  // A plugin's file names and errors may hold bytes that are not UTF-8.
  std::string h = header.dump(-1, ' ', false, json::error_handler_t::replace);
  s.send(zmq::buffer(type), zmq::send_flags::sndmore);
  s.send(zmq::buffer(h), with_payload ? zmq::send_flags::sndmore : zmq::send_flags::none);
  if (with_payload) s.send(zmq::buffer(payload.data(), payload.size()), zmq::send_flags::none);
}

class Host {
 public:
  Host(const HostOptions& o, zmq::socket_t& sock) : opts_(o), sock_(sock) {}

  int64_t inflight = 0;
  bool draining = false;
  std::string name = "?";

  // Called by the plugin through the C ABI: nothing may be thrown back into it.
  static int32_t submit(void* ctx, const cg_source_unit* u) noexcept {
    try {
      auto* self = static_cast<Host*>(ctx);
      if (self->draining || self->inflight >= self->opts_.max_inflight) return CG_RETRY;
      if (!u || !u->source_id || !u->feed || (!u->data && u->size)) return CG_ERROR;
      json h = {{"source_id", u->source_id}, {"feed", u->feed}, {"origin", u->origin ? u->origin : ""}};
      send(self->sock_, router::kUnit, h, std::string_view(u->data ? u->data : "", u->size), true);
      self->inflight++;
      return CG_OK;
    } catch (const std::exception& e) {
      log::error("plugin-host", std::string("a unit could not be sent to the gateway: ") + e.what());
      return CG_RETRY;
    }
  }

  static void log(void* ctx, int32_t level, const char* message) noexcept {
    try {
      auto* self = static_cast<Host*>(ctx);
      auto l = level <= CG_LOG_DEBUG  ? log::Level::Debug
               : level == CG_LOG_INFO ? log::Level::Info
               : level == CG_LOG_WARN ? log::Level::Warn
                                      : log::Level::Error;
      log::write(l, "plugin", message ? message : "", {{"plugin", self->name}});
    } catch (...) {  // a log line lost, not the host
    }
  }

 private:
  const HostOptions& opts_;
  zmq::socket_t& sock_;
};

json load_adapters(const std::string& file) {
  std::ifstream in(file);
  if (!in) return json::object();
  try {
    return json::parse(in);
  } catch (...) {
    return json::object();
  }
}

}  // namespace

int run_host(const HostOptions& opts) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the gateway
  std::signal(SIGTERM, on_term);
  std::signal(SIGINT, SIG_IGN);  // Ctrl-C on the gateway's terminal: the gateway drains us
  std::signal(SIGPIPE, SIG_IGN);

  zmq::context_t ctx(1);
  zmq::socket_t sock(ctx, zmq::socket_type::dealer);
  sock.set(zmq::sockopt::routing_id, "h" + std::to_string(getpid()));
  sock.set(zmq::sockopt::linger, 2000);
  sock.set(zmq::sockopt::sndhwm, 64);
  sock.connect(opts.endpoint);

  auto fatal = [&](const Error& e, json extra = json::object()) {
    json h = {{"code", e.code},
              {"message", e.message},
              {"file", opts.plugin_file},
              {"sha256", opts.sha256},
              {"gateway_abi", CG_PLUGIN_ABI_VERSION}};
    for (auto& [k, v] : extra.items()) h[k] = v;
    send(sock, router::kFatal, h);
    log::error("plugin-host", e.message, {{"file", opts.plugin_file}, {"code", e.code}});
    return router::kExitFatal;
  };

  auto lib = PluginLibrary::load(opts.plugin_path, opts.sha256);
  if (!lib.ok()) return fatal(lib.error());
  if (lib->kind() != PluginLibrary::Kind::Adapter)
    return fatal(make_error("plugin_kind",
                            "a platform connector, not an adapter: it belongs to a destination's "
                            "connector_file, not the plugin folder"));
  const cg_adapter_v1& a = lib->adapter();

  Host host(opts, sock);
  host.name = a.name;
  json adapters = load_adapters(opts.adapters_file);
  json cfg = adapters.contains(a.name) ? adapters[a.name] : json::object();
  std::string state_dir = opts.state_root + "/" + a.name;
  std::error_code ec;
  std::filesystem::create_directories(state_dir, ec);

  cg_host_v1 api{&host, &Host::submit, &Host::log, state_dir.c_str()};
  char err[1024] = {0};
  std::string cfg_text = cfg.dump();
  void* self = a.create(cfg_text.c_str(), &api, err, sizeof err);
  if (!self) return fatal(make_error("plugin_config", std::string("create failed: ") + err), {{"plugin", a.name}});

  send(sock, router::kHello,
       {{"plugin", a.name},
        {"version", a.version ? a.version : ""},
        {"department", a.department},
        {"pid", getpid()},
        {"file", opts.plugin_file},
        {"sha256", opts.sha256},
        {"feedback", a.feedback != nullptr}});
  log::info("plugin-host", "plugin started",
            {{"plugin", a.name}, {"version", a.version ? a.version : ""}, {"file", opts.plugin_file}});

  // Acknowledgements and commands from the core.
  auto handle = [&](std::vector<zmq::message_t>& parts) {
    std::string type = parts[0].to_string();
    if (type == router::kAck && parts.size() >= 2) {
      json h = json::parse(parts[1].to_string(), nullptr, false);
      std::string sid = h.value("source_id", "");
      std::string result =
          h.contains("result") ? h["result"].dump(-1, ' ', false, json::error_handler_t::replace) : "{}";
      cg_ack ack{sid.c_str(), h.value("status", 0), result.c_str()};
      host.inflight = std::max<int64_t>(0, host.inflight - 1);
      a.on_ack(self, &ack);
    } else if (type == router::kDrain) {
      host.draining = true;
    } else if (type == router::kFeedback && parts.size() >= 3) {
      json h = json::parse(parts[1].to_string(), nullptr, false);
      std::string fid = h.value("feedback_id", ""), rid = h.value("record_id", ""),
                  ev = h.value("event", json::object()).dump(-1, ' ', false, json::error_handler_t::replace),
                  fmt = h.value("format", ""), fname = h.value("file_name", "");
      cg_feedback item{fid.c_str(),
                       rid.c_str(),
                       h.value("version", int64_t{0}),
                       ev.c_str(),
                       fmt.c_str(),
                       fname.c_str(),
                       static_cast<const char*>(parts[2].data()),
                       parts[2].size()};
      char ferr[512] = {0};
      int32_t rc = a.feedback ? a.feedback(self, &item, ferr, sizeof ferr) : CG_ERROR;
      send(sock, router::kFeedbackAck,
           {{"feedback_id", fid}, {"ok", rc == CG_OK}, {"error", a.feedback ? ferr : "the plugin takes no feedback"}});
    }
  };

  auto next_beat = Clock::now();
  bool drain_called = false;
  while (true) {
    if (g_term) host.draining = true;
    if (host.draining && !drain_called) {
      a.drain(self);
      drain_called = true;
    }
    if (drain_called && host.inflight == 0) break;
    if (getppid() == 1) break;  // the gateway is gone

    if (!drain_called) {
      err[0] = 0;
      if (a.poll(self, 50, err, sizeof err) != CG_OK && err[0])
        log::warn("plugin-host", std::string("poll: ") + err, {{"plugin", a.name}});
    }
    zmq::pollitem_t items[] = {{static_cast<void*>(sock), 0, ZMQ_POLLIN, 0}};
    try {
      zmq::poll(items, 1, std::chrono::milliseconds(drain_called ? 50 : 0));
    } catch (const zmq::error_t& e) {
      if (e.num() != EINTR) throw;
    }
    while (true) {
      std::vector<zmq::message_t> parts;
      auto got = zmq::recv_multipart(sock, std::back_inserter(parts), zmq::recv_flags::dontwait);
      if (!got || parts.empty()) break;
      try {
        handle(parts);
      } catch (const std::exception& e) {
        log::error("plugin-host", std::string("message from the gateway dropped: ") + e.what(), {{"plugin", a.name}});
      }
    }
    if (Clock::now() >= next_beat) {
      send(sock, router::kBeat, {{"inflight", host.inflight}});
      next_beat = Clock::now() + std::chrono::milliseconds(opts.heartbeat_ms);
    }
  }
  a.destroy(self);
  send(sock, router::kBye, json::object());
  log::info("plugin-host", "plugin drained and stopped", {{"plugin", a.name}});
  return router::kExitDrained;
}

}  // namespace cg::plugin_host
