// `bmil analyze <case>...`: runs every loaded line and analyzer plugin over the cases and
// prints the manager's summary and the canvas (text; everything with --full), or the full
// results (json).
#include "cli_common.hpp"
#include "engine/business_metrics.hpp"
#include "report/json_spool.hpp"

#include <bmil/analysis.hpp>
#include <bmil/case_io.hpp>
#include <bmil/text_report.hpp>

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <vector>

namespace bmil::cli {

namespace {

struct AnalyzeOptions {
  std::vector<std::string> inputs;
  std::string format = "text";
  std::string output;
  std::string by;
  std::string metrics;  // --metrics FILE.csv: one row per business
  bool full = false;    // --full: the text shows every analyzer's detail, not the summary only
  ListingOptions listing;
};

// One group of `analyze --by`: its own run (and spool), fed as its cases come.
struct GroupRun {
  std::unique_ptr<JsonSpool> spool;
  std::unique_ptr<AnalysisRun> run;
};

// The cases are streamed (docs/scaling.md): each is read, given to every plugin and dropped,
// so that memory does not grow with their number. The line plugins' assessments and
// proposals go to a spool on disk for JSON, and nowhere for text (which shows the threats
// they raise, tallied by the run). A problem in any input means no output at all, as
// before: the plugins may have seen the valid cases, but nothing partial is written.
void Run(const GlobalOptions& options, const AnalyzeOptions& analyze, int& exit_code) {
  if (analyze.metrics == "-") {
    spdlog::error("--metrics needs a file name (stdout holds the analysis)");
    exit_code = kExitUsage;
    return;
  }
  if (!CheckOutputsApart(analyze.inputs, {{"-o", analyze.output}, {"--metrics", analyze.metrics}},
                         analyze.output.empty() || analyze.output == "-", exit_code)) {
    return;
  }
  StepClock clock("analyze");
  PluginHost host = OpenPlugins(options, /*load=*/true);
  const Registry registry = host.MakeRegistry();
  clock.Step("opened " + std::to_string(host.loaded().size()) + " plugins");
  std::size_t case_count = 0;
  auto read_step = [&] {
    clock.Step("read and analyzed " + std::to_string(case_count) +
               (case_count == 1 ? " case" : " cases") +
               (analyze.metrics.empty() ? "" : " (each also alone, for --metrics)"));
  };
  // --metrics: every analyzer again on each business alone (docs/scaling.md).
  std::unique_ptr<BusinessMetrics> per_business;
  if (!analyze.metrics.empty()) per_business = std::make_unique<BusinessMetrics>(host, registry);
  auto also_per_business = [&per_business](const Case& c) {
    if (per_business) per_business->Add(c);
  };
  if (host.loaded().empty()) {
    spdlog::warn("no plugins loaded: nothing to analyze (see `bmil plugins list`)");
  }
  const bool json = analyze.format == "json";
  const bool terminal = analyze.output.empty() && StdoutIsTerminal();
  const TextStyle style{terminal && std::getenv("NO_COLOR") == nullptr, terminal};
  DiscardLineResults discard;
  std::vector<CallError> failures;
  std::vector<const JsonSpool*> spools;
  std::string text;  // the document, with the spools' placeholders for JSON
  if (analyze.by.empty()) {
    JsonSpool spool;
    AnalysisRun run(host, registry, json ? static_cast<LineResultSink*>(&spool) : &discard,
                    analyze.listing);
    std::vector<Case> first;  // the first case, for the summary's headline of one business
    auto add = [&](Case&& c) {
      run.Add(c);
      also_per_business(c);
      if (++case_count == 1) first.push_back(std::move(c));
    };
    if (!StreamCases(analyze.inputs, registry, add, exit_code)) {
      return;  // never analyze a partial input silently
    }
    read_step();
    const AnalysisReport report = run.Finish();
    clock.Step("finished the analyzers");
    failures = report.failures;
    if (json) {
      nlohmann::ordered_json document = report.ToJson();
      spool.MarkPlaceholders(document);
      text = JsonText(document);
      spools.push_back(&spool);
      if (!spool.ok() ||
          !WriteOutputStreamed(analyze.output,
                               [&](const std::function<bool(std::string_view)>& write) {
                                 return ExpandSpools(text, spools, write);
                               })) {
        exit_code = kExitInputProblem;
        return;
      }
    } else if (!WriteOutput(analyze.output,
                            RenderText(report, registry, style, first,
                                       analyze.full ? TextDetail::kFull : TextDetail::kSummary))) {
      exit_code = kExitInputProblem;
      return;
    }
    clock.Step("wrote the " + analyze.format + " output");
  } else {
    std::map<std::string, GroupRun> groups;
    auto add = [&](Case&& c) {
      GroupRun& g = groups[GroupValue(c, analyze.by)];
      if (!g.run) {
        g.spool = std::make_unique<JsonSpool>(groups.size());
        g.run = std::make_unique<AnalysisRun>(
            host, registry, json ? static_cast<LineResultSink*>(g.spool.get()) : &discard,
            analyze.listing);
      }
      g.run->Add(c);
      also_per_business(c);
      ++case_count;
    };
    if (!StreamCases(analyze.inputs, registry, add, exit_code)) return;
    read_step();
    GroupedReport grouped;
    grouped.by = analyze.by;
    std::vector<const JsonSpool*> order;  // parallel to grouped.groups
    for (auto& [value, g] : groups) {
      if (value == "(not stated)") continue;
      grouped.groups.push_back({value, g.run->Finish()});
      order.push_back(g.spool.get());
    }
    if (auto it = groups.find("(not stated)"); it != groups.end()) {
      grouped.groups.push_back({it->first, it->second.run->Finish()});
      order.push_back(it->second.spool.get());
    }
    for (const auto& group : grouped.groups) {
      failures.insert(failures.end(), group.report.failures.begin(), group.report.failures.end());
    }
    if (json) {
      nlohmann::ordered_json document = grouped.ToJson();
      bool spooled = true;
      for (std::size_t i = 0; i < order.size(); ++i) {
        order[i]->MarkPlaceholders(document["groups"][i]["report"]);
        spooled = spooled && order[i]->ok();
      }
      text = JsonText(document);
      if (!spooled || !WriteOutputStreamed(analyze.output,
                                           [&](const std::function<bool(std::string_view)>& write) {
                                             return ExpandSpools(text, order, write);
                                           })) {
        exit_code = kExitInputProblem;
        return;
      }
    } else if (!WriteOutput(analyze.output, RenderGroupedText(grouped, style))) {
      exit_code = kExitInputProblem;
      return;
    }
    clock.Step("finished " + std::to_string(grouped.groups.size()) + " groups and wrote the " +
               analyze.format + " output");
  }
  if (per_business) {
    const std::vector<CallError> more = per_business->failures();
    failures.insert(failures.end(), more.begin(), more.end());
    if (!WriteOutputStreamed(analyze.metrics,
                             [&](const std::function<bool(std::string_view)>& write) {
                               return per_business->WriteCsv(write);
                             })) {
      exit_code = kExitInputProblem;
      return;
    }
    clock.Step("wrote the per-business table (" + std::to_string(per_business->businesses()) +
               " rows)");
  }
  for (const auto& failure : failures) spdlog::error("{}", failure.ToString());
  if (!failures.empty()) exit_code = kExitPluginFailure;
}

}  // namespace

void AddAnalyzeCommand(CLI::App& app, GlobalOptions& options, int& exit_code) {
  auto analyze = std::make_shared<AnalyzeOptions>();
  CLI::App* cmd = app.add_subcommand(
      "analyze",
      "Analyze case files with every loaded plugin: the BMIL canvas, the analyzers' results, "
      "each leadership line's assessment and proposals, and the findings.");
  cmd->add_option("cases", analyze->inputs,
                  "Case files (.json), JSONL files (.jsonl, one case per line) or directories "
                  "of them; several businesses give cross-case results")
      ->required()
      ->check(CLI::ExistingPath);
  cmd->add_option("--by", analyze->by,
                  "Group the businesses by an attribute and analyze each group (research "
                  "tables): industry, country, size or year (the year founded)")
      ->check(CLI::IsMember({"industry", "country", "size", "year"}));
  cmd->add_option("--format", analyze->format,
                  "Output format: text (the manager's summary and the canvas; everything "
                  "with --full) or json (everything)")
      ->check(CLI::IsMember({"text", "json"}))
      ->default_str("text");
  cmd->add_option("-o,--output", analyze->output,
                  "Write to this file (atomically) instead of stdout");
  cmd->add_option("--metrics", analyze->metrics,
                  "Also write FILE.csv: one row per business, one column per analyzer metric "
                  "(every analyzer run again on each business alone: about twice the time)");
  cmd->add_flag("--full", analyze->full,
                "Text: after the summary, every analyzer's metrics, tables and canvases and "
                "every finding with its evidence");
  AddListingOptions(cmd, analyze->listing);
  cmd->callback([&options, analyze, &exit_code] { Run(options, *analyze, exit_code); });
}

}  // namespace bmil::cli
