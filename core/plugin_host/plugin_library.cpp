#include "plugin_host/plugin_library.hpp"

#include <boost/dll/shared_library_load_mode.hpp>

namespace cg::plugin_host {

Result<PluginLibrary> PluginLibrary::load(const std::string& path) {
  PluginLibrary p;
  boost::dll::fs::error_code ec;
  p.lib_.load(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
  if (ec) return make_error("plugin_load", "cannot load shared library: " + ec.message(), path);

  const char* kVersionSym = "cg_plugin_abi_version";
  if (!p.lib_.has(kVersionSym))
    return make_error("plugin_symbol", std::string("missing symbol '") + kVersionSym + "': not a Credit Gateway plugin",
                      path);
  auto abi = p.lib_.get<uint32_t()>(kVersionSym)();
  if (abi != CG_PLUGIN_ABI_VERSION)
    return make_error("plugin_abi",
                      "ABI version mismatch: the plugin was built for ABI " + std::to_string(abi) +
                          ", this gateway speaks ABI " + std::to_string(CG_PLUGIN_ABI_VERSION) +
                          " (symbol " + kVersionSym + "); rebuild it against this SDK",
                      path);
  const char* kAdapterSym = "cg_plugin_adapter_v1";
  if (!p.lib_.has(kAdapterSym))
    return make_error("plugin_symbol", std::string("missing symbol '") + kAdapterSym + "'", path);
  p.adapter_ = p.lib_.get<const cg_adapter_v1*()>(kAdapterSym)();
  if (!p.adapter_) return make_error("plugin_symbol", std::string(kAdapterSym) + " returned no descriptor", path);
  if (p.adapter_->abi_version != CG_PLUGIN_ABI_VERSION)
    return make_error("plugin_abi",
                      "descriptor ABI " + std::to_string(p.adapter_->abi_version) + " does not match ABI " +
                          std::to_string(CG_PLUGIN_ABI_VERSION),
                      path);
  if (!p.adapter_->name || !p.adapter_->department || !p.adapter_->create || !p.adapter_->poll ||
      !p.adapter_->on_ack || !p.adapter_->drain || !p.adapter_->destroy)
    return make_error("plugin_symbol", "the adapter descriptor lacks a name, a department or a function", path);
  return p;
}

}  // namespace cg::plugin_host
