// C++ convenience over the C ABI in plugin.h: derive from cg::sdk::Adapter,
// then register with CG_DEFINE_ADAPTER. No exception ever crosses the ABI:
// the glue catches them and turns them into error values.
//
//   class MyAdapter : public cg::sdk::Adapter {
//    public:
//     MyAdapter(const std::string& config_json, const cg::sdk::Host& host);
//     void poll(int timeout_ms) override;            // submit units with host().submit(...)
//     void on_ack(const cg::sdk::Ack& ack) override;  // acknowledge the source now
//     void drain() override;                          // stop taking input
//   };
//   CG_DEFINE_ADAPTER(MyAdapter, "my-plugin", "1.0.0", "court", "what it does", R"({"option": "doc"})")
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "credit_gateway/plugin.h"

namespace cg::sdk {

enum class Submit { Ok, Retry, Error };

class Host {
 public:
  explicit Host(const cg_host_v1* h) : h_(h) {}
  // Hands one unit to the gateway. Retry: too many in flight, offer it again later.
  Submit submit(const std::string& source_id, const std::string& feed, std::string_view data,
                const std::string& origin) const {
    cg_source_unit u{source_id.c_str(), feed.c_str(), data.data(), data.size(), origin.c_str()};
    int32_t rc = h_->submit(h_->ctx, &u);
    return rc == CG_OK ? Submit::Ok : rc == CG_RETRY ? Submit::Retry : Submit::Error;
  }
  // Hands the department's execution feedback to the gateway: `body` is a
  // POST /api/v1/feedback body (plugin.h, CG_FEED_EXECUTION_FEEDBACK); its
  // on_ack carries the answer for each entry.
  Submit submit_feedback(const std::string& source_id, std::string_view body, const std::string& origin) const {
    return submit(source_id, CG_FEED_EXECUTION_FEEDBACK, body, origin);
  }
  void log(int level, const std::string& message) const { h_->log(h_->ctx, level, message.c_str()); }
  void info(const std::string& m) const { log(CG_LOG_INFO, m); }
  void warn(const std::string& m) const { log(CG_LOG_WARN, m); }
  void error(const std::string& m) const { log(CG_LOG_ERROR, m); }
  [[nodiscard]] std::string state_dir() const { return h_->state_dir ? h_->state_dir : "."; }

 private:
  const cg_host_v1* h_;
};

struct Ack {
  std::string source_id;
  int status = CG_ACK_COMMITTED;  // CG_ACK_COMMITTED, CG_ACK_REJECTED, CG_ACK_FAILED
  std::string result_json;
};

struct Feedback {
  std::string feedback_id, record_id, event_json, format, file_name;
  int64_t version = 0;
  std::string_view data;
};

// An adapter that takes feedback defines
//   bool feedback(const cg::sdk::Feedback& item, std::string& error);
// (true once the department has it). The glue finds it by itself.
namespace detail {
template <class T>
struct Glue;
}

class Adapter {
 public:
  explicit Adapter(const Host& host) : host_(host) {}
  virtual ~Adapter() = default;
  Adapter(const Adapter&) = delete;
  Adapter& operator=(const Adapter&) = delete;

  virtual void poll(int timeout_ms) = 0;
  virtual void on_ack(const Ack& ack) = 0;
  virtual void drain() = 0;

 protected:
  [[nodiscard]] const Host& host() const { return host_; }

