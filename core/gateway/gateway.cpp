// The composition root: the gateway's parts made, wired and started in
// order, and stopped in the reverse one.
#include <unistd.h>

#include <filesystem>

#include "common/clock.hpp"
#include "common/log.hpp"
#include "gateway/config_check.hpp"
#include "gateway/gateway_impl.hpp"
#include "gateway/signals.hpp"
#include "gateway/wiring.hpp"
#include "store/sqlite/wal_write_gather.hpp"

namespace cg::gateway {

namespace {

std::string self_exe() {
  std::error_code ec;
  auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("credit-gateway") : p.string();
}

}  // namespace

Gateway::Gateway(config::Config cfg) : impl_(std::make_unique<Impl>(std::move(cfg))) {}
Gateway::~Gateway() = default;

void Gateway::install_signal_handlers() {
  signals::install();
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
    if (d.feedback) {  // execution feedback: one lane of its own
      auto relay = delivery::Connector::open(c, d);
      if (!relay.ok()) return relay.error();
      impl_->workers.push_back(std::make_unique<delivery::DeliveryWorker>(
          c, d, std::move(relay.value()), impl_->writer->handle(), delivery::Stream::Feedback));
    }
  }
  if (c.feedback_destinations().empty() && c.department_api_listen != "off")
    log::warn("delivery",
              "no destination has feedback: true: departments' execution feedback is kept but relayed to no platform");
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
  impl_->ingestor = std::make_unique<ingest::Ingestor>(impl_->mappings, static_cast<size_t>(c.quarantine_raw_limit),
                                                       feedback_taker(c));
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
      [w = std::weak_ptr<store::StoreWriter>(impl_->writer)]() -> Result<std::unique_ptr<store::StoreAccess>> {
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
    src.reload = [this, file = c.file]() -> nlohmann::json {
      auto checked = check_config(file);
      if (!checked.config) return nlohmann::json(describe(checked.problems));
      request_reload();
      return nlohmann::json::array();
    };
    src.open_store = [cfg = c]() { return open_configured_store(cfg); };
    impl_->admin = std::make_unique<admin::AdminServer>(c, src);
    if (auto s = impl_->admin->start(); !s) return s;
  }
  if (c.department_api_listen != "off") {
    impl_->department_api =
        std::make_unique<department_api::DepartmentServer>(c, [cfg = c]() { return open_configured_store(cfg); });
    if (auto s = impl_->department_api->start(); !s) return s;
  }
  impl_->started = true;
  log::info(
      "gateway", "gateway started",
      {{"node_id", c.node_id}, {"store", c.store.path}, {"router", c.router_endpoint}, {"plugins", c.plugins.dir}});
  return {};
}

}  // namespace cg::gateway
