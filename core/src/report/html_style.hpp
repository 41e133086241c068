// The style sheet of the HTML report, inlined into every report so that the file stands
// alone: screen and print (A4) layout, colour-blind-safe severity colours.
#ifndef BMIL_CORE_REPORT_HTML_STYLE_HPP_
#define BMIL_CORE_REPORT_HTML_STYLE_HPP_

#include <string_view>

namespace bmil {

// The CSS of the report (no @import, no url(), no web fonts). Static storage.
std::string_view HtmlReportStyle();

}  // namespace bmil

#endif  // BMIL_CORE_REPORT_HTML_STYLE_HPP_
