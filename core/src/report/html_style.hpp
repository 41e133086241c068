// The style sheet of the HTML report, inlined into every report so that the file stands
// alone: screen and print (A4) layout, colour-blind-safe severity colours.
#ifndef BMIL_CORE_REPORT_HTML_STYLE_HPP_
#define BMIL_CORE_REPORT_HTML_STYLE_HPP_

#include <string>
#include <string_view>

namespace bmil {

// The CSS of the report (no @import, no url(), no web fonts). Static storage.
std::string_view HtmlReportStyle();

// The start of a self-contained page, up to and including <body>: doctype, a Content
// Security Policy that lets no script, font, image or connection load, the viewport, the
// generator, `title_html` (already escaped) and HtmlReportStyle() followed by `extra_css`.
std::string HtmlPageHead(std::string_view title_html, std::string_view extra_css = {});

}  // namespace bmil

#endif  // BMIL_CORE_REPORT_HTML_STYLE_HPP_
