// `bmil agree CODER_A CODER_B ...` (docs/agreement.md): inter-coder agreement of two or more
// coders' cases of the same businesses, and with --reconcile their consensus cases.
#include "cli_common.hpp"
#include "research/agree_report.hpp"
#include "research/reconcile.hpp"

#include <bmil/case_io.hpp>

#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <system_error>

namespace bmil::cli {
namespace {

struct AgreeArgs {
  std::vector<std::string> coders;
  std::string out, format;
  bool reconcile = false;
  double reliable = 0.800, tentative = 0.667, confidence = 0.95;
  std::size_t bootstrap = 1000;
  std::uint64_t seed = 1;
};

// Each coder's name: the last component of what was given ("coder_a/" -> "coder_a", a
// file's stem), made unique with "#2", "#3" when two are alike.
std::vector<std::string> CoderNames(const std::vector<std::string>& inputs) {
  std::vector<std::string> names;
  std::map<std::string, int> seen;
  for (const std::string& input : inputs) {
    std::filesystem::path p(input);
    if (!p.has_filename()) p = p.parent_path();
    std::string name =
        std::filesystem::is_directory(input) ? p.filename().string() : p.stem().string();
    if (name.empty() || name == "." || name == "..")
      name = "coder" + std::to_string(names.size() + 1);
    const int n = ++seen[name];
    names.push_back(n == 1 ? name : name + "#" + std::to_string(n));
  }
  return names;
}

// Whether `inner` is `outer` or lies under it (both resolved as far as they exist).
bool Within(const std::filesystem::path& inner, const std::filesystem::path& outer) {
  std::error_code ec;
  const auto a = std::filesystem::weakly_canonical(inner, ec);
  if (ec) return false;
  const auto b = std::filesystem::weakly_canonical(outer, ec);
  if (ec) return false;
  auto ai = a.begin();
  for (auto bi = b.begin(); bi != b.end(); ++bi, ++ai) {
    if (bi->empty()) continue;  // a trailing separator
    if (ai == a.end() || *ai != *bi) return false;
  }
  return true;
}

std::string FormatOf(const AgreeArgs& args) {
  if (!args.format.empty()) return args.format;
  if (args.reconcile) return "text";
  const std::string ext = std::filesystem::path(args.out).extension().string();
  if (ext == ".json") return "json";
  if (ext == ".md") return "md";
  if (ext == ".html" || ext == ".htm") return "html";
  if (ext == ".csv") return "csv";
  return "text";
}

// Writes the consensus cases into args.out; false after saying why.
bool WriteConsensus(const AgreeArgs& args, const std::vector<research::ConsensusCase>& cases,
                    const Registry& registry, int& exit_code) {
  for (const std::string& input : args.coders) {
    if (std::filesystem::is_directory(input) && Within(args.out, input)) {
      std::cerr << "bmil: agree: --reconcile -o " << args.out << " is inside the coder directory "
                << input << "; the consensus cases would be read as that coder's next time. "
                << "Choose a directory outside every coder's\n";
      exit_code = kExitUsage;
      return false;
    }
  }
  std::vector<std::pair<std::string, std::string>> outputs;
  for (const research::ConsensusCase& c : cases) {
    outputs.push_back(
        {"-o", (std::filesystem::path(args.out) / (c.value.business.id + ".json")).string()});
  }
  if (!CheckOutputsApart(args.coders, outputs, false, exit_code)) return false;
  std::error_code ec;
  std::filesystem::create_directories(args.out, ec);
  if (ec) {
    std::cerr << "bmil: agree: cannot create " << args.out << ": " << ec.message() << "\n";
    exit_code = kExitInputProblem;
    return false;
  }
  for (std::size_t i = 0; i < cases.size(); ++i) {
    // A consensus case must be a valid case: it is checked as any input would be.
    const std::string text = WriteCaseText(cases[i].value);
    const LoadResult check = LoadCaseText(text, outputs[i].second, registry);
    if (!check.ok()) {
      for (const Diagnostic& d : check.diagnostics) std::cerr << d.ToString() << "\n";
      std::cerr << "bmil: agree: internal error: the consensus case of "
                << cases[i].value.business.id << " is not valid (please report it)\n";
      exit_code = kExitInternal;
      return false;
    }
    const Result<bool> saved = SaveCaseFile(cases[i].value, outputs[i].second);
    if (!saved.ok()) {
      std::cerr << "bmil: agree: " << saved.error() << "\n";
      exit_code = kExitInputProblem;
      return false;
    }
    std::cerr << outputs[i].second << ": " << cases[i].agreed << " agreed values kept, "
              << cases[i].to_settle.size() << " to settle\n";
  }
  return true;
}

void RunAgree(const GlobalOptions& options, const AgreeArgs& args, int& exit_code) {
  const std::string format = FormatOf(args);
  if (args.reconcile && args.out.empty()) {
    std::cerr << "bmil: agree: --reconcile needs -o DIR, the directory for the consensus cases\n";
    exit_code = kExitUsage;
    return;
  }
  if (!args.reconcile && !CheckOutputsApart(args.coders, {{"-o", args.out}},
                                            args.out.empty() || args.out == "-", exit_code)) {
    return;
  }
  // The manifests say which blocks and lines exist; no plugin code runs.
  PluginHost host = OpenPlugins(options, /*load=*/false);
  const Registry registry = host.MakeRegistry();
  const std::vector<std::string> names = CoderNames(args.coders);
  std::vector<research::Coder> coders;
  for (std::size_t i = 0; i < args.coders.size(); ++i) {
    int load_status = kExitOk;
    std::vector<Case> cases = LoadCases({args.coders[i]}, registry, load_status, false);
    if (load_status != kExitOk) {
      std::cerr << "bmil: agree: coder " << names[i] << " (" << args.coders[i]
                << ") has invalid cases; no agreement is computed on part of the material\n";
      exit_code = load_status;
      return;
    }
    coders.push_back({names[i], args.coders[i], std::move(cases)});
  }
  research::AgreementOptions agreement;
  agreement.reliable_threshold = args.reliable;
  agreement.tentative_threshold = args.tentative;
  agreement.confidence = args.confidence;
  agreement.bootstrap_replicates = args.bootstrap;
  agreement.seed = args.seed;
  const research::Matching matching = research::MatchCases(coders);  // once, for both
  const research::AgreeResult result = research::Agree(coders, matching, registry, agreement);
  const std::string body = format == "json"   ? JsonText(research::AgreeJson(result))
                           : format == "html" ? research::AgreeHtml(result)
                           : format == "csv"  ? research::AgreeCsv(result)
                                              : research::AgreeText(result, format == "md");
  if (args.reconcile) {
    if (!WriteConsensus(args, research::Reconcile(coders, matching), registry, exit_code)) return;
    std::cout << body;
    return;
  }
  if (!WriteOutput(args.out, body)) exit_code = kExitInputProblem;
}

}  // namespace

void AddAgreeCommand(CLI::App& app, GlobalOptions& options, int& exit_code) {
  auto args = std::make_shared<AgreeArgs>();
  CLI::App* command = app.add_subcommand(
      "agree",
      "Inter-coder agreement (docs/agreement.md): two or more coders' cases of the same "
      "businesses, matched by business, model and task; Krippendorff's alpha with a "
      "bootstrap interval and verdict, percent agreement, Cohen's and Fleiss' kappa and "
      "Gwet's AC1 per coded variable and overall, and every disagreement. With --reconcile, "
      "writes one consensus case per business. Exit 0 whatever the agreement, 1 when a case "
      "is invalid");
  command
      ->add_option("coders", args->coders,
                   "One input per coder: a directory of case files, a case file or a .jsonl "
                   "file")
      ->required()
      ->check(CLI::ExistingPath);
  command->add_option("-o,--output", args->out,
                      "Write the report here (default: stdout); .json, .md, .html or .csv picks "
                      "the format. With --reconcile: the directory for the consensus cases");
  command->add_option("--format", args->format, "text, md, html, json or csv (default: text)")
      ->check(CLI::IsMember({"text", "md", "html", "json", "csv"}));
  command->add_flag("--reconcile", args->reconcile,
                    "Write one consensus case per business into -o DIR (agreed values kept, "
                    "the rest listed to settle in its source notes) and print the report");
  command->add_option("--reliable", args->reliable, "Alpha for a reliable variable (default 0.800)")
      ->check(CLI::Range(0.0, 1.0));
  command
      ->add_option("--tentative", args->tentative,
                   "Alpha for tentative conclusions (default 0.667)")
      ->check(CLI::Range(0.0, 1.0));
  command
      ->add_option("--bootstrap", args->bootstrap,
                   "Bootstrap replicates for alpha's interval (default 1000; 0: none)")
      ->check(CLI::Range(std::size_t{0}, std::size_t{1000000}));
  command->add_option("--seed", args->seed, "Seed of the bootstrap (default 1)");
  command->add_option("--confidence", args->confidence, "Level of the interval (default 0.95)")
      ->check(CLI::Range(0.5, 0.999));
  command->callback([&options, args, &exit_code] { RunAgree(options, *args, exit_code); });
}

}  // namespace bmil::cli
