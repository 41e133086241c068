// Helpers for tests of .bmilpart files: seal an edited part again (the checksum bmil
// writes, XXH3-128 over the body), so that a test reaches the checks behind the checksum.
#ifndef BMIL_TESTS_CLI_PART_FILES_HPP_
#define BMIL_TESTS_CLI_PART_FILES_HPP_

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <string>

namespace bmil::cli_test {

// `body` (one JSON object's text, no checksum) sealed as bmil seals a part.
inline std::string SealText(const std::string& body) {
  const XXH128_hash_t hash = XXH3_128bits(body.data(), body.size());
  char hex[33];
  std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(hash.high64),
                static_cast<unsigned long long>(hash.low64));
  return body.substr(0, body.size() - 1) + ",\"checksum\":\"xxh3-128:" + hex + "\"}\n";
}

// A part (parsed, edited) sealed again.
inline std::string Seal(nlohmann::json part) {
  part.erase("checksum");
  return SealText(part.dump());
}

}  // namespace bmil::cli_test

#endif  // BMIL_TESTS_CLI_PART_FILES_HPP_
