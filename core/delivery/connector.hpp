// A platform connector plugin, loaded as every plugin is (plugin_library.hpp).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common/result.hpp"
#include "config/config.hpp"
#include "credit_gateway/connector.h"
#include "plugin_host/plugin_library.hpp"

namespace cg::delivery {

struct PlatformAnswer {
  int status = 0;  // HTTP status; 0 = no answer
  std::string body;
  std::optional<int64_t> retry_after_s;
  std::string error;
  bool timed_out = false;
};

class Connector {
 public:
  // Loads the destination's connector; it must be on the plugin allowlist.
  // The secret is resolved here and handed to the connector only.
  static Result<std::unique_ptr<Connector>> open(const config::Config& cfg, const config::DestinationConfig& d);
  ~Connector();
  Connector(const Connector&) = delete;
  Connector& operator=(const Connector&) = delete;

  PlatformAnswer push_batch(const std::string& batch_id, const std::string& body);
  PlatformAnswer get(const std::string& path_and_query);
  // POSTs a JSON body with an idempotency key; connectors built without
  // `post` answer nothing, with an error that says so.
  PlatformAnswer post(const std::string& path_and_query, const std::string& idempotency_key, const std::string& body);
  [[nodiscard]] bool can_post() const { return api_->post != nullptr; }
  [[nodiscard]] std::string name() const { return api_->name; }

 private:
  Connector() = default;
  PlatformAnswer take(cg_response& r);
  plugin_host::PluginLibrary lib_;
  const cg_connector_v1* api_ = nullptr;  // lib_'s descriptor
  void* self_ = nullptr;
};

// GET with a few retries: a platform answering 429, 5xx or nothing now may
// answer in a moment.
PlatformAnswer get_with_retries(Connector& c, const std::string& path_and_query, int attempts = 6);

}  // namespace cg::delivery
