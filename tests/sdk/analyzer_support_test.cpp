// The SDK's helpers for counting by the positions of an analyzer's own id lists: SeenIds
// (did the view's ids change), IdPositions (bit index -> position, growing the list) and
// CountMatrix (counts that stay put as the lists grow). Values worked out by hand.
#include <bmil/sdk/analyzer_support.hpp>

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace bmil::sdk {
namespace {

// An id_at for a list of ids.
auto At(const std::vector<std::string>& ids) {
  return [&ids](std::size_t i) { return ids[i]; };
}

TEST(SeenIds, ReportsTheFirstViewAndEveryChangeOnly) {
  SeenIds seen;
  const std::vector<std::string> ab = {"a", "b"}, ba = {"b", "a"}, abc = {"a", "b", "c"};
  const std::vector<std::string> none;
  EXPECT_TRUE(seen.Changed(0, At(none)));  // the first call, even with no ids
  EXPECT_FALSE(seen.Changed(0, At(none)));
  EXPECT_TRUE(seen.Changed(2, At(ab)));
  EXPECT_FALSE(seen.Changed(2, At(ab)));
  EXPECT_TRUE(seen.Changed(2, At(ba)));  // same ids, another order
  EXPECT_EQ(seen.ids(), ba);
  EXPECT_TRUE(seen.Changed(3, At(abc)));
  EXPECT_TRUE(seen.Changed(2, At(ab)));  // a prefix of the previous ids
  seen.Clear();
  EXPECT_TRUE(seen.Changed(2, At(ab)));
}

// names grows in first-seen order: view 1 registers [x, y], view 2 [z, x]:
// names [x, y, z]; view 2's bits 0 and 1 are at positions 2 and 0.
TEST(IdPositions, MapsBitsToPositionsInTheGrowingList) {
  IdPositions pos;
  std::vector<std::string> names;
  const std::vector<std::string> first = {"x", "y"}, second = {"z", "x"};
  pos.Update(first.size(), At(first), names);
  EXPECT_EQ(names, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(pos.positions(), (std::vector<std::size_t>{0, 1}));
  pos.Update(second.size(), At(second), names);
  EXPECT_EQ(names, (std::vector<std::string>{"x", "y", "z"}));
  EXPECT_EQ(pos.size(), 2u);
  EXPECT_EQ(pos[0], 2u);
  EXPECT_EQ(pos[1], 0u);
  // Another list (a merged or loaded state) is extended the same way.
  std::vector<std::string> other = {"z"};
  IdPositions pos_other;
  pos_other.Update(second.size(), At(second), other);
  EXPECT_EQ(other, (std::vector<std::string>{"z", "x"}));
  EXPECT_EQ(pos_other.positions(), (std::vector<std::size_t>{0, 1}));
}

TEST(IdPositions, RefusesMoreNamesThanTheLimitAndKeepsTheList) {
  IdPositions pos;
  std::vector<std::string> names = {"a", "b"};
  const std::vector<std::string> ids = {"a", "c", "d"};
  EXPECT_THROW(pos.Update(ids.size(), At(ids), names, 3), Error);
  EXPECT_EQ(names, (std::vector<std::string>{"a", "b", "c"}));  // "d" would be the fourth
  // After a refusal the next call is compared afresh, not taken as unchanged.
  const std::vector<std::string> fits = {"a", "c"};
  pos.Update(fits.size(), At(fits), names, 3);
  EXPECT_EQ(pos.positions(), (std::vector<std::size_t>{0, 2}));
  EXPECT_THROW(pos.Update(ids.size(), At(ids), names, 3), Error);
}

// Counts written at every cell stay where they were through growth of rows and columns:
// cell (r, c) holds 10 * r + c + 1.
TEST(CountMatrix, KeepsEveryCountAsItGrows) {
  CountMatrix m;
  std::size_t rows = 0, columns = 0;
  auto fill = [&](std::size_t new_rows, std::size_t new_columns) {
    m.Fit(new_rows, new_columns);
    for (std::size_t r = 0; r < new_rows; ++r)
      for (std::size_t c = 0; c < new_columns; ++c)
        if (r >= rows || c >= columns) {
          EXPECT_EQ(m.at(r, c), 0) << r << ", " << c;  // new cells start at 0
          m.at(r, c) = static_cast<std::int64_t>(10 * r + c + 1);
        }
    rows = new_rows;
    columns = new_columns;
  };
  fill(2, 3);
  fill(2, 9);   // wider than the first row length (8)
  fill(5, 9);   // more rows
  fill(6, 20);  // both
  m.Fit(3, 4);  // smaller: keeps everything
  const CountMatrix& read = m;
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < columns; ++c)
      EXPECT_EQ(read.at(r, c), static_cast<std::int64_t>(10 * r + c + 1)) << r << ", " << c;
  EXPECT_EQ(m.row(4)[7], 48);
  ++m.row(4)[7];
  EXPECT_EQ(read.at(4, 7), 49);
}

}  // namespace
}  // namespace bmil::sdk

