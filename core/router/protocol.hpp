// The messages between plugin hosts (ZeroMQ DEALER) and the core router
// (ZeroMQ ROUTER). Every message is multipart: [type, JSON header, payload?].
//
//   host -> core  HELLO  {plugin, version, department, pid, file, sha256}
//   host -> core  UNIT   {source_id, feed, origin}            + the unit's bytes
//   host -> core  BEAT   {inflight}
//   host -> core  FATAL  {code, message, file, symbol, ...}     then the host exits
//   host -> core  BYE    {}                                     drained, exiting
//   core -> host  ACK    {source_id, status, result}
//   core -> host  DRAIN  {}                                     stop taking input, finish, exit
//   core -> host  FEEDBACK {feedback_id, record_id, version, event, format, file_name} + the document
//   host -> core  FEEDBACK_ACK {feedback_id, ok, error}
#pragma once

#include <string_view>

namespace cg::router {

inline constexpr std::string_view kHello = "HELLO";
inline constexpr std::string_view kUnit = "UNIT";
inline constexpr std::string_view kBeat = "BEAT";
inline constexpr std::string_view kFatal = "FATAL";
inline constexpr std::string_view kBye = "BYE";
inline constexpr std::string_view kAck = "ACK";
inline constexpr std::string_view kDrain = "DRAIN";
inline constexpr std::string_view kFeedback = "FEEDBACK";
inline constexpr std::string_view kFeedbackAck = "FEEDBACK_ACK";

// Exit codes of the plugin host.
inline constexpr int kExitDrained = 0;
inline constexpr int kExitFatal = 3;  // load or ABI failure: do not restart until the file changes

}  // namespace cg::router
