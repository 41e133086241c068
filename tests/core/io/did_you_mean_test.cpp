#include "io/did_you_mean.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bmil {
namespace {

TEST(EditDistance, CountsInsertionsDeletionsAndSubstitutions) {
  EXPECT_EQ(EditDistance("", ""), 0u);
  EXPECT_EQ(EditDistance("state", "state"), 0u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);        // three insertions
  EXPECT_EQ(EditDistance("abc", ""), 3u);        // three deletions
  EXPECT_EQ(EditDistance("stat", "state"), 1u);  // one insertion
  EXPECT_EQ(EditDistance("asis", "as_is"), 1u);
  EXPECT_EQ(EditDistance("custmers", "customers"), 1u);
  EXPECT_EQ(EditDistance("costumer", "customer"), 2u);  // two substitutions
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);     // k->s, e->i, +g
  EXPECT_EQ(EditDistance("flaw", "lawn"), 2u);          // -f, +n
}

TEST(EditDistance, IsSymmetric) {
  EXPECT_EQ(EditDistance("sitting", "kitten"), 3u);
  EXPECT_EQ(EditDistance("lawn", "flaw"), 2u);
  EXPECT_EQ(EditDistance("value_chain", "value"), EditDistance("value", "value_chain"));
  EXPECT_EQ(EditDistance("value", "value_chain"), 6u);
}

TEST(ClosestMatch, PicksTheNearestCandidate) {
  EXPECT_EQ(ClosestMatch("stat", {"stage", "state"}), "state");  // distance 2 vs 1
  EXPECT_EQ(ClosestMatch("custmers", {"value_proposition", "customers", "value_chain"}),
            "customers");
}

TEST(ClosestMatch, BreaksTiesByCandidateOrder) {
  EXPECT_EQ(ClosestMatch("cat", {"bat", "car"}), "bat");
  EXPECT_EQ(ClosestMatch("cat", {"car", "bat"}), "car");
}

TEST(ClosestMatch, AllowsAtLeastTwoEditsForShortWords) {
  // Up to 8 characters the limit is 2 (word.size() / 3 <= 2).
  EXPECT_EQ(ClosestMatch("ab", {"xy"}), "xy");
  EXPECT_EQ(ClosestMatch("abcdef", {"abcdxy"}), "abcdxy");  // distance 2
  EXPECT_EQ(ClosestMatch("abcdef", {"abcxyz"}), "");        // distance 3
  EXPECT_EQ(ClosestMatch("abcdefgh", {"abcdexyz"}), "");    // 8 / 3 = 2 < 3
}

TEST(ClosestMatch, AllowsAThirdOfTheWordForLongWords) {
  EXPECT_EQ(ClosestMatch("abcdefghi", {"abcdefxyz"}), "abcdefxyz");  // 9 / 3 = 3, distance 3
  EXPECT_EQ(ClosestMatch("abcdefghi", {"abcdewxyz"}), "");           // distance 4
  EXPECT_EQ(ClosestMatch("abcdefghijkl", {"abcdefghwxyz"}), "abcdefghwxyz");  // 12 / 3 = 4
  EXPECT_EQ(ClosestMatch("abcdefghijkl", {"abcdefgvwxyz"}), "");              // distance 5
}

TEST(ClosestMatch, IsEmptyWithoutCandidates) { EXPECT_EQ(ClosestMatch("state", {}), ""); }

TEST(DidYouMean, FormatsTheSuggestion) {
  EXPECT_EQ(DidYouMean("asis", {"as_is", "to_be"}), " (did you mean \"as_is\"?)");
  EXPECT_EQ(DidYouMean("launched", {"idea", "concept", "prototype", "market", "retired"}), "");
}

}  // namespace
}  // namespace bmil
