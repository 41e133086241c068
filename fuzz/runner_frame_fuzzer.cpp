// Fuzzes the runner protocol's decoding (core/src/runner/wire.hpp, channel.hpp): the bytes
// one end of the socket reads from the other, as a stream of frames. The input is put in a
// memfd and read with ReadFrame (4-byte length, then type and body) until the stream ends;
// each frame is split with ParseFrame and its body read as bmil-plugin-runner reads a
// request (kAddBatch: handle, count, that many case views; kAssess/kPropose: handle, model,
// view; the others their few fields) or as the host reads a reply. A frame of any other
// type is read as one case view, so mutations reach the view decoder directly.
// Beyond "no crash, no hang, no leak, no undefined behaviour, never reads outside the
// frame" (the reader's contract):
//  - a decoded view is one the host could have built: every string lies inside the frame,
//    every index is in range (a task's model, a portfolio, a financing model), at most
//    BMIL_MAX_IDS blocks and lines;
//  - decoding round-trips: EncodeView() of a decoded view gives back exactly the bytes it
//    was decoded from, and decoding those again and encoding gives the same bytes.
#include "runner/channel.hpp"
#include "runner/wire.hpp"

#include <bmil/abi.h>

#include "fuzz_support.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace {

using bmil::fuzz::Broken;
using bmil::wire::Message;
using bmil::wire::Reader;

// Frames are bounded far below the protocol's 512 MiB: ReadFrame allocates the length it is
// told (under the bound) before reading, and fuzz inputs are at most a few MiB anyway.
constexpr std::size_t kMaxFrame = std::size_t{8} << 20;

class FrameChecker {
 public:
  explicit FrameChecker(std::string_view frame) : frame_(frame) {}

  // The strings of `view` lie within the frame; indexes are in range.
  void CheckView(const bmil_case_view& v) const {
    Inside(v.id);
    Inside(v.name);
    Inside(v.industry);
    Inside(v.country);
    Inside(v.attributes_json);
    if (v.block_count > BMIL_MAX_IDS || v.line_count > BMIL_MAX_IDS) {
      Broken("a decoded view has more than BMIL_MAX_IDS blocks or lines");
    }
    for (std::uint32_t i = 0; i < v.block_count; ++i) Inside(v.block_ids[i]);
    for (std::uint32_t i = 0; i < v.line_count; ++i) Inside(v.line_ids[i]);
    for (std::uint32_t i = 0; i < v.portfolio_count; ++i) {
      Inside(v.portfolios[i].id);
      Inside(v.portfolios[i].name);
    }
    for (std::uint32_t m = 0; m < v.business_model_count; ++m) {
      const bmil_business_model_view& model = v.business_models[m];
      Inside(model.id);
      Inside(model.name);
      Inside(model.description);
      Inside(model.attributes_json);
      Inside(model.value_formula.currency);
      if (model.portfolio != BMIL_NO_INDEX && model.portfolio >= v.portfolio_count) {
        Broken("a decoded model's portfolio index is out of range");
      }
      for (std::uint32_t i = 0; i < model.industry_count; ++i) Inside(model.industries[i].id);
      for (std::uint32_t b = 0; b < v.block_count; ++b) {
        const bmil_block_view& block = model.blocks[b];
        Inside(block.description);
        for (std::uint32_t k = 0; k < block.item_count; ++k) Inside(block.items[k]);
      }
      for (std::uint32_t i = 0; i < model.carried_by_count; ++i) {
        if (model.carried_by[i] >= v.business_model_count) {
          Broken("a decoded model's financing model index is out of range");
        }
      }
    }
    for (std::uint32_t t = 0; t < v.task_count; ++t) {
      const bmil_task_view& task = v.tasks[t];
      Inside(task.id);
      Inside(task.description);
      Inside(task.attributes_json);
      if (task.business_model >= v.business_model_count) {
        Broken("a decoded task's business model index is out of range");
      }
    }
    for (std::uint32_t i = 0; i < v.strategy.goal_count; ++i) Inside(v.strategy.goals[i]);
  }

 private:
  void Inside(const bmil_str& s) const {
    if (s.size == 0) return;
    const char* begin = frame_.data();
    const char* end = begin + frame_.size();
    if (s.data < begin || s.data > end || s.size > static_cast<std::size_t>(end - s.data)) {
      Broken("a decoded string points outside its frame");
    }
  }
  std::string_view frame_;
};

