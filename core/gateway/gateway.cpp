#include "gateway/gateway.hpp"

#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <mutex>
#include <zmq.hpp>
#include <zmq_addon.hpp>

#include "admin/admin_server.hpp"
#include "common/clock.hpp"
#include "common/log.hpp"
#include "common/text.hpp"
#include "delivery/delivery_worker.hpp"
#include "delivery/routing.hpp"
#include "gateway/config_check.hpp"
#include "gateway/feedback_relay.hpp"
#include "gateway/restart_needed.hpp"
#include "gateway/wiring.hpp"
#include "ingest/pipeline.hpp"
#include "mapping/outbound.hpp"
#include "router/message.hpp"
#include "scheduler/scheduler.hpp"
#include "store/store_writer.hpp"
#include "store/wal_checkpointer.hpp"
#include "store/wal_write_gather.hpp"
#include "supervisor/plugin_supervisor.hpp"

namespace cg::gateway {

namespace {

using nlohmann::json;
volatile std::sig_atomic_t g_signal = 0;
volatile std::sig_atomic_t g_hup = 0;
void on_signal(int sig) {
  g_signal = sig;
}
void on_hup(int) {
  g_hup = 1;
}

// One step of the router thread's loop: what it throws is logged and the
// loop goes on (an exception here would end the gateway).
template <typename F>
void guarded(const char* step, F&& fn) {
  try {
    fn();
  } catch (const std::exception& e) {
    log::error("gateway", std::string(step) + " failed: " + text::valid_utf8(e.what()));
  }
}

std::string self_exe() {
  std::error_code ec;
  auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("credit-gateway") : p.string();
}

}  // namespace

struct Gateway::Impl {
  explicit Impl(config::Config c) : cfg(std::move(c)), started_with(cfg) {}
  config::Config cfg;           // the running settings, reloads applied
  config::Config started_with;  // what the parts a reload leaves alone were made from
  ingest::MappingRegistry mappings;
  std::unique_ptr<ingest::Ingestor> ingestor;
  std::unique_ptr<ingest::IngestPipeline> pipeline;  // maps and commits off this thread
  std::unique_ptr<store::WalCheckpointer> checkpointer;
  // The one connection that the pipeline, every delivery lane, the feedback
  // relay and the scheduled jobs write through (the admin API's operator
  // actions use a connection of their own).
  std::shared_ptr<store::StoreWriter> writer;
  zmq::context_t ctx{1};
  std::unique_ptr<zmq::socket_t> router;
  std::unique_ptr<supervisor::PluginSupervisor> supervisor;
  std::vector<std::unique_ptr<delivery::DeliveryWorker>> workers;
  std::unique_ptr<scheduler::Scheduler> scheduler;
  std::unique_ptr<admin::AdminServer> admin;
  std::mutex plugins_mu;
  json plugins_snapshot = json::array();
  std::atomic<bool> started{false};
  std::map<std::string, mapping::OutboundSpec> outbound;  // by department
  std::unique_ptr<FeedbackRelay> feedback;                // claims and answers through the writer

  // Hands feedback that a claim brought to the plugin host that takes it.
  void dispatch_feedback() {
    const auto now = supervisor::Clock::now();
    std::vector<FeedbackTaker> takers;  // only read when a claim is to start (every 300 ms)
    if (feedback->due(now))
      for (const auto& [identity, inst] : supervisor->running())
        if (inst->feedback) takers.push_back({identity, inst->department});
    for (auto& [identity, item] : feedback->poll(now, takers)) {
      json record = json::parse(item.body, nullptr, false);
      mapping::Rendered doc;
      std::string format = "json";
      if (auto o = outbound.find(item.department); o != outbound.end()) {
        auto r = mapping::render(o->second, record, item.event, item.id);
        if (!r.ok()) {
          feedback->not_rendered(item.id, r.error().message);
          log::error("feedback", "cannot render feedback: " + r.error().message, {{"department", item.department}});
          continue;
        }
        doc = *r;
        format = o->second.format;
      } else {
        doc = mapping::render_default(record, item.event, item.id);
      }
      router::Feedback m;
      m.feedback_id = item.id;
      m.record_id = item.record_id;
      m.version = item.version;
      m.event = item.event;
      m.format = format;
      m.file_name = doc.file_name;
      m.document = doc.data;
      send(identity, m);
    }
  }

