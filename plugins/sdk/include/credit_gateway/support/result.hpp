// Errors as values: every module and plugin boundary returns Result<T>.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace cg::sdk {

// One error: a stable machine code, a human message (never with an unmasked
// personal ID number), and where it applies (a field, a file, a path).
struct Error {
  std::string code;
  std::string message;
  std::string where;

  [[nodiscard]] std::string to_string() const {
    std::string s;
    if (!where.empty()) s += where + ": ";
    s += message;
    if (!code.empty()) s += " [" + code + "]";
    return s;
  }
};

inline Error make_error(std::string code, std::string message, std::string where = {}) {
  return Error{std::move(code), std::move(message), std::move(where)};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  T& operator*() & { return std::get<0>(v_); }
  const T& operator*() const& { return std::get<0>(v_); }

  [[nodiscard]] const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Result<void> equivalent.
// Success holds no Error (no strings made and freed for every call that worked).
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)) {}  // NOLINT
  [[nodiscard]] bool ok() const { return !error_; }
  explicit operator bool() const { return ok(); }
  [[nodiscard]] const Error& error() const {
    static const Error kNone;
    return error_ ? *error_ : kNone;
  }

 private:
  std::optional<Error> error_;
};

}  // namespace cg::sdk
