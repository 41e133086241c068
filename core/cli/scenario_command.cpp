// `bmil scenario apply|diff|hash` (docs/scenarios.md): strategy scenarios as overlays on a
// base case, in the paper's verbs.
#include "cli_common.hpp"
#include "io/bounded_read.hpp"
#include "io/case_rules.hpp"
#include "io/digest.hpp"
#include "scenario/apply.hpp"
#include "scenario/compare.hpp"
#include "scenario/diff.hpp"
#include "scenario/scenario.hpp"

#include <bmil/case_io.hpp>

#include <ctime>
#include <iostream>
#include <memory>
#include <thread>

namespace bmil::cli {
namespace {

// The base file's bytes (at most the case format's 16 MiB), or nothing after saying why.
std::optional<std::string> ReadBase(const std::string& path) {
  const LoadLimits limits;
  auto text = ReadFileAtMost(path, limits.max_bytes, [&](std::uintmax_t bytes) {
    return "larger than the limit of " + rules::ExactSize(limits.max_bytes) + " (" +
           rules::ExactSize(bytes) + " or more); refused";
  });
  if (!text) {
    std::cerr << path << ": " << text.error() << "\n";
    return std::nullopt;
  }
  return std::move(text).value();
}

std::optional<scenario::Scenario> ReadOne(const std::string& path) {
  scenario::ReadResult read = scenario::ReadScenarioFile(path);
  if (!read.value) {
    PrintProblems(read.problems);
    return std::nullopt;
  }
  return std::move(read.value);
}

struct ApplyArgs {
  std::string base, file, out;
  bool any_base = false;
};

void RunApply(const GlobalOptions& options, const ApplyArgs& args, int& exit_code) {
  if (!CheckOutputsApart({args.base, args.file}, {{"-o", args.out}},
                         args.out.empty() || args.out == "-", exit_code)) {
    return;
  }
  auto s = ReadOne(args.file);
  auto base = ReadBase(args.base);
  if (!s || !base) {
    exit_code = kExitInputProblem;
    return;
  }
  PluginHost host = OpenPlugins(options, /*load=*/false);
  const Registry registry = host.MakeRegistry();
  scenario::ApplyResult applied = scenario::Apply(*s, *base, args.base, registry, !args.any_base);
  if (!applied.value) {
    PrintProblems(applied.problems);
    exit_code = kExitInputProblem;
    return;
  }
  if (!WriteOutput(args.out, applied.case_text)) exit_code = kExitInputProblem;
}

struct DiffArgs {
  std::string a, b, out, format = "text";
};

void RunDiff(const DiffArgs& args, int& exit_code) {
  if (!CheckOutputsApart({args.a, args.b}, {{"-o", args.out}}, args.out.empty() || args.out == "-",
                         exit_code)) {
    return;
  }
  auto a = ReadOne(args.a);
  auto b = ReadOne(args.b);
  if (!a || !b) {
    exit_code = kExitInputProblem;
    return;
  }
  const auto diff = scenario::Diff(*a, *b);
  const std::string text = args.format == "json" ? JsonText(scenario::DiffJson(*a, *b, diff))
                                                 : scenario::DiffText(*a, *b, diff);
  if (!WriteOutput(args.out, text)) exit_code = kExitInputProblem;
}

// The options `compare` and `decide` share: how to sample and over which years.
struct SamplingArgs {
  std::string model;
  std::size_t draws = 10000;
  std::uint64_t seed = 1;
  std::string method = "lhs";
  unsigned threads = 0;  // 0: one per core
  std::optional<std::int32_t> first_year;
  std::optional<std::uint32_t> horizon;
  std::optional<double> discount_rate;
  bool any_base = false;