namespace bmil::sdk {
namespace {

// The listing caps of bmil --max-rows N and --all, from the analyzer configuration.
TEST(ListingFromConfig, DefaultsMaxRowsAndAll) {
  const Listing defaults{200, 20, 10};
  const Listing none = ListingFromConfig(nlohmann::json::object(), defaults);
  EXPECT_EQ(none.rows, 200u);
  EXPECT_EQ(none.findings, 20u);
  EXPECT_EQ(none.evidence, 10u);
  EXPECT_EQ(none.RowsWord(), "first 200");
  // N caps every listing, but never raises a smaller default.
  const Listing five = ListingFromConfig({{"listing", {{"max_rows", 5}}}}, defaults);
  EXPECT_EQ(five.rows, 5u);
  EXPECT_EQ(five.findings, 5u);
  EXPECT_EQ(five.evidence, 5u);
  const Listing many = ListingFromConfig({{"listing", {{"max_rows", 1000}}}}, defaults);
  EXPECT_EQ(many.rows, 1000u);
  EXPECT_EQ(many.findings, 20u);
  EXPECT_EQ(many.evidence, 10u);
  const Listing all = ListingFromConfig({{"listing", {{"all", true}}}}, defaults);
  EXPECT_EQ(all.rows, Listing::kAll);
  EXPECT_EQ(all.findings, Listing::kAll);
  EXPECT_EQ(all.evidence, Listing::kAll);
  EXPECT_EQ(all.RowsWord(), "all");
  for (const char* bad :
       {R"({"listing": 3})", R"({"listing": {"max_rows": 0}})", R"({"listing": {"max_rows": -2}})",
        R"({"listing": {"max_rows": "9"}})", R"({"listing": {"all": 1}})"}) {
    EXPECT_THROW(ListingFromConfig(nlohmann::json::parse(bad), defaults), Error) << bad;
  }
}

// A capacity set at run time keeps the exact prefix through Add, Append and Restore.
TEST(CappedList, RuntimeCapacityKeepsThePrefix) {
  CappedList<int, 3> a, b;
  a.set_capacity(5);
  b.set_capacity(5);
  for (int i = 0; i < 4; ++i) a.Add(i);
  for (int i = 4; i < 9; ++i) b.Add(i);
  EXPECT_FALSE(a.full());
  EXPECT_TRUE(b.full());
  a.Append(b);
  EXPECT_EQ(a.items(), (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_EQ(a.total(), 9);
  CappedList<int, 3> unlimited;
  unlimited.set_capacity(Listing::kAll);
  for (int i = 0; i < 10000; ++i) unlimited.Add(i);
  EXPECT_EQ(unlimited.items().size(), 10000u);
  EXPECT_EQ(unlimited.total(), 10000);
  // A list cut under a smaller cap (a part saved with the default caps, merged with --all)
  // takes nothing more: items after the cut would not continue the prefix.
  CappedList<int, 3> cut, rest;
  for (int i = 0; i < 5; ++i) cut.Add(i);  // keeps 0 1 2 of 5
  cut.set_capacity(Listing::kAll);
  rest.Add(5);
  cut.Append(rest);
  EXPECT_EQ(cut.items(), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(cut.total(), 6);
  CappedList<int, 3> restored;  // the default capacity, N
  restored.Restore({1, 2, 3, 4, 5}, 7);
  EXPECT_EQ(restored.items(), (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(restored.total(), 7);
}

}  // namespace
}  // namespace bmil::sdk