  // Applies a new config file if it is valid; else keeps the running one.
  void reload() {
    // The same validation as check-config and the start: what one accepts, all accept.
    auto checked = check_config(cfg.file);
    if (!checked.config) {
      json problems = describe(checked.problems);
      log::error("gateway", "config reload refused; the running config stays", {{"problems", problems}});
      return;
    }
    config::Config next = std::move(*checked.config);
    // The running settings stay for these; the rest is applied below.
    const json needs_restart = restart_needed(started_with, next);
    log::set_level(log::level_from_string(next.log_level));
    // Units in the pipeline finish with the mappings and routes they started with.
    pipeline->drain();
    answer_finished();
    pipeline.reset();
    mappings.load(next.mappings_dir, next.code_tables_dir);
    std::vector<Error> op;
    outbound = mapping::load_outbound_dir(next.mappings_dir, op);
    auto ingest_store = writer->handle();
    if (auto s = configure_routes(*ingest_store, next); !s)  // checked above; the catalog could change in between
      log::error("gateway", "routes not reloaded: " + s.error().to_string());
    ingestor = std::make_unique<ingest::Ingestor>(mappings, static_cast<size_t>(next.quarantine_raw_limit));
    pipeline = std::make_unique<ingest::IngestPipeline>(std::move(ingest_store), *ingestor);
    supervisor->update_config(next);
    cfg = next;
    log::info("gateway", "config reloaded", {{"needs_restart", needs_restart}, {"mappings", mappings.names()}});
  }

  void feedback_ack(const router::FeedbackAck& m) {
    feedback->answered(m.feedback_id, m.ok, m.error);
    if (!m.ok)
      log::warn("feedback", "the department's channel did not take feedback; offered again later",
                {{"feedback_id", m.feedback_id}, {"error", m.error}});
  }

  void send(const std::string& identity, const router::FromCore& m) {
    const router::Frames f = router::encode(m);
    router->send(zmq::buffer(identity), zmq::send_flags::sndmore);
    router->send(zmq::buffer(f.type), zmq::send_flags::sndmore);
    router->send(zmq::buffer(f.header), f.has_payload ? zmq::send_flags::sndmore : zmq::send_flags::none);
    if (f.has_payload) router->send(zmq::buffer(f.payload.data(), f.payload.size()), zmq::send_flags::none);
  }

  // `ack` is taken: its result (the unit's quarantined records listed) moves
  // into the message instead of being copied.
  void answer(const std::string& identity, const std::string& source_id, ingest::Ack&& ack) {
    size_t recs = ack.result.contains("accepted") ? ack.result["accepted"].get<size_t>() : 0;
    size_t quar = ack.result.contains("quarantined") ? ack.result["quarantined"].size() : 0;
    supervisor->on_unit_done(identity, ack.status, recs, quar);
    send(identity, router::Ack{source_id, ack.status, std::move(ack.result)});
  }

  // Acknowledgements of what the pipeline committed, back to the plugin hosts.
  void answer_finished() {
    for (auto& f : pipeline->take_finished()) answer(f.identity, f.source_id, std::move(f.ack));
  }

