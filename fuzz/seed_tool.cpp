// Makes the seed inputs scripts/fuzz.sh cannot make with bmil itself or a shell tool:
//   seed_tool frames OUT_DIR CASE.json...  runner-protocol conversations carrying the flat
//                                          views of the cases (one file per case, and one
//                                          kAddBatch of all of them), and reply frames
//   seed_tool unseal PART.bmilpart OUT     the body a sealed part holds (what ReadPart reads)
//   seed_tool elf-extended ELF64 OUT       the ELF file with extended section numbering
//                                          (e_shnum and e_shstrndx moved into section 0)
//   seed_tool control PLAN_DIR LOG_DIR     the checkin_log target's fixed plan
//                                          (fixed_plan.hpp) into PLAN_DIR, and check-in
//                                          logs of it into LOG_DIR: whole hash chains, and
//                                          one cut, one edited, one of another plan
// Exit status 0 on success, 1 with a message on stderr on failure, 2 on a usage error.
#include <bmil/case_io.hpp>
#include <bmil/flat_case.hpp>

#include "batch/part_format.hpp"
#include "control/checkin_log.hpp"
#include "control/plan.hpp"
#include "io/digest.hpp"
#include "runner/wire.hpp"

#include "fixed_plan.hpp"
#include "fuzz_support.hpp"

#include <elf.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

namespace fs = std::filesystem;
using bmil::wire::Message;

bool ReadFile(const fs::path& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), {});
  return true;
}

bool WriteFile(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(out);
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "seed_tool: %s\n", message.c_str());
  return 1;
}

// Appends one whole frame: `type`, then what `body` writes.
template <typename Body>
void Frame(std::string& out, Message type, Body&& body) {
  const std::size_t begin = bmil::wire::BeginFrame(out, type);
  bmil::wire::Writer writer(out);
  body(writer);
  bmil::wire::FinishFrame(out, begin);
}

// A host's side of a conversation with the runner: hello, create, then `views` added in one
// batch, assessed, merged, loaded, finished; a model prepared and evaluated; the runner
// inspected and shut down.
std::string Conversation(const std::vector<const bmil_case_view*>& views) {
  std::string out;
  Frame(out, Message::kHello, [](bmil::wire::Writer& w) {
    w.U32(bmil::wire::kProtocolVersion);
    w.U16(BMIL_ABI_MAJOR);
    w.U16(BMIL_ABI_MINOR);
    w.Str("0.1.0");
    w.Str("canvas");
    w.Str("1.0.0");
    w.U32(1);
  });
  Frame(out, Message::kCreate, [](bmil::wire::Writer& w) { w.Str(R"({"lines":[]})"); });
  Frame(out, Message::kAddBatch, [&](bmil::wire::Writer& w) {
    w.U64(1);
    w.U32(static_cast<std::uint32_t>(views.size()));
    for (const bmil_case_view* v : views) bmil::wire::EncodeView(*v, w);
  });
  Frame(out, Message::kAssess, [&](bmil::wire::Writer& w) {
    w.U64(1);
    w.U32(0);
    bmil::wire::EncodeView(*views.front(), w);
  });
  Frame(out, Message::kMerge, [](bmil::wire::Writer& w) {
    w.U64(1);
    w.U64(2);
  });
  Frame(out, Message::kLoad, [](bmil::wire::Writer& w) {
    w.U64(1);
    w.Str(R"({"count":1})");
  });
  Frame(out, Message::kFinish, [](bmil::wire::Writer& w) { w.U64(1); });
  Frame(out, Message::kPrepare, [&](bmil::wire::Writer& w) {
    w.U64(1);
    w.I32(2012);
    w.U32(5);
    bmil::wire::EncodeView(*views.front(), w);
  });
  Frame(out, Message::kEvaluate, [](bmil::wire::Writer& w) {
    w.U64(1);
    w.U32(2);  // draws
    w.U32(3);  // drivers
    w.U32(1);  // outputs per draw
    for (double x : {0.1, 0.2, 0.3, 0.4, 0.5, 0.6}) w.F64(x);
  });
  Frame(out, Message::kInspect, [](bmil::wire::Writer&) {});
  Frame(out, Message::kShutdown, [](bmil::wire::Writer&) {});
  return out;
}

