#include "plugin_host/plugin_library.hpp"

#include <unistd.h>

#include <algorithm>
#include <boost/dll/shared_library_load_mode.hpp>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "common/hash.hpp"

namespace cg::plugin_host {

namespace {

constexpr const char* kVersionSym = "cg_plugin_abi_version";
constexpr const char* kSizeSym = "cg_plugin_descriptor_size";
constexpr const char* kAdapterSym = "cg_plugin_adapter_v1";
constexpr const char* kConnectorSym = "cg_plugin_connector_v1";

// The first descriptors of ABI 1: what a plugin without kSizeSym has.
constexpr size_t kFirstAdapterSize = offsetof(cg_adapter_v1, feedback);
constexpr size_t kFirstConnectorSize = offsetof(cg_connector_v1, post);

// Copies the plugin's descriptor of `size` bytes into `out`: the members it
// lacks stay zero (NULL), and nothing past its end is read.
template <typename Descriptor>
Status read_descriptor(boost::dll::shared_library& lib, const char* symbol, size_t size, size_t first_size,
                       Descriptor& out, const std::string& path) {
  const Descriptor* d = lib.get<const Descriptor*()>(symbol)();
  if (d == nullptr) return make_error("plugin_symbol", std::string(symbol) + " returned no descriptor", path);
  if (size < first_size)
    return make_error("plugin_abi",
                      "its descriptor is " + std::to_string(size) + " bytes, less than the " +
                          std::to_string(first_size) + " of ABI " + std::to_string(CG_PLUGIN_ABI_VERSION) +
                          "'s first one (symbol " + kSizeSym + ")",
                      path);
  out = Descriptor{};
  std::memcpy(&out, d, std::min(size, sizeof(Descriptor)));
  if (out.abi_version != CG_PLUGIN_ABI_VERSION)
    return make_error("plugin_abi",
                      "descriptor ABI " + std::to_string(out.abi_version) + " does not match ABI " +
                          std::to_string(CG_PLUGIN_ABI_VERSION),
                      path);
  return {};
}

}  // namespace

Result<std::string> file_sha256(const std::string& path) {
  // Read whole in one call: a plugin with debug information is megabytes,
  // and it is hashed on every load.
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return make_error("plugin_read", "cannot read the plugin file", path);
  const std::streamoff size = in.tellg();
  if (size < 0) return make_error("plugin_read", "cannot read the plugin file", path);
  std::string bytes(static_cast<size_t>(size), '\0');
  in.seekg(0);
  if (!in.read(bytes.data(), size)) return make_error("plugin_read", "cannot read the plugin file", path);
  return sha256_hex(bytes);
}

Result<PluginLibrary> PluginLibrary::load(const std::string& path, const std::string& sha256) {
  PluginLibrary p;
  if (!sha256.empty()) {
    // The file is read for its digest, then loaded: it must be one that only
    // the gateway writes (copy_verified's folder), so the two are the same.
    auto sha = file_sha256(path);
    if (!sha.ok()) return sha.error();
    if (*sha != sha256)
      return make_error("plugin_digest", "its SHA-256 is " + *sha + ", not the " + sha256 + " that was allowed", path);
  }
  boost::dll::fs::error_code ec;
  p.lib_.load(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
  if (ec) return make_error("plugin_load", "cannot load shared library: " + ec.message(), path);

  if (!p.lib_.has(kVersionSym))
    return make_error("plugin_symbol", std::string("missing symbol '") + kVersionSym + "': not a Credit Gateway plugin",
                      path);
  auto abi = p.lib_.get<uint32_t()>(kVersionSym)();
  if (abi != CG_PLUGIN_ABI_VERSION)
    return make_error("plugin_abi",
                      "ABI version mismatch: the plugin was built for ABI " + std::to_string(abi) +
                          ", this gateway speaks ABI " + std::to_string(CG_PLUGIN_ABI_VERSION) + " (symbol " +
                          kVersionSym + "); rebuild it against this SDK",
                      path);
  const bool sized = p.lib_.has(kSizeSym);
  if (p.lib_.has(kAdapterSym)) {
    p.kind_ = Kind::Adapter;
    p.descriptor_size_ = sized ? p.lib_.get<size_t()>(kSizeSym)() : kFirstAdapterSize;
    if (auto s = read_descriptor(p.lib_, kAdapterSym, p.descriptor_size_, kFirstAdapterSize, p.adapter_, path); !s)
      return s.error();
    const auto& a = p.adapter_;
    if (!a.name || !a.department || !a.create || !a.poll || !a.on_ack || !a.drain || !a.destroy)
      return make_error("plugin_symbol", "the adapter descriptor lacks a name, a department or a function", path);
    return p;
  }
  if (p.lib_.has(kConnectorSym)) {
    p.kind_ = Kind::Connector;
    p.descriptor_size_ = sized ? p.lib_.get<size_t()>(kSizeSym)() : kFirstConnectorSize;
    if (auto s = read_descriptor(p.lib_, kConnectorSym, p.descriptor_size_, kFirstConnectorSize, p.connector_, path);
        !s)
      return s.error();
    const auto& c = p.connector_;
    if (!c.name || !c.create || !c.push_batch || !c.get || !c.free_response || !c.destroy)
      return make_error("plugin_symbol", "the connector descriptor lacks a name or a function", path);
    return p;
  }
  return make_error("plugin_symbol",
                    std::string("missing symbol '") + kAdapterSym + "' or '" + kConnectorSym +
                        "': neither an adapter nor a connector",
                    path);
}

Result<std::string> copy_verified(const std::string& file, const std::string& sha256, const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return make_error("plugin_copy", "cannot make " + dir + ": " + ec.message(), file);
  const std::string copy = dir + "/" + sha256 + ".so";
  if (auto have = file_sha256(copy); have.ok() && *have == sha256) return copy;
  const std::string tmp = copy + ".tmp." + std::to_string(::getpid());
  fs::copy_file(file, tmp, fs::copy_options::overwrite_existing, ec);
  if (ec) return make_error("plugin_copy", "cannot copy the plugin to " + dir + ": " + ec.message(), file);
  auto got = file_sha256(tmp);
  if (!got.ok() || *got != sha256) {
    fs::remove(tmp, ec);
    return make_error("plugin_changed", "the file changed while it was copied (SHA-256 " + sha256 + " expected)", file);
  }
  fs::rename(tmp, copy, ec);
  if (ec) {
    const std::string why = ec.message();
    fs::remove(tmp, ec);
    return make_error("plugin_copy", "cannot move the copy into " + dir + ": " + why, file);
  }
  return copy;
}

}  // namespace cg::plugin_host
