#include "host/reproducer.hpp"

#include "host/scan_record.hpp"
#include "io/atomic_file.hpp"
#include "io/digest.hpp"
#include "io/object_reader.hpp"
#include "runner/wire.hpp"

#include <nlohmann/json.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <ctime>

namespace bmil {

namespace fs = std::filesystem;

namespace {

constexpr int kFormatVersion = 1;
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string Base64(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v = (std::uint32_t{static_cast<unsigned char>(bytes[i])} << 16) |
                            (std::uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8) |
                            static_cast<unsigned char>(bytes[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(v >> s) & 63];
  }
  if (const std::size_t rest = bytes.size() - i; rest > 0) {
    std::uint32_t v = std::uint32_t{static_cast<unsigned char>(bytes[i])} << 16;
    if (rest == 2) v |= std::uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// Decodes standard base64 with padding; nothing when `text` is not that.
std::optional<std::string> FromBase64(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    std::uint32_t v = 0;
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = text[i + k];
      std::uint32_t d;
      if (c == '=' && i + 4 == text.size() && k >= 2) {
        d = 0;
        ++pad;
      } else if (pad > 0) {
        return std::nullopt;  // data after padding
      } else if (const char* at = std::strchr(kAlphabet, c); at != nullptr && c != '\0') {
        d = static_cast<std::uint32_t>(at - kAlphabet);
      } else {
        return std::nullopt;
      }
      v = (v << 6) | d;
    }
    out += static_cast<char>((v >> 16) & 0xff);
    if (pad < 2) out += static_cast<char>((v >> 8) & 0xff);
    if (pad < 1) out += static_cast<char>(v & 0xff);
  }
  return out;
}

// The request type each call sends.
std::optional<wire::Message> RequestOf(std::string_view call) {
  if (call == "describe") return wire::Message::kDescribe;
  if (call == "assess") return wire::Message::kAssess;
  if (call == "propose") return wire::Message::kPropose;
  if (call == "add") return wire::Message::kAddBatch;
  if (call == "merge") return wire::Message::kMerge;
  if (call == "finish") return wire::Message::kFinish;
  if (call == "save") return wire::Message::kSave;
  if (call == "load") return wire::Message::kLoad;
  if (call == "prepare") return wire::Message::kPrepare;
  return std::nullopt;  // create: the config is the request
}

// Why `request` is not a request for `call`, or "".
std::string RequestProblem(std::string_view call, std::string_view request) {
  const auto type = RequestOf(call);
  if (!type) return request.empty() ? "" : "a create reproducer carries no request";
  if (request.size() < 4 + 1 + 8) return "the request is shorter than a frame with a handle";
  std::uint32_t length;
  std::memcpy(&length, request.data(), 4);
  if (length != request.size() - 4) return "the request's frame length does not match its size";
  wire::Frame frame;
  if (!wire::ParseFrame(request.substr(4), frame) || frame.type != *type) {
    return "the request is not a " + std::string(call) + " request";
  }
  if (*type == wire::Message::kAddBatch) {
    wire::Reader in(frame.body);
    in.U64();
    if (in.U32() != 1) return "an add request must hold exactly one record";
    wire::DecodedView view;
    if (!view.Decode(in)) return std::string("its case view is malformed: ") + in.why();
    if (in.remaining() != 0) return "the request has bytes after its record";
  }
  if (*type == wire::Message::kAssess || *type == wire::Message::kPropose ||
      *type == wire::Message::kPrepare) {
    wire::Reader in(frame.body);
    in.U64();
    if (*type == wire::Message::kPrepare) in.I32();
    in.U32();
    wire::DecodedView view;
    if (!view.Decode(in)) return std::string("its case view is malformed: ") + in.why();
  }
  return "";
}

}  // namespace

const std::vector<std::string>& ReproducerCalls() {
  static const std::vector<std::string> calls = {"create", "describe", "assess", "propose",
                                                 "add",    "merge",    "finish", "save",
                                                 "load",   "prepare"};
  return calls;
}

std::string ReproducerText(const Reproducer& r) {
  nlohmann::ordered_json j;
  j["bmil_reproducer"] = kFormatVersion;
  j["bmil"] = r.bmil_version;
  j["when"] = r.when;
  j["plugin"] = {{"id", r.plugin}, {"version", r.version}, {"kind", r.kind},
                 {"path", r.path}, {"size", r.size},       {"xxh3_128", r.xxh3}};
  j["call"] = r.call;
  j["what"] = r.what;
  j["config"] = r.config;
  if (!r.case_id.empty()) j["case"] = r.case_id;
  j["cases_before"] = r.cases_before;
  j["request_base64"] = Base64(r.request);
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

ReproducerLoad ReadReproducer(std::string_view text, const std::string& file) {
  ReproducerLoad out;
  auto& problems = out.problems;
  // The document outlives every JsonValue taken from it (all within this function).
  const auto document =
      ParseLocated(text, file, {kMaxReproducerBytes, kMaxReproducerDepth}, problems);
  if (!document) return out;
  ObjectReader top(document->root(), file, "", problems);
  Reproducer r;
  if (auto v = top.Integer("bmil_reproducer", 1, 1)) (void)v;
  r.bmil_version = top.String("bmil").value_or("");
  r.when = top.String("when").value_or("");
  if (const std::optional<JsonValue> p = top.Get("plugin", JsonValue::Kind::kObject, true)) {
    ObjectReader plugin(*p, file, top.PointerOf("plugin"), problems);
    r.plugin = plugin.String("id").value_or("");
    r.version = plugin.String("version").value_or("");
    r.kind = plugin.Choice("kind", {"line", "analyzer", "model"}).value_or("");
    r.path = plugin.String("path").value_or("");
    r.size =
        static_cast<std::uint64_t>(plugin.Integer("size", 0, std::int64_t{1} << 50).value_or(0));
    if (auto h = plugin.String("xxh3_128")) {
      if (!IsDigestHex(*h)) {
        plugin.Problem(plugin.Get("xxh3_128", JsonValue::Kind::kString, true)->location(),
                       plugin.PointerOf("xxh3_128"), "expected 32 lower-case hex digits");
      }
      r.xxh3 = *h;
    }
    plugin.Finish();
  }
  r.call = top.Choice("call", ReproducerCalls()).value_or("");
  r.what = top.String("what", true, 1 << 16).value_or("");
  r.config = top.String("config", true, std::size_t{16} << 20).value_or("{}");
  if (!nlohmann::json::accept(r.config)) {
    const std::optional<JsonValue> c = top.Get("config", JsonValue::Kind::kString, false);
    if (c) top.Problem(c->location(), top.PointerOf("config"), "not a JSON text");
  }
  r.case_id = top.String("case", false).value_or("");
  r.cases_before =
      static_cast<std::uint64_t>(top.Integer("cases_before", 0, std::int64_t{1} << 53).value_or(0));
  if (const std::optional<JsonValue> q =
          top.Get("request_base64", JsonValue::Kind::kString, true)) {
    auto bytes = FromBase64(q->text());
    if (!bytes) {
      top.Problem(q->location(), top.PointerOf("request_base64"), "not base64 (RFC 4648, padded)");
    } else if (!r.call.empty()) {
      r.request = std::move(*bytes);
      if (std::string why = RequestProblem(r.call, r.request); !why.empty()) {
        top.Problem(q->location(), top.PointerOf("request_base64"), why);
      }
    }
  }
  top.Finish();
  if (problems.empty()) out.value = std::move(r);
  return out;
}

Result<fs::path> SaveReproducer(const Reproducer& r, const fs::path& dir) {
  if (auto made = CreatePrivateDirectory(dir); !made) return Failure{made.error()};
  std::error_code ec;
  std::string when = r.when;
  std::erase_if(when, [](char c) { return c == '-' || c == ':'; });
  static std::atomic<unsigned> counter{0};
  std::string safe_id = r.plugin;
  for (char& c : safe_id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') c = '_';
  }
  for (int attempt = 0; attempt < 100; ++attempt) {
    const fs::path path =
        dir / (safe_id + "-" + r.call + "-" + when + "-" + std::to_string(::getpid()) + "-" +
               std::to_string(counter++) + ".bmilrepro");
    if (fs::exists(path, ec)) continue;
    auto written = WriteFileAtomically(path, ReproducerText(r));
    if (!written) return Failure{written.error()};
    return path;
  }
  return Failure{"no free file name in " + dir.string()};
}

fs::path DefaultReproducerDir() {
  if (const char* dir = std::getenv("BMIL_REPRODUCERS")) return dir;
  const fs::path record = DefaultScanRecordPath();
  if (record.empty()) return {};
  return record.parent_path() / "reproducers";
}

std::string OneRecordOfBatch(std::string_view batch, std::uint64_t index) {
  if (batch.size() < 4) return {};
  wire::Frame frame;
  if (!wire::ParseFrame(batch.substr(4), frame) || frame.type != wire::Message::kAddBatch) {
    return {};
  }
  wire::Reader in(frame.body);
  const std::uint64_t handle = in.U64();
  const std::uint32_t n = in.U32();
  if (in.failed() || index >= n) return {};
  for (std::uint64_t i = 0; i < index; ++i) {
    wire::DecodedView skip;
    if (!skip.Decode(in)) return {};
  }
  const std::size_t from = frame.body.size() - in.remaining();
  wire::DecodedView record;
  if (!record.Decode(in)) return {};
  const std::size_t to = frame.body.size() - in.remaining();
  std::string out;
  const std::size_t begin = wire::BeginFrame(out, wire::Message::kAddBatch);
  wire::Writer w(out);
  w.U64(handle);
  w.U32(1);
  out.append(frame.body.substr(from, to - from));
  wire::FinishFrame(out, begin);
  return out;
}

}  // namespace bmil
