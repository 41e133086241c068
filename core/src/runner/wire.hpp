// The runner protocol: how the host talks to `bmil-plugin-runner`, the child process that
// runs an isolated plugin (docs/plugin-isolation.md, "The runner protocol").
//
// A stream of frames over a socket pair. A frame is a 4-byte little-endian length n, then
// n bytes: a 1-byte message type and its body. Integers are little-endian, strings are a
// 4-byte length and their bytes, arrays a 4-byte count and their elements. The host opens
// with kHello and the runner answers kReady (or kFailed and exits); after that every
// request gets exactly one reply, in order. Frames are bounded (kMaxRequestFrame,
// kMaxReplyFrame): a reader refuses a longer length before allocating anything.
#ifndef BMIL_CORE_RUNNER_WIRE_HPP_
#define BMIL_CORE_RUNNER_WIRE_HPP_

#include <bmil/abi.h>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bmil::wire {

// Bumped when a message changes meaning; the runner refuses a host of another version.
inline constexpr std::uint32_t kProtocolVersion = 1;

// The most a plugin may write in one call, and the deepest nesting of that JSON
// (docs/plugin-guide.md, "Limits and checks on what a plugin returns").
inline constexpr std::size_t kMaxOutputBytes = std::size_t{32} << 20;
inline constexpr std::size_t kMaxOutputDepth = 64;

// Frame bounds: a request carries case views (a record is at most 256 MiB of case text, and
// its view is smaller than its text); a reply carries one plugin output and a message.
inline constexpr std::size_t kMaxRequestFrame = std::size_t{512} << 20;
inline constexpr std::size_t kMaxReplyFrame = kMaxOutputBytes + 4096;

enum class Message : std::uint8_t {
  // host -> runner
  kHello = 1,      // u32 protocol, u16 abi major, u16 abi minor, str host version,
                   // str expected id, str expected version, u32 expected kind
  kCreate = 2,     // str config -> kHandle
  kDestroy = 3,    // u64 handle -> kOk
  kDescribe = 4,   // u64 handle -> kText
  kAssess = 5,     // u64 handle, u32 business model, view -> kText
  kPropose = 6,    // u64 handle, u32 business model, view -> kText
  kAddBatch = 7,   // u64 handle, u32 n, n views -> kOk, or kError naming the record
  kMerge = 8,      // u64 handle, u64 other -> kOk
  kFinish = 9,     // u64 handle -> kText
  kSave = 10,      // u64 handle -> kText
  kLoad = 11,      // u64 handle, str state -> kOk
  kShutdown = 12,  // -> kOk, then the runner exits 0
  kInspect = 13,   // -> kState (for `bmil plugins check`; no plugin code runs)
  kPrepare = 14,   // u64 handle, i32 first year, u32 years, view -> kText (ABI 1.1 models)
  kEvaluate = 15,  // u64 handle, u32 draws, u32 drivers, u32 outputs per draw,
                   // draws x drivers f64 -> kValues, or kError naming the draw
  // runner -> host
  kReady = 64,   // u32 protocol, u32 functions (bit per Call present in the table)
  kFailed = 65,  // str reason: the handshake failed (not loadable, wrong table)
  kOk = 66,
  kHandle = 67,  // u64
  kText = 68,    // str
  kError = 69,   // u32 status, str message, u32 record index within a batch (else 0)
  kState = 70,   // RunnerState: str seccomp, u64 resident bytes, u64 view writes, str first
  kValues = 71,  // u32 n, n f64: the outputs of a kEvaluate, draw by draw
};

// What the runner says about itself in reply to kInspect: how it is sandboxed, how much
// memory it holds, and whether a plugin call wrote into its read-only case view.
struct RunnerState {
  // "active: ...", "off: ..." or "unavailable: ...", with what the filter denies or why.
  std::string seccomp;
  std::uint64_t resident_bytes = 0;  // the runner's resident set size when it answered
  std::uint64_t view_writes = 0;     // plugin calls that changed their case view
  std::string first_view_write;      // the first of them, e.g. add on case "sample_busy"
};

// The plugin functions a kReady announces, as bits.
enum Function : std::uint32_t {
  kFnCreate = 1u << 0,
  kFnDestroy = 1u << 1,
  kFnDescribe = 1u << 2,
  kFnAssess = 1u << 3,
  kFnPropose = 1u << 4,
  kFnAdd = 1u << 5,
  kFnMerge = 1u << 6,
  kFnFinish = 1u << 7,
  kFnSave = 1u << 8,
  kFnLoad = 1u << 9,
  kFnPrepare = 1u << 10,
  kFnEvaluate = 1u << 11,
};

// The words both processes map (a shared memory page): the runner notes which request it is
// working on and which record of it, and counts the plugin calls that returned, so the host
// knows which record a crash happened on and whether a slow request is making progress.
struct Progress {
  std::uint64_t request;   // requests begun, the handshake being the first (1)
  std::uint64_t record;    // the call within that request being made (a batch's record)
  std::uint64_t finished;  // plugin calls returned since the runner began
};

