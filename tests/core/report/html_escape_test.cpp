#include "report/html_escape.hpp"

#include <gtest/gtest.h>

namespace bmil {
namespace {

TEST(HtmlEscape, EscapesMarkupCharacters) {
  EXPECT_EQ(HtmlEscape("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
}

TEST(HtmlEscape, KeepsValidUtf8AndWhitespace) {
  EXPECT_EQ(HtmlEscape("Lindgren · Æblegård ≥ 5\n\tok\r"), "Lindgren · Æblegård ≥ 5\n\tok\r");
}

TEST(HtmlEscape, ReplacesInvalidUtf8AndControlCharacters) {
  const std::string replacement = "\xEF\xBF\xBD";
  // A lone continuation byte, a truncated sequence, an overlong '/', a surrogate, NUL, ESC.
  EXPECT_EQ(HtmlEscape("a\x80"
                       "b"),
            "a" + replacement + "b");
  EXPECT_EQ(HtmlEscape("\xE2\x82"), replacement + replacement);
  EXPECT_EQ(HtmlEscape("\xC0\xAF"), replacement + replacement);
  EXPECT_EQ(HtmlEscape("\xED\xA0\x80"), replacement + replacement + replacement);
  EXPECT_EQ(HtmlEscape(std::string("x\0y", 3)), "x" + replacement + "y");
  EXPECT_EQ(HtmlEscape("\x1b[31m"), replacement + "[31m");
}

TEST(HtmlId, KeepsSafeCharactersOnly) {
  EXPECT_EQ(HtmlId("canvas.bm.kellpo/line_design"), "canvas-bm-kellpo-line_design");
  EXPECT_EQ(HtmlId("a\"><b"), "a---b");
  EXPECT_EQ(HtmlId(""), "x");
}

}  // namespace
}  // namespace bmil
