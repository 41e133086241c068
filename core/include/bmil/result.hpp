// Result<T>: a value or an error message, returned at module edges of the host.
#ifndef BMIL_RESULT_HPP_
#define BMIL_RESULT_HPP_

#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <variant>

namespace bmil {

// An error message meant for a person, already carrying its context.
struct Failure {
  std::string message;
};

// Holds either a T (ok) or a Failure. Accessing the wrong alternative is a programmer
// error and aborts with a message.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}            // NOLINT: implicit by design
  Result(Failure failure) : data_(std::move(failure)) {}  // NOLINT: implicit by design

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }

  const T& value() const& {
    Check(true);
    return std::get<0>(data_);
  }
  T& value() & {
    Check(true);
    return std::get<0>(data_);
  }
  T&& value() && {
    Check(true);
    return std::get<0>(std::move(data_));
  }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }

  const std::string& error() const {
    Check(false);
    return std::get<1>(data_).message;
  }

 private:
  void Check(bool want_value) const {
    if (ok() != want_value) {
      std::fprintf(stderr, "bmil: Result accessed as %s but holds %s\n",
                   want_value ? "value" : "error", ok() ? "a value" : "an error");
      std::abort();
    }
  }
  std::variant<T, Failure> data_;
};

}  // namespace bmil

#endif  // BMIL_RESULT_HPP_