// The runner's side: ready, a handle, a text, an error naming a record, ok, failed, the
// values of an evaluation and the runner's state for `plugins check`.
std::string Replies() {
  std::string out;
  Frame(out, Message::kReady, [](bmil::wire::Writer& w) {
    w.U32(bmil::wire::kProtocolVersion);
    w.U32(0x3FF);
  });
  Frame(out, Message::kHandle, [](bmil::wire::Writer& w) { w.U64(1); });
  Frame(out, Message::kText, [](bmil::wire::Writer& w) { w.Str(R"({"tables":[]})"); });
  Frame(out, Message::kError, [](bmil::wire::Writer& w) {
    w.U32(3);
    w.Str("invalid argument");
    w.U32(2);
  });
  Frame(out, Message::kOk, [](bmil::wire::Writer&) {});
  Frame(out, Message::kFailed, [](bmil::wire::Writer& w) { w.Str("cannot load"); });
  Frame(out, Message::kValues, [](bmil::wire::Writer& w) {
    w.U32(2);
    w.F64(1.5);
    w.F64(-2.25);
  });
  bmil::wire::EncodeState({"active: no network", 12 << 20, 1, "add on case \"sample_busy\""}, out);
  return out;
}

int Frames(const fs::path& out_dir, const std::vector<fs::path>& cases) {
  const bmil::Registry& registry = bmil::fuzz::BundledRegistry();
  std::vector<std::unique_ptr<bmil::FlatCase>> flats;
  std::vector<const bmil_case_view*> all;
  for (const fs::path& path : cases) {
    const bmil::LoadResult loaded = bmil::LoadCaseFile(path, registry);
    if (!loaded.ok()) return Fail(loaded.diagnostics.front().ToString());
    flats.push_back(std::make_unique<bmil::FlatCase>(*loaded.value, registry));
    const bmil_case_view* view = &flats.back()->view();
    all.push_back(view);
    const std::string stem = path.stem().string();
    // One view alone, in a frame of a type no message has: read as a bare view.
    std::string bare;
    Frame(bare, Message{0}, [&](bmil::wire::Writer& w) { bmil::wire::EncodeView(*view, w); });
    if (!WriteFile(out_dir / ("conversation_" + stem), Conversation({view})) ||
        !WriteFile(out_dir / ("view_" + stem), bare)) {
      return Fail("cannot write into " + out_dir.string());
    }
  }
  if (all.empty()) return Fail("frames: no case files given");
  if (!WriteFile(out_dir / "conversation_all", Conversation(all)) ||
      !WriteFile(out_dir / "replies", Replies())) {
    return Fail("cannot write into " + out_dir.string());
  }
  return 0;
}

int Unseal(const fs::path& part, const fs::path& out) {
  std::string text;
  if (!ReadFile(part, text)) return Fail("cannot read " + part.string());
  const bmil::Result<std::string> body = bmil::UnsealPart(text);
  if (!body.ok()) return Fail(part.string() + ": " + body.error());
  return WriteFile(out, *body) ? 0 : Fail("cannot write " + out.string());
}

// ELF64, little-endian (the machine's own order, read through <elf.h>'s structs).
int ElfExtended(const fs::path& in, const fs::path& out) {
  std::string bytes;
  if (!ReadFile(in, bytes)) return Fail("cannot read " + in.string());
  Elf64_Ehdr header;
  if (bytes.size() < sizeof header) return Fail(in.string() + ": too short for an ELF header");
  std::memcpy(&header, bytes.data(), sizeof header);
  if (std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 || header.e_ident[EI_CLASS] != ELFCLASS64 ||
      header.e_ident[EI_DATA] != ELFDATA2LSB || header.e_shoff == 0 || header.e_shnum == 0 ||
      header.e_shoff + sizeof(Elf64_Shdr) > bytes.size()) {
    return Fail(in.string() + ": not a little-endian ELF64 file with sections");
  }
  Elf64_Shdr first;
  std::memcpy(&first, bytes.data() + header.e_shoff, sizeof first);
  first.sh_size = header.e_shnum;
  first.sh_link = header.e_shstrndx;
  header.e_shnum = 0;
  header.e_shstrndx = SHN_XINDEX;
  std::memcpy(bytes.data(), &header, sizeof header);
  std::memcpy(bytes.data() + header.e_shoff, &first, sizeof first);
  return WriteFile(out, bytes) ? 0 : Fail("cannot write " + out.string());
}

