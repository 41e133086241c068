// `bmil agree` on real files (issue 20, docs/agreement.md): the two coders of
// examples/agreement, whose planted differences (examples/agreement/README.md) must each be
// found once; a statistic worked out by hand; every format; the consensus cases of
// --reconcile, valid and keeping every agreed value; outputs onto the coders' material
// refused; a broken coder's case located.
#include "cli_runner.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <set>

namespace bmil::cli_test {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

const std::string kCoders = "examples/agreement/coder_a examples/agreement/coder_b";

const nlohmann::json& Variable(const nlohmann::json& report, const std::string& id) {
  for (const auto& v : report.at("variables")) {
    if (v.at("id") == id) return v;
  }
  ADD_FAILURE() << "no variable " << id;
  return report;
}

TEST(AgreeCommand, EachPlantedDifferenceIsFoundOnce) {
  const RunResult r = RunBmil("agree " + kCoders + " --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  std::vector<std::string> found;
  for (const auto& d : j.at("disagreements")) {
    found.push_back(d.at("unit").get<std::string>() + " " + d.at("variable").get<std::string>() +
                    " " + d.at("values").at("coder_a").get<std::string>() + "/" +
                    d.at("values").at("coder_b").get<std::string>());
  }
  // a-e and g of the README; f (pv08 renumbered pvb8) is a content match, not a difference;
  // pvb14's two new canvas cells are differences of the canvas.
  EXPECT_THAT(found,
              UnorderedElementsAre("model mobile_units model.stage concept/idea",
                                   "model service_agreements model.state as_is/to_be",
                                   "task pv01 task.action create/upgrade",
                                   "task pv04 task.phase before/during",
                                   "task pv06 task.stance reactive/not stated",
                                   "task pvb14 coded not coded/coded (pvb14)",
                                   "cell water_cleaning customer x competences cell.bmi no/yes",
                                   "cell water_cleaning relation x competences cell.bmi no/yes"));
  const auto& content = j.at("matching").at("content_matches");
  ASSERT_EQ(content.size(), 1u);
  EXPECT_EQ(content[0].at("id"), "pv08");
  EXPECT_EQ(content[0].at("coder_id"), "pvb8");
  EXPECT_EQ(j.at("matching").at("bmi_tasks").at("by_id"), 12);
  EXPECT_EQ(j.at("matching").at("bmi_tasks").at("single_coder"), 1);
}

TEST(AgreeCommand, ModelStateAsComputedByHand) {
  const RunResult r = RunBmil("agree " + kCoders + " --format json --bootstrap 0");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto report = nlohmann::json::parse(r.out);
  const auto& state = Variable(report, "model.state");
  // Units water_cleaning (as_is, as_is), service_agreements (as_is, to_be), mobile_units
  // (to_be, to_be). Coincidences o(as,as) = 2, o(as,to) = o(to,as) = 1, o(to,to) = 2;
  // n = 6, n_as = n_to = 3. Do = 2/6, De = 2 x 3 x 3 / (6 x 5) = 0.6, alpha = 1 - (1/3)/0.6
  // = 4/9. Cohen: p_o = 2/3, p_e = 2/3 x 1/3 + 1/3 x 2/3 = 4/9, kappa = (2/9)/(5/9) = 0.4.
  EXPECT_NEAR(state.at("alpha").get<double>(), 4.0 / 9.0, 1e-12);
  EXPECT_NEAR(state.at("cohen_kappa").get<double>(), 0.4, 1e-12);
  EXPECT_NEAR(state.at("percent_agreement").get<double>(), 2.0 / 3.0, 1e-12);
  EXPECT_EQ(state.at("verdict"), "unreliable");
  EXPECT_TRUE(state.at("alpha_interval").at("lower").is_null());
  // Cells: 3 models x 7 lines x 7 blocks.
  EXPECT_EQ(Variable(report, "cell.bmi").at("units"), 147);
}

TEST(AgreeCommand, EveryFormatFromTheOutputName) {
  TempDir dir;
  for (const std::string ext : {"json", "md", "html", "csv", "txt"}) {
    const std::string out = (dir.path() / ("agreement." + ext)).string();
    const RunResult r = RunBmil("agree " + kCoders + " -o " + Quote(out));
    ASSERT_EQ(r.exit_code, 0) << ext << ": " << r.err;
    const std::string text = Slurp(out);
    if (ext == "json") {
      EXPECT_EQ(nlohmann::json::parse(text).at("bmil_agree"), 1);
    }
    if (ext == "md") {
      EXPECT_THAT(text, HasSubstr("| model.state | nominal |"));
    }
    if (ext == "html") {
      EXPECT_THAT(text, HasSubstr("<!DOCTYPE html>"));
      EXPECT_THAT(text, HasSubstr("<td>task pv06</td>"));
    }
    if (ext == "csv") {
      // A header and one row per variable (7) and overall.
      EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 9) << text;
      EXPECT_THAT(text, HasSubstr("\nmodel.state,business model,nominal,3,3,0,0,0.44444444444444"));
    }
    if (ext == "txt") {
      EXPECT_THAT(LinesOver80(text), IsEmpty());
    }
  }
}

TEST(AgreeCommand, ReconcileWritesValidConsensusKeepingAgreedValues) {
  TempDir dir;
  const std::string out = (dir.path() / "consensus").string();
  const RunResult r = RunBmil("agree " + kCoders + " --reconcile -o " + Quote(out));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Disagreements (8)"));
  const std::string file = out + "/provital.json";
  const RunResult check = RunBmil("validate " + Quote(file));
  ASSERT_EQ(check.exit_code, 0) << check.err << check.out;
  const auto c = nlohmann::json::parse(Slurp(file));
  const auto a = nlohmann::json::parse(
      Slurp(fs::path(BMIL_SOURCE_DIR) / "examples/agreement/coder_a/provital.json"));
  auto by_id = [](const nlohmann::json& list, const std::string& id) -> const nlohmann::json& {
    return *std::find_if(list.begin(), list.end(),
                         [&](const nlohmann::json& x) { return x.at("id") == id; });
  };
  const auto& models = c.at("business_models");
  EXPECT_EQ(by_id(models, "water_cleaning").at("state"), "as_is");      // agreed
  EXPECT_EQ(by_id(models, "service_agreements").at("state"), "as_is");  // required: A's
  EXPECT_FALSE(by_id(models, "mobile_units").contains("stage"));        // to settle
  const auto& tasks = c.at("bmi_tasks");
  EXPECT_EQ(tasks.size(), 14u);
  EXPECT_FALSE(by_id(tasks, "pv01").contains("action"));
  EXPECT_FALSE(by_id(tasks, "pv04").contains("phase"));
  EXPECT_FALSE(by_id(tasks, "pv06").contains("stance"));
  EXPECT_EQ(by_id(tasks, "pvb14").at("leadership_lines").size(), 2u);
  // Every other task is coder A's, field for field (pv08 under A's id).
  for (const auto& task : a.at("bmi_tasks")) {
    const std::string id = task.at("id");
    if (id == "pv01" || id == "pv04" || id == "pv06") continue;
    EXPECT_EQ(by_id(tasks, id), task) << id;
  }
  const auto& settle = c.at("business").at("attributes").at("bmil_consensus").at("to_settle");
  std::set<std::string> pointers;
  for (const auto& s : settle) pointers.insert(s.at("pointer"));
  EXPECT_EQ(pointers.size(), 6u);  // stage, state, action, phase, stance, pvb14
  EXPECT_THAT(
      c.at("source").at("notes").get<std::string>(),
      HasSubstr("coder_a (examples/agreement/coder_a), coder_b (examples/agreement/coder_b)"));
  // The coders' files are untouched: coder A's case still validates as it was.
  EXPECT_EQ(a.at("bmi_tasks").size(), 13u);
}

TEST(AgreeCommand, ConsensusInsideACoderDirectoryIsRefused) {
  TempDir dir;
  fs::copy(fs::path(BMIL_SOURCE_DIR) / "examples/agreement", dir.path() / "agreement",
           fs::copy_options::recursive);
  const std::string a = (dir.path() / "agreement/coder_a").string();
  const std::string b = (dir.path() / "agreement/coder_b").string();
  const std::string before = Slurp(a + "/provital.json");
  // -o the coder's own directory, and a directory inside it.
  for (const std::string& out : {a, a + "/consensus"}) {
    const RunResult r =
        RunBmil("agree " + Quote(a) + " " + Quote(b) + " --reconcile -o " + Quote(out));
    EXPECT_EQ(r.exit_code, 2) << out;
    EXPECT_THAT(r.err, HasSubstr("inside the coder directory")) << r.err;
  }
  EXPECT_EQ(Slurp(a + "/provital.json"), before);
  EXPECT_FALSE(fs::exists(a + "/consensus"));
  // A report onto a coder's case file.
  const RunResult r =
      RunBmil("agree " + Quote(a) + " " + Quote(b) + " -o " + Quote(a + "/provital.json"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(Slurp(a + "/provital.json"), before);
}

TEST(AgreeCommand, AnInvalidCaseIsLocatedAndNothingIsComputed) {
  TempDir dir;
  fs::create_directories(dir.path() / "b");
  std::string text = Slurp(fs::path(BMIL_SOURCE_DIR) / "examples/agreement/coder_b/provital.json");
  const std::string from = "\"action\": \"upgrade\"";
  text.replace(text.find(from), from.size(), "\"action\": \"upgrad\"");
  std::ofstream(dir.path() / "b/provital.json") << text;
  const RunResult r =
      RunBmil("agree examples/agreement/coder_a " + Quote((dir.path() / "b").string()));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("/bmi_tasks/0/action"));
  EXPECT_THAT(r.err, HasSubstr("did you mean \"upgrade\""));
  EXPECT_THAT(r.err, HasSubstr("no agreement is computed"));
  EXPECT_THAT(r.out, IsEmpty());
}

// The codebook is written from what is loaded: every bundled line's definition and guiding
// questions, and an eighth line plugin adds its own section without a rebuild.
TEST(Codebook, EveryLoadedLineWithItsDefinitionAndQuestions) {
  const RunResult lines = RunBmil("plugins list --format json");
  ASSERT_EQ(lines.exit_code, 0) << lines.err;
  const RunResult md = RunBmil("codebook");
  ASSERT_EQ(md.exit_code, 0) << md.err;
  std::size_t described = 0;
  for (const auto& plugin : nlohmann::json::parse(lines.out)) {
    if (plugin.value("kind", "") != "line") continue;
    const RunResult info =
        RunBmil("plugins info " + plugin.at("id").get<std::string>() + " --describe");
    ASSERT_EQ(info.exit_code, 0) << info.err;
    const auto descriptor = nlohmann::json::parse(info.out).at("descriptor");
    EXPECT_THAT(md.out, HasSubstr(descriptor.at("definition").get<std::string>()));
    for (const auto& q : descriptor.at("questions")) {
      // Markdown escapes nothing in these questions but '|' and brackets, which they lack.
      EXPECT_THAT(md.out, HasSubstr("| " + q.at("block").get<std::string>() + " | " +
                                    q.at("question").get<std::string>() + " |"));
    }
    ++described;
  }
  EXPECT_EQ(described, 7u);
  // Every coded variable bmil agree compares is in it with its values.
  for (const std::string v : {"model.state", "model.stage", "task.action", "task.phase",
                              "task.stance", "task.perspective"}) {
    EXPECT_THAT(md.out, HasSubstr("bmil agree compares it as " + v + "."));
  }
  EXPECT_THAT(md.out, HasSubstr("| diminish | reduces what is there"));

  TempDir dir;
  fs::copy(fs::path(BMIL_FIXTURE_PLUGIN_DIR) / "sustainability", dir.path() / "sustainability",
           fs::copy_options::recursive);
  const std::string html = (dir.path() / "codebook.html").string();
  const RunResult with =
      RunBmil("--plugin-dir " + Quote(dir.path().string()) + " codebook -o " + Quote(html));
  ASSERT_EQ(with.exit_code, 0) << with.err;
  const std::string page = Slurp(html);
  EXPECT_THAT(page,
              HasSubstr("<h3>Sustainability innovation leadership (SIL): sustainability</h3>"));
  EXPECT_THAT(page, HasSubstr("Which part of the offer harms least?"));
  EXPECT_THAT(page, HasSubstr("from the 8 leadership lines"));
  EXPECT_EQ(page.find("<script"), std::string::npos);
}

}  // namespace
}  // namespace bmil::cli_test
