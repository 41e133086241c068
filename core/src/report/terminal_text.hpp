// Text from cases and plugins made safe for a terminal: control characters are shown, never
// sent raw (an ESC from a case name could recolour, move the cursor or retitle the window;
// a bidirectional override could make text read other than it is).
#ifndef BMIL_CORE_REPORT_TERMINAL_TEXT_HPP_
#define BMIL_CORE_REPORT_TERMINAL_TEXT_HPP_

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace bmil {

// `text` with every C0 control (U+0000-U+001F, tab and newline included: a field is one
// line), DEL, C1 control (U+0080-U+009F) and bidirectional override or isolate (U+202A-
// U+202E, U+2066-U+2069) written as a visible escape: "\x1b", "\u202e". Invalid UTF-8
// bytes are shown as "\xff". Everything else is kept as it is. Pure.
std::string TerminalSafe(std::string_view text);

// A copy of `value` with TerminalSafe applied to every string in it (not to keys). Iterative.
nlohmann::json TerminalSafeCopy(const nlohmann::json& value);

// For Markdown: `text` as one line of inline text that renders as itself: TerminalSafe, then
// the characters Markdown or the HTML inside it would act on escaped with a backslash
// (\ ` * [ ] < > |). Pure.
std::string MarkdownText(std::string_view text);

// For CSV read by a spreadsheet: a cell that starts with =, +, -, @, tab or carriage return
// and is not a number gets a leading apostrophe, so that no formula is ever run from it
// (OWASP "CSV injection"). Numbers, such as -3.5, are kept. Pure.
std::string SpreadsheetSafe(std::string_view cell);

// A CSV field (RFC 4180): SpreadsheetSafe, then quoted (quotes doubled) when it holds a
// comma, a quote or a line break. Pure.
std::string CsvField(std::string_view raw);

// `text` made safe for a terminal and broken at spaces into lines of at most `width`
// columns (a longer word stays whole). The first line starts with `first` (e.g. a label),
// the others with `indent` spaces. Each line ends with a newline.
std::string Wrapped(std::string_view text, std::size_t indent, std::string first = {},
                    std::size_t width = 80);

}  // namespace bmil

#endif  // BMIL_CORE_REPORT_TERMINAL_TEXT_HPP_
