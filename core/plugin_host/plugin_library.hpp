// A plugin shared library (an adapter or a platform connector), loaded with
// Boost.DLL the one way every part of the gateway loads one: from a copy
// whose SHA-256 is checked before it is loaded (copy_verified), then the ABI
// version before any other symbol, then the descriptor, read only as far as
// the plugin says it reaches (cg_plugin_descriptor_size), and every function
// it must have.
#pragma once

#include <boost/dll/shared_library.hpp>
#include <string>

#include "common/result.hpp"
#include "credit_gateway/connector.h"
#include "credit_gateway/plugin.h"

namespace cg::plugin_host {

class PluginLibrary {
 public:
  enum class Kind { Adapter, Connector };

  // `sha256` (hex): the file must have that digest, checked on the bytes
  // loaded; empty: not checked (`plugin info`, which reports the digest).
  // Errors name the file, the symbol and, for a mismatch, both ABI versions.
  static Result<PluginLibrary> load(const std::string& path, const std::string& sha256 = {});

  [[nodiscard]] Kind kind() const { return kind_; }
  // The descriptor as the gateway's SDK defines it: members the plugin's
  // descriptor lacks are NULL. Only for a library of that kind.
  [[nodiscard]] const cg_adapter_v1& adapter() const { return adapter_; }
  [[nodiscard]] const cg_connector_v1& connector() const { return connector_; }
  // The size of the plugin's own descriptor, in bytes.
  [[nodiscard]] size_t descriptor_size() const { return descriptor_size_; }

 private:
  boost::dll::shared_library lib_;  // unloaded when the object goes
  Kind kind_ = Kind::Adapter;
  cg_adapter_v1 adapter_{};
  cg_connector_v1 connector_{};
  size_t descriptor_size_ = 0;
};

// `file` copied to `<dir>/<sha256>.so` (the gateway's own folder), the copy's
// digest checked against `sha256`: what is loaded is what the allowlist
// allowed, whatever happens to `file` after. An existing copy with the right
// digest is used again. The copy's path, or an error naming the file.
Result<std::string> copy_verified(const std::string& file, const std::string& sha256, const std::string& dir);

// The SHA-256 (hex) of a file's bytes; an error names it.
Result<std::string> file_sha256(const std::string& path);

}  // namespace cg::plugin_host
