// Text for an 80-column terminal: the `bmil plugins` subcommands' tables and messages.
#ifndef BMIL_CORE_CLI_TEXT_WRAP_HPP_
#define BMIL_CORE_CLI_TEXT_WRAP_HPP_

#include "report/terminal_text.hpp"

#include <string>
#include <string_view>

namespace bmil::cli {

// `s` padded with spaces to `width` columns (a longer `s` is left as it is): table cells.
inline std::string Pad(std::string s, std::size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

// Wrapped (report/terminal_text.hpp) breaks text into lines of at most 80 columns.

}  // namespace bmil::cli

#endif  // BMIL_CORE_CLI_TEXT_WRAP_HPP_
