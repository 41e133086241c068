#include <bmil/case_io.hpp>

#include "io/atomic_file.hpp"

#include <gtest/gtest.h>

#include "core/io/full_document.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace bmil {
namespace {

Registry LinesRegistry() {
  Registry registry;
  for (const char* id : {"customer", "network", "value"}) {
    EXPECT_TRUE(registry.AddLine({id, id, "", "test"}));
  }
  return registry;
}

std::string Joined(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) out += d.ToString() + "\n";
  return out;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() /
            ("bmil_writer_test_" + std::to_string(::getpid()) + "_" + std::to_string(count_++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }
  std::vector<std::string> Names() const {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(path_)) {
      names.push_back(entry.path().filename().string());
    }
    return names;
  }

 private:
  static inline int count_ = 0;
  std::filesystem::path path_;
};

using test::kFullDocument;  // every field of the format once
Case LoadFull() {
  LoadResult result = LoadCaseText(kFullDocument, "full.json", LinesRegistry());
  EXPECT_TRUE(result.ok()) << Joined(result.diagnostics);
  return result.value.value_or(Case{});
}

// A small case built by hand: figures, forms, a task; everything else unstated.
Case SmallCase() {
  Case c;
  c.business.id = "b";
  c.business.name = "B";
  c.business.country = "DK";
  BusinessModel m;
  m.id = "m";
  m.name = "M";
  m.state = State::kAsIs;
  m.building_blocks["value_formula"] = {};
  m.building_blocks["customers"].forms = BMIL_FORM_DIGITAL | BMIL_FORM_PHYSICAL;
  m.value_formula.revenue = 1.2e6;
  m.value_formula.cost = 0.5;
  m.value_formula.currency = "EUR";
  c.business_models.push_back(m);
  BmiTask t;
  t.id = "t";
  t.business_model = "m";
  t.building_blocks = {"customers"};
  t.leadership_lines = {"customer"};
  t.action = Action::kCreate;
  t.effort = 2;
  c.bmi_tasks.push_back(t);
  return c;
}

// Blocks in the paper's order, not the map's; forms in bit order; numbers as integers where
// integral; unstated fields left out.
constexpr const char* kSmallCaseText = R"({
  "bmil": "1.0",
  "business": {
    "id": "b",
    "name": "B",
    "country": "DK"
  },
  "business_models": [
    {
      "id": "m",
      "name": "M",
      "state": "as_is",
      "building_blocks": {
        "customers": {
          "forms": [
            "physical",
            "digital"
          ]
        },
        "value_formula": {
          "revenue": 1200000,
          "cost": 0.5,
          "currency": "EUR"
        }
      }
    }
  ],
  "bmi_tasks": [
    {
      "id": "t",
      "business_model": "m",
      "building_blocks": [
        "customers"
      ],
      "leadership_lines": [
        "customer"
      ],
      "action": "create",
      "effort": 2
    }
  ]
}
)";

TEST(CaseWriter, WritesTheExpectedTextForASmallCase) {
  EXPECT_EQ(WriteCaseText(SmallCase()), kSmallCaseText);
}

TEST(CaseWriter, SmallCaseReadsBackEqual) {
  const LoadResult result = LoadCaseText(kSmallCaseText, "small.json", LinesRegistry());
  ASSERT_TRUE(result.ok()) << Joined(result.diagnostics);
  EXPECT_EQ(*result.value, SmallCase());
}

TEST(CaseWriter, FullDocumentSurvivesLoadWriteLoad) {
  const Case original = LoadFull();
  const std::string text = WriteCaseText(original);
  const LoadResult again = LoadCaseText(text, "written.json", LinesRegistry());
  ASSERT_TRUE(again.ok()) << Joined(again.diagnostics) << text;
  EXPECT_EQ(*again.value, original);
}

TEST(CaseWriter, WritingIsByteStable) {
  const Case c = LoadFull();
  const std::string first = WriteCaseText(c);
  EXPECT_EQ(WriteCaseText(c), first);
  const LoadResult again = LoadCaseText(first, "written.json", LinesRegistry());
  ASSERT_TRUE(again.ok()) << Joined(again.diagnostics);
  EXPECT_EQ(WriteCaseText(*again.value), first);
  EXPECT_EQ(first.back(), '\n');
}

TEST(CaseWriter, WritesIntegralNumbersAsIntegersOnlyWhileExact) {
  Case c = SmallCase();
  c.business_models[0].value_formula.revenue = 9007199254740992.0;  // 2^53: exact
  c.business_models[0].value_formula.cost =
      1e18;  // beyond 2^53 (and at the case format's limit): a double
  c.business_models[0].value_formula.users = 0.1;
  const std::string text = WriteCaseText(c);
  EXPECT_NE(text.find("\"revenue\": 9007199254740992,"), std::string::npos) << text;
  EXPECT_NE(text.find("\"cost\": 1e+18,"), std::string::npos) << text;
  EXPECT_NE(text.find("\"users\": 0.1"), std::string::npos) << text;
  const LoadResult again = LoadCaseText(text, "written.json", LinesRegistry());
  ASSERT_TRUE(again.ok()) << Joined(again.diagnostics);
  EXPECT_EQ(*again.value, c);
}

