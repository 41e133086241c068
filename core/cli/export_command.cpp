// `bmil export qca` (docs/qca.md): one row per business with calibrated conditions and an
// outcome, for R's QCA package, with the calibration beside it and a truth-table preview.
#include "cli_common.hpp"
#include "report/terminal_text.hpp"
#include "research/business_measures.hpp"
#include "research/qca.hpp"

#include <filesystem>
#include <iostream>
#include <memory>

namespace bmil::cli {
namespace {

// More conditions than this make a truth table of 2^16 rows nobody reads.
constexpr std::size_t kMaxConditions = 16;

struct QcaArgs {
  std::vector<std::string> inputs;
  std::vector<std::string> conditions;  // each may hold several, comma-separated
  std::string outcome, out, calibration_out;
  double inclusion_cut = 0.8;
  bool list = false;
};

std::vector<std::string> SplitCommas(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const std::string& v : values) {
    std::size_t start = 0;
    while (start <= v.size()) {
      const std::size_t comma = v.find(',', start);
      const std::string part =
          v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!part.empty()) out.push_back(part);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return out;
}

// "qca.csv" -> "qca.calibration.json", beside it.
std::string CalibrationPath(const std::string& out) {
  std::filesystem::path p(out);
  return (p.parent_path() / (p.stem().string() + ".calibration.json")).string();
}

void ListMeasures() {
  std::string text = "Measures (docs/qca.md), each per business:\n";
  for (const research::MeasureInfo& m : research::BusinessMeasures()) {
    text += Wrapped(m.description, 6, "  " + m.id + ": ");
  }
  text += Wrapped("a number or boolean (1/0) in business.attributes", 6, "  attributes.KEY: ");
  std::cout << text;
}

void RunQca(const GlobalOptions& options, const QcaArgs& args, int& exit_code) {
  if (args.list) {
    ListMeasures();
    return;
  }
  auto usage = [&](const std::string& message) {
    std::cerr << "bmil: export qca: " << message << "\n";
    exit_code = kExitUsage;
  };
  if (args.inputs.empty())
    return usage("no input: give case files or directories (or --list-measures)");
  if (args.outcome.empty()) return usage("--outcome is required");
  std::vector<research::Calibration> conditions;
  for (const std::string& spec : SplitCommas(args.conditions)) {
    Result<research::Calibration> c = research::ParseCalibration(spec);
    if (!c.ok()) return usage("--conditions " + c.error());
    for (const research::Calibration& seen : conditions) {
      if (seen.column == c->column) return usage("--conditions names " + seen.column + " twice");
    }
    conditions.push_back(std::move(c).value());
  }
  if (conditions.empty()) return usage("--conditions is required (one or more, comma-separated)");
  if (conditions.size() > kMaxConditions) {
    return usage("at most " + std::to_string(kMaxConditions) + " conditions, not " +
                 std::to_string(conditions.size()));
  }
  Result<research::Calibration> outcome = research::ParseCalibration(args.outcome);
  if (!outcome.ok()) return usage("--outcome " + outcome.error());
  for (const research::Calibration& c : conditions) {
    if (c.column == outcome->column)
      return usage(c.column + " is both a condition and the outcome");
  }
  const bool to_stdout = args.out.empty() || args.out == "-";
  const std::string calibration = to_stdout ? "" : CalibrationPath(args.out);
  if (!CheckOutputsApart(args.inputs, {{"-o", args.out}, {"the calibration", calibration}},
                         to_stdout, exit_code)) {
    return;
  }
  PluginHost host = OpenPlugins(options, /*load=*/false);
  const Registry registry = host.MakeRegistry();
  int load_status = kExitOk;
  const std::vector<Case> cases = LoadCases(args.inputs, registry, load_status, false);
  if (load_status != kExitOk) {
    std::cerr << "bmil: export qca: invalid cases; no table is written from part of them\n";
    exit_code = load_status;
    return;
  }
  Result<research::QcaTable> table =
      research::BuildQca(cases, conditions, *outcome, args.inclusion_cut);
  if (!table.ok()) {
    std::cerr << "bmil: export qca: " << table.error() << "\n";
    exit_code = kExitInputProblem;
    return;
  }
  if (table->cases.empty()) {
    std::cerr << research::TruthTableText(*table, false)
              << "bmil: export qca: no case has every measure; nothing to write\n";
    exit_code = kExitInputProblem;
    return;
  }
  if (!WriteOutput(args.out, research::QcaCsv(*table))) {
    exit_code = kExitInputProblem;
    return;
  }
  if (!calibration.empty() &&
      !WriteOutput(calibration, JsonText(research::QcaCalibrationJson(*table)))) {
    exit_code = kExitInputProblem;
    return;
  }
  // The preview goes where it does not mix with the CSV.
  (to_stdout ? std::cerr : std::cout) << research::TruthTableText(*table, false);
  if (!calibration.empty()) {
    std::cout << "Wrote " << args.out << " (" << table->cases.size() << " cases) and "
              << calibration << ".\n";
  }
}

}  // namespace

void AddExportCommand(CLI::App& app, GlobalOptions& options, int& exit_code) {
  CLI::App* command =
      app.add_subcommand("export", "Tables for statistics software: qca (docs/qca.md)");
  command->require_subcommand(1);
  auto args = std::make_shared<QcaArgs>();
  CLI::App* qca = command->add_subcommand(
      "qca",
      "One row per business for Qualitative Comparative Analysis (R's QCA package): "
      "conditions and an outcome calibrated from per-business measures, crisp (NAME>=T) or "
      "fuzzy (NAME=E/C/I, Ragin's direct method); the calibration written beside the CSV "
      "(NAME.calibration.json); a truth-table preview with consistency, PRI and coverage. "
      "Cases missing a measure are left out and named");
  qca->add_option("inputs", args->inputs, "Case files, .jsonl files or directories")
      ->check(CLI::ExistingPath);
  qca->add_option("--conditions", args->conditions,
                  "Conditions, comma-separated (repeatable): MEASURE (already 0 to 1), "
                  "MEASURE>=T (also >, <=, <) or MEASURE=E/C/I");
  qca->add_option("--outcome", args->outcome, "The outcome, in the same form");
  qca->add_option("-o,--output", args->out,
                  "The CSV (default: stdout, the preview then on stderr)");
  qca->add_option("--incl-cut", args->inclusion_cut,
                  "Consistency from which a truth-table row's OUT is 1 (default 0.8)")
      ->check(CLI::Range(0.0, 1.0));
  qca->add_flag("--list-measures", args->list, "List the measures and exit");
  qca->callback([&options, args, &exit_code] { RunQca(options, *args, exit_code); });
}

}  // namespace bmil::cli
