// `bmil batch <cases.jsonl | dir | ->...`: every loaded analyzer over many businesses, streamed
// on all cores; `bmil merge <part>...`: partial results of shards combined (docs/scaling.md).
#include "batch/part_format.hpp"
#include "cli_common.hpp"
#include "engine/business_metrics.hpp"
#include "io/atomic_file.hpp"

#include <bmil/batch.hpp>
#include <bmil/case_source.hpp>
#include <bmil/report_render.hpp>

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

namespace bmil::cli {
namespace {

namespace fs = std::filesystem;

struct BatchCommandOptions {
  std::vector<std::string> inputs;
  std::string output = "-";
  std::string format;  // json or csv; from the output's extension, else json
  std::string partial;
  std::string rejects;
  std::string metrics;  // --metrics FILE.csv: one row per business
  ListingOptions listing;
  unsigned threads = 0;
  bool strict = false;
  bool quiet = false;
};

// The files an input stands for: a directory's case files (ListCaseFiles, as every other
// command reads directories), or the input itself.
// Entries of a directory that are not read (dangling links, FIFOs, ...) are reported and
// counted in `not_read`; a missing input is a usage error (exit 2, as for every command).
bool ExpandInputs(const std::vector<std::string>& inputs, std::vector<std::string>& out,
                  std::size_t& not_read_count, int& exit_code) {
  for (const auto& input : inputs) {
    std::error_code ec;
    if (input != "-" && !fs::exists(input, ec)) {
      spdlog::error("{}: no such file or directory", input);
      exit_code = kExitUsage;
      return false;
    }
    if (input == "-" || !fs::is_directory(input, ec)) {
      out.push_back(input);
      continue;
    }
    std::string problem;
    std::vector<std::string> not_read;
    const std::vector<fs::path> files = ListCaseFiles(input, problem, not_read);
    for (const auto& entry : not_read) spdlog::error("{}", entry);
    not_read_count += not_read.size();
    if (!problem.empty()) {
      spdlog::error("{}: {}", input, problem);
      exit_code = kExitInputProblem;
      return false;
    }
    for (const auto& file : files) out.push_back(file.string());
  }
  return true;
}

std::string FormatFor(const std::string& format, const std::string& output) {
  if (!format.empty()) return format;
  return fs::path(output).extension() == ".csv" ? "csv" : "json";
}

std::string Thousands(std::uint64_t n) {
  std::string digits = std::to_string(n);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) {
    digits.insert(static_cast<std::size_t>(i), ",");
  }
  return digits;
}

// Reports rejected records (stderr, and a JSONL file when asked) and draws the progress bar
// on stderr when it is a terminal.
class CliObserver : public BatchObserver {
 public:
  CliObserver(bool progress, AtomicFileWriter* rejects) : progress_(progress), rejects_(rejects) {
    start_ = last_draw_ = std::chrono::steady_clock::now();
  }

  void OnRejected(const RejectedRecord& record) override {
    constexpr std::size_t kShown = 3;  // diagnostics per record on stderr; all in --rejects
    ClearBar();
    std::cerr << record.source << ":" << record.line << ": rejected";
    if (record.diagnostics.empty()) std::cerr << "\n";
    for (std::size_t i = 0; i < record.diagnostics.size(); ++i) {
      if (i == kShown) {
        std::cerr << "  ... and " << record.diagnostics.size() - kShown << " more problems\n";
        break;
      }
      std::cerr << (i == 0 ? ": " : "  ") << record.diagnostics[i].ToString() << "\n";
    }
    if (rejects_ != nullptr) {
      nlohmann::ordered_json line;
      line["source"] = record.source;
      line["line"] = record.line;
      line["problems"] = nlohmann::ordered_json::array();
      for (const auto& d : record.diagnostics) {
        line["problems"].push_back({{"line", d.line},
                                    {"column", d.column},
                                    {"pointer", d.pointer},
                                    {"message", d.message}});
      }
      line["record"] = std::string(record.text);
      const std::string text =
          line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
      rejects_->Write(text);
    }
  }

