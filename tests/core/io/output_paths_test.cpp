// FindOutputClash: outputs compared with inputs and each other by what the files are.
#include "io/output_paths.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace bmil {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class OutputClash : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "bmil-out-XXXXXX").string();
    dir_ = ::mkdtemp(pattern.data());
    std::ofstream(dir_ / "in.jsonl") << "{}\n";
    fs::create_directories(dir_ / "cases" / "deep");
    std::ofstream(dir_ / "cases" / "deep" / "a.json") << "{}";
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string P(const fs::path& p) const { return (dir_ / p).string(); }
  std::optional<std::string> Clash(std::vector<NamedPath> in, std::vector<NamedPath> out) {
    return FindOutputClash(in, out, /*stdout_is_output=*/false);
  }
  fs::path dir_;
};

TEST_F(OutputClash, DistinctFilesAreFine) {
  EXPECT_EQ(
      Clash(
          {{"input", P("in.jsonl")}},
          {{"-o", P("out.json")}, {"--rejects", P("r.jsonl")}, {"--partial", "-"}, {"--svg", ""}}),
      std::nullopt);
}

TEST_F(OutputClash, AnOutputThatIsAnInputByAnyNameIsFound) {
  fs::create_symlink(dir_ / "in.jsonl", dir_ / "soft");
  fs::create_hard_link(dir_ / "in.jsonl", dir_ / "hard");
  for (const std::string name : {"in.jsonl", "soft", "hard", "./in.jsonl", "cases/../in.jsonl"}) {
    const auto clash = Clash({{"input", P("in.jsonl")}}, {{"--rejects", P(name)}});
    ASSERT_TRUE(clash) << name;
    EXPECT_THAT(*clash, HasSubstr("--rejects " + P(name) + " is the input " + P("in.jsonl")));
  }
}

TEST_F(OutputClash, FilesInAnInputDirectoryAreInputs) {
  const auto clash = Clash({{"input", P("cases")}}, {{"-o", P("cases/deep/a.json")}});
  ASSERT_TRUE(clash);
  EXPECT_THAT(*clash, HasSubstr("is the input"));
  EXPECT_EQ(Clash({{"input", P("cases")}}, {{"-o", P("cases/deep/b.json")}}), std::nullopt);
}

TEST_F(OutputClash, TwoOutputsOnOneFileExistingOrNot) {
  auto clash = Clash({}, {{"-o", P("x")}, {"--partial", P("cases/../x")}});
  ASSERT_TRUE(clash);
  EXPECT_THAT(*clash, HasSubstr("--partial " + P("cases/../x") + " and -o " + P("x") +
                                " are the same file"));
  std::ofstream(dir_ / "x") << "old";
  fs::create_symlink(dir_ / "x", dir_ / "x-link");
  EXPECT_TRUE(Clash({}, {{"-o", P("x-link")}, {"--rejects", P("x")}}));
}

TEST_F(OutputClash, OutputsThatAreNotRegularFilesAreNeverCompared) {
  EXPECT_EQ(Clash({{"input", "/dev/null"}}, {{"-o", "/dev/null"}, {"--rejects", "/dev/null"}}),
            std::nullopt);
}

TEST_F(OutputClash, StandardOutputRedirectedToAnInputIsFound) {
  // Point this process's stdout at the input for the call, as `>> in.jsonl` would.
  const int saved = ::dup(STDOUT_FILENO);
  const int fd = ::open(P("in.jsonl").c_str(), O_WRONLY | O_APPEND);
  ASSERT_GE(fd, 0);
  ::dup2(fd, STDOUT_FILENO);
  const auto clash = FindOutputClash({{"input", P("in.jsonl")}}, {}, /*stdout_is_output=*/true);
  const auto unused = FindOutputClash({{"input", P("in.jsonl")}}, {}, /*stdout_is_output=*/false);
  ::dup2(saved, STDOUT_FILENO);
  ::close(fd);
  ::close(saved);
  ASSERT_TRUE(clash);
  EXPECT_THAT(*clash, HasSubstr("standard output is the input"));
  EXPECT_EQ(unused, std::nullopt);
}

}  // namespace
}  // namespace bmil