 private:
  template <class T>
  friend struct detail::Glue;
  Host host_;
};

namespace detail {

inline void copy_error(std::string_view msg, char* err, size_t len) noexcept {
  if (!err || len == 0) return;
  size_t n = msg.size() < len - 1 ? msg.size() : len - 1;
  msg.copy(err, n);
  err[n] = 0;
}

template <class T, class = void>
struct HasFeedback : std::false_type {};
template <class T>
struct HasFeedback<T, std::void_t<decltype(std::declval<T&>().feedback(
                          std::declval<const Feedback&>(), std::declval<std::string&>()))>> : std::true_type {};

template <class T>
struct Glue {
  // An exception from a callback that has no error to return, in the log.
  static void report(void* self, const char* callback, const char* what, const char* source = nullptr) noexcept {
    try {
      std::string m = std::string(callback) + " threw: " + what;
      if (source) m += std::string(" (source ") + source + ")";
      static_cast<const Adapter*>(static_cast<T*>(self))->host_.error(m);
    } catch (...) {
    }
  }
  static int32_t feedback(void* self, const cg_feedback* f, char* err, size_t len) noexcept {
    if constexpr (HasFeedback<T>::value) {
      try {
        Feedback item{f->feedback_id ? f->feedback_id : "",
                      f->record_id ? f->record_id : "",
                      f->event_json ? f->event_json : "{}",
                      f->format ? f->format : "",
                      f->file_name ? f->file_name : "",
                      f->version,
                      std::string_view(f->data ? f->data : "", f->size)};
        std::string error;
        if (static_cast<T*>(self)->feedback(item, error)) return CG_OK;
        copy_error(error, err, len);
      } catch (const std::exception& e) {
        copy_error(e.what(), err, len);
      } catch (...) {
        copy_error("unknown error", err, len);
      }
      return CG_ERROR;
    } else {
      (void)self, (void)f, (void)err, (void)len;
      return CG_ERROR;
    }
  }
  static constexpr auto feedback_fn() -> int32_t (*)(void*, const cg_feedback*, char*, size_t) {
    if constexpr (HasFeedback<T>::value)
      return &feedback;
    else
      return nullptr;
  }
  static void* create(const char* config, const cg_host_v1* host, char* err, size_t len) noexcept {
    try {
      return new T(config ? config : "{}", Host(host));
    } catch (const std::exception& e) {
      copy_error(e.what(), err, len);
    } catch (...) {
      copy_error("unknown error", err, len);
    }
    return nullptr;
  }
  static int32_t poll(void* self, int32_t timeout_ms, char* err, size_t len) noexcept {
    try {
      static_cast<T*>(self)->poll(timeout_ms);
      return CG_OK;
    } catch (const std::exception& e) {
      copy_error(e.what(), err, len);
    } catch (...) {
      copy_error("unknown error", err, len);
    }
    return CG_ERROR;
  }
  // The source of an acknowledgement whose on_ack threw stays unacknowledged
  // (offered again after the plugin restarts): the log says which and why.
  static void on_ack(void* self, const cg_ack* a) noexcept {
    const char* id = a->source_id ? a->source_id : "";
    try {
      static_cast<T*>(self)->on_ack(Ack{id, a->status, a->result_json ? a->result_json : "{}"});
    } catch (const std::exception& e) {
      report(self, "on_ack", e.what(), id);
    } catch (...) {
      report(self, "on_ack", "an exception that is not a std::exception", id);
    }
  }
  static void drain(void* self) noexcept {
    try {
      static_cast<T*>(self)->drain();
    } catch (const std::exception& e) {
      report(self, "drain", e.what());
    } catch (...) {
      report(self, "drain", "an exception that is not a std::exception");
    }
  }
  static void destroy(void* self) noexcept { delete static_cast<T*>(self); }
};

}  // namespace detail
}  // namespace cg::sdk

#define CG_DEFINE_ADAPTER(Class, name, version, department, description, config_doc)                 \
  static const cg_adapter_v1 cg_adapter_descriptor_ = {CG_PLUGIN_ABI_VERSION,                        \
                                                       name,                                         \
                                                       version,                                      \
                                                       department,                                   \
                                                       description,                                  \
                                                       config_doc,                                   \
                                                       &cg::sdk::detail::Glue<Class>::create,        \
                                                       &cg::sdk::detail::Glue<Class>::poll,          \
                                                       &cg::sdk::detail::Glue<Class>::on_ack,        \
                                                       &cg::sdk::detail::Glue<Class>::drain,         \
                                                       &cg::sdk::detail::Glue<Class>::destroy,       \
                                                       cg::sdk::detail::Glue<Class>::feedback_fn()}; \
  CG_EXPORT_ADAPTER(cg_adapter_descriptor_)
