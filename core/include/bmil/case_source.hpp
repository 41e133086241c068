// Reading many cases at once: case files, directories of case files, and JSONL files (one
// case per line), as `bmil analyze` and `bmil validate` accept them.
#ifndef BMIL_CASE_SOURCE_HPP_
#define BMIL_CASE_SOURCE_HPP_

#include <bmil/case_io.hpp>

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace bmil {

struct LoadedCases {
  std::vector<Case> cases;              // every valid case, in input order (when kept)
  std::vector<std::string> origins;     // parallel to cases: "file" or "file:line" (JSONL)
  std::vector<Diagnostic> diagnostics;  // every problem of every input (when kept)
  std::size_t records = 0;              // documents read (valid or not)
  std::size_t valid = 0;                // of them valid
  std::size_t problems = 0;             // problems found, kept or passed on
};

// How LoadCaseInputs keeps what it reads. By default everything is kept. A checker that only
// reports (bmil validate) keeps nothing: its memory is then that of the largest document,
// however many records a JSONL file holds.
struct LoadInputsOptions {
  // false: valid cases are counted, not kept (origins and cases stay empty).
  bool keep_cases = true;
  // When set, each problem is passed here as it is found, in input order, and not kept.
  std::function<void(const Diagnostic&)> on_problem;
  // When set and keep_cases is false, called with the origin of each valid case document
  // (not of JSONL records: those are counted per file in valid_per_jsonl).
  std::function<void(const std::string&)> on_valid_document;
  // Valid records per JSONL file, filled when keep_cases is false.
  std::map<std::string, std::size_t>* valid_per_jsonl = nullptr;
  // When set and keep_cases is false, called with each valid case and its origin, in input
  // order, as it is read (a streaming consumer: bmil analyze and report on many cases).
  std::function<void(Case&&, const std::string&)> on_case;
  // false: a business id an earlier case used is accepted (bmil batch counts each record).
  bool unique_ids = true;
};

// The case files of directory `dir`: every "*.json" and "*.jsonl" regular file under it,
// recursively, in sorted path order. On failure, or when there is none, `problem` says why
// (and the files found so far are returned).
std::vector<std::filesystem::path> ListCaseFiles(const std::filesystem::path& dir,
                                                 std::string& problem);

// The same, also naming each entry called *.json or *.jsonl that is not read because it is
// not a regular file: a dangling symbolic link, a FIFO (opening it would wait for a writer
// for good), a socket or a device. Each is one line in `not_read`, e.g. "data/x.jsonl: a
// FIFO, not a regular file; not read", so that no input is skipped in silence.
std::vector<std::filesystem::path> ListCaseFiles(const std::filesystem::path& dir,
                                                 std::string& problem,
                                                 std::vector<std::string>& not_read);

// Loads every input: a path ending in ".jsonl" is read line by line, each non-blank line
// one case whose diagnostics carry the file's line number; a directory contributes every
// "*.json" and "*.jsonl" file under it (recursively, in sorted path order; entries that are
// not regular files are reported, see ListCaseFiles); any other path
// is one case document. A business id that an earlier case already used is an error at the
// later case (results are keyed by business id). Never throws on bad input.
LoadedCases LoadCaseInputs(const std::vector<std::string>& inputs, const Registry& registry,
                           const LoadLimits& limits = {}, const LoadInputsOptions& options = {});

}  // namespace bmil

#endif  // BMIL_CASE_SOURCE_HPP_
