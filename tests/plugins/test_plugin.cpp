// Deliberately misbehaving plugins for the isolation tests, one build per mode:
//   CG_TEST_CRASH      takes files like the court adapter, but the first time
//                      it segfaults right after handing a file to the gateway
//   CG_TEST_HANG       the first time, poll() never returns
//   CG_TEST_WRONG_ABI  built "for" ABI 999
//   CG_TEST_NO_SYMBOL  exports the ABI version but no adapter
//   CG_TEST_OLD_DESCRIPTOR
//                      the first descriptor of ABI 1 (no feedback member, no
//                      cg_plugin_descriptor_size), followed in memory by a
//                      pointer where a later descriptor has `feedback`: a
//                      host that reads past its end takes it for one
#include <credit_gateway/adapter.hpp>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class TestPlugin final : public cg::sdk::Adapter {
 public:
  TestPlugin(const std::string& config_json, const cg::sdk::Host& host) : Adapter(host) {
    json c = json::parse(config_json);
    inbox_ = c.value("inbox", "");
    done_ = c.value("done", "");
    marker_ = c.value("marker", "");
    if (!inbox_.empty()) fs::create_directories(inbox_);
    if (!done_.empty()) fs::create_directories(done_);
  }

  void poll(int timeout_ms) override {
#ifdef CG_TEST_HANG
    if (!marker_.empty() && !fs::exists(marker_)) {
      std::ofstream(marker_) << "hung\n";
      while (true) std::this_thread::sleep_for(std::chrono::seconds(1));
    }
#endif
    std::error_code ec;
    if (!inbox_.empty()) {
      for (const auto& e : fs::directory_iterator(inbox_, ec)) {
        std::string name = e.path().filename().string();
        if (inflight_.count(name) || e.path().extension() != ".xml") continue;
        std::ifstream in(e.path(), std::ios::binary);
        std::ostringstream ss;
        ss << in.rdbuf();
        if (host().submit(name, "court.sxbzxr", ss.str(), e.path().string()) != cg::sdk::Submit::Ok) break;
        inflight_.insert(name);
#ifdef CG_TEST_CRASH
        if (!marker_.empty() && !fs::exists(marker_)) {
          std::ofstream(marker_) << "crashed\n";
          std::raise(SIGSEGV);
        }
#endif
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(timeout_ms, 50)));
  }

  void on_ack(const cg::sdk::Ack& ack) override {
    if (ack.status == CG_ACK_COMMITTED && !done_.empty()) {
      std::error_code ec;
      fs::rename(fs::path(inbox_) / ack.source_id, fs::path(done_) / ack.source_id, ec);
    }
    inflight_.erase(ack.source_id);
  }

  void drain() override {}

 private:
  std::string inbox_, done_, marker_;
  std::set<std::string> inflight_;
};

}  // namespace

#if defined(CG_TEST_WRONG_ABI)
static const cg_adapter_v1 descriptor = {999,
                                         "test-wrong-abi",
                                         "0.0.1",
                                         "court",
                                         "built for another ABI",
                                         "{}",
                                         &cg::sdk::detail::Glue<TestPlugin>::create,
                                         &cg::sdk::detail::Glue<TestPlugin>::poll,
                                         &cg::sdk::detail::Glue<TestPlugin>::on_ack,
                                         &cg::sdk::detail::Glue<TestPlugin>::drain,
                                         &cg::sdk::detail::Glue<TestPlugin>::destroy,
                                         nullptr};
extern "C" __attribute__((visibility("default"))) uint32_t cg_plugin_abi_version(void) {
  return 999;
}
extern "C" __attribute__((visibility("default"))) const cg_adapter_v1* cg_plugin_adapter_v1(void) {
  return &descriptor;
}
#elif defined(CG_TEST_OLD_DESCRIPTOR)
namespace {
using Glue = cg::sdk::detail::Glue<TestPlugin>;
struct FirstAdapterDescriptor {
  uint32_t abi_version;
  const char *name, *version, *department, *description, *config_doc;
  decltype(&Glue::create) create;
  decltype(&Glue::poll) poll;
  decltype(&Glue::on_ack) on_ack;
  decltype(&Glue::drain) drain;
  decltype(&Glue::destroy) destroy;
};
int32_t not_a_feedback_function(void*, const cg_feedback*, char*, size_t) {
  std::abort();
}
struct Block {
  FirstAdapterDescriptor descriptor;
  decltype(&not_a_feedback_function) after;
};
const Block block = {{CG_PLUGIN_ABI_VERSION, "test-old-descriptor", "0.0.1", "court", "built with ABI 1's first SDK",
                      "{}", &Glue::create, &Glue::poll, &Glue::on_ack, &Glue::drain, &Glue::destroy},
                     &not_a_feedback_function};
}  // namespace
extern "C" __attribute__((visibility("default"))) uint32_t cg_plugin_abi_version(void) {
  return CG_PLUGIN_ABI_VERSION;
}
extern "C" __attribute__((visibility("default"))) const cg_adapter_v1* cg_plugin_adapter_v1(void) {
  return reinterpret_cast<const cg_adapter_v1*>(&block.descriptor);
}
#elif defined(CG_TEST_NO_SYMBOL)
extern "C" __attribute__((visibility("default"))) uint32_t cg_plugin_abi_version(void) {
  return CG_PLUGIN_ABI_VERSION;
}
#elif defined(CG_TEST_CRASH)
CG_DEFINE_ADAPTER(TestPlugin, "test-crashy", "0.0.1", "court", "segfaults once", "{}")
#else
CG_DEFINE_ADAPTER(TestPlugin, "test-hang", "0.0.1", "court", "hangs once", "{}")
#endif
