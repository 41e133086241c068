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

// `text` made safe for a terminal and broken at spaces into lines of at most `width`
// columns (a longer word stays whole). The first line starts with `first` (e.g. a label),
// the others with `indent` spaces. Each line ends with a newline.
inline std::string Wrapped(std::string_view text, std::size_t indent, std::string first = {},
                           std::size_t width = 80) {
  const std::string safe = TerminalSafe(text);
  std::string out;
  std::string line = first.empty() ? std::string(indent, ' ') : std::move(first);
  std::size_t start = line.size();
  std::size_t i = 0;
  while (i < safe.size()) {
    const std::size_t space = safe.find(' ', i);
    const std::string word =
        safe.substr(i, space == std::string::npos ? std::string::npos : space - i);
    i = space == std::string::npos ? safe.size() : space + 1;
    if (line.size() > start && line.size() + 1 + word.size() > width) {
      out += line + "\n";
      line.assign(indent, ' ');
      start = indent;
    }
    if (line.size() > start) line += ' ';
    line += word;
  }
  if (line.size() > start || !out.empty() || start > indent) out += line + "\n";
  return out;
}

}  // namespace bmil::cli

#endif  // BMIL_CORE_CLI_TEXT_WRAP_HPP_