  void Add(CLI::App* cmd) {
    cmd->add_option("--model", model,
                    "The consequence model plugin (default: value_formula, or the only model "
                    "loaded)");
    cmd->add_option("--draws", draws, "Draws per scenario")
        ->check(CLI::Range(std::size_t{1}, std::size_t{1000000}))
        ->default_str("10000");
    cmd->add_option("--seed", seed, "Seed of the sampler: the same seed gives the same bytes")
        ->default_str("1");
    cmd->add_option("--sampling", method, "lhs (Latin hypercube) or sobol (scrambled Sobol')")
        ->check(CLI::IsMember({"lhs", "sobol"}))
        ->default_str("lhs");
    cmd->add_option("--threads", threads,
                    "Threads evaluating draws (default: one per core); results do not depend "
                    "on it")
        ->check(CLI::Range(0u, 256u));
    cmd->add_option("--first-year", first_year,
                    "Calendar year of the first value (default: the year after the base's "
                    "last task year)")
        ->check(CLI::Range(1, 9999));
    cmd->add_option("--horizon", horizon,
                    "Years to compute (default: the scenarios' horizon_years, which must agree)")
        ->check(CLI::Range(1u, 50u));
    cmd->add_option("--discount-rate", discount_rate,
                    "Yearly discount rate for NPVs (default: the scenarios' discount_rate)")
        ->check(CLI::Range(-0.5, 1.0));
    cmd->add_flag("--any-base", any_base,
                  "Apply even when the base's XXH3-128 is not the one a scenario names");
  }
  scenario::CompareOptions Options() const {
    scenario::CompareOptions o;
    o.model = model;
    o.sampler.draws = draws;
    o.sampler.seed = seed;
    o.sampler.method = *scenario::ParseSamplingMethod(method);
    o.threads = threads != 0 ? threads : std::max(1u, std::thread::hardware_concurrency());
    o.first_year = first_year;
    o.years = horizon;
    o.discount_rate = discount_rate;
    o.check_base_hash = !any_base;
    return o;
  }
};

// The format an output path asks for by its extension, or `fallback`.
std::string FormatOf(const std::string& format, const std::string& out,
                     const std::string& fallback) {
  if (!format.empty()) return format;
  for (const auto& [ext, name] :
       {std::pair{".json", "json"}, std::pair{".md", "md"}, std::pair{".html", "html"},
        std::pair{".htm", "html"}, std::pair{".csv", "csv"}, std::pair{".txt", "text"}}) {
    if (out.size() > std::string_view(ext).size() && out.ends_with(ext)) return name;
  }
  return fallback;
}

struct CompareArgs {
  std::string base;
  std::vector<std::string> files;
  std::string out, format;
  bool no_base = false;
  bool per_draw = false;
  SamplingArgs sampling;
};

// Runs the comparison (or says why not); nullopt after setting exit_code. `registry`
// receives the registry of the plugins found (for the HTML page's names).
std::optional<scenario::CompareReport> Compare(const GlobalOptions& options, Registry& registry,
                                               const std::string& base_path,
                                               const std::vector<std::string>& files,
                                               scenario::CompareOptions compare, int& exit_code) {
  std::vector<scenario::Scenario> scenarios;
  bool ok = true;
  for (const std::string& f : files) {
    auto s = ReadOne(f);
    if (s) {
      scenarios.push_back(std::move(*s));
    } else {
      ok = false;
    }
  }
  auto base = ReadBase(base_path);
  if (!ok || !base) {
    exit_code = kExitInputProblem;
    return std::nullopt;
  }
  PluginHost host = OpenPlugins(options, /*load=*/true);
  registry = host.MakeRegistry();
  scenario::CompareResult result =
      scenario::RunCompare(host, registry, base_path, *base, scenarios, compare);
  if (!result.usage.empty()) {
    std::cerr << "bmil: " << result.usage << "\n";
    exit_code = kExitUsage;
    return std::nullopt;
  }
  if (!result.report) {
    PrintProblems(result.problems);
    exit_code = kExitInputProblem;
    return std::nullopt;
  }
  for (const CallError& e : result.report->failures) std::cerr << "bmil: " << e.ToString() << "\n";
  if (!result.report->failures.empty()) exit_code = kExitPluginFailure;
  return std::move(result.report);
}

void RunCompare(const GlobalOptions& options, const CompareArgs& args, int& exit_code) {
  std::vector<std::string> inputs = args.files;
  inputs.push_back(args.base);
  const bool to_stdout = args.out.empty() || args.out == "-";
  if (!CheckOutputsApart(inputs, {{"-o", args.out}}, to_stdout, exit_code)) return;
  scenario::CompareOptions compare = args.sampling.Options();
  compare.include_base = !args.no_base;
  compare.per_draw = args.per_draw;
  Registry registry;
  auto report = Compare(options, registry, args.base, args.files, compare, exit_code);
  if (!report) return;
  const std::string format = FormatOf(args.format, args.out, "text");
  std::string text;
  if (format == "html") {
    text = scenario::CompareHtml(*report, registry);
  } else if (format == "json") {
    text = JsonText(scenario::CompareJson(*report));
  } else if (format == "csv") {
    text = scenario::CompareCsv(*report);
  } else {
    text = scenario::CompareText(*report, format == "md");
  }
  if (!WriteOutput(args.out, text)) exit_code = kExitInputProblem;
}

struct DecideArgs {
  std::string base, file, out, why, date;
  SamplingArgs sampling;
};

// Today's date in UTC, YYYY-MM-DD.
std::string Today() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[16];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d", &utc);
  return buffer;
}

void RunDecide(const GlobalOptions& options, const DecideArgs& args, int& exit_code) {
  const bool to_stdout = args.out.empty() || args.out == "-";
  if (!CheckOutputsApart({args.base, args.file}, {{"-o", args.out}}, to_stdout, exit_code)) return;
  const bool date_ok =
      args.date.empty() || (args.date.size() == 10 && args.date[4] == '-' && args.date[7] == '-' &&
                            std::all_of(args.date.begin(), args.date.end(),
                                        [](char c) { return (c >= '0' && c <= '9') || c == '-'; }));
  if (!date_ok) {
    std::cerr << "bmil: --date must be YYYY-MM-DD, found \"" << args.date << "\"\n";
    exit_code = kExitUsage;
    return;
  }
  auto scenario_text = ReadFileAtMost(args.file, scenario::ScenarioLimits{}.max_bytes,
                                      [](std::uintmax_t) { return std::string("too large"); });
  scenario::CompareOptions compare = args.sampling.Options();
  compare.include_base = false;
  Registry registry;
  auto report = Compare(options, registry, args.base, {args.file}, compare, exit_code);
  if (!report) return;
  const scenario::Column& chosen = report->columns.front();
  if (!chosen.consequences) {
    std::cerr << "bmil: no consequence model ran, so the decision would have no expected "
                 "trajectory; load one (value_formula is bundled)\n";
    exit_code = exit_code == kExitOk ? kExitPluginFailure : exit_code;
    return;
  }
  nlohmann::ordered_json j =
      scenario::DecisionJson(*report, args.why, args.date.empty() ? Today() : args.date,
                             scenario_text ? DigestHex(scenario_text.value()) : std::string());
  if (!WriteOutput(args.out, JsonText(j))) exit_code = kExitInputProblem;
}

}  // namespace

