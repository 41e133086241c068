// The first load of a plugin file in a child (issue 16, docs/plugin-isolation.md "First load
// in a child"): a plugin that crashes while loading, forced in-process, is caught in a child
// before it reaches bmil's process; the crash is recorded with the file's size, time and
// hash, not tried again until the file changes or `bmil plugins doctor --clear` forgets it.
#include "cli_runner.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

namespace bmil::cli_test {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

class FirstLoad : public ::testing::Test {
 protected:
  void SetUp() override { FixturePluginDir(dir_.path(), "hostile_load_crash"); }
  // bmil with the crashing plugin forced into its own process, and a record of its own.
  RunResult Run(const std::string& args) {
    return RunBmil("--plugin-dir " + Quote(plugins_.string()) +
                       " --isolation hostile_load_crash=in-process " + args,
                   "BMIL_SCAN_RECORD=" + Quote(record_.string()));
  }
  nlohmann::json Record() { return nlohmann::json::parse(Slurp(record_)); }
  nlohmann::json EntryFor(const fs::path& file) {
    const nlohmann::json record = Record();
    for (const auto& e : record.at("entries")) {
      if (e.at("path") == fs::canonical(file).string()) return e;
    }
    return nullptr;
  }
  TempDir dir_;
  fs::path plugins_ = dir_.path() / "plugins";
  fs::path crasher_ = plugins_ / "hostile_load_crash.so";
  fs::path record_ = dir_.path() / "cache" / "plugin-scan.json";
};

TEST_F(FirstLoad, ACrashWhileLoadingIsCaughtRecordedAndNotRetriedUntilTheFileChanges) {
  const RunResult baseline = RunBmil("analyze examples/cases/kellpo.json --format json");
  ASSERT_EQ(baseline.exit_code, 0) << baseline.err;

  // First run: loaded in a child first, where it crashes. bmil goes on (the old code died
  // here with SIGSEGV, exit 139) and every bundled result is there.
  const RunResult first = Run("analyze examples/cases/kellpo.json --format json");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(nlohmann::json::parse(first.out), nlohmann::json::parse(baseline.out));
  EXPECT_THAT(first.err,
              HasSubstr("hostile_load_crash.so: failed when first loaded in a child: the "
                        "plugin's process was killed by signal 11 (SIGSEGV"));

  // The record names the file by size, time and hash, and why.
  const nlohmann::json crashed = EntryFor(crasher_);
  ASSERT_FALSE(crashed.is_null()) << Slurp(record_);
  EXPECT_EQ(crashed.at("verdict"), "crashed");
  EXPECT_EQ(crashed.at("plugin"), "hostile_load_crash");
  EXPECT_EQ(crashed.at("size"), fs::file_size(crasher_));
  EXPECT_EQ(crashed.at("xxh3_128").get<std::string>().size(), 32u);
  EXPECT_THAT(crashed.at("why").get<std::string>(), HasSubstr("SIGSEGV"));
  // Every bundled plugin loaded in a child first, and is recorded as loading.
  std::size_t loads = 0;
  const nlohmann::json record = Record();
  for (const auto& e : record.at("entries")) loads += e.at("verdict") == "loads";
  std::size_t bundled = 0;
  for (const auto& f :
       fs::recursive_directory_iterator(fs::path(BMIL_EXE).parent_path() / "../lib/bmil/plugins")) {
    bundled += f.path().extension() == ".so";
  }
  EXPECT_EQ(loads, bundled);

  // Second run: refused from the record, without loading it again. The entry's time is
  // set to a date no run has now, so a new attempt would show.
  std::string text = Slurp(record_);
  const std::string when = crashed.at("when");
  for (auto at = text.find(when); at != std::string::npos; at = text.find(when, at)) {
    text.replace(at, when.size(), "2001-02-03T04:05:06Z");
  }
  std::ofstream(record_) << text;
  const RunResult second = Run("analyze examples/cases/kellpo.json --format json");
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_THAT(second.err, HasSubstr("crashed when first loaded in a child on "
                                    "2001-02-03T04:05:06Z (the plugin's process was killed by "
                                    "signal 11"));
  EXPECT_THAT(second.err, HasSubstr("size " + std::to_string(fs::file_size(crasher_))));
  EXPECT_THAT(second.err, HasSubstr(crashed.at("xxh3_128").get<std::string>()));
  EXPECT_EQ(EntryFor(crasher_).at("when"), "2001-02-03T04:05:06Z");

  // Touched but not changed: the same file, still refused from the record.
  fs::last_write_time(crasher_, fs::last_write_time(crasher_) + std::chrono::hours(1));
  const RunResult touched = Run("analyze examples/cases/kellpo.json --format json");
  EXPECT_THAT(touched.err, HasSubstr("on 2001-02-03T04:05:06Z"));

  // Changed (a byte appended): another file, loaded in a child first again.
  std::ofstream(crasher_, std::ios::app | std::ios::binary) << '\0';
  const RunResult changed = Run("analyze examples/cases/kellpo.json --format json");
  EXPECT_EQ(changed.exit_code, 0) << changed.err;
  EXPECT_THAT(changed.err, HasSubstr("failed when first loaded in a child: the plugin's "));
  EXPECT_NE(EntryFor(crasher_).at("xxh3_128"), crashed.at("xxh3_128"));
  EXPECT_EQ(EntryFor(crasher_).at("size"), fs::file_size(crasher_));
}

TEST_F(FirstLoad, DoctorShowsTheFailureAndClearForgetsIt) {
  ASSERT_EQ(Run("analyze examples/cases/kellpo.json --format json").exit_code, 0);

  const RunResult doctor = Run("plugins doctor hostile_load_crash");
  EXPECT_EQ(doctor.exit_code, 4) << doctor.err;
  EXPECT_THAT(doctor.out, HasSubstr("Scan record:   " + record_.string()));
  EXPECT_THAT(doctor.out, HasSubstr("hostile_load_crash  in-process  FAILED"));
  EXPECT_THAT(doctor.out, HasSubstr("crashed when first loaded in a child on "));
  EXPECT_THAT(doctor.out, HasSubstr("\n    bmil plugins doctor --clear hostile_load_crash\n"));
  EXPECT_THAT(LinesOver80(doctor.out), IsEmpty());
  const RunResult json = Run("plugins doctor --format json");
  EXPECT_EQ(json.exit_code, 4);
  const nlohmann::json report = nlohmann::json::parse(json.out);
  std::map<std::string, std::string> states;
  for (const auto& p : report.at("plugins")) states[p.at("id")] = p.at("state");
  EXPECT_EQ(states.at("hostile_load_crash"), "failed");
  EXPECT_EQ(states.at("canvas"), "ok");  // bundled, loaded in a child on the run above

  // Running it in a child needs no first load in bmil's process, yet the recorded crash
  // of this very file is still shown.
  const RunResult as_child =
      RunBmil("--plugin-dir " + Quote(plugins_.string()) + " plugins doctor hostile_load_crash",
              "BMIL_SCAN_RECORD=" + Quote(record_.string()));
  EXPECT_EQ(as_child.exit_code, 4);

  const RunResult clear = Run("plugins doctor --clear hostile_load_crash");
  EXPECT_EQ(clear.exit_code, 0) << clear.out << clear.err;
  EXPECT_THAT(clear.out, HasSubstr("Cleared:       hostile_load_crash ("));
  EXPECT_THAT(clear.out, HasSubstr("hostile_load_crash  in-process  not yet: in a child first"));
  EXPECT_TRUE(EntryFor(crasher_).is_null());
  EXPECT_FALSE(EntryFor(fs::path(BMIL_EXE).parent_path() / "../lib/bmil/plugins/canvas/canvas.so")
                   .is_null());  // what loads is kept

  // The next run tries it again, in a child.
  const RunResult again = Run("analyze examples/cases/kellpo.json --format json");
  EXPECT_THAT(again.err, HasSubstr("failed when first loaded in a child: "));

  // A file that is gone: its entry is listed as stale, and --clear removes it.
  fs::remove(crasher_);
  const RunResult gone = Run("plugins doctor");
  EXPECT_THAT(gone.out, HasSubstr("1 entry about files that are gone"));
  EXPECT_EQ(Run("plugins doctor --clear").exit_code, 0);
  EXPECT_EQ(Slurp(record_).find("hostile_load_crash"), std::string::npos);

  const RunResult unknown = Run("plugins doctor no_such_plugin");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("no plugin \"no_such_plugin\""));
}

TEST_F(FirstLoad, AnUnreadableRecordIsIgnoredAndEveryFileLoadsInAChildFirst) {
  fs::create_directories(record_.parent_path());
  std::ofstream(record_) << "{ not a record";
  const RunResult r = Run("analyze examples/cases/kellpo.json --format json");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("scan record " + record_.string() + " ignored (it is not JSON)"));
  EXPECT_THAT(r.err, HasSubstr("failed when first loaded in a child"));
  // ... and replaced by a good one.
  EXPECT_EQ(EntryFor(crasher_).at("verdict"), "crashed");
}

}  // namespace
}  // namespace bmil::cli_test
