// Result tables in HTML: a table that fits A4 prints as it is; one too wide even in the
// small print font is printed in parts of its columns, each repeating the columns that name
// a row. Widths are the renderer's estimate (7 px a character + 14 px padding a column).
#include "report/html_results.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

namespace bmil {
namespace {

using Json = nlohmann::json;

// A table of two text columns ("Business", "Model", values of 3 characters) and `numbers`
// number columns "Count00", "Count01", ... (labels of 7 characters, values of 1 digit): each
// column is estimated 8 x 7 + 14 = 70 px ("Business", 8 characters), 5 x 7 + 14 = 49 px and
// 7 x 7 + 14 = 63 px.
Json Table(int numbers, int rows = 3) {
  Json table = {{"id", "t"}, {"title", "T"}, {"columns", Json::array()}, {"rows", Json::array()}};
  table["columns"].push_back({{"id", "business"}, {"label", "Business"}, {"type", "string"}});
  table["columns"].push_back({{"id", "model"}, {"label", "Model"}, {"type", "string"}});
  for (int i = 0; i < numbers; ++i) {
    const std::string n = (i < 10 ? "0" : "") + std::to_string(i);
    table["columns"].push_back({{"id", "c" + n}, {"label", "Count" + n}, {"type", "integer"}});
  }
  for (int r = 0; r < rows; ++r) {
    Json row = {"b" + std::to_string(r) + "x", "m" + std::to_string(r) + "x"};
    for (int i = 0; i < numbers; ++i) row.push_back(r);
    table["rows"].push_back(row);
  }
  return table;
}

// The data-column ids of every <table> in `html`, one list per table.
std::vector<std::vector<std::string>> ColumnsPerTable(const std::string& html) {
  std::vector<std::vector<std::string>> tables;
  static const std::regex kTag(R"re(<table|data-column="([^"]*)")re");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), kTag); it != std::sregex_iterator();
       ++it) {
    if ((*it)[0] == "<table") {
      tables.emplace_back();
    } else {
      tables.back().push_back((*it)[1]);
    }
  }
  return tables;
}

std::size_t Count(const std::string& html, const std::string& what) {
  std::size_t n = 0;
  for (auto at = html.find(what); at != std::string::npos; at = html.find(what, at + 1)) ++n;
  return n;
}

TEST(DataTableHtml, ATableThatFitsA4IsOneTable) {
  // 70 + 49 + 9 x 63 = 686 px: over the 680 px of portrait A4 at 8.5 pt, so "wide" (7 pt);
  // no parts.
  const std::string html = DataTableHtml(Table(9), "x-t");
  EXPECT_EQ(ColumnsPerTable(html).size(), 1u);
  EXPECT_NE(html.find("class=\"table-wrap wide\""), std::string::npos) << html;
  EXPECT_EQ(html.find("print-only"), std::string::npos);
  // 70 + 49 + 8 x 63 = 623 px: fits as it is.
  const std::string narrow = DataTableHtml(Table(8), "x-t");
  EXPECT_NE(narrow.find("class=\"table-wrap\""), std::string::npos) << narrow;
}

TEST(DataTableHtml, ATableTooWideForA4PrintsInPartsRepeatingTheNamingColumns) {
  // 70 + 49 + 18 x 63 = 1,253 px > 860 px. Each part: the two naming columns (119 px) and as
  // many number columns as fit 860 px: 11 (119 + 693 = 812; 12 would be 875). So 11 + 7.
  const std::string html = DataTableHtml(Table(18), "x-t");
  const auto tables = ColumnsPerTable(html);
  ASSERT_EQ(tables.size(), 3u) << html;
  EXPECT_EQ(tables[0].size(), 20u);  // the whole table, for the screen
  EXPECT_EQ(Count(html, "screen-only"), 1u);
  EXPECT_EQ(Count(html, "table-wrap wide print-only"), 2u);
  ASSERT_EQ(tables[1].size(), 2u + 11u);
  ASSERT_EQ(tables[2].size(), 2u + 7u);
  std::vector<std::string> numbers;
  for (std::size_t p = 1; p < 3; ++p) {
    EXPECT_EQ(tables[p][0], "business");
    EXPECT_EQ(tables[p][1], "model");
    numbers.insert(numbers.end(), tables[p].begin() + 2, tables[p].end());
  }
  // Every other column exactly once, in order.
  EXPECT_EQ(numbers, std::vector<std::string>(tables[0].begin() + 2, tables[0].end()));
  // Every row in each part: 3 rows in the screen table and in each of the 2 parts.
  EXPECT_EQ(Count(html, "</tr>\n"), 3u * 3u);  // body rows (the header row ends in </thead>)
  // Ids stay unique, and only the whole table says which result table it is.
  EXPECT_EQ(Count(html, "id=\"x-t\""), 1u);
  EXPECT_EQ(Count(html, "id=\"x-t-part1\""), 1u);
  EXPECT_EQ(Count(html, "id=\"x-t-part2\""), 1u);
  EXPECT_EQ(Count(html, "data-table=\"t\""), 1u);
  EXPECT_NE(html.find("Printed in 2 parts of its columns, each starting with Business and Model."),
            std::string::npos)
      << html;
}

TEST(DataTableHtml, NumberColumnsFirstAreNotRepeated) {
  // A table whose first column is a number has no naming columns: the parts just split.
  Json table = Table(18, 1);
  table["columns"][0]["type"] = "integer";
  table["rows"][0][0] = 1;
  const auto tables = ColumnsPerTable(DataTableHtml(table, "x-t"));
  ASSERT_GE(tables.size(), 3u);
  std::size_t printed = 0;
  for (std::size_t p = 1; p < tables.size(); ++p) printed += tables[p].size();
  EXPECT_EQ(printed, 20u);
  EXPECT_EQ(tables[1][0], "business");
  EXPECT_NE(tables[2][0], "business");
}

}  // namespace
}  // namespace bmil
