#include "router/message.hpp"

#include <limits>
#include <optional>

namespace cg::router {

namespace {

using nlohmann::json;

constexpr std::string_view kHello = "HELLO";
constexpr std::string_view kUnit = "UNIT";
constexpr std::string_view kBeat = "BEAT";
constexpr std::string_view kFatal = "FATAL";
constexpr std::string_view kBye = "BYE";
constexpr std::string_view kFeedbackAck = "FEEDBACK_ACK";
constexpr std::string_view kAck = "ACK";
constexpr std::string_view kDrain = "DRAIN";
constexpr std::string_view kFeedback = "FEEDBACK";

// A header's fields read by type: a field of another type is an error (the
// first one is kept), an absent one is empty.
class Header {
 public:
  static Result<Header> parse(std::string_view type, std::string_view text) {
    Header h;
    h.type_ = type;
    h.j_ = json::parse(text.begin(), text.end(), nullptr, false);
    if (!h.j_.is_object())
      return make_error("bad_message", "the header of " + std::string(type) + " is not a JSON object");
    return h;
  }
  std::string text(const char* name) {
    const json* v = find(name);
    if (v && !v->is_string()) return wrong(name), std::string();
    return v ? v->get<std::string>() : std::string();
  }
  int64_t integer(const char* name) {
    const json* v = find(name);
    if (!v) return 0;
    if (v->is_number_integer() && !(v->is_number_unsigned() && v->get<uint64_t>() > kMax)) return v->get<int64_t>();
    return wrong(name), 0;
  }
  bool flag(const char* name) {
    const json* v = find(name);
    if (v && !v->is_boolean()) return wrong(name), false;
    return v && v->get<bool>();
  }
  json object(const char* name) {
    const json* v = find(name);
    if (v && !v->is_object()) return wrong(name), json::object();
    return v ? *v : json::object();
  }
  // A feedback id: decimal digits in a string (at most 18: it fits).
  int64_t id(const char* name) {
    const std::string s = text(name);
    if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos)
      return wrong(name, "is not a number"), 0;
    return std::stoll(s);
  }
  [[nodiscard]] const std::optional<Error>& problem() const { return problem_; }

 private:
  static constexpr uint64_t kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  const json* find(const char* name) const {
    auto it = j_.find(name);
    return it == j_.end() ? nullptr : &*it;
  }
  void wrong(const char* name, const char* what = "has the wrong type") {
    if (!problem_)
      problem_ = make_error("bad_message", "field '" + std::string(name) + "' of " + std::string(type_) + " " + what);
  }
  std::string_view type_;
  json j_;
  std::optional<Error> problem_;
};

std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Frames header_only(std::string_view type, std::string header) {
  Frames f;
  f.type = type;
  f.header = std::move(header);
  return f;
}

Frames with_payload(std::string_view type, std::string header, std::string_view payload) {
  Frames f = header_only(type, std::move(header));
  f.payload = payload;
  f.has_payload = true;
  return f;
}

// The frames of a message whose fields are read; errors name what is wrong.
template <typename Message, typename Decode>
Result<Message> decode(const std::vector<std::string_view>& frames, Decode&& by_type) {
  if (frames.size() < 2) return make_error("bad_message", "a message has a type and a header");
  auto h = Header::parse(frames[0], frames[1]);
  if (!h.ok()) return h.error();
  const std::string_view payload = frames.size() >= 3 ? frames[2] : std::string_view();
  std::optional<Result<Message>> m = by_type(frames[0], *h, payload, frames.size() >= 3);
  if (!m) return make_error("bad_message", "unknown message type");
  if (m->ok() && h->problem()) return *h->problem();
  return std::move(*m);
}

}  // namespace

Frames encode(const FromHost& m) {
  return std::visit(
      [](const auto& v) -> Frames {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, Hello>)
          return header_only(kHello, dump({{"plugin", v.plugin},
                                           {"version", v.version},
                                           {"department", v.department},
                                           {"pid", v.pid},
                                           {"file", v.file},
                                           {"sha256", v.sha256},
                                           {"feedback", v.feedback}}));
        else if constexpr (std::is_same_v<T, Unit>)
          return with_payload(kUnit, dump({{"source_id", v.source_id}, {"feed", v.feed}, {"origin", v.origin}}),
                              v.data);
        else if constexpr (std::is_same_v<T, Beat>)
          return header_only(kBeat, dump({{"inflight", v.inflight}}));
        else if constexpr (std::is_same_v<T, Fatal>)
          return header_only(kFatal, dump({{"code", v.code},
                                           {"message", v.message},
                                           {"file", v.file},
                                           {"sha256", v.sha256},
                                           {"plugin", v.plugin},
                                           {"gateway_abi", v.gateway_abi}}));
        else if constexpr (std::is_same_v<T, Bye>)
          return header_only(kBye, "{}");
        else
          return header_only(kFeedbackAck,
                             dump({{"feedback_id", std::to_string(v.feedback_id)}, {"ok", v.ok}, {"error", v.error}}));
      },
      m);
}