  void handle(std::vector<zmq::message_t>& parts) {
    if (parts.size() < 3) return;
    std::string identity = parts[0].to_string();
    std::vector<std::string_view> frames;
    for (size_t i = 1; i < parts.size(); ++i) frames.push_back(parts[i].to_string_view());
    auto decoded = router::decode_from_host(frames);
    if (!decoded.ok()) {
      log::error("router", "message from a plugin host dropped: " + decoded.error().message, {{"host", identity}});
      return;
    }
    if (auto* unit = std::get_if<router::Unit>(&*decoded)) {
      auto* inst = supervisor->by_identity(identity);
      if (!inst) return;  // a host we no longer know: it will time out and resend
      ingest::Unit u{std::move(unit->source_id),
                     std::move(unit->feed),
                     std::move(unit->origin),
                     inst->department,
                     "adapter:" + inst->plugin + "@" + inst->version,
                     unix_millis(std::chrono::system_clock::now())};
      // The message itself goes to the mapping thread, not a copy of it.
      auto message = std::make_shared<zmq::message_t>();
      message->move(parts[3]);
      const std::string_view bytes(static_cast<const char*>(message->data()), message->size());
      if (static_cast<int64_t>(bytes.size()) > cfg.max_unit_bytes) {
        ingest::Ack ack;
        ack.status = CG_ACK_REJECTED;
        ack.result = {
            {"error",
             {{"code", "unit_too_large"},
              {"message", "unit of " + std::to_string(bytes.size()) + " bytes is over ingest.max_unit_bytes"}}}};
        answer(identity, u.source_id, std::move(ack));
      } else {
        pipeline->submit(identity, std::move(u), ingest::UnitBytes{message, bytes});  // answered once committed
      }
    } else if (auto* hello = std::get_if<router::Hello>(&*decoded)) {
      supervisor->on_hello(identity, *hello);
    } else if (std::holds_alternative<router::Beat>(*decoded) || std::holds_alternative<router::Bye>(*decoded)) {
      supervisor->on_beat(identity);
    } else if (auto* fatal = std::get_if<router::Fatal>(&*decoded)) {
      supervisor->on_fatal(identity, *fatal);
    } else if (auto* ack = std::get_if<router::FeedbackAck>(&*decoded)) {
      feedback_ack(*ack);
    }
  }
};

Gateway::Gateway(config::Config cfg) : impl_(std::make_unique<Impl>(std::move(cfg))) {}
Gateway::~Gateway() = default;

void Gateway::install_signal_handlers() {
  std::signal(SIGTERM, on_signal);
  std::signal(SIGINT, on_signal);
  std::signal(SIGPIPE, SIG_IGN);
  std::signal(SIGHUP, on_hup);
}

Status Gateway::start() {
  auto& c = impl_->cfg;
  log::set_level(log::level_from_string(c.log_level));
  log::set_node(c.node_id);
  std::error_code ec;
  std::filesystem::create_directories(c.run_dir(), ec);
  if (ec) return make_error("data_dir", "cannot create " + c.run_dir() + ": " + ec.message());
  if (c.store.wal_gather) {
    const auto folder = std::filesystem::path(c.store.path).parent_path();
    if (auto s = sqlite::enable_wal_write_gather(folder.empty() ? "." : folder.string()); !s) return s;
    log::info("store", "WAL write gather on: the self-test passed", {{"sqlite", sqlite3_libversion()}});
  }
  // The writers' connection; its commits leave WAL checkpoints to a thread of their own.
  store::StoreOptions write_opts;
  write_opts.cache_kib = c.store.cache_mb * 1024;
  write_opts.background_checkpoint = true;
  write_opts.quick_check = true;  // a corrupt store is found before anything is acknowledged
  auto write_store = open_configured_store(c, write_opts);
  if (!write_store.ok()) return write_store.error();
  impl_->writer = store::StoreWriter::start(std::move(write_store.value()));
  impl_->feedback = std::make_unique<FeedbackRelay>(impl_->writer);
  for (const auto& d : c.destinations) {
    auto conn = delivery::Connector::open(c, d);
    if (!conn.ok()) return conn.error();
    impl_->workers.push_back(
        std::make_unique<delivery::DeliveryWorker>(c, d, std::move(conn.value()), impl_->writer->handle()));
    for (int64_t lane = 1; lane < d.concurrency; ++lane) {  // each lane: its own HTTP connection
      auto more = delivery::Connector::open(c, d);
      if (!more.ok()) return more.error();
      impl_->workers.back()->add_lane(std::move(more.value()), impl_->writer->handle());
    }
  }
  for (const auto& p : impl_->mappings.load(c.mappings_dir, c.code_tables_dir))
    log::error("mappings", "mapping not loaded: " + p.message, {{"where", p.where}});
  log::info("mappings", "mappings loaded", {{"mappings", impl_->mappings.names()}});
  {
    std::vector<Error> problems;
    impl_->outbound = mapping::load_outbound_dir(c.mappings_dir, problems);
    for (const auto& p : problems)
      log::error("mappings", "outbound mapping not loaded: " + p.message, {{"where", p.where}});
  }
  // The log starts over between two of the writer's transactions.
  auto checkpointer = store::WalCheckpointer::start(
      c.store.path, std::chrono::milliseconds(200), store::WalCheckpointer::kRestartFrames,
      [w = std::weak_ptr<store::StoreWriter>(impl_->writer)](const std::function<void()>& fn) {
        if (auto writer = w.lock())
          writer->call([&fn](store::Store&) { fn(); });
        else
          fn();
      });
  if (!checkpointer.ok()) return checkpointer.error();
  impl_->checkpointer = std::move(checkpointer.value());
  impl_->ingestor = std::make_unique<ingest::Ingestor>(impl_->mappings, static_cast<size_t>(c.quarantine_raw_limit));
  impl_->pipeline = std::make_unique<ingest::IngestPipeline>(impl_->writer->handle(), *impl_->ingestor);
  impl_->router = std::make_unique<zmq::socket_t>(impl_->ctx, zmq::socket_type::router);
  impl_->router->set(zmq::sockopt::linger, 0);
  impl_->router->set(zmq::sockopt::rcvhwm, 1000);
  impl_->router->set(zmq::sockopt::router_mandatory, 0);
  if (c.router_endpoint.rfind("ipc://", 0) == 0) std::filesystem::remove(c.router_endpoint.substr(6), ec);
  try {
    impl_->router->bind(c.router_endpoint);
  } catch (const zmq::error_t& e) {
    return make_error("router", std::string("cannot bind ") + c.router_endpoint + ": " + e.what());
  }
  impl_->supervisor = std::make_unique<supervisor::PluginSupervisor>(
      c, self_exe(), [this](const std::string& id, const router::FromCore& m) { impl_->send(id, m); });
  auto jobs = configured_jobs(c);
  if (!jobs.ok()) return jobs.error();
  // Jobs write through the writer too: a commit from a connection of their
  // own would empty the write connection's page cache.
  impl_->scheduler = std::make_unique<scheduler::Scheduler>(
      [w = std::weak_ptr<store::StoreWriter>(impl_->writer)]() -> Result<std::unique_ptr<store::Store>> {
        if (auto writer = w.lock()) return writer->handle();
        return make_error("store", "the gateway is stopping");
      },
      c.node_id + ":" + std::to_string(getpid()));
  for (auto& j : *jobs) impl_->scheduler->add(j.name, j.cron, j.fn);
  for (auto& w : impl_->workers) w->start();
  impl_->scheduler->start();
  if (c.admin_listen != "off") {
    admin::Sources src;
    src.plugins = [im = impl_.get()] {
      std::lock_guard<std::mutex> lock(im->plugins_mu);
      return im->plugins_snapshot;
    };
    for (auto& w : impl_->workers) src.workers.push_back(w.get());
    src.scheduler = impl_->scheduler.get();
    src.started = [im = impl_.get()] { return im->started.load(); };
    src.reload = [this] { request_reload(); };
    impl_->admin = std::make_unique<admin::AdminServer>(c, src);
    if (auto s = impl_->admin->start(); !s) return s;
  }
  impl_->started = true;
  log::info(
      "gateway", "gateway started",
      {{"node_id", c.node_id}, {"store", c.store.path}, {"router", c.router_endpoint}, {"plugins", c.plugins.dir}});
  return {};
}

int Gateway::run() {
  auto& im = *impl_;
  bool draining = false;
  auto drain_deadline = supervisor::Clock::now();
  while (true) {
    if ((reload_.exchange(false) || g_hup) && !draining) {
      g_hup = 0;
      guarded("the config reload", [&] { im.reload(); });
    }
    if ((stop_ || g_signal) && !draining) {
      log::info("gateway", "stopping: plugins drain their in-flight input first",
                {{"signal", static_cast<int>(g_signal)}});
      im.supervisor->drain_all(std::chrono::milliseconds(im.cfg.plugins.drain_timeout_ms));
      draining = true;
      drain_deadline = supervisor::Clock::now() + std::chrono::milliseconds(im.cfg.plugins.drain_timeout_ms);
    }
    zmq::pollitem_t items[] = {{static_cast<void*>(*im.router), 0, ZMQ_POLLIN, 0}};
    try {
      // Short waits while units are in the pipeline: their acks go out promptly.
      zmq::poll(items, 1, std::chrono::milliseconds(im.pipeline->in_flight() ? 2 : 50));
    } catch (const zmq::error_t& e) {
      if (e.num() != EINTR) throw;
    }
    for (int i = 0; i < 256; ++i) {
      std::vector<zmq::message_t> parts;
      auto got = zmq::recv_multipart(*im.router, std::back_inserter(parts), zmq::recv_flags::dontwait);
      if (!got) break;
      guarded("a plugin host's message", [&] { im.handle(parts); });
    }
    guarded("answering plugin hosts", [&] { im.answer_finished(); });
    if (!draining) {
      guarded("the plugin supervisor", [&] { im.supervisor->tick(); });
      guarded("handing out feedback", [&] { im.dispatch_feedback(); });
      {
        std::lock_guard<std::mutex> lock(im.plugins_mu);
        im.plugins_snapshot = im.supervisor->status();
      }
    } else {
      im.supervisor->tick();
      bool any = false;
      for (const auto& s : im.supervisor->status())
        if (s["pid"].get<int>() > 0) any = true;
      if (!any || supervisor::Clock::now() > drain_deadline) break;
    }
  }
  im.pipeline->drain();  // what was handed in is committed (its acks may find no host)
  im.answer_finished();
  im.pipeline.reset();
  im.started = false;
  if (im.admin) im.admin->stop();
  im.scheduler->stop();
  for (auto& w : im.workers) w->stop();  // the outbox keeps what was not delivered
  im.checkpointer.reset();               // a last checkpoint
  log::info("gateway", "gateway stopped");
  return 0;
}

}  // namespace cg::gateway
