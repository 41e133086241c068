// Escaping text for HTML and SVG (XML), and making fragment ids. Every string that comes
// from a case or a plugin goes through HtmlEscape before it reaches a report.
#ifndef BMIL_CORE_REPORT_HTML_ESCAPE_HPP_
#define BMIL_CORE_REPORT_HTML_ESCAPE_HPP_

#include <string>
#include <string_view>

namespace bmil {

// `text` with &, <, >, " and ' replaced by character references, safe both as element
// content and as a quoted attribute value in HTML and in XML (SVG). Control characters
// other than tab, newline and carriage return (not allowed in XML 1.0) become U+FFFD, and
// so does every byte that is not part of valid UTF-8, so the output is always valid UTF-8.
// Pure function.
std::string HtmlEscape(std::string_view text);

// A fragment id made of `text`: ASCII letters, digits, '-' and '_' are kept, every other
// byte becomes '-'; an empty result becomes "x". The result is safe unescaped in an
// attribute and after '#' in a link. Distinct inputs may give one id (callers that need
// unique ids keep track of them). Pure function.
std::string HtmlId(std::string_view text);

}  // namespace bmil

#endif  // BMIL_CORE_REPORT_HTML_ESCAPE_HPP_
