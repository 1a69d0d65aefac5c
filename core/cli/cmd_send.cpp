// credit-gateway send --endpoint ENDPOINT [--in-flight N] FILE...
// The market-regulation front-end processor's client: pushes files over
// ZeroMQ, up to N at a time, and waits until the gateway has stored each.
// A file without an answer in --timeout-ms is sent again with the same
// message id (the gateway never takes one message twice); one the gateway
// could not take now ("failed": busy) is sent again after half a second.
#include <algorithm>
#include <chrono>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <sstream>
#include <zmq.hpp>
#include <zmq_addon.hpp>

#include "cli/args.hpp"
#include "cli/commands.hpp"

namespace cg::cli {

namespace {

using Clock = std::chrono::steady_clock;

struct Outgoing {
  std::string file;
  std::string name;  // the file's name, sent with it
  std::string msg_id;
  int attempts = 0;
  Clock::time_point not_before{};  // a busy gateway: not sent again before
};

struct InFlight {
  Outgoing out;
  std::string data;
  Clock::time_point deadline;
};

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

int cmd_send(const Argv& argv) {
  auto args = Args::parse(argv, {"endpoint", "timeout-ms", "retries", "in-flight"}, {});
  if (!args.ok() || !args->get("endpoint") || args->positional().empty()) {
    std::cerr << (args.ok() ? "" : args.error().message + "\n")
              << "usage: credit-gateway send --endpoint ENDPOINT [--in-flight N] [--timeout-ms N] [--retries N] "
                 "FILE...\n";
    return 2;
  }
  const auto timeout = std::chrono::milliseconds(std::stoll(args->get_or("timeout-ms", "30000")));
  const int retries = std::stoi(args->get_or("retries", "10"));
  const size_t max_in_flight = static_cast<size_t>(std::max(1, std::stoi(args->get_or("in-flight", "4"))));
  zmq::context_t ctx(1);
  zmq::socket_t sock(ctx, zmq::socket_type::dealer);
  sock.set(zmq::sockopt::linger, 0);
  sock.connect(*args->get("endpoint"));

  std::mt19937_64 rng{std::random_device{}()};
  std::deque<Outgoing> waiting;
  for (const auto& file : args->positional())
    waiting.push_back({file, std::filesystem::path(file).filename().string(), std::to_string(rng()), 0, {}});
  std::map<std::string, InFlight> in_flight;  // by message id
  int failures = 0;

  auto send = [&](Outgoing out, std::string data) {
    ++out.attempts;
    sock.send(zmq::buffer(out.msg_id), zmq::send_flags::sndmore);
    sock.send(zmq::buffer(out.name), zmq::send_flags::sndmore);
    sock.send(zmq::buffer(data), zmq::send_flags::none);
    std::string id = out.msg_id;
    in_flight[id] = {std::move(out), std::move(data), Clock::now() + timeout};
  };
  // Sent again later, or given up after its last attempt.
  auto again = [&](InFlight f, Clock::time_point not_before) {
    if (f.out.attempts > retries) {
      std::cerr << f.out.file << ": error: not acknowledged after " << f.out.attempts << " attempts\n";
      ++failures;
      return;
    }
    f.out.not_before = not_before;
    waiting.push_front(std::move(f.out));  // before files not sent yet: order is kept where it can be
  };

  while (!waiting.empty() || !in_flight.empty()) {
    // Fill the window with what may be sent now.
    for (auto it = waiting.begin(); it != waiting.end() && in_flight.size() < max_in_flight;) {
      if (it->not_before > Clock::now()) {
        ++it;
        continue;
      }
      auto data = read_file(it->file);
      if (!data) {
        std::cerr << it->file << ": error: cannot read\n";
        ++failures;
      } else {
        send(std::move(*it), std::move(*data));
      }
      it = waiting.erase(it);
    }
    if (in_flight.empty() && waiting.empty()) break;

    zmq::pollitem_t items[] = {{static_cast<void*>(sock), 0, ZMQ_POLLIN, 0}};
    zmq::poll(items, 1, std::chrono::milliseconds(100));
    if (items[0].revents & ZMQ_POLLIN) {
      std::vector<zmq::message_t> parts;
      (void)zmq::recv_multipart(sock, std::back_inserter(parts));
      if (parts.size() < 2) continue;
      auto it = in_flight.find(parts[0].to_string());
      if (it == in_flight.end()) continue;  // the answer to an attempt already answered
      InFlight f = std::move(it->second);
      in_flight.erase(it);
      auto reply = nlohmann::json::parse(parts[1].to_string(), nullptr, false);
      std::string status = reply.is_object() ? reply.value("status", "failed") : "failed";
      if (status == "failed") {
        std::cerr << f.out.file << ": the gateway could not take it now (" << reply.dump() << "), sending again\n";
        again(std::move(f), Clock::now() + std::chrono::milliseconds(500));
        continue;
      }
      const auto& r = reply["result"];
      if (status == "committed") {
        std::cout << f.out.file << ": stored (" << r.value("accepted", 0) << " accepted, " << r.value("unchanged", 0)
                  << " unchanged, " << (r.contains("quarantined") ? r["quarantined"].size() : 0) << " quarantined)\n";
      } else {
        std::cerr << f.out.file << ": refused and kept in quarantine: " << r["error"].value("message", "") << "\n";
        ++failures;
      }
    }
    // Files whose answer is overdue are sent again, with the same message id.
    for (auto it = in_flight.begin(); it != in_flight.end();) {
      if (it->second.deadline > Clock::now()) {
        ++it;
        continue;
      }
      std::cerr << it->second.out.file << ": no answer in " << timeout.count() << " ms, sending again (attempt "
                << it->second.out.attempts + 1 << ")\n";
      InFlight f = std::move(it->second);
      it = in_flight.erase(it);
      again(std::move(f), Clock::now());
    }
  }
  return failures ? 1 : 0;
}

}  // namespace cg::cli