TEST(CaseWriter, PutsPluginBlocksAfterTheBuiltInOnes) {
  Case c = SmallCase();
  c.business_models[0].building_blocks["ecosystem"] = {};
  c.business_models[0].building_blocks["competences"] = {};
  const std::string text = WriteCaseText(c);
  const auto customers = text.find("\"customers\": {");
  const auto competences = text.find("\"competences\": {}");
  const auto value_formula = text.find("\"value_formula\": {");
  const auto ecosystem = text.find("\"ecosystem\": {}");
  ASSERT_NE(ecosystem, std::string::npos) << text;
  EXPECT_LT(customers, competences);
  EXPECT_LT(competences, value_formula);
  EXPECT_LT(value_formula, ecosystem);
}

TEST(CaseWriter, WritesFiguresEvenWhenTheBlockIsNotListed) {
  Case c = SmallCase();
  c.business_models[0].building_blocks.erase("value_formula");
  const std::string text = WriteCaseText(c);
  EXPECT_NE(text.find("\"value_formula\": {"), std::string::npos) << text;
  EXPECT_NE(text.find("\"revenue\": 1200000"), std::string::npos) << text;
}

TEST(CaseWriter, WritesAnEmptyStrategyAsAnEmptyObject) {
  Case c = SmallCase();
  c.strategy.emplace();
  const std::string text = WriteCaseText(c);
  EXPECT_NE(text.find("\"strategy\": {}\n}"), std::string::npos) << text;
  const LoadResult again = LoadCaseText(text, "written.json", LinesRegistry());
  ASSERT_TRUE(again.ok()) << Joined(again.diagnostics);
  EXPECT_EQ(*again.value, c);
}

TEST(SaveCaseFile, WritesTheTextAndLeavesNoTemporaryFile) {
  TempDir dir;
  const auto path = dir.path() / "case.json";
  const Case c = LoadFull();
  const Result<bool> saved = SaveCaseFile(c, path);
  ASSERT_TRUE(saved.ok()) << saved.error();
  EXPECT_EQ(ReadFile(path), WriteCaseText(c));
  EXPECT_EQ(dir.Names(), std::vector<std::string>{"case.json"});
}

TEST(SaveCaseFile, ReplacesAnExistingFileAndKeepsItsPermissions) {
  TempDir dir;
  const auto path = dir.path() / "case.json";
  std::ofstream(path) << "old content that is longer than the new one ... ... ... ... ... ...";
  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
  const Result<bool> saved = SaveCaseFile(SmallCase(), path);
  ASSERT_TRUE(saved.ok()) << saved.error();
  EXPECT_EQ(ReadFile(path), kSmallCaseText);
  EXPECT_EQ(dir.Names(), std::vector<std::string>{"case.json"});
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0640u);
}

TEST(SaveCaseFile, FailsWithAMessageInAMissingDirectory) {
  TempDir dir;
  const auto path = dir.path() / "absent" / "case.json";
  const Result<bool> saved = SaveCaseFile(SmallCase(), path);
  ASSERT_FALSE(saved.ok());
  EXPECT_EQ(saved.error(), "cannot create a temporary file in " + (dir.path() / "absent").string() +
                               ": No such file or directory");
}

TEST(WriteFileAtomically, RefusesToReplaceADirectoryAndCleansUp) {
  TempDir dir;
  const auto target = dir.path() / "sub";
  std::filesystem::create_directory(target);
  const Result<bool> written = WriteFileAtomically(target, "text");
  ASSERT_FALSE(written.ok());
  EXPECT_NE(written.error().find("cannot rename"), std::string::npos) << written.error();
  EXPECT_NE(written.error().find(target.string() + ": Is a directory"), std::string::npos)
      << written.error();
  EXPECT_EQ(dir.Names(), std::vector<std::string>{"sub"});
  EXPECT_TRUE(std::filesystem::is_empty(target));
}

TEST(WriteFileAtomically, WritesEmptyAndBinaryContent) {
  TempDir dir;
  const auto path = dir.path() / "out.bin";
  ASSERT_TRUE(WriteFileAtomically(path, "").ok());
  EXPECT_EQ(std::filesystem::file_size(path), 0u);
  const std::string binary("a\0b\xff", 4);
  ASSERT_TRUE(WriteFileAtomically(path, binary).ok());
  EXPECT_EQ(ReadFile(path), binary);
}

// A device, a FIFO or /dev/stdout given as output must be written to, not replaced by a
// regular file (as root, renaming onto /dev/null would destroy the device).
TEST(WriteFileAtomically, WritesIntoAFifoInPlace) {
  TempDir dir;
  const auto fifo = dir.path() / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string received;
  std::thread reader([&] { received = ReadFile(fifo); });
  const Result<bool> written = WriteFileAtomically(fifo, "through the pipe");
  reader.join();
  ASSERT_TRUE(written.ok()) << written.error();
  EXPECT_EQ(received, "through the pipe");
  EXPECT_TRUE(std::filesystem::is_fifo(fifo));
  EXPECT_EQ(dir.Names(), std::vector<std::string>{"pipe"});
}

TEST(WriteFileAtomically, FollowsASymbolicLinkAndKeepsIt) {
  TempDir dir;
  const auto real = dir.path() / "real.json";
  const auto link = dir.path() / "link.json";
  ASSERT_TRUE(WriteFileAtomically(real, "old").ok());
  std::filesystem::create_symlink(real, link);
  ASSERT_TRUE(WriteFileAtomically(link, "new").ok());
  EXPECT_TRUE(std::filesystem::is_symlink(link));
  EXPECT_EQ(ReadFile(real), "new");
}

}  // namespace
}  // namespace bmil