Frames encode(const FromCore& m) {
  return std::visit(
      [](const auto& v) -> Frames {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, Ack>)
          return header_only(kAck, dump({{"source_id", v.source_id}, {"status", v.status}, {"result", v.result}}));
        else if constexpr (std::is_same_v<T, Drain>)
          return header_only(kDrain, "{}");
        else
          return with_payload(kFeedback,
                              dump({{"feedback_id", std::to_string(v.feedback_id)},
                                    {"record_id", v.record_id},
                                    {"version", v.version},
                                    {"event", v.event},
                                    {"format", v.format},
                                    {"file_name", v.file_name}}),
                              v.document);
      },
      m);
}

Result<FromHost> decode_from_host(const std::vector<std::string_view>& frames) {
  return decode<FromHost>(frames,
                          [](std::string_view type, Header& h, std::string_view payload,
                             bool has_payload) -> std::optional<Result<FromHost>> {
                            if (type == kHello) {
                              Hello m;
                              m.plugin = h.text("plugin");
                              m.version = h.text("version");
                              m.department = h.text("department");
                              m.file = h.text("file");
                              m.sha256 = h.text("sha256");
                              m.pid = h.integer("pid");
                              m.feedback = h.flag("feedback");
                              return FromHost(std::move(m));
                            }
                            if (type == kUnit) {
                              if (!has_payload)
                                return Result<FromHost>(make_error("bad_message", "UNIT without its payload"));
                              Unit m;
                              m.source_id = h.text("source_id");
                              m.feed = h.text("feed");
                              m.origin = h.text("origin");
                              m.data = payload;
                              return FromHost(std::move(m));
                            }
                            if (type == kBeat) return FromHost(Beat{h.integer("inflight")});
                            if (type == kFatal) {
                              Fatal m;
                              m.code = h.text("code");
                              m.message = h.text("message");
                              m.file = h.text("file");
                              m.sha256 = h.text("sha256");
                              m.plugin = h.text("plugin");
                              m.gateway_abi = h.integer("gateway_abi");
                              return FromHost(std::move(m));
                            }
                            if (type == kBye) return FromHost(Bye{});
                            if (type == kFeedbackAck) {
                              FeedbackAck m;
                              m.feedback_id = h.id("feedback_id");
                              m.ok = h.flag("ok");
                              m.error = h.text("error");
                              return FromHost(std::move(m));
                            }
                            return std::nullopt;
                          });
}

Result<FromCore> decode_from_core(const std::vector<std::string_view>& frames) {
  return decode<FromCore>(frames,
                          [](std::string_view type, Header& h, std::string_view payload,
                             bool has_payload) -> std::optional<Result<FromCore>> {
                            if (type == kAck) {
                              Ack m;
                              m.source_id = h.text("source_id");
                              const int64_t status = h.integer("status");
                              if (status < 0 || status > 2)
                                return Result<FromCore>(make_error("bad_message", "status of ACK is not CG_ACK_*"));
                              m.status = static_cast<int32_t>(status);
                              m.result = h.object("result");
                              return FromCore(std::move(m));
                            }
                            if (type == kDrain) return FromCore(Drain{});
                            if (type == kFeedback) {
                              if (!has_payload)
                                return Result<FromCore>(make_error("bad_message", "FEEDBACK without its document"));
                              Feedback m;
                              m.feedback_id = h.id("feedback_id");
                              m.record_id = h.text("record_id");
                              m.version = h.integer("version");
                              m.event = h.object("event");
                              m.format = h.text("format");
                              m.file_name = h.text("file_name");
                              m.document = payload;
                              return FromCore(std::move(m));
                            }
                            return std::nullopt;
                          });
}

}  // namespace cg::router