  void OnProgress(const BatchCounts& counts, std::uint64_t done, std::uint64_t size) override {
    counts_ = counts;
    if (!progress_) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_draw_ < std::chrono::milliseconds(200)) return;
    last_draw_ = now;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    char line[200];
    const double records_per_s = seconds > 0 ? static_cast<double>(counts.records) / seconds : 0;
    const double mb_per_s = seconds > 0 ? static_cast<double>(counts.bytes) / seconds / 1e6 : 0;
    std::string bar;
    if (size > 0) {
      const double fraction = std::min(1.0, static_cast<double>(done) / static_cast<double>(size));
      const int filled = static_cast<int>(fraction * 24);
      bar = "[" + std::string(static_cast<std::size_t>(filled), '#') +
            std::string(static_cast<std::size_t>(24 - filled), '.') + "] ";
      const double input_rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
      const double eta =
          input_rate > 0 ? static_cast<double>(size - std::min(done, size)) / input_rate : 0;
      std::snprintf(line, sizeof line, "%s%3.0f%%  %s records  %.0f rec/s  %.1f MB/s  ETA %d:%02d",
                    bar.c_str(), fraction * 100, Thousands(counts.records).c_str(), records_per_s,
                    mb_per_s, static_cast<int>(eta) / 60, static_cast<int>(eta) % 60);
    } else {
      std::snprintf(line, sizeof line, "%s records  %.0f rec/s  %.1f MB/s",
                    Thousands(counts.records).c_str(), records_per_s, mb_per_s);
    }
    std::cerr << "\r\033[K" << line << std::flush;
    drawn_ = true;
  }

  void ClearBar() {
    if (drawn_) std::cerr << "\r\033[K" << std::flush;
    drawn_ = false;
  }

