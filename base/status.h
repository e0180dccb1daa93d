// Status and StatusOr: expected failures as values (see STYLE.md §2).
//
// Codes are chosen by what the caller does next:
//   kInvalidArgument  bad input from the user: never retry (exit 2)
//   kNotFound         a file/object/key that should exist does not (exit 2)
//   kCorruption       data that exists but cannot be parsed (exit 2)
//   kUnavailable      transient: network, throttling, full disk, lock (retry, exit 75)
//   kCancelled        stopped by a signal (exit 143)
//   kInternal         a bug or an impossible state (exit 1)
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "base/check.h"

namespace sweep {

enum class StatusCode {
  kOk,
  kInvalidArgument,
  kNotFound,
  kCorruption,
  kUnavailable,
  kCancelled,
  kInternal
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) {
    return {StatusCode::kInvalidArgument, std::move(m)};
  }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status Corruption(std::string m) { return {StatusCode::kCorruption, std::move(m)}; }
  static Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
  static Status Cancelled(std::string m) { return {StatusCode::kCancelled, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "context: message"; an ok status stays ok.
  Status WithContext(std::string_view context) const;
  // "Code: message", or "OK".
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Holds either a value or a non-ok Status.
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(Status status) : v_(std::move(status)) { SWEEP_CHECK(!std::get<Status>(v_).ok()); }
  StatusOr(T value) : v_(std::move(value)) {}

  bool ok() const { return std::holds_alternative<T>(v_); }
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(v_); }
  const T& value() const& {
    SWEEP_CHECK(ok());
    return std::get<T>(v_);
  }
  T& value() & {
    SWEEP_CHECK(ok());
    return std::get<T>(v_);
  }
  T&& value() && {
    SWEEP_CHECK(ok());
    return std::get<T>(std::move(v_));
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::variant<Status, T> v_;
};

}  // namespace sweep

#define SWEEP_CONCAT_INNER(a, b) a##b
#define SWEEP_CONCAT(a, b) SWEEP_CONCAT_INNER(a, b)

#define SWEEP_RETURN_IF_ERROR(expr)                \
  do {                                             \
    ::sweep::Status sweep_status_ = (expr);        \
    if (!sweep_status_.ok()) return sweep_status_; \
  } while (0)

#define SWEEP_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return tmp.status();               \
  lhs = std::move(tmp).value()

#define SWEEP_ASSIGN_OR_RETURN(lhs, expr) \
  SWEEP_ASSIGN_OR_RETURN_IMPL(SWEEP_CONCAT(sweep_statusor_, __LINE__), lhs, expr)
