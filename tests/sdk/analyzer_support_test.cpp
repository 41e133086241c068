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
