#include <bmil/case_source.hpp>

#include "io/case_rules.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <system_error>

namespace bmil {
namespace {

namespace fs = std::filesystem;

bool IsJsonl(const fs::path& path) { return path.extension() == ".jsonl"; }

// Reads the next line (without its '\n') into `line`, holding at most `max` bytes of it;
// `length` is the line's full length. False at the end of the input with nothing read.
bool ReadLine(std::streambuf& in, std::string& line, std::size_t max, std::uint64_t& length) {
  line.clear();
  length = 0;
  bool any = false;
  for (;;) {
    const int c = in.sbumpc();
    if (c == std::char_traits<char>::eof()) return any;
    any = true;
    if (c == '\n') return true;
    if (++length <= max) line += static_cast<char>(c);
  }
}

// Where loaded documents go: kept, or counted and passed on (LoadInputsOptions).
struct Sink {
  LoadedCases& out;
  const LoadInputsOptions& options;
  std::map<std::string, std::string> seen;  // business id -> where it was first

  void Problem(Diagnostic d) {
    ++out.problems;
    if (options.on_problem) {
      options.on_problem(d);
    } else {
      out.diagnostics.push_back(std::move(d));
    }
  }

  void Accept(LoadResult result, std::string origin, const std::string& file, std::uint32_t line) {
    ++out.records;
    for (auto& d : result.diagnostics) Problem(std::move(d));
    if (!result.ok()) return;
    const std::string& id = result.value->business.id;
    if (!options.unique_ids) {
      // Nothing to remember.
    } else if (auto it = seen.find(id); it != seen.end()) {
      Problem({file, line, line == 0 ? 0u : 1u, "/business/id",
               "duplicate business id \"" + id + "\" (first in " + it->second +
                   "); each business must have its own id"});
      return;
    }
    if (options.unique_ids) seen.emplace(id, origin);
    ++out.valid;
    if (options.keep_cases) {
      out.cases.push_back(std::move(*result.value));
      out.origins.push_back(std::move(origin));
    } else if (options.on_case) {
      options.on_case(std::move(*result.value), origin);
    } else if (line == 0) {
      if (options.on_valid_document) options.on_valid_document(origin);
    } else if (options.valid_per_jsonl != nullptr) {
      ++(*options.valid_per_jsonl)[file];
    }
  }
};

void LoadJsonl(const fs::path& path, const Registry& registry, const LoadLimits& limits,
               Sink& sink) {
  const std::string file = path.string();
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    sink.Problem({file, 0, 0, "", "cannot open file"});
    return;
  }
  std::string text;
  std::uint32_t line_number = 0;
  std::uint64_t length = 0;
  while (ReadLine(*in.rdbuf(), text, limits.max_bytes, length)) {
    ++line_number;
    if (length > limits.max_bytes) {
      // Skipped, not held: a line of gigabytes takes no more memory than the limit.
      LoadResult refused;
      refused.diagnostics.push_back({file, line_number, 1, "",
                                     "record of " + rules::ExactSize(length) +
                                         ", larger than the limit of " +
                                         rules::ExactSize(limits.max_bytes) + "; not read"});
      sink.Accept(std::move(refused), file + ":" + std::to_string(line_number), file, line_number);
      continue;
    }
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (text.find_first_not_of(" \t") == std::string::npos) continue;
    LoadResult result = LoadCaseText(text, file, registry, limits);
    // A record is one line, so the parser's line is 1: report the file's line instead.
    for (auto& d : result.diagnostics) {
      if (d.line != 0) d.line = line_number;
    }
    sink.Accept(std::move(result), file + ":" + std::to_string(line_number), file, line_number);
  }
}

}  // namespace

std::vector<fs::path> ListCaseFiles(const fs::path& dir, std::string& problem,
                                    std::vector<std::string>& not_read) {
  std::vector<fs::path> files;
  std::vector<std::pair<fs::path, std::string>> unread;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const auto ext = it->path().extension();
    if (ext != ".json" && ext != ".jsonl") continue;
    std::error_code status_error;
    const fs::file_status target = it->status(status_error);  // follows links
    if (fs::is_regular_file(target)) {
      files.push_back(it->path());
    } else if (fs::is_directory(target)) {
      continue;  // a directory named *.json: its files are listed as any directory's
    } else if (it->is_symlink(status_error) && !fs::exists(target)) {
      unread.emplace_back(it->path(), "a symbolic link to nothing (" +
                                          fs::read_symlink(it->path(), status_error).string() +
                                          "); not read");
    } else if (fs::is_fifo(target)) {
      unread.emplace_back(it->path(), "a FIFO, not a regular file; not read");
    } else if (fs::is_socket(target)) {
      unread.emplace_back(it->path(), "a socket, not a regular file; not read");
    } else if (fs::is_block_file(target) || fs::is_character_file(target)) {
      unread.emplace_back(it->path(), "a device, not a regular file; not read");
    } else {
      unread.emplace_back(it->path(), "not a regular file, or its type cannot be read; not read");
    }
  }
  std::sort(files.begin(), files.end());
  std::sort(unread.begin(), unread.end());
  for (const auto& [path, why] : unread) not_read.push_back(path.string() + ": " + why);
  if (ec) {
    problem = "cannot list directory: " + ec.message();
  } else if (files.empty() && unread.empty()) {
    problem = "directory holds no .json or .jsonl case files";
  }
  return files;
}

std::vector<fs::path> ListCaseFiles(const fs::path& dir, std::string& problem) {
  std::vector<std::string> not_read;
  return ListCaseFiles(dir, problem, not_read);
}

LoadedCases LoadCaseInputs(const std::vector<std::string>& inputs, const Registry& registry,
                           const LoadLimits& limits, const LoadInputsOptions& options) {
  LoadedCases out;
  Sink sink{out, options, {}};
  auto load_one = [&](const fs::path& path) {
    if (IsJsonl(path)) {
      LoadJsonl(path, registry, limits, sink);
    } else {
      sink.Accept(LoadCaseFile(path, registry, limits), path.string(), path.string(), 0);
    }
  };
  for (const auto& input : inputs) {
    const fs::path path(input);
    std::error_code ec;
    if (!fs::is_directory(path, ec)) {
      load_one(path);
      continue;
    }
    std::string problem;
    std::vector<std::string> not_read;
    const std::vector<fs::path> files = ListCaseFiles(path, problem, not_read);
    if (!problem.empty()) sink.Problem({input, 0, 0, "", problem});
    for (auto& entry : not_read) {
      const std::size_t colon = entry.find(": ");
      sink.Problem({entry.substr(0, colon), 0, 0, "", entry.substr(colon + 2)});
    }
    for (const auto& f : files) load_one(f);
  }
  return out;
}

}  // namespace bmil