// Appends encoded values to a byte string.
class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}
  void U8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void U16(std::uint16_t v) { Raw(&v, sizeof v); }
  void U32(std::uint32_t v) { Raw(&v, sizeof v); }
  void I32(std::int32_t v) { Raw(&v, sizeof v); }
  void U64(std::uint64_t v) { Raw(&v, sizeof v); }
  void F64(double v) { Raw(&v, sizeof v); }
  void Str(std::string_view s) {
    U32(static_cast<std::uint32_t>(s.size()));
    out_.append(s.data(), s.size());
  }
  void Str(const bmil_str& s) { Str(std::string_view(s.size ? s.data : "", s.size)); }

 private:
  static_assert(std::endian::native == std::endian::little, "the wire is little-endian");
  void Raw(const void* p, std::size_t n) { out_.append(static_cast<const char*>(p), n); }
  std::string& out_;
};

// Reads encoded values from a byte range. Never reads past the end: a short or malformed
// input sets failed() and every later read returns zero values.
class Reader {
 public:
  Reader(const char* data, std::size_t size) : at_(data), end_(data + size) {}
  explicit Reader(std::string_view bytes) : Reader(bytes.data(), bytes.size()) {}

  std::uint8_t U8() { return Fixed<std::uint8_t>(); }
  std::uint16_t U16() { return Fixed<std::uint16_t>(); }
  std::uint32_t U32() { return Fixed<std::uint32_t>(); }
  std::int32_t I32() { return Fixed<std::int32_t>(); }
  std::uint64_t U64() { return Fixed<std::uint64_t>(); }
  double F64() { return Fixed<double>(); }
  // A view into the input: valid as long as the input is.
  std::string_view Str();
  // A count of elements that each take at least `min_element_bytes`: fails when the rest of
  // the input cannot hold that many (so no reader allocates for a count it cannot have).
  std::uint32_t Count(std::size_t min_element_bytes);

  bool failed() const { return failed_; }
  std::size_t remaining() const { return static_cast<std::size_t>(end_ - at_); }
  // Fails the reader (e.g. a value out of range) with a reason for the message.
  void Fail(const char* why);
  const char* why() const { return why_; }

 private:
  template <typename T>
  T Fixed() {
    T v{};
    if (failed_ || remaining() < sizeof(T)) {
      Fail("input ends inside a value");
      return T{};
    }
    std::memcpy(&v, at_, sizeof(T));
    at_ += sizeof(T);
    return v;
  }
  const char* at_;
  const char* end_;
  bool failed_ = false;
  const char* why_ = "";
};

// Appends the content of `view` (every field of the layout this host knows).
void EncodeView(const bmil_case_view& view, Writer& out);

// A case view decoded from the wire: owns the arrays, and points into the frame for strings
// (keep the frame alive as long as this lives). Decode() refuses, with a reason, input that
// is short, has trailing garbage inside a view, more than BMIL_MAX_IDS blocks or lines, or an
// index out of range (a portfolio, a financing model, a task's model), so the plugin only
// ever sees a view the host could have built.
class DecodedView {
 public:
  DecodedView() = default;
  DecodedView(const DecodedView&) = delete;
  DecodedView& operator=(const DecodedView&) = delete;
  // Reads one view from `in`; false when it is malformed (in.why() says why). The view's
  // strings point into `in`'s input; the view is valid until the next Decode.
  bool Decode(Reader& in);
  const bmil_case_view& view() const { return view_; }

  // The memory the view's arrays take. All of them lie there when contiguous() (the usual
  // case once a view of that size was decoded: the buffer is reused and grows to the
  // largest view); otherwise the last view needed more and some arrays are elsewhere. With
  // the view itself and the input's bytes, it is all the memory the view points at.
  std::span<const std::byte> arrays() const;
  bool contiguous() const { return spill_.empty(); }

 private:
  // `count` value-initialised T from the buffer, or from `spill_` when it is full.
  template <typename T>
  T* Allocate(std::size_t count);
  template <typename T>
  std::span<T> AllocateSpan(std::size_t count) {
    return {Allocate<T>(count), count};
  }
  bmil_str Str(Reader& in);

  std::unique_ptr<std::uint64_t[]> buffer_;  // 8-byte words: every view struct fits
  std::size_t capacity_ = 0;                 // words
  std::size_t used_ = 0;                     // words
  std::size_t needed_ = 0;                   // words the last view wanted in all
  std::vector<std::unique_ptr<std::uint64_t[]>> spill_;
  bmil_case_view view_{};
};

// A whole kState frame for `state`, appended to `out`.
void EncodeState(const RunnerState& state, std::string& out);
// Reads a kState body; false when it is malformed.
bool DecodeState(std::string_view body, RunnerState& state);

// One frame: its type and body (a view into the buffer it was read from).
struct Frame {
  Message type{};
  std::string_view body;
};

// Splits a complete frame payload (after the length) into type and body; false when empty.
bool ParseFrame(std::string_view payload, Frame& frame);

// Starts a frame in `out` (reserving the length) and returns its offset; FinishFrame writes
// the length once the body is appended.
std::size_t BeginFrame(std::string& out, Message type);
void FinishFrame(std::string& out, std::size_t begin);

}  // namespace bmil::wire

#endif  // BMIL_CORE_RUNNER_WIRE_HPP_
