#include "runner/entry_table.hpp"

#include <algorithm>
#include <cstddef>
#include <cstring>

namespace bmil {

namespace {

// The manifest's name of a kind (the runner does not link the manifest reader).
const char* KindWord(std::uint32_t kind) {
  switch (kind) {
    case BMIL_KIND_LINE:
      return "line";
    case BMIL_KIND_ANALYZER:
      return "analyzer";
    case BMIL_KIND_MODEL:
      return "model";
    default:
      return "unknown";
  }
}

}  // namespace

std::string AbiProblem(int major, int minor, int host_major, int host_minor) {
  const std::string plugin = std::to_string(major) + "." + std::to_string(minor);
  const std::string host = std::to_string(host_major) + "." + std::to_string(host_minor);
  if (major != host_major) {
    return "built for ABI " + plugin + ", but this bmil speaks ABI " + host +
           " (the major version must match)";
  }
  if (minor > host_minor) {
    return "built for ABI " + plugin + ", newer than this bmil's ABI " + host + " (update bmil)";
  }
  return "";
}

std::string CheckEntryTable(const bmil_plugin* table, const bmil_error& error,
                            const ExpectedTable& expected, bmil_plugin& copy) {
  if (table == nullptr) {
    const std::string message(error.message, strnlen(error.message, sizeof(error.message)));
    return "the entry function returned no table: " +
           (message.empty() ? std::string("no reason given") : message);
  }
  // The first fields (up to kind) exist in every layout of major 1.
  if (table->struct_size < offsetof(bmil_plugin, kind) + sizeof(table->kind)) {
    return "entry table too small (" + std::to_string(table->struct_size) + " bytes)";
  }
  if (std::string abi =
          AbiProblem(table->abi_major, table->abi_minor, BMIL_ABI_MAJOR, BMIL_ABI_MINOR);
      !abi.empty()) {
    return "entry table: " + abi;
  }
  const std::string_view id = table->id ? table->id : "";
  const std::string_view version = table->version ? table->version : "";
  if (id != expected.id) {
    return "entry table id \"" + std::string(id) + "\" differs from the manifest's id \"" +
           std::string(expected.id) + "\"";
  }
  if (version != expected.version) {
    return "entry table version \"" + std::string(version) + "\" differs from the manifest's \"" +
           std::string(expected.version) + "\"";
  }
  if (table->kind != expected.kind) {
    return "entry table kind " + std::to_string(table->kind) +
           " differs from the manifest's kind \"" + KindWord(expected.kind) + "\"";
  }
  // A table from an older minor may be shorter: unknown trailing functions read as absent.
  copy = bmil_plugin{};
  std::memcpy(&copy, table, std::min<std::size_t>(table->struct_size, sizeof(bmil_plugin)));
  copy.struct_size = sizeof(bmil_plugin);
  return "";
}

}  // namespace bmil
