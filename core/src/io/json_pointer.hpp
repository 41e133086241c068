// JSON Pointers (RFC 6901) as messages show them.
#ifndef BMIL_CORE_IO_JSON_POINTER_HPP_
#define BMIL_CORE_IO_JSON_POINTER_HPP_

#include <cstddef>
#include <string>
#include <string_view>

namespace bmil {

// `pointer` + "/" + `key`, with "~" and "/" in the key escaped as "~0" and "~1".
inline std::string JsonPointerChild(std::string_view pointer, std::string_view key) {
  std::string out(pointer);
  out += '/';
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

// `pointer` + "/" + the index.
inline std::string JsonPointerChild(std::string_view pointer, std::size_t index) {
  return std::string(pointer) + '/' + std::to_string(index);
}

}  // namespace bmil

#endif  // BMIL_CORE_IO_JSON_POINTER_HPP_
