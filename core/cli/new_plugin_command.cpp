// `bmil new-plugin <id> --kind line|analyzer|model [--dir D]`: a ready plugin project that builds
// against an installed bmil (find_package(bmil)), loads, and passes `bmil plugins check`
// unchanged; the TODOs say where the plugin's own content goes.
#include "cli_common.hpp"

#include "io/atomic_file.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <iostream>
#include <regex>
#include <string>

namespace bmil::cli {
namespace {

namespace fs = std::filesystem;

std::string Replace(std::string text, const std::string& id) {
  for (std::size_t at = text.find("@ID@"); at != std::string::npos; at = text.find("@ID@", at)) {
    text.replace(at, 4, id);
  }
  return text;
}

// A CamelCase class name for `id` ("my_line" -> "MyLine").
std::string ClassName(const std::string& id) {
  std::string out;
  bool upper = true;
  for (char c : id) {
    if (c == '_') {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out;
}

constexpr const char* kCMakeLists = R"(cmake_minimum_required(VERSION 3.25)
project(@ID@ LANGUAGES CXX)

# An installed bmil: cmake -S . -B build -DCMAKE_PREFIX_PATH=<bmil prefix>
find_package(bmil REQUIRED)

# Builds build/plugins/@ID@/@ID@.so with the manifest embedded.
bmil_add_plugin(@ID@ SOURCES @ID@.cpp MANIFEST plugin.json
                OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/plugins)

# `ctest` runs bmil's conformance check on the plugin.
enable_testing()
find_program(BMIL_EXECUTABLE bmil
             HINTS "${bmil_DIR}/../../../bin" "${bmil_DIR}/../../../../bin" REQUIRED)
add_test(NAME @ID@.conformance COMMAND ${BMIL_EXECUTABLE} plugins check $<TARGET_FILE:@ID@>)
)";

constexpr const char* kLineManifest = R"({
  "id": "@ID@",
  "name": "TODO: the line's full name",
  "version": "0.1.0",
  "kind": "line",
  "abi": "1.0",
  "provides": {
    "lines": [{"id": "@ID@", "code": "TODO", "name": "TODO: the line's full name", "order": 100}]
  },
  "description": "TODO: what viewpoint this leadership line leads business model innovation from.",
  "license": "TODO",
  "vendor": "TODO"
}
)";

constexpr const char* kAnalyzerManifest = R"({
  "id": "@ID@",
  "name": "TODO: the analysis's name",
  "version": "0.1.0",
  "kind": "analyzer",
  "abi": "1.0",
  "provides": {"analyzers": ["@ID@"]},
  "description": "TODO: what question this analysis answers.",
  "license": "TODO",
  "vendor": "TODO"
}
)";

constexpr const char* kModelManifest = R"({
  "id": "@ID@",
  "name": "TODO: the consequence model's name",
  "version": "0.1.0",
  "kind": "model",
  "abi": "1.1",
  "description": "TODO: which KPIs this model computes from a case, and from which drivers.",
  "license": "TODO",
  "vendor": "TODO"
}
)";

constexpr const char* kModelSource = R"src(// @ID@: a consequence model plugin for bmil (ABI 1.1).
// A model is a deterministic function: Prepare() reads the case a scenario leads to and says
// which drivers it reads (with default distributions a scenario may replace) and which KPI
// series it writes; Evaluate() computes one draw. bmil samples the drivers, so the model gets
// Monte Carlo, fan charts, tornado and the comparison of scenarios without code of its own.
// Evaluate() is called once per draw: keep it free of allocation. See docs/scenarios.md.
#include <bmil/sdk/plugin.hpp>

#include <cstdint>

namespace {

class @CLASS@ final : public bmil::sdk::ConsequenceModel {
 public:
  nlohmann::ordered_json Describe() const override {
    return {{"id", "@ID@"}, {"name", "TODO: the consequence model's name"}};
  }

