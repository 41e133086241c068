// The scan record (host/scan_record.hpp): the identity of a plugin file, the record's text,
// what is ignored, and saves from two runs at once.
#include "host/scan_record.hpp"
#include "io/digest.hpp"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace bmil {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class ScanRecordTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "bmil-scan-XXXXXX").string();
    dir_ = ::mkdtemp(pattern.data());
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
    return dir_ / name;
  }
  FileIdentity IdentityOf(const fs::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    ::fstat(fd, &st);
    auto id = FileIdentity::Of(fd, st, path.string());
    ::close(fd);
    EXPECT_TRUE(id) << (id ? "" : id.error());
    return id.value();
  }
  static ScanEntry Entry(const std::string& path, ScanVerdict verdict) {
    ScanEntry e;
    e.file = {path, 1234, 1'796'000'000'123'456'789, std::string(32, 'a')};
    e.bmil_version = BMIL_VERSION;
    e.plugin = "p_" + fs::path(path).stem().string();
    e.version = "1.2.3";
    e.verdict = verdict;
    if (verdict != ScanVerdict::kLoads) e.why = "the plugin's process was killed by signal 11";
    e.when = "2026-12-07T01:02:03Z";
    return e;
  }
  fs::path dir_;
};

TEST_F(ScanRecordTest, IdentityIsSizeAndTheHashOfTheWholeContent) {
  // 200,000 bytes: more than one 64 KiB read.
  std::string content(200'000, '\0');
  for (std::size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>(i * 7 + 3);
  const fs::path file = Write("p.so", content);
  const FileIdentity id = IdentityOf(file);
  EXPECT_EQ(id.size, 200'000u);
  EXPECT_EQ(id.path, file.string());
  EXPECT_EQ(id.xxh3, DigestHex(content));  // the streaming hash equals the one-shot one
  struct stat st {};
  ::stat(file.c_str(), &st);
  EXPECT_EQ(id.mtime_ns, st.st_mtim.tv_sec * 1'000'000'000LL + st.st_mtim.tv_nsec);

  content[150'000] ^= 1;  // one bit in the third read
  Write("p.so", content);
  const FileIdentity changed = IdentityOf(file);
  EXPECT_NE(changed.xxh3, id.xxh3);
  EXPECT_FALSE(changed.SameContent(id));
  FileIdentity touched = id;
  touched.mtime_ns += 5'000'000'000;  // only the time differs: the same file
  EXPECT_TRUE(touched.SameContent(id));
}

TEST_F(ScanRecordTest, TextRoundTrips) {
  const std::vector<ScanEntry> entries = {
      Entry("/a/x.so", ScanVerdict::kLoads), Entry("/a/y.so", ScanVerdict::kCrashed),
      Entry("/b/z.so", ScanVerdict::kHung), Entry("/b/w.so", ScanVerdict::kRefused)};
  auto parsed = ParseScanRecord(ScanRecordText(entries));
  ASSERT_TRUE(parsed) << parsed.error();
  ASSERT_EQ(parsed.value().size(), 4u);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const ScanEntry& a = entries[i];
    const ScanEntry& b = parsed.value()[i];
    EXPECT_EQ(b.file.path, a.file.path);
    EXPECT_EQ(b.file.size, 1234u);
    EXPECT_EQ(b.file.mtime_ns, 1'796'000'000'123'456'789);
    EXPECT_EQ(b.file.xxh3, a.file.xxh3);
    EXPECT_EQ(b.bmil_version, a.bmil_version);
    EXPECT_EQ(b.plugin, a.plugin);
    EXPECT_EQ(b.version, "1.2.3");
    EXPECT_EQ(b.verdict, a.verdict);
    EXPECT_EQ(b.why, a.why);
    EXPECT_EQ(b.when, "2026-12-07T01:02:03Z");
  }
}

TEST_F(ScanRecordTest, RefusesTextItDidNotWrite) {
  const std::string good = ScanRecordText({Entry("/a/x.so", ScanVerdict::kCrashed)});
  auto with = [&](const std::string& from, const std::string& to) {
    std::string text = good;
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return text.replace(at, from.size(), to);
  };
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"{", "it is not JSON"},
      {with("\"bmil_scan_record\": 1", "\"bmil_scan_record\": 2"), "not a version-1 scan record"},
      {with("\"entries\"", "\"entrie\""), "not a version-1 scan record"},
      {with(std::string(32, 'a'), std::string(32, 'A')), "entry 0 is malformed"},
      {with(std::string(32, 'a'), std::string(31, 'a')), "entry 0 is malformed"},
      {with("\"crashed\"", "\"exploded\""), "entry 0 is malformed"},
      {with("\"size\": 1234", "\"size\": -1"), "entry 0 is malformed"},
      {with("\"plugin\"", "\"plugn\""), "entry 0 is malformed"},
      {"{\"bmil_scan_record\": 1, \"entries\": [3]}", "an entry is not an object"},
  };
  for (const auto& [text, why] : rows) {
    auto parsed = ParseScanRecord(text);
    ASSERT_FALSE(parsed) << text;
    EXPECT_THAT(parsed.error(), HasSubstr(why)) << text;
  }
}

TEST_F(ScanRecordTest, FindsOnlyTheSameContentScannedByThisVersion) {
  const fs::path file = Write("p.so", "plugin bytes");
  const FileIdentity id = IdentityOf(file);
  ScanRecord record = ScanRecord::Read(dir_ / "rec.json");
  ScanEntry e = Entry(file.string(), ScanVerdict::kCrashed);
  e.file = id;
  record.Put(e);
  ASSERT_NE(record.Find(id), nullptr);
  EXPECT_EQ(record.Find(id)->verdict, ScanVerdict::kCrashed);

  FileIdentity other = id;
  other.xxh3[0] = other.xxh3[0] == '0' ? '1' : '0';
  EXPECT_EQ(record.Find(other), nullptr);
  EXPECT_NE(record.FindPath(file.string()), nullptr);  // still known by its path
  other = id;
  other.size += 1;
  EXPECT_EQ(record.Find(other), nullptr);

  e.bmil_version = "0.0.0-another";
  record.Put(e);  // replaces the entry for that path
  EXPECT_EQ(record.entries().size(), 1u);
  EXPECT_EQ(record.Find(id), nullptr);
}

TEST_F(ScanRecordTest, TwoRunsSavingAtOnceKeepBothEntries) {
  const fs::path path = dir_ / "cache" / "bmil" / "plugin-scan.json";
  const std::string pa = Write("a.so", "a").string(), pb = Write("b.so", "b").string(),
                    pd = Write("d.so", "d").string();
  ScanRecord a = ScanRecord::Read(path);
  ScanRecord b = ScanRecord::Read(path);  // both read before either saved
  a.Put(Entry(pa, ScanVerdict::kLoads));
  b.Put(Entry(pb, ScanVerdict::kHung));
  ASSERT_TRUE(a.Save());
  ASSERT_TRUE(b.Save());
  EXPECT_EQ(fs::status(path.parent_path()).permissions() & fs::perms::all, fs::perms::owner_all);

  std::string note;
  const ScanRecord read = ScanRecord::Read(path, &note);
  EXPECT_EQ(note, "");
  ASSERT_EQ(read.entries().size(), 2u);
  EXPECT_NE(read.FindPath(pa), nullptr);
  EXPECT_EQ(read.FindPath(pb)->verdict, ScanVerdict::kHung);

  // Forgetting in one run does not bring back what another forgot or lose what it added.
  ScanRecord c = ScanRecord::Read(path);
  ScanRecord d = ScanRecord::Read(path);
  EXPECT_EQ(c.Forget([](const ScanEntry& e) { return e.verdict == ScanVerdict::kHung; }), 1u);
  d.Put(Entry(pd, ScanVerdict::kLoads));
  ASSERT_TRUE(c.Save());
  ASSERT_TRUE(d.Save());
  const ScanRecord after = ScanRecord::Read(path);
  EXPECT_EQ(after.entries().size(), 2u);
  EXPECT_EQ(after.FindPath(pb), nullptr);
  EXPECT_NE(after.FindPath(pd), nullptr);

  // A save drops the entries of files that are gone.
  fs::remove(pa);
  ScanRecord e = ScanRecord::Read(path);
  e.Put(Entry(pb, ScanVerdict::kLoads));
  ASSERT_TRUE(e.Save());
  const ScanRecord pruned = ScanRecord::Read(path);
  EXPECT_EQ(pruned.FindPath(pa), nullptr);
  EXPECT_NE(pruned.FindPath(pb), nullptr);
  EXPECT_NE(pruned.FindPath(pd), nullptr);
}

TEST_F(ScanRecordTest, IgnoresAnUnsafeMalformedOrOversizedRecordWithANote) {
  const std::string good = ScanRecordText({Entry("/a/x.so", ScanVerdict::kCrashed)});
  std::string note;

  const fs::path world = Write("world.json", good);
  ::chmod(world.c_str(), 0666);
  EXPECT_TRUE(ScanRecord::Read(world, &note).entries().empty());
  EXPECT_THAT(note, HasSubstr("it is world-writable"));
  EXPECT_THAT(note, HasSubstr("every plugin file is checked in a child again"));

  const fs::path junk = Write("junk.json", "{\"bmil_scan_record\": 1, \"entries\": [");
  EXPECT_TRUE(ScanRecord::Read(junk, &note).entries().empty());
  EXPECT_THAT(note, HasSubstr("it is not JSON"));

  const fs::path big = Write("big.json", good + std::string(ScanRecord::kMaxBytes, ' '));
  EXPECT_TRUE(ScanRecord::Read(big, &note).entries().empty());
  EXPECT_THAT(note, HasSubstr("larger than 4 MiB"));

  fs::create_symlink(dir_ / "elsewhere.json", dir_ / "link.json");
  Write("elsewhere.json", good);
  EXPECT_TRUE(ScanRecord::Read(dir_ / "link.json", &note).entries().empty());
  EXPECT_THAT(note, HasSubstr("cannot open it"));

  EXPECT_EQ(ScanRecord::Read(Write("ok.json", good), &note).entries().size(), 1u);
  EXPECT_EQ(note, "");
  EXPECT_TRUE(ScanRecord::Read(dir_ / "missing.json", &note).entries().empty());
  EXPECT_EQ(note, "");  // no record yet is normal
}

TEST_F(ScanRecordTest, DefaultPlaceFollowsTheEnvironment) {
  const auto keep = [](const char* name) {
    const char* v = std::getenv(name);
    return v == nullptr ? std::optional<std::string>() : std::string(v);
  };
  const auto scan = keep("BMIL_SCAN_RECORD"), xdg = keep("XDG_CACHE_HOME"), home = keep("HOME");
  ::unsetenv("BMIL_SCAN_RECORD");
  ::setenv("XDG_CACHE_HOME", "/x/cache", 1);
  ::setenv("HOME", "/h", 1);
  EXPECT_EQ(DefaultScanRecordPath(), fs::path("/x/cache/bmil/plugin-scan.json"));
  ::setenv("XDG_CACHE_HOME", "relative", 1);  // not absolute: ignored, as the spec says
  EXPECT_EQ(DefaultScanRecordPath(), fs::path("/h/.cache/bmil/plugin-scan.json"));
  ::unsetenv("HOME");
  EXPECT_EQ(DefaultScanRecordPath(), fs::path());
  ::setenv("BMIL_SCAN_RECORD", "/r/rec.json", 1);
  EXPECT_EQ(DefaultScanRecordPath(), fs::path("/r/rec.json"));
  const auto restore = [](const char* name, const std::optional<std::string>& v) {
    if (v)
      ::setenv(name, v->c_str(), 1);
    else
      ::unsetenv(name);
  };
  restore("BMIL_SCAN_RECORD", scan);
  restore("XDG_CACHE_HOME", xdg);
  restore("HOME", home);
}

}  // namespace
}  // namespace bmil
