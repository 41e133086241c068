// Text from cases and plugins made safe for terminals, Markdown and spreadsheets (issue 14:
// control characters reached the terminal raw, Markdown unescaped, and CSV cells could run
// formulas).
#include "report/terminal_text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace bmil {
namespace {

TEST(TerminalSafe, ShowsControlCharactersAsEscapes) {
  EXPECT_EQ(TerminalSafe("Kell\x1b[2Jpo"), "Kell\\x1b[2Jpo");    // ESC: clear screen
  EXPECT_EQ(TerminalSafe("a\tb\nc\rd"), "a\\x09b\\x0ac\\x0dd");  // one field, one line
  EXPECT_EQ(TerminalSafe(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(TerminalSafe("del\x7f"), "del\\x7f");
  EXPECT_EQ(TerminalSafe("c1 \xc2\x9b"
                         "31m"),
            "c1 \\u009b31m");  // U+009B: 8-bit CSI
  EXPECT_EQ(TerminalSafe("\xe2\x80\xae"
                         "evil"),
            "\\u202eevil");  // RIGHT-TO-LEFT OVERRIDE
  EXPECT_EQ(TerminalSafe("\xe2\x81\xa6"
                         "x"),
            "\\u2066x");  // LEFT-TO-RIGHT ISOLATE
}

TEST(TerminalSafe, KeepsOrdinaryTextAndShowsInvalidBytes) {
  const std::string text = "Kellpo A/S — Århus, 中文, emoji \xf0\x9f\x98\x80";
  EXPECT_EQ(TerminalSafe(text), text);
  EXPECT_EQ(TerminalSafe("bad \xff byte"), "bad \\xff byte");
  EXPECT_EQ(TerminalSafe("cut \xe2\x80"), "cut \\xe2\\x80");           // truncated sequence
  EXPECT_EQ(TerminalSafe("long \xc0\xaf"), "long \\xc0\\xaf");         // overlong '/'
  EXPECT_EQ(TerminalSafe("sur \xed\xa0\x80"), "sur \\xed\\xa0\\x80");  // a surrogate
}

TEST(TerminalSafe, IsIdempotent) {
  for (const std::string s : {"\x1b]0;title\x07",
                              "a\xc2\x85"
                              "b",
                              "\xe2\x80\xaeq", "\xff"}) {
    const std::string once = TerminalSafe(s);
    EXPECT_EQ(TerminalSafe(once), once) << once;
  }
}

TEST(TerminalSafeCopy, ReachesEveryStringButNoKey) {
  const nlohmann::json in = {
      {"title", "a\x1b"}, {"rows", {{"x\x07", 1, nullptr}, {"ok", 2.5, true}}}, {"k\x1b", "v"}};
  const nlohmann::json out = TerminalSafeCopy(in);
  EXPECT_EQ(out["title"], "a\\x1b");
  EXPECT_EQ(out["rows"][0][0], "x\\x07");
  EXPECT_EQ(out["rows"][0][1], 1);
  EXPECT_EQ(out["rows"][1], in["rows"][1]);
  EXPECT_EQ(out["k\x1b"], "v");
}

TEST(MarkdownText, RendersAsItself) {
  EXPECT_EQ(MarkdownText("<script>alert(1)</script>"), "\\<script\\>alert(1)\\</script\\>");
  EXPECT_EQ(MarkdownText("[click](javascript:x)"), "\\[click\\](javascript:x)");
  EXPECT_EQ(MarkdownText("a|b *c* `d` \\e"), "a\\|b \\*c\\* \\`d\\` \\\\e");
  // The escapes TerminalSafe writes are themselves escaped, so they render as written.
  EXPECT_EQ(MarkdownText("two\nlines\x1b"), "two\\\\x0alines\\\\x1b");
  EXPECT_EQ(MarkdownText("value_chain 12.5%"), "value_chain 12.5%");
}

TEST(SpreadsheetSafe, NeutralisesFormulasAndKeepsNumbers) {
  EXPECT_EQ(SpreadsheetSafe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
  EXPECT_EQ(SpreadsheetSafe("+1+cmd|' /C calc'!A0"), "'+1+cmd|' /C calc'!A0");
  EXPECT_EQ(SpreadsheetSafe("-2+3"), "'-2+3");
  EXPECT_EQ(SpreadsheetSafe("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(SpreadsheetSafe("\tx"), "'\tx");
  EXPECT_EQ(SpreadsheetSafe("-3.5"), "-3.5");
  EXPECT_EQ(SpreadsheetSafe("-1700000"), "-1700000");
  EXPECT_EQ(SpreadsheetSafe("+1e5"), "+1e5");
  EXPECT_EQ(SpreadsheetSafe("-inf"), "'-inf");  // not a number bmil writes
  EXPECT_EQ(SpreadsheetSafe("-nan"), "'-nan");
  EXPECT_EQ(SpreadsheetSafe("-0x1p3"), "'-0x1p3");
  EXPECT_EQ(SpreadsheetSafe("kellpo"), "kellpo");
  EXPECT_EQ(SpreadsheetSafe(""), "");
}

}  // namespace
}  // namespace bmil
