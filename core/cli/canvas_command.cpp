// `bmil canvas <case>`: the BMIL strategy canvas of one business (Lindgren 2012, Figs. 2, 6
// and 8) as a terminal grid and, with --svg, as an SVG image. The counts come from the
// canvas analyzer plugin; the rows from the loaded line plugins.
#include "cli_common.hpp"
#include "report/terminal_text.hpp"

#include <bmil/canvas_svg.hpp>
#include <bmil/case_io.hpp>
#include <bmil/flat_case.hpp>
#include <bmil/text_report.hpp>

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <sstream>

namespace bmil::cli {

namespace {

// Plugin-written text, one line at a time made terminal-safe (the line breaks are ours).
std::string TerminalSafeLines(const std::string& text) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    const std::size_t stop = end == std::string::npos ? text.size() : end;
    out += TerminalSafe(std::string_view(text).substr(start, stop - start));
    if (end == std::string::npos) break;
    out += '\n';
    start = end + 1;
  }
  return out;
}

struct CanvasOptions {
  std::string file;
  std::string business_model;
  std::string state;
  std::string svg;
  bool questions = false;
};

const nlohmann::json* FindMatrix(const nlohmann::json& result, const std::string& id) {
  for (const auto& m : result.at("matrices")) {
    if (m.value("id", "") == id) return &m;
  }
  return nullptr;
}

// The guiding questions of every loaded line, block by block (the canvas practice of
// questioning every block from every line's viewpoint).
std::string QuestionsText(const PluginHost& host, const Registry& registry, int& exit_code) {
  std::ostringstream out;
  out << "\nGuiding questions (every block from every leadership line)\n";
  for (const auto& line : registry.lines()) {
    const LoadedPlugin* plugin = host.Find(line.plugin);
    if (plugin == nullptr) continue;
    auto instance = plugin->Create();
    if (auto* error = std::get_if<CallError>(&instance)) {
      spdlog::error("{}", error->ToString());
      exit_code = kExitPluginFailure;
      continue;
    }
    auto described = std::get<PluginInstance>(instance).Describe();
    if (auto* error = std::get_if<CallError>(&described)) {
      spdlog::error("{}", error->ToString());
      exit_code = kExitPluginFailure;
      continue;
    }
    const auto& d = std::get<nlohmann::json>(described);
    out << "\n" << d.value("code", line.code) << "  " << d.value("name", line.name) << "\n";
    for (const auto& q : d.value("questions", nlohmann::json::array())) {
      out << "  " << q.value("block", "") << ": " << q.value("question", "") << "\n";
    }
  }
  return TerminalSafeLines(out.str());
}

