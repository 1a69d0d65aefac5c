#include "router/host_message.hpp"

#include <utility>

#include "router/protocol.hpp"

namespace cg::router {

namespace {

using nlohmann::json;

enum class Kind { Text, Integer, Flag, Object };

struct Field {
  const char* name;
  Kind kind;
};

// The fields each message type carries, as the core reads them.
const std::vector<Field>* fields_of(std::string_view type) {
  static const std::vector<Field> kHelloFields = {
      {"plugin", Kind::Text}, {"version", Kind::Text}, {"department", Kind::Text}, {"pid", Kind::Integer},
      {"file", Kind::Text},   {"sha256", Kind::Text},  {"feedback", Kind::Flag}};
  static const std::vector<Field> kUnitFields = {
      {"source_id", Kind::Text}, {"feed", Kind::Text}, {"origin", Kind::Text}};
  static const std::vector<Field> kBeatFields = {{"inflight", Kind::Integer}};
  static const std::vector<Field> kFatalFields = {{"code", Kind::Text},
                                                  {"message", Kind::Text},
                                                  {"file", Kind::Text},
                                                  {"plugin", Kind::Text},
                                                  {"gateway_abi", Kind::Integer}};
  static const std::vector<Field> kNoFields;
  static const std::vector<Field> kFeedbackAckFields = {
      {"feedback_id", Kind::Text}, {"ok", Kind::Flag}, {"error", Kind::Text}};
  if (type == kHello) return &kHelloFields;
  if (type == kUnit) return &kUnitFields;
  if (type == kBeat) return &kBeatFields;
  if (type == kFatal) return &kFatalFields;
  if (type == kBye) return &kNoFields;
  if (type == kFeedbackAck) return &kFeedbackAckFields;
  return nullptr;
}

bool has_kind(const json& v, Kind k) {
  switch (k) {
    case Kind::Text:
      return v.is_string();
    case Kind::Integer:
      return v.is_number_integer();
    case Kind::Flag:
      return v.is_boolean();
    case Kind::Object:
      return v.is_object();
  }
  return false;
}

json empty_of(Kind k) {
  switch (k) {
    case Kind::Text:
      return "";
    case Kind::Integer:
      return 0;
    case Kind::Flag:
      return false;
    case Kind::Object:
      return json::object();
  }
  return nullptr;
}

}  // namespace

Result<HostMessage> decode_host_message(const std::vector<std::string_view>& frames) {
  if (frames.size() < 2) return make_error("bad_message", "a message has a type and a header");
  HostMessage m;
  m.type = std::string(frames[0]);
  const auto* fields = fields_of(frames[0]);
  if (!fields) return make_error("bad_message", "unknown message type");
  m.header = json::parse(frames[1].begin(), frames[1].end(), nullptr, false);
  if (!m.header.is_object()) return make_error("bad_message", "the header of " + m.type + " is not a JSON object");
  for (const auto& f : *fields) {
    auto it = m.header.find(f.name);
    if (it == m.header.end())
      m.header[f.name] = empty_of(f.kind);
    else if (!has_kind(*it, f.kind))
      return make_error("bad_message", "field '" + std::string(f.name) + "' of " + m.type + " has the wrong type");
  }
  if (m.type == kFeedbackAck) {
    const auto& id = m.header["feedback_id"].get_ref<const std::string&>();
    if (id.empty() || id.size() > 18 || id.find_first_not_of("0123456789") != std::string::npos)
      return make_error("bad_message", "feedback_id of FEEDBACK_ACK is not a number");
  }
  if (m.type == kUnit) {
    if (frames.size() < 3) return make_error("bad_message", "UNIT without its payload");
    m.payload = frames[2];
  }
  return m;
}

}  // namespace cg::router