// The events of the seed logs, for the fixed plan: KPI actuals, task changes, a confidence
// and notes (with escapes and non-ASCII text), a rebaseline of a scenario KPI with its band
// and of the manual KPI without one, two events recorded at the same time.
std::vector<bmil::control::Event> SeedEvents() {
  using bmil::TaskStatus;
  using bmil::control::Event;
  using bmil::control::Rebaseline;
  using bmil::control::TaskChange;
  std::vector<Event> events(4);
  Event& first = events[0];
  first.at = "2011-03-31T09:12:00Z";
  first.author = "anna";
  first.date = "2011-03-31";
  first.kpis = {{"profit", -80000}, {"cost.core", 820.5}};
  first.tasks = {{"f1", TaskChange{TaskStatus::kOngoing, 0.4, 3}}};
  first.confidence = 0.6;
  first.note = "first quarter closed";
  Event& second = events[1];
  second.at = "2011-06-30T10:00:00Z";
  second.author =
      "M\xC3\xA4rta \"M\" \xC3\x96"
      "berg";
  second.date = "2011-06-30";
  second.rebaseline =
      Rebaseline{"profit",
                 {{"2012-12-31", 5000, -8000, 20000}, {"2013-12-31", 20000, -15000, 60000}},
                 "the partner left"};
  Event& third = events[2];
  third.at = "2011-06-30T10:00:00Z";
  third.author = "anna";
  third.date = "2011-06-30";
  third.kpis = {{"nps", 38}};
  third.rebaseline = Rebaseline{
      "nps", {{"2013-12-31", 42, std::nullopt, std::nullopt}}, "the survey moved to the autumn"};
  Event& fourth = events[3];
  fourth.at = "2011-09-30T08:00:00Z";
  fourth.author = "anna";
  fourth.date = "2011-09-29";
  fourth.tasks = {{"f1", TaskChange{TaskStatus::kCompleted, 1, 6.5}},
                  {"f2", TaskChange{TaskStatus::kAbandoned, std::nullopt, std::nullopt}},
                  {"n1", TaskChange{std::nullopt, 0.5, 1}}};
  fourth.new_tasks = {bmil::control::NewTask{
      "n1", "core", {"value", "customer"}, {"value_proposition"}, TaskStatus::kOngoing, 2}};
  fourth.confidence = 0.25;
  fourth.note =
      "\xC3\xBCn\xC3\xAF"
      "c\xC3\xB6"
      "d\xC3\xA9 \xE2\x9C\x93, a \\ backslash,\ta tab\n"
      "and a second line";
  return events;
}

// The lines of `events` chained from `prev` (seq, prev and hash set), each with its newline.
std::string Chain(std::vector<bmil::control::Event> events, const std::string& prev) {
  std::string out;
  for (std::size_t i = 0; i < events.size(); ++i) {
    events[i].seq = static_cast<std::int64_t>(i) + 1;
    events[i].prev = i == 0 ? prev : events[i - 1].hash;
    out += bmil::control::EventLine(events[i]) + "\n";
  }
  return out;
}

int Control(const fs::path& plan_dir, const fs::path& log_dir) {
  const bmil::control::PlanReadResult plan =
      bmil::control::ReadPlan(bmil::fuzz::kFixedPlan, "fixed_plan.json");
  if (!plan.value) {
    return Fail("control: the fixed plan is refused: " + plan.problems.front().ToString());
  }
  const std::string& xxh3 = bmil::fuzz::FixedPlanXxh3();
  const std::vector<bmil::control::Event> events = SeedEvents();
  const std::string whole = Chain(events, xxh3);
  const bmil::control::LogReadResult read =
      bmil::control::ReadLog(whole, "seed.checkins.jsonl", *plan.value, xxh3);
  if (!read.problems.empty()) {
    return Fail("control: the seed log is refused: " + read.problems.front().ToString());
  }
  if (read.events.size() != events.size()) return Fail("control: events of the seed log lost");
  std::string edited = whole;
  edited.replace(edited.find("-80000"), 6, "-80001");
  const std::vector<std::pair<std::string, std::string>> logs = {
      {"first_event.jsonl", Chain({events.front()}, xxh3)},
      {"chain.jsonl", whole},
      {"cut.jsonl", whole.substr(0, whole.size() - 20)},  // no newline at its end
      {"edited.jsonl", edited},                           // the first event's hash is off
      {"another_plan.jsonl", Chain(events, std::string(32, '0'))},
  };
  for (const auto& [name, text] : logs) {
    if (!WriteFile(log_dir / name, text)) return Fail("cannot write into " + log_dir.string());
  }
  if (!WriteFile(plan_dir / "fixed_plan.json", bmil::fuzz::kFixedPlan)) {
    return Fail("cannot write into " + plan_dir.string());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() >= 3 && args[0] == "frames") {
    return Frames(args[1], std::vector<fs::path>(args.begin() + 2, args.end()));
  }
  if (args.size() == 3 && args[0] == "unseal") return Unseal(args[1], args[2]);
  if (args.size() == 3 && args[0] == "elf-extended") return ElfExtended(args[1], args[2]);
  if (args.size() == 3 && args[0] == "control") return Control(args[1], args[2]);
  std::fprintf(stderr,
               "usage: seed_tool frames OUT_DIR CASE.json...\n"
               "       seed_tool unseal PART.bmilpart OUT\n"
               "       seed_tool elf-extended ELF64 OUT\n"
               "       seed_tool control PLAN_DIR LOG_DIR\n");
  return 2;
}