  // TODO: what your model reads from the case. Here: the value formulas of the models that
  // are not retired, summed.
  bmil::sdk::ModelLayout Prepare(const bmil::sdk::CaseView& view,
                                 const bmil::sdk::ModelSetup& setup) override {
    years_ = setup.years;
    revenue_ = cost_ = 0;
    for (std::uint32_t i = 0; i < view.business_model_count(); ++i) {
      const auto model = view.business_model(i);
      if (model.stage() == BMIL_STAGE_RETIRED) continue;
      const bmil_value_formula_view& formula = model.value_formula();
      if (formula.has_revenue) revenue_ += formula.revenue;
      if (formula.has_cost) cost_ += formula.cost;
    }
    bmil::sdk::ModelLayout layout;
    layout
        .Driver("growth", "per year", "TODO: yearly revenue growth (an illustrative default)",
                {{"distribution", "triangular"}, {"min", 0.0}, {"mode", 0.03}, {"max", 0.06}})
        .Series("revenue", "", "currency", "Revenue of the business")
        .Series("cost", "", "currency", "Cost of the business")
        // The business's profit: bmil takes its net present value.
        .Series("profit", "", "currency", "Profit of the business");
    return layout;
  }

  // TODO: your formulas. `drivers` come in the layout's order; `out` holds the series one
  // after the other, `years_` values each.
  void Evaluate(std::span<const double> drivers, std::span<double> out) override {
    double growth = 1;
    for (std::uint32_t y = 0; y < years_; ++y) {
      growth *= 1 + drivers[0];
      out[y] = revenue_ * growth;
      out[years_ + y] = cost_;
      out[2 * years_ + y] = revenue_ * growth - cost_;
    }
  }

 private:
  std::uint32_t years_ = 0;
  double revenue_ = 0;
  double cost_ = 0;
};

}  // namespace

BMIL_PLUGIN(@CLASS@)
)src";

constexpr const char* kLineSource = R"(// @ID@: a leadership line plugin for bmil.
// Most of a line is data: fill in the descriptor below. The SDK's LeadershipLine base class
// implements assess() and propose() from it. See docs/plugin-guide.md.
#include <bmil/sdk/plugin.hpp>

namespace {

class @CLASS@ final : public bmil::sdk::LeadershipLine {
 public:
  const bmil::sdk::LineDescriptor& descriptor() const override {
    static const bmil::sdk::LineDescriptor kDescriptor{
        .id = "@ID@",
        .code = "TODO",  // TODO: a short code such as "SIL" (it labels the canvas row)
        .name = "TODO: the line's full name",
        .focus_block = "value_proposition",  // TODO: the block this line looks at first
        .perspective = "both",  // TODO: inside_out, outside_in, both or horizontal
        .definition = "TODO: one or two sentences: what this line puts in focus.",
        // TODO: the line's SWOT. Leave a cell empty when your source says nothing: it is
        // shown as "not stated in the source".
        .swot = {.strengths = {"TODO: a strength"},
                 .weaknesses = {},
                 .opportunities = {},
                 .threats = {"TODO: a threat"},
                 .source = "TODO: where the SWOT comes from"},
        // TODO: one guiding question per building block, asked from this line's viewpoint.
        .questions = {{"value_proposition", "TODO: what would you ask about the offer?"},
                      {"customers", "TODO: what would you ask about the customers?"},
                      {"value_chain", "TODO: what would you ask about the value chain?"},
                      {"competences", "TODO: what would you ask about the competences?"},
                      {"network", "TODO: what would you ask about the network?"},
                      {"relations", "TODO: what would you ask about the relations?"},
                      {"value_formula", "TODO: what would you ask about the value formula?"}},
        // TODO: when is a threat triggered? Here: the line leads at least 60% of a model's
        // BMI tasks (with at least 3 tasks).
        .threats = {{.code = "@ID@.too_much_@ID@_bmi",
                     .threat = "TODO: too much of the BMI is led from this viewpoint.",
                     .min_share = 0.6,
                     .min_tasks = 3,
                     .absent_block = "",
                     .source = "TODO"}}};
    return kDescriptor;
  }
};

}  // namespace

