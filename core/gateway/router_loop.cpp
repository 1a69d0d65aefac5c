// The router thread: its loop (Gateway::run), the plugin hosts' messages
// taken in, and their acknowledgements sent back.
#include <zmq_addon.hpp>

#include "common/clock.hpp"
#include "common/log.hpp"
#include "common/text.hpp"
#include "gateway/gateway_impl.hpp"
#include "gateway/signals.hpp"

namespace cg::gateway {

using nlohmann::json;

namespace {

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

}  // namespace

void Gateway::Impl::send(const std::string& identity, const router::FromCore& m) {
  const router::Frames f = router::encode(m);
  router->send(zmq::buffer(identity), zmq::send_flags::sndmore);
  router->send(zmq::buffer(f.type), zmq::send_flags::sndmore);
  router->send(zmq::buffer(f.header), f.has_payload ? zmq::send_flags::sndmore : zmq::send_flags::none);
  if (f.has_payload) router->send(zmq::buffer(f.payload.data(), f.payload.size()), zmq::send_flags::none);
}

// `ack` is taken: its result (the unit's quarantined records listed) moves
// into the message instead of being copied.
void Gateway::Impl::answer(const std::string& identity, const std::string& source_id, ingest::Ack&& ack) {
  size_t recs = ack.result.contains("accepted") ? ack.result["accepted"].get<size_t>() : 0;
  size_t quar = ack.result.contains("quarantined") ? ack.result["quarantined"].size() : 0;
  supervisor->on_unit_done(identity, ack.status, recs, quar);
  send(identity, router::Ack{source_id, ack.status, std::move(ack.result)});
}

// Acknowledgements of what the pipeline committed, back to the plugin hosts.
void Gateway::Impl::answer_finished() {
  for (auto& f : pipeline->take_finished()) answer(f.identity, f.source_id, std::move(f.ack));
}

void Gateway::Impl::handle(std::vector<zmq::message_t>& parts) {
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

int Gateway::run() {
  auto& im = *impl_;
  bool draining = false;
  auto drain_deadline = supervisor::Clock::now();
  while (true) {
    if ((reload_.exchange(false) || signals::take_reload()) && !draining) {
      guarded("the config reload", [&] { im.reload(); });
    }
    if ((stop_ || signals::stop_requested()) && !draining) {
      log::info("gateway", "stopping: plugins drain their in-flight input first",
                {{"signal", signals::stop_requested()}});
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
  if (im.department_api) im.department_api->stop();
  im.scheduler->stop();
  for (auto& w : im.workers) w->stop();  // the outbox keeps what was not delivered
  im.checkpointer.reset();               // a last checkpoint
  log::info("gateway", "gateway stopped");
  return 0;
}

}  // namespace cg::gateway
