// Decoding one UTF-8 sequence strictly (Unicode Table 3-7), for the JSON parser and for
// the text made safe for terminals.
#ifndef BMIL_CORE_IO_UTF8_HPP_
#define BMIL_CORE_IO_UTF8_HPP_

#include <cstddef>
#include <string_view>

namespace bmil {

struct Utf8Sequence {
  std::size_t length = 0;  // 0 when the sequence is invalid
  char32_t code_point = 0;
};

// Decodes the UTF-8 sequence that starts at text[offset] (a byte >= 0x80) following
// Unicode Table 3-7: overlong forms, UTF-16 surrogates, code points above U+10FFFF and
// sequences cut short (by another byte or by the end of `text`) give length 0.
Utf8Sequence DecodeUtf8(std::string_view text, std::size_t offset);

}  // namespace bmil

#endif  // BMIL_CORE_IO_UTF8_HPP_
