// The messages between plugin hosts (ZeroMQ DEALER) and the core router
// (ZeroMQ ROUTER): one type each, and the one codec both sides use. On the
// wire a message is [type, JSON header, payload?] (the ROUTER adds the host's
// identity in front):
//
//   host -> core  HELLO  {plugin, version, department, pid, file, sha256, feedback}
//   host -> core  UNIT   {source_id, feed, origin}                       + the unit's bytes
//   host -> core  BEAT   {inflight}
//   host -> core  FATAL  {code, message, file, sha256, plugin, gateway_abi} then the host exits
//   host -> core  BYE    {}                                              drained, exiting
//   host -> core  FEEDBACK_ACK {feedback_id, ok, error}
//   core -> host  ACK    {source_id, status, result}
//   core -> host  DRAIN  {}                                              stop taking input, finish, exit
//   core -> host  FEEDBACK {feedback_id, record_id, version, event, format, file_name} + the document
//
// Decoding trusts nothing (a plugin host runs department code): an unknown
// type, a header that is not a JSON object or a field of the wrong type is an
// error naming it; an absent field is empty. Encoding never throws: text
// that is not UTF-8 is sent with U+FFFD in place of the bad bytes.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/result.hpp"

namespace cg::router {

struct Hello {
  std::string plugin, version, department, file, sha256;
  int64_t pid = 0;
  bool feedback = false;  // the adapter takes feedback
};
struct Unit {
  std::string source_id, feed, origin;
  std::string_view data;  // decoded: a view into the message's last frame
};
struct Beat {
  int64_t inflight = 0;
};
struct Fatal {
  std::string code, message, file, sha256, plugin;
  int64_t gateway_abi = 0;
};
struct Bye {};
struct FeedbackAck {
  int64_t feedback_id = 0;
  bool ok = false;
  std::string error;
};
struct Ack {
  std::string source_id;
  int32_t status = 0;  // CG_ACK_*
  nlohmann::json result = nlohmann::json::object();
};
struct Drain {};
struct Feedback {
  int64_t feedback_id = 0;
  std::string record_id;
  int64_t version = 0;
  nlohmann::json event = nlohmann::json::object();
  std::string format, file_name;
  std::string_view document;  // decoded: a view into the message's last frame
};

using FromHost = std::variant<Hello, Unit, Beat, Fatal, Bye, FeedbackAck>;
using FromCore = std::variant<Ack, Drain, Feedback>;

// A message's frames as they go on the wire; `payload` (a view of the
// message's bytes) only for UNIT and FEEDBACK.
struct Frames {
  std::string_view type;
  std::string header;
  std::string_view payload;
  bool has_payload = false;
};

Frames encode(const FromHost& m);
Frames encode(const FromCore& m);

// `frames` without the ROUTER's identity frame.
Result<FromHost> decode_from_host(const std::vector<std::string_view>& frames);
Result<FromCore> decode_from_core(const std::vector<std::string_view>& frames);

// Exit codes of the plugin host.
inline constexpr int kExitDrained = 0;
inline constexpr int kExitFatal = 3;  // load or ABI failure: do not restart until the file changes

}  // namespace cg::router
