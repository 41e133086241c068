#include "engine/business_metrics.hpp"
#include "report/terminal_text.hpp"
#include "report/value_format.hpp"

#include <bmil/analysis.hpp>
#include <bmil/flat_case.hpp>

#include <cstdint>
#include <utility>

namespace bmil {
namespace {

template <typename T>
bool WriteRaw(std::FILE* f, const T& value) {
  return std::fwrite(&value, sizeof value, 1, f) == 1;
}

template <typename T>
bool ReadRaw(std::FILE* f, T& value) {
  return std::fread(&value, sizeof value, 1, f) == 1;
}

}  // namespace

struct BusinessMetrics::Analyzer {
  const LoadedPlugin* plugin = nullptr;
  std::optional<PluginInstance> instance;
  std::string empty_state;
  std::vector<CallError> failures;
  std::size_t failures_left_out = 0;

  void Fail(CallError error, const std::string& business) {
    if (failures.size() < kMaxFailuresPerAnalyzer) {
      error.message += " (business \"" + business + "\", alone, for the per-business metrics)";
      failures.push_back(std::move(error));
    } else {
      ++failures_left_out;
    }
  }
};

BusinessMetrics::BusinessMetrics(const PluginHost& host, const Registry& registry)
    : registry_(registry) {
  const std::string config = AnalyzerConfig(host, registry, setup_failures_).dump();
  for (const auto& plugin : host.loaded()) {
    if (!plugin->is_analyzer()) continue;
    auto a = std::make_unique<Analyzer>();
    a->plugin = plugin.get();
    auto created = plugin->Create(config);
    if (auto* error = std::get_if<CallError>(&created)) {
      setup_failures_.push_back(*error);
      continue;
    }
    a->instance.emplace(std::move(std::get<PluginInstance>(created)));
    auto saved = a->instance->Save();
    if (auto* error = std::get_if<CallError>(&saved)) {
      setup_failures_.push_back(*error);
      continue;
    }
    a->empty_state = std::move(std::get<std::string>(saved));
    analyzers_.push_back(std::move(a));
  }
  spool_ = std::tmpfile();
  ok_ = spool_ != nullptr;
}

BusinessMetrics::~BusinessMetrics() {
  if (spool_ != nullptr) std::fclose(spool_);
}

std::size_t BusinessMetrics::Column(const std::string& name) {
  const auto [it, inserted] = column_index_.emplace(name, columns_.size());
  if (inserted) columns_.push_back(name);
  return it->second;
}

void BusinessMetrics::Add(const Case& c) {
  const FlatCase flat(c, registry_);
  const std::string& id = c.business.id;
  std::vector<std::pair<std::uint32_t, double>> cells;
  for (auto& a : analyzers_) {
    if (auto error = a->instance->Load(a->empty_state)) {
      a->Fail(*error, id);
      continue;
    }
    if (auto error = a->instance->Add(flat.view())) {
      a->Fail(*error, id);
      continue;
    }
    auto finished = a->instance->Finish();
    if (auto* error = std::get_if<CallError>(&finished)) {
      a->Fail(*error, id);
      continue;
    }
    const nlohmann::json& result = std::get<nlohmann::json>(finished);
    const auto metrics = result.find("metrics");
    if (metrics == result.end() || !metrics->is_array()) continue;
    for (const nlohmann::json& m : *metrics) {
      if (!m.is_object() || !m.contains("id") || !m["id"].is_string()) continue;
      const std::size_t column = Column(a->plugin->id() + "." + m["id"].get<std::string>());
      const auto value = m.find("value");
      if (value != m.end() && value->is_number()) {
        cells.emplace_back(static_cast<std::uint32_t>(column), value->get<double>());
      }
    }
  }
  ++businesses_;
  if (spool_ == nullptr) return;
  const auto id_size = static_cast<std::uint32_t>(id.size());
  const auto count = static_cast<std::uint32_t>(cells.size());
  bool written = WriteRaw(spool_, id_size) &&
                 std::fwrite(id.data(), 1, id.size(), spool_) == id.size() &&
                 WriteRaw(spool_, count);
  for (const auto& [column, value] : cells) {
    written = written && WriteRaw(spool_, column) && WriteRaw(spool_, value);
  }
  ok_ = ok_ && written;
}

std::vector<CallError> BusinessMetrics::failures() const {
  std::vector<CallError> out = setup_failures_;
  for (const auto& a : analyzers_) {
    out.insert(out.end(), a->failures.begin(), a->failures.end());
    if (a->failures_left_out > 0) {
      out.push_back({a->plugin->id(), "finish", 0,
                     "failed on " + std::to_string(a->failures_left_out) +
                         " more businesses alone, for the per-business metrics (not listed)"});
    }
  }
  return out;
}

bool BusinessMetrics::WriteCsv(const std::function<bool(std::string_view)>& write) const {
  if (spool_ == nullptr || !ok_) return false;
  std::string line = "business";
  for (const std::string& c : columns_) line += "," + CsvField(c);
  if (!write(line + "\n")) return false;
  std::rewind(spool_);
  std::vector<std::string> row(columns_.size());
  for (std::size_t b = 0; b < businesses_; ++b) {
    std::uint32_t id_size = 0, count = 0;
    if (!ReadRaw(spool_, id_size)) return false;
    std::string id(id_size, '\0');
    if (std::fread(id.data(), 1, id_size, spool_) != id_size || !ReadRaw(spool_, count))
      return false;
    for (std::string& cell : row) cell.clear();
    for (std::uint32_t i = 0; i < count; ++i) {
      std::uint32_t column = 0;
      double value = 0;
      if (!ReadRaw(spool_, column) || !ReadRaw(spool_, value) || column >= row.size()) return false;
      row[column] = ExactNumber(value);
    }
    line = CsvField(id);
    for (const std::string& cell : row) line += "," + cell;
    if (!write(line + "\n")) return false;
  }
  return true;
}

}  // namespace bmil