BMIL_PLUGIN(@CLASS@)
)";

constexpr const char* kAnalyzerSource = R"(// @ID@: an analyzer plugin for bmil.
// An analyzer is an accumulator: Add() folds in one case, MergeFrom() folds in another
// instance, Finish() writes the result, Save()/Load() move the state between processes.
// Contract: adding cases in parts and merging gives the same Finish() as adding them all.
// See docs/plugin-guide.md.
#include <bmil/sdk/plugin.hpp>

#include <map>
#include <string>

namespace {

class @CLASS@ final : public bmil::sdk::MergeableAnalyzer<@CLASS@> {
 public:
  nlohmann::ordered_json Describe() const override {
    return {{"id", "@ID@"}, {"name", "TODO: the analysis's name"}};
  }

  // TODO: what your analysis counts. Here: BMI tasks per building block.
  void Add(const bmil::sdk::CaseView& view) override {
    ++businesses_;
    for (std::uint32_t t = 0; t < view.task_count(); ++t) {
      for (unsigned block : view.task(t).blocks()) ++tasks_per_block_[std::string(view.block_id(block))];
    }
  }

  void MergeFrom(const @CLASS@& other) {
    businesses_ += other.businesses_;
    for (const auto& [block, n] : other.tasks_per_block_) tasks_per_block_[block] += n;
  }

  nlohmann::ordered_json Finish() const override {
    bmil::sdk::ResultBuilder result("@ID@", "TODO: the result's title");
    result.AddMetric("businesses", "Businesses", static_cast<double>(businesses_), "businesses");
    auto table = result.AddTable("tasks_per_block", "BMI tasks per building block",
                                 {{"block", "Building block"}, {"tasks", "Tasks", "integer"}});
    for (const auto& [block, n] : tasks_per_block_) table.AddRow({block, n});
    table.Chart("bar", "block", {"tasks"});
    // TODO: findings: result.AddFinding(severity, "@ID@.code", message, evidence, source).
    return result.Take();
  }

  nlohmann::json Save() const override {
    return {{"format", "@ID@/1"}, {"businesses", businesses_}, {"tasks_per_block", tasks_per_block_}};
  }

  void Load(const nlohmann::json& state) override {
    if (!state.is_object() || state.value("format", "") != "@ID@/1") {
      throw bmil::sdk::Error(BMIL_ERROR_INVALID_STATE, "not a @ID@/1 state");
    }
    businesses_ = state.at("businesses").get<long>();
    tasks_per_block_ = state.at("tasks_per_block").get<std::map<std::string, long>>();
  }

 private:
  long businesses_ = 0;
  std::map<std::string, long> tasks_per_block_;
};

}  // namespace

BMIL_PLUGIN(@CLASS@)
)";

constexpr const char* kReadme = R"(# @ID@

A bmil plugin made by `bmil new-plugin`. Build it against an installed bmil, check it, load it:

```sh
cmake -S . -B build -DCMAKE_PREFIX_PATH=<bmil prefix>
cmake --build build
ctest --test-dir build                      # runs `bmil plugins check` on the plugin
bmil --plugin-dir build/plugins plugins list
bmil --plugin-dir build/plugins analyze <case.json>
```

Search for TODO in the sources and plugin.json for what to fill in: until every text that
starts with "TODO" is replaced, `bmil plugins check` fails its `scaffold.filled` check (a
scaffold is not a plugin to ship), so the build's test fails too.
)";

bool Write(const fs::path& path, const std::string& text) {
  auto written = WriteFileAtomically(path, text);
  if (!written) spdlog::error("{}", written.error());
  return written.ok();
}

