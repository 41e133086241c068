// The per-business table's rows as a .bmilpart carries them (bmil merge --metrics): parts
// with different columns join by name, a part round-trips, and a malformed part is refused
// with its pointer and appends nothing. Tables worked out by hand.
#include "engine/business_metrics.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace bmil {
namespace {

std::string Csv(const BusinessMetrics& m) {
  std::string out;
  EXPECT_TRUE(m.WriteCsv([&out](std::string_view chunk) {
    out += chunk;
    return true;
  }));
  return out;
}

TEST(BusinessMetricsParts, PartsJoinTheirColumnsByName) {
  BusinessMetrics m;
  EXPECT_EQ(m.AppendPart(R"({"columns":["a.x","a.y"],"rows":[["b1",[0,1,1,2.5]],["b2",[1,3]]]})"),
            "");
  // The second part lists a.y first and brings c.z: its columns map onto the table's.
  EXPECT_EQ(m.AppendPart(R"({"columns":["a.y","c.z"],"rows":[["b3",[0,4,1,0.125]]]})"), "");
  const std::string expected =
      "business,a.x,a.y,c.z\n"
      "b1,1,2.5,\n"
      "b2,,3,\n"
      "b3,,4,0.125\n";
  EXPECT_EQ(Csv(m), expected);
  EXPECT_EQ(m.businesses(), 3u);
  // What PartJson writes reads back as the same table (a merged part carries the rows on).
  BusinessMetrics again;
  EXPECT_EQ(again.AppendPart(m.PartJson()), "");
  EXPECT_EQ(Csv(again), expected);
  // Appending after reading the rows out still adds at the end.
  EXPECT_EQ(again.AppendPart(R"({"columns":["c.z"],"rows":[["b4",[0,-2]]]})"), "");
  EXPECT_EQ(Csv(again), expected + "b4,,,-2\n");
}

TEST(BusinessMetricsParts, AMalformedPartIsNamedAndAppendsNothing) {
  const std::pair<const char*, const char*> bad[] = {
      {R"([1])", ": expected an object"},
      {R"({"columns":[],"rows":[],"extra":1})", "/extra: not a member of business_metrics"},
      {R"({"rows":[]})", "/columns: expected an array of column names"},
      {R"({"columns":["a","a"],"rows":[]})", "/columns/1: \"a\" is listed twice"},
      {R"({"columns":[7],"rows":[]})", "/columns/0: expected a string"},
      {R"({"columns":["a"],"rows":[["b1",[0,1]],["b2"]]})",
       "/rows/1: expected [business, [column, value, column, value, ...]]"},
      {R"({"columns":["a"],"rows":[["b1",[0]]]})", "/rows/0: expected [business,"},
      {R"({"columns":["a"],"rows":[["b1",[1,5]]]})",
       "/rows/0/1/0: expected a column from 0 to 1 (excluded)"},
      {R"({"columns":["a"],"rows":[["b1",[0,"5"]]]})", "/rows/0/1/1: expected a number"},
      {R"({"columns":["a"],"rows":[["b1",[-1,5]]]})", "/rows/0/1/0: expected a column"},
      {R"({"columns":["a"],"rows":[)", ": not valid JSON"},
  };
  for (const auto& [text, problem] : bad) {
    BusinessMetrics m;
    const std::string got = m.AppendPart(text);
    EXPECT_EQ(got.rfind(problem, 0), 0u) << text << " gave " << got;
    EXPECT_EQ(m.businesses(), 0u) << text;
    EXPECT_EQ(Csv(m), "business\n") << text;  // no column either
  }
}

}  // namespace
}  // namespace bmil
