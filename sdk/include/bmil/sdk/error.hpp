// The exception a plugin throws to fail a call with a chosen status code. Every exception
// is caught by the shims of BMIL_PLUGIN and turned into a status and message; nothing
// crosses the C boundary.
#ifndef BMIL_SDK_ERROR_HPP_
#define BMIL_SDK_ERROR_HPP_

#include <bmil/abi.h>

#include <stdexcept>
#include <string>

namespace bmil::sdk {

class Error : public std::runtime_error {
 public:
  Error(bmil_status code, const std::string& message) : std::runtime_error(message), code_(code) {}
  bmil_status code() const { return code_; }

 private:
  bmil_status code_;
};

}  // namespace bmil::sdk

#endif  // BMIL_SDK_ERROR_HPP_
