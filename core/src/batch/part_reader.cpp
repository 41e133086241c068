#include "batch/part_reader.hpp"

#include "io/json_pointer.hpp"

#include <simdjson.h>

#include <algorithm>
#include <utility>

namespace bmil {
namespace {

namespace dom = simdjson::dom;
using simdjson::SUCCESS;

std::string Index(std::size_t i) { return JsonPointerChild("", i); }

// A JSON pointer token (RFC 6901: ~ and / escaped).
std::string Token(std::string_view key) { return JsonPointerChild("", key); }

// The first duplicate key anywhere in `root` as its pointer, or "". Iterative: the depth is
// bounded by the parser, but no recursion is needed either.
std::string DuplicateKey(dom::element root) {
  std::vector<std::pair<dom::element, std::string>> stack{{root, ""}};
  std::vector<std::string_view> keys;
  while (!stack.empty()) {
    auto [element, at] = std::move(stack.back());
    stack.pop_back();
    if (element.type() == dom::element_type::OBJECT) {
      keys.clear();
      for (dom::key_value_pair field : dom::object(element)) {
        keys.push_back(field.key);
        stack.emplace_back(field.value, at + Token(field.key));
      }
      std::sort(keys.begin(), keys.end());
      if (auto dup = std::adjacent_find(keys.begin(), keys.end()); dup != keys.end()) {
        return at + Token(*dup);
      }
    } else if (element.type() == dom::element_type::ARRAY) {
      std::size_t i = 0;
      for (dom::element item : dom::array(element)) stack.emplace_back(item, at + Index(i++));
    }
  }
  return "";
}

// Typed access to an object's members with pointers in every message.
class Fields {
 public:
  Fields(dom::object object, std::string at) : object_(object), at_(std::move(at)) {}

  // The first member not in `allowed`, as a problem, or "".
  std::string Unknown(std::initializer_list<std::string_view> allowed) const {
    for (dom::key_value_pair field : object_) {
      if (std::find(allowed.begin(), allowed.end(), field.key) == allowed.end()) {
        return at_ + Token(field.key) + ": not a member of a part";
      }
    }
    return "";
  }
  bool Get(std::string_view key, dom::element& out, std::string& problem) const {
    if (object_[key].get(out) != SUCCESS) {
      problem = at_ + Token(key) + ": missing";
      return false;
    }
    return true;
  }
  bool String(std::string_view key, std::string& out, std::string& problem) const {
    dom::element e;
    if (!Get(key, e, problem)) return false;
    std::string_view s;
    if (e.get_string().get(s) != SUCCESS) {
      problem = at_ + Token(key) + ": expected a string";
      return false;
    }
    out = std::string(s);
    return true;
  }
  bool Unsigned(std::string_view key, std::uint64_t& out, std::string& problem) const {
    dom::element e;
    if (!Get(key, e, problem)) return false;
    if (e.get_uint64().get(out) != SUCCESS) {
      problem = at_ + Token(key) + ": expected an integer from 0 to 2^64-1";
      return false;
    }
    return true;
  }
  bool Int(std::string_view key, int& out, std::string& problem) const {
    dom::element e;
    if (!Get(key, e, problem)) return false;
    std::int64_t n = 0;
    if (e.get_int64().get(n) != SUCCESS || n < INT32_MIN || n > INT32_MAX) {
      problem = at_ + Token(key) + ": expected a 32-bit integer";
      return false;
    }
    out = static_cast<int>(n);
    return true;
  }
  bool Array(std::string_view key, dom::array& out, std::string& problem) const {
    dom::element e;
    if (!Get(key, e, problem)) return false;
    if (e.get_array().get(out) != SUCCESS) {
      problem = at_ + Token(key) + ": expected an array";
      return false;
    }
    return true;
  }
  const std::string& at() const { return at_; }

