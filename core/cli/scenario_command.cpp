// `bmil scenario apply|diff|hash` (docs/scenarios.md): strategy scenarios as overlays on a
// base case, in the paper's verbs.
#include "cli_common.hpp"
#include "io/bounded_read.hpp"
#include "io/case_rules.hpp"
#include "io/digest.hpp"
#include "scenario/apply.hpp"
#include "scenario/diff.hpp"
#include "scenario/scenario.hpp"

#include <bmil/case_io.hpp>

#include <iostream>
#include <memory>

namespace bmil::cli {
namespace {

void PrintProblems(const std::vector<Diagnostic>& problems) {
  for (const Diagnostic& d : problems) std::cerr << d.ToString() << "\n";
}

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