 private:
  bool progress_;
  AtomicFileWriter* rejects_;
  bool drawn_ = false;
  BatchCounts counts_;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

// Writes the results (or, with --partial, also the partial state, with `per_business`'s
// rows when given); returns the exit code.
int WriteResults(BatchEngine& engine, const std::string& output, const std::string& format,
                 const std::string& partial, const BusinessMetrics* per_business = nullptr) {
  if (!partial.empty()) {
    std::string rows;
    if (per_business != nullptr) {
      rows = per_business->PartJson();
      if (rows.empty()) {
        spdlog::error("the per-business rows could not be read back from their temporary file");
        return kExitInputProblem;
      }
    }
    auto saved = engine.SavePartial(rows);
    if (!saved) {
      spdlog::error("{}", saved.error());
      return kExitInternal;
    }
    if (!WriteOutput(partial, *saved)) return kExitInputProblem;
  }
  const AnalysisReport report = engine.Finish();
  if (partial.empty() || output != "-") {
    const std::string text = format == "csv" ? RenderCsv(report) : JsonText(engine.ToJson(report));
    if (!WriteOutput(output, text)) return kExitInputProblem;
  }
  for (const auto& failure : report.failures) spdlog::error("{}", failure.ToString());
  return report.failures.empty() ? kExitOk : kExitPluginFailure;
}

void PrintSummary(const BatchCounts& counts, double seconds) {
  char rate[64];
  std::snprintf(rate, sizeof rate, "%.1f MB/s",
                seconds > 0 ? static_cast<double>(counts.bytes) / seconds / 1e6 : 0.0);
  std::cerr << "bmil batch: " << Thousands(counts.records) << " records read, "
            << Thousands(counts.analyzed) << " analyzed, " << Thousands(counts.rejected)
            << " rejected (" << Thousands(counts.bytes) << " bytes in "
            << static_cast<int>(seconds * 1000) / 1000.0 << " s, " << rate << ")\n";
}

void RunBatch(const GlobalOptions& global, const BatchCommandOptions& options, int& exit_code) {
  const std::string format = FormatFor(options.format, options.output);
  std::vector<std::string> files;
  std::size_t not_read = 0;
  if (!ExpandInputs(options.inputs, files, not_read, exit_code)) return;
  if (std::count(files.begin(), files.end(), "-") > 1) {
    spdlog::error("stdin (-) can be read only once");
    exit_code = kExitUsage;
    return;
  }
  // Results go to stdout without --partial (or with -o -), and the part with --partial -.
  const bool stdout_used =
      (options.output == "-" && options.partial.empty()) || options.partial == "-";
  if (!CheckOutputsApart(
          files,
          {{"-o", options.partial.empty() || options.output != "-" ? options.output : ""},
           {"--partial", options.partial},
           {"--rejects", options.rejects},
           {"--metrics", options.metrics}},
          stdout_used, exit_code)) {
    return;
  }
  if (!options.metrics.empty() &&
      (options.metrics == "-" || std::count(files.begin(), files.end(), "-") > 0)) {
    spdlog::error(
        "--metrics reads the inputs a second time: it needs files, not stdin, and a "
        "file name to write");
    exit_code = kExitUsage;
    return;
  }
  // Written to a temporary file while the batch runs, renamed over --rejects at the end:
  // an interrupted or failed run leaves the old file.
  std::unique_ptr<AtomicFileWriter> rejects;
  if (!options.rejects.empty()) {
    auto opened = AtomicFileWriter::Open(options.rejects);
    if (!opened) {
      spdlog::error("{}", opened.error());
      exit_code = kExitInputProblem;
      return;
    }
    rejects = std::move(opened).value();
  }
  StepClock clock("batch");
  PluginHost host = OpenPlugins(global, /*load=*/true);
  const Registry registry = host.MakeRegistry();
  clock.Step("opened " + std::to_string(host.loaded().size()) + " plugins");
  BatchOptions batch;
  batch.threads = options.threads;
  batch.strict = options.strict;
  batch.listing = options.listing;
  BatchEngine engine(host, registry, batch);
  CliObserver observer(!options.quiet && ::isatty(STDERR_FILENO) != 0, rejects.get());
  const auto start = std::chrono::steady_clock::now();
  for (const std::string& file : files) {
    auto ran = engine.Run(file, observer);
    if (!ran) {
      observer.ClearBar();
      spdlog::error("{}", ran.error());
      exit_code = kExitInputProblem;
      return;
    }
    if (engine.stopped()) break;
  }
  observer.ClearBar();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!options.quiet) PrintSummary(engine.counts(), seconds);
  if (rejects) {
    auto committed = rejects->Commit();
    if (!committed) {
      spdlog::error("{}", committed.error());
      exit_code = kExitInputProblem;
      return;
    }
  }
  clock.Step("read " + std::to_string(engine.counts().records) + " records");
  const BatchTimes times = engine.times();
  spdlog::info(
      "time (s, summed over threads): analyzing {:.3f}, folding {:.3f}, workers idle {:.3f}, "
      "reading {:.3f}, reader waiting for room {:.3f}",
      times.analyze, times.fold, times.worker_idle, times.reader_read, times.reader_wait);
  if (engine.stopped()) {
    spdlog::error("stopped at the first rejected record (--strict); no results written");
    exit_code = kExitInputProblem;
    return;
  }
  std::unique_ptr<BusinessMetrics> per_business;
  if (!options.metrics.empty()) {
    // A second pass, on one thread, over the records the batch analyzed: rejected ones were
    // reported already and get no row (docs/scaling.md, "One row per business"). Before the
    // results, so that --partial carries the rows for bmil merge --metrics.
    per_business = std::make_unique<BusinessMetrics>(host, registry);
    LoadInputsOptions read;
    read.keep_cases = false;
    read.unique_ids = false;  // as the batch: each record counts
    read.on_problem = [](const Diagnostic&) {};
    read.on_case = [&per_business](Case&& c, const std::string&) { per_business->Add(c); };
    (void)LoadCaseInputs(files, registry, {}, read);
    clock.Step("analyzed " + std::to_string(per_business->businesses()) +
               " businesses alone for --metrics");
  }
  exit_code = WriteResults(engine, options.output, format, options.partial, per_business.get());
  clock.Step("finished the analyzers and wrote the results");
  if (per_business) {
    for (const auto& failure : per_business->failures()) spdlog::error("{}", failure.ToString());
    if (!per_business->failures().empty() && exit_code == kExitOk) exit_code = kExitPluginFailure;
    if (!WriteOutputStreamed(options.metrics,
                             [&](const std::function<bool(std::string_view)>& write) {
                               return per_business->WriteCsv(write);
                             })) {
      exit_code = kExitInputProblem;
      return;
    }
  }
  if (exit_code == kExitOk && (engine.counts().rejected > 0 || not_read > 0)) {
    exit_code = kExitInputProblem;
  }
}

