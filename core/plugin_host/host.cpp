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
#include "plugin_host/plugin_options.hpp"
#include "router/message.hpp"

namespace cg::plugin_host {

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

volatile std::sig_atomic_t g_term = 0;
void on_term(int) {
  g_term = 1;
}

void send(zmq::socket_t& s, const router::FromHost& m) {
  const router::Frames f = router::encode(m);
  s.send(zmq::buffer(f.type), zmq::send_flags::sndmore);
  s.send(zmq::buffer(f.header), f.has_payload ? zmq::send_flags::sndmore : zmq::send_flags::none);
  if (f.has_payload) s.send(zmq::buffer(f.payload.data(), f.payload.size()), zmq::send_flags::none);
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
      send(self->sock_, router::Unit{u->source_id, u->feed, u->origin ? u->origin : "",
                                     std::string_view(u->data ? u->data : "", u->size)});
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

  auto fatal = [&](const Error& e, const std::string& plugin = {}) {
    send(sock, router::Fatal{e.code, e.message, opts.plugin_file, opts.sha256, plugin, CG_PLUGIN_ABI_VERSION});
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
  if (auto s = check_plugin_options(cfg, a.config_doc, a.name, "adapters." + std::string(a.name)); !s)
    return fatal(make_error(s.error().code, s.error().where + ": " + s.error().message), a.name);
  std::string state_dir = opts.state_root + "/" + a.name;
  std::error_code ec;
  std::filesystem::create_directories(state_dir, ec);

  cg_host_v1 api{&host, &Host::submit, &Host::log, state_dir.c_str()};
  char err[1024] = {0};
  std::string cfg_text = cfg.dump();
  void* self = a.create(cfg_text.c_str(), &api, err, sizeof err);
  if (!self) return fatal(make_error("plugin_config", std::string("create failed: ") + err), a.name);

  send(sock, router::Hello{a.name, a.version ? a.version : "", a.department, opts.plugin_file, opts.sha256, getpid(),
                           a.feedback != nullptr});
  log::info("plugin-host", "plugin started",
            {{"plugin", a.name}, {"version", a.version ? a.version : ""}, {"file", opts.plugin_file}});

  // Acknowledgements and commands from the core.
  auto handle = [&](const router::FromCore& m) {
    if (const auto* ack = std::get_if<router::Ack>(&m)) {
      const std::string result = ack->result.dump(-1, ' ', false, json::error_handler_t::replace);
      cg_ack c{ack->source_id.c_str(), ack->status, result.c_str()};
      host.inflight = std::max<int64_t>(0, host.inflight - 1);
      a.on_ack(self, &c);
    } else if (std::holds_alternative<router::Drain>(m)) {
      host.draining = true;
    } else if (const auto* f = std::get_if<router::Feedback>(&m)) {
      const std::string fid = std::to_string(f->feedback_id),
                        ev = f->event.dump(-1, ' ', false, json::error_handler_t::replace);
      cg_feedback item{fid.c_str(),       f->record_id.c_str(), f->version,         ev.c_str(),
                       f->format.c_str(), f->file_name.c_str(), f->document.data(), f->document.size()};
      char ferr[512] = {0};
      int32_t rc = a.feedback ? a.feedback(self, &item, ferr, sizeof ferr) : CG_ERROR;
      send(sock, router::FeedbackAck{f->feedback_id, rc == CG_OK, a.feedback ? ferr : "the plugin takes no feedback"});
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
      std::vector<std::string_view> frames;
      for (const auto& p : parts) frames.push_back(p.to_string_view());
      auto m = router::decode_from_core(frames);
      if (!m.ok()) {
        log::error("plugin-host", "message from the gateway dropped: " + m.error().message, {{"plugin", a.name}});
        continue;
      }
      try {
        handle(*m);
      } catch (const std::exception& e) {
        log::error("plugin-host", std::string("message from the gateway dropped: ") + e.what(), {{"plugin", a.name}});
      }
    }
    if (Clock::now() >= next_beat) {
      send(sock, router::Beat{host.inflight});
      next_beat = Clock::now() + std::chrono::milliseconds(opts.heartbeat_ms);
    }
  }
  a.destroy(self);
  send(sock, router::Bye{});
  log::info("plugin-host", "plugin drained and stopped", {{"plugin", a.name}});
  return router::kExitDrained;
}

}  // namespace cg::plugin_host
