// A message from a plugin host, decoded before anything reads it: its frames
// [type, JSON header, payload?] checked against what each type carries, so
// that the core's handlers read fields whose types are known. A plugin host
// runs department code: nothing it sends is trusted.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace cg::router {

struct HostMessage {
  std::string type;          // one of protocol.hpp's host -> core types
  nlohmann::json header;     // an object; every field the type defines has its type (absent ones filled in)
  std::string_view payload;  // UNIT: the unit's bytes (a view into the last frame)
};

// `frames` without the ROUTER's identity frame. An unknown type, a header that
// is not a JSON object, or a field of the wrong type is an error naming it.
Result<HostMessage> decode_host_message(const std::vector<std::string_view>& frames);

}  // namespace cg::router
