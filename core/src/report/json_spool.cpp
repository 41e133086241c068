#include "report/json_spool.hpp"

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <random>

namespace bmil {
namespace {

// In the dumped text a placeholder reads "\u0001bmil-spool:<nonce>:<tag>:<line>:<a|p>".
// The nonce, drawn once per process, keeps a plugin's string that happens to look like a
// placeholder (it would be dumped the same way) from being taken for one.
const std::string& Marker() {
  static const std::string marker = [] {
    std::random_device random;
    const std::uint64_t nonce = (static_cast<std::uint64_t>(random()) << 32) ^ random();
    return "\"\\u0001bmil-spool:" + std::to_string(nonce) + ":";
  }();
  return marker;
}

}  // namespace

struct JsonSpool::File {
  std::FILE* file = nullptr;
  std::size_t items = 0;
  ~File() {
    if (file != nullptr) std::fclose(file);
  }
};

JsonSpool::JsonSpool(std::size_t tag) : tag_(tag) {}
JsonSpool::~JsonSpool() = default;

JsonSpool::File& JsonSpool::FileFor(std::size_t line, bool proposals) {
  const std::size_t index = line * 2 + (proposals ? 1 : 0);
  if (files_.size() <= index) files_.resize(index + 1);
  if (!files_[index]) files_[index] = std::make_unique<File>();
  return *files_[index];
}

void JsonSpool::Append(std::size_t line, bool proposals, const nlohmann::json& value) {
  File& f = FileFor(line, proposals);
  if (f.file == nullptr) f.file = std::tmpfile();
  if (f.file == nullptr) {
    ok_ = false;
    return;
  }
  const std::string text = value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  // Items end with NUL, which JSON text never holds.
  if (std::fwrite(text.data(), 1, text.size(), f.file) != text.size() ||
      std::fputc('\0', f.file) == EOF) {
    ok_ = false;
  }
  ++f.items;
}

void JsonSpool::OnAssessment(std::size_t line, const nlohmann::json& assessment) {
  Append(line, false, assessment);
}

void JsonSpool::OnProposal(std::size_t line, const nlohmann::json& proposal) {
  Append(line, true, proposal);
}

std::string JsonSpool::Placeholder(std::size_t line, bool proposals) const {
  // Marker() without its quote and with the raw \x01 its escape stands for.
  return "\x01" + Marker().substr(7) + std::to_string(tag_) + ":" + std::to_string(line) + ":" +
         (proposals ? "p" : "a");
}

void JsonSpool::MarkPlaceholders(nlohmann::ordered_json& report_json) const {
  auto& lines = report_json["lines"];
  for (std::size_t l = 0; l < lines.size(); ++l) {
    lines[l]["assessments"] = Placeholder(l, false);
    lines[l]["proposals"] = Placeholder(l, true);
  }
}

bool JsonSpool::Expand(std::string_view dumped,
                       const std::function<bool(std::string_view)>& write) const {
  return ExpandSpools(dumped, {this}, write);
}

bool ExpandSpools(std::string_view dumped, const std::vector<const JsonSpool*>& spools,
                  const std::function<bool(std::string_view)>& write) {
  std::size_t done = 0;
  for (;;) {
    const std::string& marker = Marker();
    const std::size_t at = dumped.find(marker, done);
    if (at == std::string_view::npos) break;
    const std::size_t close = dumped.find('"', at + marker.size());
    if (close == std::string_view::npos) break;
    // "<tag>:<line>:<a|p>"
    const std::string_view fields = dumped.substr(at + marker.size(), close - at - marker.size());
    std::size_t tag = 0, line = 0;
    const char* p = fields.data();
    const char* end = fields.data() + fields.size();
    auto r1 = std::from_chars(p, end, tag);
    auto r2 = std::from_chars(r1.ptr + 1, end, line);
    const bool proposals = r2.ptr + 1 < end && r2.ptr[1] == 'p';
    const JsonSpool* spool = nullptr;
    for (const JsonSpool* s : spools) {
      if (s->tag_ == tag) spool = s;
    }
    const std::size_t line_start = dumped.rfind('\n', at) + 1;  // npos + 1 == 0
    std::size_t indent = 0;
    while (line_start + indent < at && dumped[line_start + indent] == ' ') ++indent;
    if (!write(dumped.substr(done, at - done))) return false;
    done = close + 1;
    const std::size_t index = line * 2 + (proposals ? 1 : 0);
    const JsonSpool::File* file =
        spool != nullptr && index < spool->files_.size() ? spool->files_[index].get() : nullptr;
    if (file == nullptr || file->items == 0 || file->file == nullptr) {
      if (!write("[]")) return false;
      continue;
    }
    const std::string pad(indent + 2, ' ');
    if (!write("[\n")) return false;
    std::rewind(file->file);
    std::string item = pad;
    bool first = true;
    char buffer[1 << 16];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, file->file)) > 0;) {
      for (std::size_t i = 0; i < n; ++i) {
        const char c = buffer[i];
        if (c == '\0') {
          if (!first && !write(",\n")) return false;
          if (!write(item)) return false;
          first = false;
          item = pad;
        } else if (c == '\n') {
          item += '\n';
          item += pad;
        } else {
          item += c;
        }
      }
    }
    if (std::ferror(file->file)) return false;
    if (!write("\n" + std::string(indent, ' ') + "]")) return false;
  }
  return write(dumped.substr(done));
}

}  // namespace bmil