struct MergeCommandOptions {
  std::vector<std::string> parts;
  std::string output = "-";
  std::string format;
  std::string partial;
  std::string metrics;  // --metrics FILE.csv: the parts' per-business rows
  ListingOptions listing;
};

void RunMerge(const GlobalOptions& global, const MergeCommandOptions& options, int& exit_code) {
  if (!CheckOutputsApart(
          options.parts,
          {{"-o", options.output}, {"--partial", options.partial}, {"--metrics", options.metrics}},
          (options.output == "-" && options.partial.empty()) || options.partial == "-",
          exit_code)) {
    return;
  }
  if (options.metrics == "-") {
    spdlog::error("--metrics needs a file name (stdout holds the results)");
    exit_code = kExitUsage;
    return;
  }
  // The parts' per-business rows, in part order: all parts have them (carried on to a
  // merged --partial), or --metrics is refused.
  BusinessMetrics per_business;
  std::string without_rows;  // the first part without rows

  StepClock clock("merge");
  PluginHost host = OpenPlugins(global, /*load=*/true);
  const Registry registry = host.MakeRegistry();
  clock.Step("opened " + std::to_string(host.loaded().size()) + " plugins");
  BatchOptions merged;
  merged.listing = options.listing;
  BatchEngine engine(host, registry, merged);
  for (const std::string& part : options.parts) {
    // Refused unread when larger than any part can be (a hostile or mistaken file).
    std::error_code size_error;
    const std::uintmax_t size = fs::file_size(part, size_error);
    if (!size_error && size > kMaxPartBytes) {
      spdlog::error(
          "{}: not a valid bmil partial result: it is {} bytes, more than the limit of "
          "{} bytes",
          part, size, kMaxPartBytes);
      exit_code = kExitInputProblem;
      return;
    }
    std::ifstream in(part, std::ios::binary);
    if (!in) {
      spdlog::error("{}: cannot open: {}", part, std::strerror(errno));
      exit_code = kExitInputProblem;
      return;
    }
    const std::string text{std::istreambuf_iterator<char>(in), {}};
    std::optional<std::string> rows;
    auto merged = engine.MergePartial(text, part, &rows);
    if (!merged) {
      spdlog::error("{}", merged.error());
      exit_code = kExitInputProblem;
      return;
    }
    if (!rows) {
      if (without_rows.empty()) without_rows = part;
    } else if (const std::string problem = per_business.AppendPart(*rows); !problem.empty()) {
      spdlog::error("{}: not a valid bmil partial result: /business_metrics{}", part, problem);
      exit_code = kExitInputProblem;
      return;
    }
  }
  clock.Step("read and merged " + std::to_string(options.parts.size()) + " parts");
  if (!options.metrics.empty() && !without_rows.empty()) {
    spdlog::error(
        "{}: has no per-business rows, so --metrics cannot list every business: write each "
        "part with bmil batch --partial PART --metrics FILE.csv (nothing written)",
        without_rows);
    exit_code = kExitInputProblem;
    return;
  }
  exit_code = WriteResults(engine, options.output, FormatFor(options.format, options.output),
                           options.partial, without_rows.empty() ? &per_business : nullptr);
  clock.Step("finished the analyzers and wrote the results");
  if (!options.metrics.empty() &&
      !WriteOutputStreamed(options.metrics,
                           [&](const std::function<bool(std::string_view)>& write) {
                             return per_business.WriteCsv(write);
                           })) {
    exit_code = kExitInputProblem;
  }
}

}  // namespace

