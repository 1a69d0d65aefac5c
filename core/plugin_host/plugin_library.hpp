// A plugin shared library loaded with Boost.DLL; the ABI version is checked
// before any other symbol is used.
#pragma once

#include <boost/dll/shared_library.hpp>
#include <string>

#include "common/result.hpp"
#include "credit_gateway/plugin.h"

namespace cg::plugin_host {

class PluginLibrary {
 public:
  // Errors name the file, the symbol and, for a mismatch, both ABI versions.
  static Result<PluginLibrary> load(const std::string& path);

  [[nodiscard]] const cg_adapter_v1& adapter() const { return *adapter_; }

 private:
  boost::dll::shared_library lib_;  // unloaded when the object goes
  const cg_adapter_v1* adapter_ = nullptr;
};

}  // namespace cg::plugin_host
