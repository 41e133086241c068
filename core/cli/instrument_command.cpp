// `bmil instrument lint FILE...` (docs/instruments.md, "Lint"): reads each instrument (every
// problem located, nothing else done with a file that has one) and warns about what makes a
// readable instrument a poor one.
#include "cli_common.hpp"
#include "instrument/instrument.hpp"
#include "instrument/lint.hpp"
#include "io/bounded_read.hpp"
#include "report/terminal_text.hpp"

#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace bmil::cli {
namespace {

struct LintArgs {
  std::vector<std::string> files;
  bool strict = false;
};

// The instrument in `path` with its text, or nothing after printing why on stderr.
std::optional<std::pair<instrument::Instrument, std::string>> ReadInstrumentFile(
    const std::string& path) {
  const instrument::InstrumentLimits limits;
  auto text = ReadFileAtMost(path, limits.max_bytes, [&](std::uintmax_t bytes) {
    return "larger than the limit of " + std::to_string(limits.max_bytes >> 20) + " MiB (" +
           std::to_string(bytes) + " bytes or more); refused";
  });
  if (!text) {
    std::cerr << "bmil: " << path << ": " << text.error() << "\n";
    return std::nullopt;
  }
  instrument::InstrumentReadResult read = instrument::ReadInstrument(text.value(), path, limits);
  PrintProblems(read.problems);
  if (!read.value) return std::nullopt;
  return std::make_pair(std::move(*read.value), std::move(text.value()));
}

void RunLint(const LintArgs& args, int& exit_code) {
  for (const std::string& path : args.files) {
    auto read = ReadInstrumentFile(path);
    if (!read) {
      exit_code = kExitInputProblem;
      continue;
    }
    const instrument::Instrument& in = read->first;
    const std::vector<Diagnostic> warnings = instrument::LintInstrument(in, read->second, path);
    for (const Diagnostic& w : warnings) std::cout << TerminalSafe(w.ToString()) << "\n";
    std::size_t items = 0;
    for (const instrument::Section& s : in.sections) items += s.items.size();
    std::cout << TerminalSafe(path) << ": instrument " << in.id << " " << in.version << " ("
              << instrument::InstrumentHash(in) << "): " << in.sections.size()
              << (in.sections.size() == 1 ? " section, " : " sections, ") << items
              << (items == 1 ? " item, " : " items, ") << in.constructs.size()
              << (in.constructs.size() == 1 ? " construct; " : " constructs; ") << warnings.size()
              << (warnings.size() == 1 ? " warning" : " warnings") << "\n";
    if (args.strict && !warnings.empty()) exit_code = kExitInputProblem;
  }
}

}  // namespace

void AddInstrumentCommand(CLI::App& app, GlobalOptions& /*options*/, int& exit_code) {
  CLI::App* cmd = app.add_subcommand(
      "instrument", "Questionnaires as data (docs/instruments.md): check an instrument file");
  cmd->require_subcommand(1);
  auto lint = std::make_shared<LintArgs>();
  CLI::App* lint_cmd = cmd->add_subcommand(
      "lint",
      "Read instrument files (every problem located as file:line:col /pointer) and warn "
      "about scales and choice lists no item uses, Likert items no construct scores, "
      "constructs mixing scales of different lengths, choice limits no answer meets and "
      "conditions no answer satisfies. Exit 1 when a file has a problem (or, with --strict, "
      "a warning).");
  lint_cmd->add_option("files", lint->files, "Instrument files (.json)")
      ->required()
      ->check(CLI::ExistingFile);
  lint_cmd->add_flag("--strict", lint->strict, "Exit 1 on warnings too");
  lint_cmd->callback([lint, &exit_code] { RunLint(*lint, exit_code); });
}

}  // namespace bmil::cli
