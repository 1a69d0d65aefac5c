// The running gateway's parts, shared by the files that make up
// gateway::Gateway: gateway.cpp (the composition root: start and stop),
// router_loop.cpp (the router thread's loop and the plugin hosts' messages),
// feedback_dispatch.cpp (feedback to the departments' hosts), reload.cpp
// (the config reload).
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "admin/admin_server.hpp"
#include "config/config.hpp"
#include "delivery/delivery_worker.hpp"
#include "department_api/department_server.hpp"
#include "gateway/feedback_relay.hpp"
#include "gateway/gateway.hpp"
#include "ingest/ingestor.hpp"
#include "ingest/mapping_registry.hpp"
#include "ingest/pipeline.hpp"
#include "mapping/outbound.hpp"
#include "router/message.hpp"
#include "scheduler/scheduler.hpp"
#include "store/sqlite/wal_checkpointer.hpp"
#include "store/store_writer.hpp"
#include "supervisor/plugin_supervisor.hpp"

namespace cg::gateway {

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
  std::unique_ptr<department_api::DepartmentServer> department_api;
  std::mutex plugins_mu;
  nlohmann::json plugins_snapshot = nlohmann::json::array();
  std::atomic<bool> started{false};
  std::map<std::string, mapping::OutboundSpec> outbound;  // by department
  std::unique_ptr<FeedbackRelay> feedback;                // claims and answers through the writer

  // Hands feedback that a claim brought to the plugin host that takes it.
  void dispatch_feedback();

  // Applies a new config file if it is valid; else keeps the running one.
  void reload();

  // A department's answer to an item of feedback.
  void feedback_ack(const router::FeedbackAck& m);

  // A message to the plugin host `identity`.
  void send(const std::string& identity, const router::FromCore& m);

  // `ack` is taken: its result (the unit's quarantined records listed) moves
  // into the message instead of being copied.
  void answer(const std::string& identity, const std::string& source_id, ingest::Ack&& ack);

  // Acknowledgements of what the pipeline committed, back to the plugin hosts.
  void answer_finished();

  // A message from a plugin host: [identity, type, header, payload?].
  void handle(std::vector<zmq::message_t>& parts);
};

}  // namespace cg::gateway
