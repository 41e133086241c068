#include "batch/part_format.hpp"

#include <cstdio>

namespace bmil {
namespace {

constexpr std::string_view kChecksumKey = ",\"checksum\":\"xxh3-128:";

bool IsHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

std::string SealPart(std::string_view body) {
  std::string out(body.substr(0, body.size() - 1));  // without the closing brace
  out += kChecksumKey;
  out += DigestHex(body);
  out += "\"}\n";
  return out;
}

Result<std::string> UnsealPart(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ' ||
                           text.back() == '\t')) {
    text.remove_suffix(1);
  }
  // ...,"checksum":"xxh3-128:<32 hex>"}
  constexpr std::size_t kTail = kChecksumKey.size() + 32 + 2;
  if (text.size() < kTail + 1 || text.substr(text.size() - 2) != "\"}" ||
      text.substr(text.size() - kTail, kChecksumKey.size()) != kChecksumKey) {
    return Failure{
        "it does not end with the checksum bmil writes (\"checksum\": \"xxh3-128:...\"); a "
        "part is written by `bmil batch --partial` or `bmil merge --partial` and must not be "
        "edited (a part of bmil before 0.2 has none: write it again)"};
  }
  const std::string_view hex = text.substr(text.size() - 34, 32);
  if (!IsHex(hex)) return Failure{"its checksum is not 32 hex digits"};
  std::string body(text.substr(0, text.size() - kTail));
  body += '}';
  const std::string actual = DigestHex(body);
  if (actual != hex) {
    return Failure{"its checksum does not match its content (written " + std::string(hex) +
                   ", computed " + actual +
                   "): the part was changed, truncated or corrupted after bmil wrote it"};
  }
  return body;
}

}  // namespace bmil
