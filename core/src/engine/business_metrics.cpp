#include "engine/business_metrics.hpp"
#include "report/terminal_text.hpp"
#include "report/value_format.hpp"

#include <bmil/analysis.hpp>
#include <bmil/flat_case.hpp>

#include <simdjson.h>

#include <cstdint>
#include <set>
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

BusinessMetrics::BusinessMetrics() {
  spool_ = std::tmpfile();
  ok_ = spool_ != nullptr;
}

BusinessMetrics::BusinessMetrics(const PluginHost& host, const Registry& registry)
    : registry_(&registry) {
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
  if (registry_ == nullptr) return;
  const FlatCase flat(c, *registry_);
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
  Spool(id, cells);
}

void BusinessMetrics::Spool(const std::string& id,
                            const std::vector<std::pair<std::uint32_t, double>>& cells) {
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

bool BusinessMetrics::ForEachRow(
    const std::function<bool(const std::string&,
                             const std::vector<std::pair<std::uint32_t, double>>&)>& row) const {
  if (spool_ == nullptr || !ok_) return false;
  if (std::fseek(spool_, 0, SEEK_SET) != 0) return false;
  std::string id;
  std::vector<std::pair<std::uint32_t, double>> cells;
  bool good = true;
  for (std::size_t b = 0; b < businesses_ && good; ++b) {
    std::uint32_t id_size = 0, count = 0;
    if (!ReadRaw(spool_, id_size)) good = false;
    id.assign(good ? id_size : 0, '\0');
    good = good && std::fread(id.data(), 1, id_size, spool_) == id_size && ReadRaw(spool_, count);
    cells.clear();
    for (std::uint32_t i = 0; good && i < count; ++i) {
      std::uint32_t column = 0;
      double value = 0;
      good = ReadRaw(spool_, column) && ReadRaw(spool_, value) && column < columns_.size();
      cells.emplace_back(column, value);
    }
    good = good && row(id, cells);
  }
  // Back to the end, where the next row is spooled.
  return std::fseek(spool_, 0, SEEK_END) == 0 && good;
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
  std::vector<std::string> row(columns_.size());
  return ForEachRow(
      [&](const std::string& id, const std::vector<std::pair<std::uint32_t, double>>& cells) {
        for (std::string& cell : row) cell.clear();
        for (const auto& [column, value] : cells) row[column] = ExactNumber(value);
        line = CsvField(id);
        for (const std::string& cell : row) line += "," + cell;
        return write(line + "\n");
      });
}

std::string BusinessMetrics::PartJson() const {
  nlohmann::json columns = columns_;
  std::string out = "{\"columns\":" + columns.dump() + ",\"rows\":[";
  bool first = true;
  const bool read = ForEachRow([&](const std::string& id,
                                   const std::vector<std::pair<std::uint32_t, double>>& cells) {
    nlohmann::json row = nlohmann::json::array({id, nlohmann::json::array()});
    for (const auto& [column, value] : cells) {
      row[1].push_back(column);
      row[1].push_back(value);  // a double: dump() writes it so that it reads back the same
    }
    out += (first ? "" : ",") + row.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    first = false;
    return true;
  });
  return read ? out + "]}" : "";
}

std::string BusinessMetrics::AppendPart(std::string_view json) {
  namespace dom = simdjson::dom;
  dom::parser parser;
  dom::element root;
  if (parser.parse(json.data(), json.size()).get(root) != simdjson::SUCCESS)
    return ": not valid JSON";
  dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) return ": expected an object";
  for (dom::key_value_pair field : object) {
    if (field.key != "columns" && field.key != "rows")
      return "/" + std::string(field.key) + ": not a member of business_metrics";
  }
  dom::array columns, rows;
  if (object["columns"].get_array().get(columns) != simdjson::SUCCESS)
    return "/columns: expected an array of column names";
  if (object["rows"].get_array().get(rows) != simdjson::SUCCESS)
    return "/rows: expected an array of rows";
  // The part's columns by position, as columns of this table (added only once all is checked).
  std::vector<std::string> names;
  std::set<std::string_view> seen;
  for (dom::element c : columns) {
    std::string_view name;
    if (c.get_string().get(name) != simdjson::SUCCESS)
      return "/columns/" + std::to_string(names.size()) + ": expected a string";
    if (!seen.insert(name).second)
      return "/columns/" + std::to_string(names.size()) + ": \"" + std::string(name) +
             "\" is listed twice";
    names.emplace_back(name);
  }
  // A row's business and cells: [business, [column, value, ...]].
  auto split = [](dom::element row, std::string_view& id, dom::array& cells) {
    dom::array pair;
    dom::element first, second;
    return row.get_array().get(pair) == simdjson::SUCCESS && pair.size() == 2 &&
           pair.at(0).get(first) == simdjson::SUCCESS &&
           first.get_string().get(id) == simdjson::SUCCESS &&
           pair.at(1).get(second) == simdjson::SUCCESS &&
           second.get_array().get(cells) == simdjson::SUCCESS && cells.size() % 2 == 0;
  };
  std::size_t r = 0;
  for (dom::element row : rows) {
    const std::string at = "/rows/" + std::to_string(r++);
    std::string_view id;
    dom::array cells;
    if (!split(row, id, cells))
      return at + ": expected [business, [column, value, column, value, ...]]";
    std::size_t i = 0;
    for (dom::element cell : cells) {
      if (i % 2 == 0) {
        std::uint64_t column = 0;
        if (cell.get_uint64().get(column) != simdjson::SUCCESS || column >= names.size())
          return at + "/1/" + std::to_string(i) + ": expected a column from 0 to " +
                 std::to_string(names.size()) + " (excluded)";
      } else if (!cell.is_number()) {
        return at + "/1/" + std::to_string(i) + ": expected a number";
      }
      ++i;
    }
  }
  std::vector<std::uint32_t> to(names.size());
  for (std::size_t c = 0; c < names.size(); ++c)
    to[c] = static_cast<std::uint32_t>(Column(names[c]));
  std::vector<std::pair<std::uint32_t, double>> spooled;
  for (dom::element row : rows) {
    std::string_view id;
    dom::array cells;
    (void)split(row, id, cells);  // checked above
    spooled.clear();
    std::uint64_t column = 0;
    std::size_t i = 0;
    for (dom::element cell : cells) {
      double value = 0;
      if (i++ % 2 == 0) {
        if (cell.get_uint64().get(column) != simdjson::SUCCESS) column = 0;  // checked above
      } else if (cell.get_double().get(value) == simdjson::SUCCESS) {
        spooled.emplace_back(to[column], value);
      }
    }
    Spool(std::string(id), spooled);
  }
  return "";
}

}  // namespace bmil