void AddScenarioCommand(CLI::App& app, GlobalOptions& options, int& exit_code) {
  CLI::App* command = app.add_subcommand(
      "scenario",
      "Strategy scenarios: overlays on a base case in the paper's verbs (create, exclude, keep, "
      "upgrade, diminish, add_tasks, enter_industry, open, set_strategy), with their "
      "assumptions (docs/scenarios.md)");
  command->require_subcommand(1);

  auto apply = std::make_shared<ApplyArgs>();
  CLI::App* apply_cmd = command->add_subcommand(
      "apply",
      "Apply a scenario to its base case and write the resulting case document (validated like "
      "any case; the base is never modified). Exit 1 with located messages when the scenario "
      "is invalid, contradicts the base, or names another base (its base.xxh3)");
  apply_cmd->add_option("base", apply->base, "The base case file (.json)")
      ->required()
      ->check(CLI::ExistingFile);
  apply_cmd->add_option("scenario", apply->file, "The scenario file (.scenario.json)")
      ->required()
      ->check(CLI::ExistingFile);
  apply_cmd->add_option("-o,--output", apply->out, "Write the case here (default: stdout)");
  apply_cmd->add_flag("--any-base", apply->any_base,
                      "Apply even when the base's XXH3-128 is not the one the scenario names");
  apply_cmd->callback([&options, apply, &exit_code] { RunApply(options, *apply, exit_code); });

  auto diff = std::make_shared<DiffArgs>();
  CLI::App* diff_cmd = command->add_subcommand(
      "diff",
      "How two scenarios differ, move by move (matched by what they act on) and assumption by "
      "assumption. Exit 0 whether or not they differ");
  diff_cmd->add_option("a", diff->a, "Scenario A")->required()->check(CLI::ExistingFile);
  diff_cmd->add_option("b", diff->b, "Scenario B")->required()->check(CLI::ExistingFile);
  diff_cmd->add_option("-o,--output", diff->out, "Write here (default: stdout)");
  diff_cmd->add_option("--format", diff->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->default_str("text");
  diff_cmd->callback([diff, &exit_code] { RunDiff(*diff, exit_code); });

  auto compare = std::make_shared<CompareArgs>();
  CLI::App* compare_cmd = command->add_subcommand(
      "compare",
      "Compare scenarios side by side: every loaded analyzer on the base and on each applied "
      "scenario (canvas cells covered, classic corner, line mix, threats, portfolio, traits), "
      "and the consequence model's Monte Carlo (KPI bands, NPV, P(loss), tornado, P(best), "
      "regret), with common random numbers. Exit 4 when a plugin failed (the rest is written)");
  compare_cmd->add_option("base", compare->base, "The base case file (.json)")
      ->required()
      ->check(CLI::ExistingFile);
  compare_cmd->add_option("scenarios", compare->files, "The scenario files (.scenario.json)")
      ->required()
      ->check(CLI::ExistingFile);
  compare_cmd->add_option("-o,--output", compare->out,
                          "Write here (default: stdout); the extension picks the format");
  compare_cmd->add_option("--format", compare->format, "text, md, html, json or csv")
      ->check(CLI::IsMember({"text", "md", "html", "json", "csv"}));
  compare_cmd->add_flag("--no-base", compare->no_base, "Leave out the column of the base as it is");
  compare_cmd->add_flag("--per-draw", compare->per_draw,
                        "Also write the regret table: every draw's NPV and regret per column "
                        "(JSON \"draws\", CSV rows \"draw\")");
  compare->sampling.Add(compare_cmd);
  compare_cmd->callback(
      [&options, compare, &exit_code] { RunCompare(options, *compare, exit_code); });

  auto decide = std::make_shared<DecideArgs>();
  CLI::App* decide_cmd = command->add_subcommand(
      "decide",
      "Record the choice of a scenario: its hash, why, the date, and the expected P10-P50-P90 "
      "trajectory of each KPI (a decision record, docs/scenarios.md), which the control of "
      "the strategy over time starts from");
  decide_cmd->add_option("base", decide->base, "The base case file (.json)")
      ->required()
      ->check(CLI::ExistingFile);
  decide_cmd->add_option("scenario", decide->file, "The chosen scenario (.scenario.json)")
      ->required()
      ->check(CLI::ExistingFile);
  decide_cmd->add_option("--why", decide->why, "Why this scenario was chosen")->required();
  decide_cmd->add_option("--date", decide->date, "The date of the decision (default: today, UTC)");
  decide_cmd->add_option("-o,--output", decide->out, "Write the record here (default: stdout)");
  decide->sampling.Add(decide_cmd);
  decide_cmd->callback([&options, decide, &exit_code] { RunDecide(options, *decide, exit_code); });

  auto hash_file = std::make_shared<std::string>();
  CLI::App* hash_cmd = command->add_subcommand(
      "hash", "Print a base case file's XXH3-128, as a scenario's base.xxh3 names it");
  hash_cmd->add_option("base", *hash_file, "The base case file")
      ->required()
      ->check(CLI::ExistingFile);
  hash_cmd->callback([hash_file, &exit_code] {
    auto base = ReadBase(*hash_file);
    if (!base) {
      exit_code = kExitInputProblem;
      return;
    }
    std::cout << DigestHex(*base) << "\n";
  });
}

}  // namespace bmil::cli