 private:
  dom::object object_;
  std::string at_;
};

bool AsObject(dom::element e, const std::string& at, dom::object& out, std::string& problem) {
  if (e.get_object().get(out) != SUCCESS) {
    problem = at + ": expected an object";
    return false;
  }
  return true;
}

std::string ReadCounts(const Fields& root, BatchCounts& counts) {
  std::string problem;
  dom::element e;
  dom::object object;
  if (!root.Get("counts", e, problem) || !AsObject(e, "/counts", object, problem)) return problem;
  const Fields f(object, "/counts");
  if (auto p = f.Unknown({"records_read", "analyzed", "rejected", "fast_path", "bytes"});
      !p.empty()) {
    return p;
  }
  if (!f.Unsigned("records_read", counts.records, problem) ||
      !f.Unsigned("analyzed", counts.analyzed, problem) ||
      !f.Unsigned("rejected", counts.rejected, problem) ||
      !f.Unsigned("fast_path", counts.fast_path, problem) ||
      !f.Unsigned("bytes", counts.bytes, problem)) {
    return problem;
  }
  // Every record read is analyzed or rejected; the fast path reads some of the analyzed.
  if (counts.analyzed > counts.records || counts.rejected != counts.records - counts.analyzed) {
    return "/counts: " + std::to_string(counts.analyzed) + " analyzed and " +
           std::to_string(counts.rejected) + " rejected do not add up to " +
           std::to_string(counts.records) + " records read";
  }
  if (counts.fast_path > counts.analyzed) {
    return "/counts/fast_path: " + std::to_string(counts.fast_path) + " is more than the " +
           std::to_string(counts.analyzed) + " analyzed";
  }
  return "";
}

std::string ReadInputs(const Fields& root, std::vector<PartInput>& inputs) {
  std::string problem;
  dom::array list;
  if (!root.Array("inputs", list, problem)) return problem;
  std::size_t i = 0;
  for (dom::element e : list) {
    const std::string at = "/inputs" + Index(i++);
    dom::object object;
    if (!AsObject(e, at, object, problem)) return problem;
    const Fields f(object, at);
    if (auto p = f.Unknown({"source", "bytes", "xxh3"}); !p.empty()) return p;
    PartInput input;
    if (!f.String("source", input.source, problem) || !f.Unsigned("bytes", input.bytes, problem) ||
        !f.String("xxh3", input.digest, problem)) {
      return problem;
    }
    // Lower-case only, as bmil writes it: the digest identifies the input, and "AB" and
    // "ab" must not pass for two inputs (the same part merged twice).
    if (!input.digest.empty() && !IsDigestHex(input.digest)) {
      return at + "/xxh3: expected 32 lower-case hex digits or \"\"";
    }
    inputs.push_back(std::move(input));
  }
  return "";
}

std::string ReadPlugins(const Fields& root, nlohmann::ordered_json& plugins) {
  std::string problem;
  dom::array list;
  if (!root.Array("plugins", list, problem)) return problem;
  plugins = nlohmann::ordered_json::array();
  std::size_t i = 0;
  for (dom::element e : list) {
    const std::string at = "/plugins" + Index(i++);
    dom::object object;
    if (!AsObject(e, at, object, problem)) return problem;
    const Fields f(object, at);
    if (auto p = f.Unknown({"id", "version", "kind"}); !p.empty()) return p;
    std::string id, version, kind;
    if (!f.String("id", id, problem) || !f.String("version", version, problem) ||
        !f.String("kind", kind, problem)) {
      return problem;
    }
    plugins.push_back({{"id", id}, {"version", version}, {"kind", kind}});
  }
  return "";
}

std::string ReadFailures(const Fields& root, std::vector<PartFailure>& failures) {
  std::string problem;
  dom::array list;
  if (!root.Array("failures", list, problem)) return problem;
  std::size_t i = 0;
  for (dom::element e : list) {
    const std::string at = "/failures" + Index(i++);
    dom::object object;
    if (!AsObject(e, at, object, problem)) return problem;
    const Fields f(object, at);
    if (auto p = f.Unknown({"plugin", "call", "status", "message"}); !p.empty()) return p;
    PartFailure failure;
    if (!f.String("plugin", failure.plugin, problem) || !f.String("call", failure.call, problem) ||
        !f.Int("status", failure.status, problem) ||
        !f.String("message", failure.message, problem)) {
      return problem;
    }
    failures.push_back(std::move(failure));
  }
  return "";
}

std::string ReadAnalyzers(const Fields& root, PartContent& part) {
  std::string problem;
  dom::array list;
  if (!root.Array("analyzers", list, problem)) return problem;
  std::size_t i = 0;
  for (dom::element e : list) {
    const std::string at = "/analyzers" + Index(i++);
    dom::object object;
    if (!AsObject(e, at, object, problem)) return problem;
    const Fields f(object, at);
    if (auto p = f.Unknown({"plugin", "version", "state"}); !p.empty()) return p;
    PartAnalyzer analyzer;
    dom::element state;
    if (!f.String("plugin", analyzer.plugin, problem) ||
        !f.String("version", analyzer.version, problem) || !f.Get("state", state, problem)) {
      return problem;
    }
    for (const auto& earlier : part.analyzers) {
      if (earlier.plugin == analyzer.plugin) {
        return at + "/plugin: \"" + analyzer.plugin + "\" is listed twice";
      }
    }
    if (state.is_null()) {
      // A null state is a failed analyzer: its failure must be in the part.
      const bool explained = std::any_of(
          part.failures.begin(), part.failures.end(),
          [&](const PartFailure& failure) { return failure.plugin == analyzer.plugin; });
      if (!explained) {
        return at + "/state: null, but no failure of \"" + analyzer.plugin +
               "\" is recorded in the part";
      }
    } else {
      analyzer.state = simdjson::minify(state);
    }
    part.analyzers.push_back(std::move(analyzer));
  }
  return "";
}

}  // namespace

std::variant<PartContent, std::string> ReadPart(std::string_view body) {
  if (body.size() > kMaxPartBytes) {
    return "it is " + std::to_string(body.size()) + " bytes, more than the limit of " +
           std::to_string(kMaxPartBytes);
  }
  dom::parser parser;
  if (parser.allocate(body.size(), kMaxPartDepth) != SUCCESS) {
    return std::string("not enough memory to read it");
  }
  dom::element root;
  if (const auto error = parser.parse(body.data(), body.size(), true).get(root); error != SUCCESS) {
    if (error == simdjson::DEPTH_ERROR) {
      return "it is nested more than " + std::to_string(kMaxPartDepth) + " deep";
    }
    return std::string("not valid JSON: ") + simdjson::error_message(error);
  }
  if (auto dup = DuplicateKey(root); !dup.empty()) return dup + ": a duplicate key";
  dom::object object;
  std::string problem;
  if (!AsObject(root, "", object, problem)) return std::string("expected a JSON object");
  const Fields f(object, "");
  if (auto p = f.Unknown({"bmil_partial", "bmil_version", "counts", "inputs", "plugins", "listing",
                          "analyzers", "failures", "business_metrics"});
      !p.empty()) {
    return p;
  }
  dom::element version;
  std::int64_t format = 0;
  if (!f.Get("bmil_partial", version, problem)) return problem;
  if (version.get_int64().get(format) != SUCCESS || format != kPartFormatVersion) {
    return "/bmil_partial: expected " + std::to_string(kPartFormatVersion) + ", found " +
           simdjson::minify(version) + " (a part of another bmil: write it again with this one)";
  }
  std::string bmil_version;
  if (!f.String("bmil_version", bmil_version, problem)) return problem;
  PartContent part;
  for (std::string p : {ReadCounts(f, part.counts), ReadInputs(f, part.inputs),
                        ReadPlugins(f, part.plugins), ReadFailures(f, part.failures)}) {
    if (!p.empty()) return p;
  }
  if (auto p = ReadAnalyzers(f, part); !p.empty()) return p;
  if (dom::element listing; object["listing"].get(listing) == SUCCESS) {
    dom::object caps;
    if (!AsObject(listing, "/listing", caps, problem)) return problem;
    const Fields l(caps, "/listing");
    if (auto p = l.Unknown({"max_rows", "all"}); !p.empty()) return p;
    if (caps.size() != 1)
      return std::string(R"(/listing: expected {"max_rows": N} or {"all": true})");
    std::uint64_t rows = 0;
    bool all = false;
    if (dom::element n; caps["max_rows"].get(n) == SUCCESS) {
      if (n.get_uint64().get(rows) != SUCCESS || rows == 0)
        return std::string("/listing/max_rows: expected a positive integer");
      part.listing = {{"max_rows", rows}};
    } else if (caps["all"].get_bool().get(all) != SUCCESS || !all) {
      return std::string("/listing/all: expected true");
    } else {
      part.listing = {{"all", true}};
    }
  }
  if (dom::element metrics; object["business_metrics"].get(metrics) == SUCCESS) {
    if (metrics.type() != dom::element_type::OBJECT)
      return std::string("/business_metrics: expected an object");
    part.business_metrics = simdjson::minify(metrics);
  }
  return part;
}

std::string PluginSetDifference(const nlohmann::ordered_json& part,
                                const nlohmann::ordered_json& here) {
  std::string out;
  auto add = [&](const std::string& text) { out += (out.empty() ? "" : "; ") + text; };
  auto find = [](const nlohmann::ordered_json& set, const std::string& id) {
    for (const auto& p : set) {
      if (p.value("id", "") == id) return &p;
    }
    return static_cast<const nlohmann::ordered_json*>(nullptr);
  };
  for (const auto& p : part) {
    const std::string id = p.value("id", "");
    const auto* other = find(here, id);
    if (other == nullptr) {
      add(id + " " + p.value("version", "") + " wrote it and is not loaded here");
    } else if (p.value("version", "") != other->value("version", "")) {
      add(id + " " + p.value("version", "") + " wrote it, " + other->value("version", "") +
          " is loaded here");
    }
  }
  for (const auto& p : here) {
    const std::string id = p.value("id", "");
    if (find(part, id) == nullptr) {
      add(id + " " + p.value("version", "") + " is loaded here and did not write it");
    }
  }
  return out;
}

}  // namespace bmil
