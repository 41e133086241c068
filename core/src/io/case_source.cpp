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
    std::vector<std::string> not_read;
    const std::vector<fs::path> files = ListCaseFiles(path, problem, not_read);
    if (!problem.empty()) out.diagnostics.push_back({input, 0, 0, "", problem});
    for (auto& entry : not_read) {
      const std::size_t colon = entry.find(": ");
      out.diagnostics.push_back({entry.substr(0, colon), 0, 0, "", entry.substr(colon + 2)});
    }
    for (const auto& f : files) load_one(f);
  }
  return out;
}

}  // namespace bmil
