#include "io/bounded_read.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>

namespace bmil {

Result<std::string> ReadFileAtMost(const std::filesystem::path& path, std::uintmax_t max_bytes,
                                   const std::function<std::string(std::uintmax_t)>& too_large) {
  std::error_code error;
  const std::uintmax_t size = std::filesystem::file_size(path, error);
  if (error) return Failure{"cannot read the file: " + error.message()};
  if (size > max_bytes) return Failure{too_large(size)};

  std::ifstream in(path, std::ios::binary);
  if (!in) return Failure{std::string("cannot read the file: ") + std::strerror(errno)};
  // Read at most one buffer more than the limit: the file may have grown since it was measured.
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (in.good()) {
    char buffer[64 * 1024];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
      text.append(buffer, static_cast<std::size_t>(in.gcount()));
      if (text.size() > max_bytes) return Failure{too_large(text.size())};
    }
  }
  if (in.bad()) return Failure{std::string("cannot read the file: ") + std::strerror(errno)};
  return text;
}

}  // namespace bmil
