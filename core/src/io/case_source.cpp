#include <bmil/case_source.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <system_error>

namespace bmil {
namespace {

namespace fs = std::filesystem;

bool IsJsonl(const fs::path& path) { return path.extension() == ".jsonl"; }

void Accept(LoadResult result, std::string origin, LoadedCases& out,
            std::map<std::string, std::string>& seen, const std::string& file, std::uint32_t line) {
  ++out.records;
  for (auto& d : result.diagnostics) out.diagnostics.push_back(std::move(d));
  if (!result.ok()) return;
  const std::string& id = result.value->business.id;
  if (auto it = seen.find(id); it != seen.end()) {
    out.diagnostics.push_back({file, line, line == 0 ? 0u : 1u, "/business/id",
                               "duplicate business id \"" + id + "\" (first in " + it->second +
                                   "); each business must have its own id"});
    return;
  }
  seen.emplace(id, origin);
  out.cases.push_back(std::move(*result.value));
  out.origins.push_back(std::move(origin));
}

void LoadJsonl(const fs::path& path, const Registry& registry, const LoadLimits& limits,
               LoadedCases& out, std::map<std::string, std::string>& seen) {
  const std::string file = path.string();
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    out.diagnostics.push_back({file, 0, 0, "", "cannot open file"});
    return;
  }
  std::string text;
  std::uint32_t line_number = 0;
  while (std::getline(in, text)) {
    ++line_number;
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (text.find_first_not_of(" \t") == std::string::npos) continue;
    LoadResult result = LoadCaseText(text, file, registry, limits);
    // A record is one line, so the parser's line is 1: report the file's line instead.
    for (auto& d : result.diagnostics) {
      if (d.line != 0) d.line = line_number;
    }
    Accept(std::move(result), file + ":" + std::to_string(line_number), out, seen, file,
           line_number);
  }
}

}  // namespace

std::vector<fs::path> ListCaseFiles(const fs::path& dir, std::string& problem) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const auto ext = it->path().extension();
    if ((ext == ".json" || ext == ".jsonl") && it->is_regular_file(ec)) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  if (ec) {
    problem = "cannot list directory: " + ec.message();
  } else if (files.empty()) {
    problem = "directory holds no .json or .jsonl case files";
  }
  return files;
}

LoadedCases LoadCaseInputs(const std::vector<std::string>& inputs, const Registry& registry,
                           const LoadLimits& limits) {
  LoadedCases out;
  std::map<std::string, std::string> seen;  // business id -> where it was first
  auto load_one = [&](const fs::path& path) {
    if (IsJsonl(path)) {
      LoadJsonl(path, registry, limits, out, seen);
    } else {
      Accept(LoadCaseFile(path, registry, limits), path.string(), out, seen, path.string(), 0);
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
    const std::vector<fs::path> files = ListCaseFiles(path, problem);
    if (!problem.empty()) out.diagnostics.push_back({input, 0, 0, "", problem});
    for (const auto& f : files) load_one(f);
  }
  return out;
}

}  // namespace bmil
