#include <bmil/registry.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bmil {
namespace {

// "id|name|code|plugin" for each entry, to compare whole registries at once.
std::vector<std::string> Rows(const std::vector<RegisteredId>& ids) {
  std::vector<std::string> out;
  for (const auto& r : ids) out.push_back(r.id + "|" + r.name + "|" + r.code + "|" + r.plugin);
  return out;
}

TEST(Registry, StartsWithTheSevenBuiltInBlocksInThePapersOrder) {
  const Registry registry;
  EXPECT_EQ(Rows(registry.blocks()), (std::vector<std::string>{
                                         "value_proposition|Value proposition||",
                                         "customers|Customers||",
                                         "value_chain|Value chain||",
                                         "competences|Competences||",
                                         "network|Network||",
                                         "relations|Relations||",
                                         "value_formula|Value formula||",
                                     }));
  EXPECT_TRUE(registry.lines().empty());
  EXPECT_EQ(registry.BlockIndex("value_proposition"), 0u);
  EXPECT_EQ(registry.BlockIndex("customers"), 1u);
  EXPECT_EQ(registry.BlockIndex("value_formula"), 6u);
  EXPECT_EQ(registry.BlockIndex("sustainability"), std::nullopt);
  EXPECT_EQ(registry.LineIndex("customer"), std::nullopt);
}

TEST(Registry, AddsBlocksAfterTheBuiltIns) {
  Registry registry;
  EXPECT_TRUE(registry.AddBlock({"sustainability", "Sustainability", "", "green"}));
  EXPECT_TRUE(registry.AddBlock({"data", "Data", "", "green"}));
  ASSERT_EQ(registry.blocks().size(), 9u);
  EXPECT_EQ(Rows(registry.blocks())[7], "sustainability|Sustainability||green");
  EXPECT_EQ(Rows(registry.blocks())[8], "data|Data||green");
  EXPECT_EQ(registry.BlockIndex("sustainability"), 7u);
  EXPECT_EQ(registry.BlockIndex("data"), 8u);
  // Blocks and lines are separate namespaces.
  EXPECT_EQ(registry.LineIndex("data"), std::nullopt);
}

TEST(Registry, AddsLinesInOrder) {
  Registry registry;
  EXPECT_TRUE(registry.AddLine({"value", "Value innovation leadership", "VIL", "value"}));
  EXPECT_TRUE(registry.AddLine({"customer", "Customer innovation leadership", "CIL", "customer"}));
  EXPECT_EQ(Rows(registry.lines()),
            (std::vector<std::string>{"value|Value innovation leadership|VIL|value",
                                      "customer|Customer innovation leadership|CIL|customer"}));
  EXPECT_EQ(registry.LineIndex("value"), 0u);
  EXPECT_EQ(registry.LineIndex("customer"), 1u);
  EXPECT_EQ(registry.LineIndex("network"), std::nullopt);
  // Line ids do not become block ids.
  EXPECT_EQ(registry.BlockIndex("customer"), std::nullopt);
  EXPECT_EQ(registry.blocks().size(), 7u);
}

TEST(Registry, RefusesDuplicateIdsWithoutChange) {
  Registry registry;
  ASSERT_TRUE(registry.AddLine({"customer", "Customer innovation leadership", "CIL", "customer"}));
  EXPECT_FALSE(registry.AddLine({"customer", "Impostor", "XIL", "impostor"}));
  EXPECT_EQ(Rows(registry.lines()),
            std::vector<std::string>{"customer|Customer innovation leadership|CIL|customer"});

  // A built-in block id cannot be taken again, and neither can a plugin's.
  EXPECT_FALSE(registry.AddBlock({"customers", "Clients", "", "impostor"}));
  ASSERT_TRUE(registry.AddBlock({"data", "Data", "", "first"}));
  EXPECT_FALSE(registry.AddBlock({"data", "Data again", "", "second"}));
  EXPECT_EQ(registry.blocks().size(), 8u);
  EXPECT_EQ(Rows(registry.blocks())[1], "customers|Customers||");
  EXPECT_EQ(Rows(registry.blocks())[7], "data|Data||first");
}

TEST(Registry, RefusesTheSixtyFifthBlock) {
  Registry registry;
  // 7 built-ins + 57 = 64 = BMIL_MAX_IDS, one per bit of a bmil_set.
  for (int i = 0; i < 57; ++i) {
    ASSERT_TRUE(registry.AddBlock({"extra_" + std::to_string(i), "", "", "p"})) << i;
  }
  ASSERT_EQ(registry.blocks().size(), 64u);
  EXPECT_EQ(registry.BlockIndex("extra_0"), 7u);
  EXPECT_EQ(registry.BlockIndex("extra_56"), 63u);
  EXPECT_FALSE(registry.AddBlock({"extra_57", "", "", "p"}));
  EXPECT_EQ(registry.blocks().size(), 64u);
  EXPECT_EQ(registry.BlockIndex("extra_57"), std::nullopt);
}

TEST(Registry, RefusesTheSixtyFifthLine) {
  Registry registry;
  for (int i = 0; i < 64; ++i) {
    ASSERT_TRUE(registry.AddLine({"line_" + std::to_string(i), "", "", "p"})) << i;
  }
  EXPECT_EQ(registry.LineIndex("line_63"), 63u);
  EXPECT_FALSE(registry.AddLine({"line_64", "", "", "p"}));
  EXPECT_EQ(registry.lines().size(), 64u);
  EXPECT_EQ(registry.LineIndex("line_64"), std::nullopt);
  // A full line set does not limit the blocks.
  EXPECT_TRUE(registry.AddBlock({"data", "Data", "", "p"}));
}

}  // namespace
}  // namespace bmil