void Run(const std::string& id, const std::string& kind, const std::string& dir, int& exit_code) {
  static const std::regex kId("^[a-z][a-z0-9_]{0,63}$");
  if (!std::regex_match(id, kId)) {
    spdlog::error("plugin id \"{}\" must match ^[a-z][a-z0-9_]*$ (at most 64 characters)", id);
    exit_code = kExitUsage;
    return;
  }
  const fs::path root = fs::path(dir.empty() ? "." : dir) / id;
  std::error_code ec;
  if (fs::exists(root, ec) && !fs::is_empty(root, ec)) {
    spdlog::error("{} exists and is not empty; choose another --dir", root.string());
    exit_code = kExitInputProblem;
    return;
  }
  fs::create_directories(root, ec);
  if (ec) {
    spdlog::error("cannot create {}: {}", root.string(), ec.message());
    exit_code = kExitInputProblem;
    return;
  }
  const bool line = kind == "line";
  const bool model = kind == "model";
  std::string source = line ? kLineSource : model ? kModelSource : kAnalyzerSource;
  for (std::size_t at = source.find("@CLASS@"); at != std::string::npos;
       at = source.find("@CLASS@", at)) {
    source.replace(at, 7, ClassName(id));
  }
  const bool ok = Write(root / "CMakeLists.txt", Replace(kCMakeLists, id)) &&
                  Write(root / "plugin.json", Replace(line    ? kLineManifest
                                                      : model ? kModelManifest
                                                              : kAnalyzerManifest,
                                                      id)) &&
                  Write(root / (id + ".cpp"), Replace(source, id)) &&
                  Write(root / "README.md", Replace(kReadme, id));
  if (!ok) {
    exit_code = kExitInputProblem;
    return;
  }
  // The prefix of the bmil that runs: PREFIX/bin/bmil with PREFIX/lib*/cmake/bmil (an
  // installation) or PREFIX/bmilConfig.cmake (a build tree); a placeholder when neither.
  std::string prefix = "<bmil prefix>";
  {
    std::error_code ec;
    const std::filesystem::path candidate = CurrentExecutable().parent_path().parent_path();
    for (const char* config :
         {"lib/cmake/bmil/bmilConfig.cmake", "lib64/cmake/bmil/bmilConfig.cmake",
          "lib/x86_64-linux-gnu/cmake/bmil/bmilConfig.cmake",
          "lib/aarch64-linux-gnu/cmake/bmil/bmilConfig.cmake", "bmilConfig.cmake"}) {
      if (std::filesystem::exists(candidate / config, ec)) {
        prefix = candidate.string();
        break;
      }
    }
  }
  std::cout << "Created "
            << (line    ? "leadership line"
                : model ? "consequence model"
                        : "analyzer")
            << " plugin \"" << id << "\" in " << root.string() << "\n"
            << "  cmake -S " << root.string() << " -B " << (root / "build").string()
            << " -DCMAKE_PREFIX_PATH=" << prefix << "\n"
            << "  cmake --build " << (root / "build").string() << " && ctest --test-dir "
            << (root / "build").string() << "\n"
            << "Fill in every TODO in plugin.json and " << id
            << ".cpp first: bmil plugins check (the test) refuses a scaffold left as it is.\n";
}

}  // namespace

void AddNewPluginCommand(CLI::App& app, int& exit_code) {
  auto id = std::make_shared<std::string>();
  auto kind = std::make_shared<std::string>();
  auto dir = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "new-plugin",
      "Create a ready plugin project (CMakeLists.txt, plugin.json, source with TODOs, a "
      "conformance test) in DIR/<id>, built against an installed bmil with find_package(bmil).");
  cmd->add_option("id", *id, "The plugin's id (^[a-z][a-z0-9_]*$)")->required();
  cmd->add_option("--kind", *kind, "line, analyzer or model (a consequence model, ABI 1.1)")
      ->required()
      ->check(CLI::IsMember({"line", "analyzer", "model"}));
  cmd->add_option("--dir", *dir, "Where to create the project folder (default: .)")
      ->type_name("DIR");
  cmd->callback([id, kind, dir, &exit_code] { Run(*id, *kind, *dir, exit_code); });
}

}  // namespace bmil::cli