// Reads views from `in` as the runner does, one DecodedView reused for all of them; checks
// each and its round trip. False when a view does not decode (the runner replies kError).
bool ReadViews(Reader& in, std::uint32_t count, std::string_view body, const FrameChecker& check) {
  static bmil::wire::DecodedView view;  // reused from view to view, as in the runner
  for (std::uint32_t r = 0; r < count; ++r) {
    const std::size_t begin = body.size() - in.remaining();
    if (!view.Decode(in)) {
      if (!in.failed()) Broken("Decode() returned false without failing the reader");
      return false;
    }
    const std::string_view consumed = body.substr(begin, body.size() - in.remaining() - begin);
    check.CheckView(view.view());

    const std::string encoded = bmil::fuzz::WireBytes(view.view());
    if (encoded != consumed) Broken("EncodeView(Decode(bytes)) is not the bytes decoded");
    Reader again(encoded);
    bmil::wire::DecodedView second;
    if (!second.Decode(again)) Broken("a view EncodeView wrote does not decode", again.why());
    if (again.remaining() != 0) Broken("decoding a view EncodeView wrote leaves bytes over");
    if (bmil::fuzz::WireBytes(second.view()) != encoded) {
      Broken("decoding and encoding a view EncodeView wrote gives other bytes");
    }
  }
  return true;
}

void ReadBody(const bmil::wire::Frame& frame) {
  const FrameChecker check(frame.body);
  Reader in(frame.body);
  switch (frame.type) {
    case Message::kHello:
      in.U32();
      in.U16();
      in.U16();
      in.Str();
      in.Str();
      in.Str();
      in.U32();
      break;
    case Message::kCreate:
    case Message::kFailed:
    case Message::kText:
      in.Str();
      break;
    case Message::kDestroy:
    case Message::kDescribe:
    case Message::kFinish:
    case Message::kSave:
    case Message::kHandle:
      in.U64();
      break;
    case Message::kMerge:
      in.U64();
      in.U64();
      break;
    case Message::kLoad:
      in.U64();
      in.Str();
      break;
    case Message::kAssess:
    case Message::kPropose:
      in.U64();
      in.U32();
      ReadViews(in, 1, frame.body, check);
      break;
    case Message::kAddBatch: {
      in.U64();
      const std::uint32_t n = in.Count(1);
      ReadViews(in, n, frame.body, check);
      break;
    }
    case Message::kReady:
      in.U32();
      in.U32();
      break;
    case Message::kError:
      in.U32();
      in.Str();
      in.U32();
      break;
    case Message::kPrepare:
      in.U64();
      in.I32();
      in.U32();
      ReadViews(in, 1, frame.body, check);
      break;
    case Message::kEvaluate: {
      in.U64();
      const std::uint32_t draws = in.U32();
      const std::uint32_t drivers = in.U32();
      in.U32();
      for (std::uint64_t i = 0, n = std::uint64_t{draws} * drivers; i < n && !in.failed(); ++i)
        in.F64();
      break;
    }
    case Message::kValues: {
      const std::uint32_t n = in.Count(8);
      for (std::uint32_t i = 0; i < n && !in.failed(); ++i) in.F64();
      break;
    }
    case Message::kState: {
      // The runner's state for `plugins check`: decodes, and what decodes encodes back to
      // the same body.
      bmil::wire::RunnerState state;
      if (bmil::wire::DecodeState(frame.body, state)) {
        std::string again;
        bmil::wire::EncodeState(state, again);
        if (again.size() < 5 ||
            std::string_view(again).substr(5) != frame.body.substr(0, again.size() - 5)) {
          Broken("EncodeState(DecodeState(body)) is not the body decoded");
        }
      }
      return;
    }
    case Message::kInspect:
    case Message::kShutdown:
    case Message::kOk:
      break;
    default:
      ReadViews(in, 1, frame.body, check);
      break;
  }
  if (in.failed() && in.remaining() != 0) Broken("a failed reader still has bytes to give");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static bmil::fuzz::MemoryFile file;
  const int fd = file.Hold(std::string_view(reinterpret_cast<const char*>(data), size));
  std::string payload;
  for (;;) {
    const bmil::wire::ReadStatus status = bmil::wire::ReadFrame(fd, kMaxFrame, payload);
    if (status != bmil::wire::ReadStatus::kOk) {
      if (status == bmil::wire::ReadStatus::kError || status == bmil::wire::ReadStatus::kGaveUp) {
        Broken("ReadFrame failed on a readable file without a deadline");
      }
      break;
    }
    bmil::wire::Frame frame;
    if (!bmil::wire::ParseFrame(payload, frame)) {
      if (!payload.empty()) Broken("ParseFrame refused a frame that is not empty");
      continue;
    }
    if (frame.body.size() + 1 != payload.size()) Broken("ParseFrame lost bytes of the frame");
    ReadBody(frame);
  }
  return 0;
}