void AddBatchCommand(CLI::App& app, GlobalOptions& options, int& exit_code) {
  auto batch = std::make_shared<BatchCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "batch",
      "Run every loaded analyzer over many businesses: case records streamed from JSONL files, "
      "directories or stdin, on all cores, in bounded memory. Every record is analyzed or "
      "rejected with its line and reason. Results as JSON or tidy CSV, or as a partial result "
      "to merge with other shards (bmil merge).");
  cmd->add_option("cases", batch->inputs,
                  "JSONL files (one case per line), .json case files, directories of them, or - "
                  "for JSONL on stdin")
      ->required();
  cmd->add_option("-o,--output", batch->output,
                  "Results file (written atomically; .csv gives CSV); - for stdout (default)");
  cmd->add_option("--format", batch->format,
                  "json (the analyzers' result models) or csv (tidy long form: analyzer, table, "
                  "row, column, value); default from the output's extension, else json")
      ->check(CLI::IsMember({"json", "csv"}));
  cmd->add_option("--threads", batch->threads, "Analysis threads (default: one per core)")
      ->check(CLI::Range(1u, 1024u));
  cmd->add_option("--partial", batch->partial,
                  "Also write every analyzer's accumulated state to this .bmilpart file, for "
                  "bmil merge (with --partial, results go to -o only when it is given)");
  cmd->add_option("--rejects", batch->rejects,
                  "Write each rejected record to this JSONL file: source, line, problems and the "
                  "record itself");
  cmd->add_option("--metrics", batch->metrics,
                  "Also write FILE.csv: one row per business, one column per analyzer metric "
                  "(a second pass over the input files, each business analyzed alone)");
  AddListingOptions(cmd, batch->listing);
  cmd->add_flag("--strict", batch->strict,
                "Stop at the first rejected record (exit 1, no results written)");
  cmd->add_flag("-q,--quiet", batch->quiet, "No progress bar and no summary on stderr");
  cmd->footer(
      "The summary (stderr) and the results' \"summary\" say how many records were\n"
      "read, analyzed and rejected.\n"
      "Exit code 1 when any record was rejected or a directory entry could not be read\n"
      "(the results of the others are still written); 2 when an input does not exist,\n"
      "or an output is an input or another output (nothing is written).\n"
      "Docs: docs/cli.md, docs/scaling.md");
  cmd->callback([&options, batch, &exit_code] { RunBatch(options, *batch, exit_code); });

  auto merge = std::make_shared<MergeCommandOptions>();
  CLI::App* merge_cmd = app.add_subcommand(
      "merge",
      "Combine partial results (.bmilpart files from bmil batch --partial) into the results of "
      "one run over all their records. Parts of consecutive shards, given in order, give exactly "
      "the single run's results.");
  merge_cmd->add_option("parts", merge->parts, ".bmilpart files, in shard order")
      ->required()
      ->check(CLI::ExistingFile);
  merge_cmd->add_option("-o,--output", merge->output,
                        "Results file (.csv gives CSV); - for stdout (default)");
  merge_cmd->add_option("--format", merge->format, "json or csv (default from -o, else json)")
      ->check(CLI::IsMember({"json", "csv"}));
  merge_cmd->add_option("--partial", merge->partial,
                        "Write the merged state as a .bmilpart file too (for merging in a tree)");
  merge_cmd->add_option("--metrics", merge->metrics,
                        "Also write FILE.csv: the parts' per-business rows (one per business, "
                        "in part order; each part written by bmil batch --partial with "
                        "--metrics)");
  AddListingOptions(merge_cmd, merge->listing);
  merge_cmd->footer(
      "Each part is checked before it is used: its checksum, its identity (an input\n"
      "already in the merge is refused: its records would count twice), its counts and\n"
      "its shape.\n"
      "Exit code 1 when a part is refused (nothing is written); 2 when a part does not\n"
      "exist, or an output is a part or another output.\n"
      "Docs: docs/scaling.md, docs/cli.md");
  merge_cmd->callback([&options, merge, &exit_code] { RunMerge(options, *merge, exit_code); });
}

}  // namespace bmil::cli
