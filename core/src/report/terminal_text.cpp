#include "report/terminal_text.hpp"

#include "io/utf8.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace bmil {
namespace {

void Escape(std::string& out, const char* format, unsigned value) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, format, value);
  out += buffer;
}

// The length of the valid UTF-8 sequence at text[i] and its code point, or 0.
std::size_t Decode(std::string_view text, std::size_t i, char32_t& cp) {
  const auto byte = static_cast<unsigned char>(text[i]);
  if (byte < 0x80) {
    cp = byte;
    return 1;
  }
  const Utf8Sequence sequence = DecodeUtf8(text, i);
  cp = sequence.code_point;
  return sequence.length;
}

bool Unsafe(char32_t cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

}  // namespace

std::string TerminalSafe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    const std::size_t n = Decode(text, i, cp);
    if (n == 0) {
      Escape(out, "\\x%02x", static_cast<unsigned char>(text[i]));
      ++i;
      continue;
    }
    if (Unsafe(cp)) {
      Escape(out, cp < 0x80 ? "\\x%02x" : "\\u%04x", static_cast<unsigned>(cp));
    } else {
      out.append(text.substr(i, n));
    }
    i += n;
  }
  return out;
}

nlohmann::json TerminalSafeCopy(const nlohmann::json& value) {
  nlohmann::json copy = value;
  std::vector<nlohmann::json*> stack{&copy};
  while (!stack.empty()) {
    nlohmann::json* v = stack.back();
    stack.pop_back();
    if (v->is_string()) {
      *v = TerminalSafe(v->get_ref<const std::string&>());
    } else if (v->is_structured()) {
      for (auto& item : *v) stack.push_back(&item);
    }
  }
  return copy;
}

std::string MarkdownText(std::string_view text) {
  const std::string safe = TerminalSafe(text);
  std::string out;
  out.reserve(safe.size());
  for (char c : safe) {
    switch (c) {
      case '\\':
      case '`':
      case '*':
      case '[':
      case ']':
      case '<':
      case '>':
      case '|':
        out += '\\';
        out += c;
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string SpreadsheetSafe(std::string_view cell) {
  if (cell.empty()) return std::string(cell);
  const char first = cell.front();
  if (first != '=' && first != '+' && first != '-' && first != '@' && first != '\t' &&
      first != '\r') {
    return std::string(cell);
  }
  // A number as bmil writes numbers is kept as it is: the spreadsheet reads it as a number.
  const std::string text(cell);
  char* end = nullptr;
  const double number = std::strtod(text.c_str(), &end);
  if (end == text.c_str() + text.size() && std::isfinite(number) &&
      text.find_first_of("xXnN") == std::string::npos) {
    return text;
  }
  return "'" + text;
}

std::string Wrapped(std::string_view text, std::size_t indent, std::string first,
                    std::size_t width) {
  const std::string safe = TerminalSafe(text);
  std::string out;
  std::string line = first.empty() ? std::string(indent, ' ') : std::move(first);
  std::size_t start = line.size();
  std::size_t i = 0;
  while (i < safe.size()) {
    const std::size_t space = safe.find(' ', i);
    const std::string word =
        safe.substr(i, space == std::string::npos ? std::string::npos : space - i);
    i = space == std::string::npos ? safe.size() : space + 1;
    if (line.size() > start && line.size() + 1 + word.size() > width) {
      out += line + "\n";
      line.assign(indent, ' ');
      start = indent;
    }
    if (line.size() > start) line += ' ';
    line += word;
  }
  if (line.size() > start || !out.empty() || start > indent) out += line + "\n";
  return out;
}

std::string CsvField(std::string_view raw) {
  const std::string text = SpreadsheetSafe(raw);
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace bmil