void Run(const GlobalOptions& options, const CanvasOptions& canvas, int& exit_code) {
  if (!CheckOutputsApart({canvas.file}, {{"--svg", canvas.svg}}, /*stdout_used=*/true, exit_code)) {
    return;
  }
  PluginHost host = OpenPlugins(options, /*load=*/true);
  const Registry registry = host.MakeRegistry();
  std::vector<Case> cases = LoadCases({canvas.file}, registry, exit_code, /*report_ok=*/false);
  if (exit_code != kExitOk) return;
  const Case& c = cases.front();

  std::string matrix_id = "canvas";
  if (!canvas.business_model.empty()) {
    const BusinessModel* found = nullptr;
    std::vector<std::string> ids;
    for (const auto& bm : c.business_models) {
      ids.push_back(bm.id);
      if (bm.id == canvas.business_model) found = &bm;
    }
    if (found == nullptr) {
      std::string list;
      for (const auto& id : ids) list += (list.empty() ? "" : ", ") + id;
      spdlog::error("{}: no business model \"{}\"; its models are: {}", canvas.file,
                    canvas.business_model, list);
      exit_code = kExitInputProblem;
      return;
    }
    const std::string state = found->state == State::kAsIs ? "as_is" : "to_be";
    if (!canvas.state.empty() && canvas.state != state) {
      spdlog::error("business model \"{}\" is {}, not {}", found->id, state, canvas.state);
      exit_code = kExitInputProblem;
      return;
    }
    matrix_id = "canvas.bm." + found->id;
  } else if (!canvas.state.empty()) {
    matrix_id = "canvas." + canvas.state;
  }

  const LoadedPlugin* plugin = host.Find("canvas");
  if (plugin == nullptr || !plugin->is_analyzer()) {
    spdlog::error("the canvas analyzer plugin is not loaded (see `bmil plugins list`)");
    exit_code = kExitPluginFailure;
    return;
  }
  FlatCase flat(c, registry);
  auto created = plugin->Create();
  if (auto* error = std::get_if<CallError>(&created)) {
    spdlog::error("{}", error->ToString());
    exit_code = kExitPluginFailure;
    return;
  }
  PluginInstance& instance = std::get<PluginInstance>(created);
  if (auto error = instance.Add(flat.view())) {
    spdlog::error("{}", error->ToString());
    exit_code = kExitPluginFailure;
    return;
  }
  auto finished = instance.Finish();
  if (auto* error = std::get_if<CallError>(&finished)) {
    spdlog::error("{}", error->ToString());
    exit_code = kExitPluginFailure;
    return;
  }
  const nlohmann::json& result = std::get<nlohmann::json>(finished);
  const nlohmann::json* matrix = FindMatrix(result, matrix_id);
  if (matrix == nullptr) {
    spdlog::error("plugin \"canvas\" returned no matrix \"{}\"", matrix_id);
    exit_code = kExitPluginFailure;
    return;
  }

  const bool terminal = StdoutIsTerminal();
  const TextStyle style{terminal && std::getenv("NO_COLOR") == nullptr, terminal};
  std::string text =
      TerminalSafe(c.business.name + " (" + c.business.id + ") — " +
                   matrix->value("title", matrix_id) + ", " + matrix->value("unit", "")) +
      "\n";
  text += RenderMatrixText(*matrix, registry, style);
  for (const auto& metric : result.at("metrics")) {
    if (metric.value("id", "") == "classic_corner_share" && matrix_id == "canvas") {
      text += "Classic corner (VIL/CIL/VCIL on value proposition, customers, value chain): " +
              std::to_string(static_cast<int>(metric.value("value", 0.0) * 100 + 0.5)) +
              "% of placements\n";
    }
  }
  if (canvas.questions) text += QuestionsText(host, registry, exit_code);
  if (!canvas.svg.empty()) {
    nlohmann::json titled = *matrix;
    titled["title"] = c.business.name + " — " + matrix->value("title", matrix_id);
    if (!WriteOutput(canvas.svg, RenderMatrixSvg(titled, registry))) exit_code = kExitInputProblem;
  }
  if (!WriteOutput("", text)) exit_code = kExitInputProblem;
}

}  // namespace

void AddCanvasCommand(CLI::App& app, GlobalOptions& options, int& exit_code) {
  auto canvas = std::make_shared<CanvasOptions>();
  CLI::App* cmd = app.add_subcommand(
      "canvas",
      "Show the BMIL strategy canvas of one business: BMI tasks per leadership line (rows, one "
      "per loaded line plugin) and building block (columns).");
  cmd->add_option("case", canvas->file, "Case file (.json)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--bm", canvas->business_model, "Only this business model (its id)")
      ->type_name("ID");
  cmd->add_option("--state", canvas->state, "Only AS IS or only TO BE business models")
      ->check(CLI::IsMember({"as_is", "to_be"}));
  cmd->add_option("--svg", canvas->svg, "Also write the canvas as an SVG image to this file")
      ->type_name("FILE");
  cmd->add_flag("--questions", canvas->questions,
                "Also print every line's guiding question for every building block");
  cmd->callback([&options, canvas, &exit_code] { Run(options, *canvas, exit_code); });
}

}  // namespace bmil::cli
