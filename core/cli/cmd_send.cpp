// credit-gateway send --endpoint ENDPOINT FILE...
// The market-regulation front-end processor's client: pushes each file over
// ZeroMQ and waits until the gateway has stored it.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>
#include <sstream>
#include <zmq.hpp>
#include <zmq_addon.hpp>

#include "cli/args.hpp"
#include "cli/commands.hpp"

namespace cg::cli {

int cmd_send(const Argv& argv) {
  auto args = Args::parse(argv, {"endpoint", "timeout-ms", "retries"}, {});
  if (!args.ok() || !args->get("endpoint") || args->positional().empty()) {
    std::cerr << (args.ok() ? "" : args.error().message + "\n")
              << "usage: credit-gateway send --endpoint ENDPOINT [--timeout-ms N] [--retries N] FILE...\n";
    return 2;
  }
  const std::string endpoint = *args->get("endpoint");
  const auto timeout = std::chrono::milliseconds(std::stoll(args->get_or("timeout-ms", "30000")));
  const int retries = std::stoi(args->get_or("retries", "10"));
  zmq::context_t ctx(1);
  std::mt19937_64 rng{std::random_device{}()};
  int failures = 0;
  for (const auto& file : args->positional()) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      std::cerr << file << ": error: cannot read\n";
      ++failures;
      continue;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    std::string data = ss.str();
    std::string msg_id = std::to_string(rng());
    std::string name = std::filesystem::path(file).filename().string();
    bool done = false;
    for (int attempt = 0; attempt <= retries && !done; ++attempt) {
      // A fresh socket per attempt: a lost answer never blocks the next try.
      zmq::socket_t sock(ctx, zmq::socket_type::dealer);
      sock.set(zmq::sockopt::linger, 0);
      sock.connect(endpoint);
      sock.send(zmq::buffer(msg_id), zmq::send_flags::sndmore);
      sock.send(zmq::buffer(name), zmq::send_flags::sndmore);
      sock.send(zmq::buffer(data), zmq::send_flags::none);
      zmq::pollitem_t items[] = {{static_cast<void*>(sock), 0, ZMQ_POLLIN, 0}};
      zmq::poll(items, 1, timeout);
      if (!(items[0].revents & ZMQ_POLLIN)) {
        std::cerr << file << ": no answer in " << timeout.count() << " ms, sending again (attempt " << attempt + 2
                  << ")\n";
        continue;
      }
      std::vector<zmq::message_t> parts;
      (void)zmq::recv_multipart(sock, std::back_inserter(parts));
      if (parts.size() < 2 || parts[0].to_string() != msg_id) continue;
      auto reply = nlohmann::json::parse(parts[1].to_string(), nullptr, false);
      std::string status = reply.value("status", "failed");
      if (status == "failed") {
        std::cerr << file << ": the gateway could not take it now (" << reply.dump() << "), sending again\n";
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        continue;
      }
      done = true;
      const auto& r = reply["result"];
      if (status == "committed") {
        std::cout << file << ": stored (" << r.value("accepted", 0) << " accepted, " << r.value("unchanged", 0)
                  << " unchanged, " << (r.contains("quarantined") ? r["quarantined"].size() : 0) << " quarantined)\n";
      } else {
        std::cerr << file << ": refused and kept in quarantine: " << r["error"].value("message", "") << "\n";
        ++failures;
      }
    }
    if (!done) {
      std::cerr << file << ": error: not acknowledged after " << retries + 1 << " attempts\n";
      ++failures;
    }
  }
  return failures ? 1 : 0;
}

}  // namespace cg::cli
