// Reading a whole input file with a size limit that holds even when the file grows while it
// is read (docs/data-format.md, "Limits").
#ifndef BMIL_CORE_IO_BOUNDED_READ_HPP_
#define BMIL_CORE_IO_BOUNDED_READ_HPP_

#include <bmil/result.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

namespace bmil {

// The content of the file at `path`. A file larger than `max_bytes` is refused before it is
// read, or as soon as it has grown past the limit while being read: the failure is then
// `too_large(bytes seen)`. Any other failure is "cannot read the file: <reason>".
Result<std::string> ReadFileAtMost(const std::filesystem::path& path, std::uintmax_t max_bytes,
                                   const std::function<std::string(std::uintmax_t)>& too_large);

}  // namespace bmil

#endif  // BMIL_CORE_IO_BOUNDED_READ_HPP_
