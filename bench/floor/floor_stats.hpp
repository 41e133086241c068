// What the reference programs of bench/floor share: the statistics `bmil batch` is
// measured against, counted exactly as bmil's analyzers count them, their JSON output, the
// chunked line reader, the throughput line and the program's loop over the records. No bmil code:
// the programs must stay a hand-written floor, and compare_with_bmil.py holds their numbers to
// bmil's.
//
// The statistics, and the analyzer and table/matrix each one must equal:
//   block mentions and shares      block_focus, table "blocks"
//   line mentions and shares       line_mix, table "lines"
//   the line x block canvas        canvas, matrix "canvas" (all business models)
//   yearly line shares             line_mix, table "lines_by_year"
//   line co-occurrence             orchestration, matrix "line_cooccurrence"
//
// Counting rules (the analyzers' own, see docs/analyses.md):
// - A task counts only when its `business_model` names a business model of its case (the
//   analyzers skip any other task; bmil's loader rejects such a case before, so on valid
//   data no task is skipped).
// - Blocks and lines of a task are sets: a task adds 1 to each distinct block (a block
//   mention), to each distinct line (a line mention), to each (line, block) cell of the
//   canvas and to each ordered pair (a, b) of its lines, the diagonal (a, a) included.
// - A task's year is the year of `period.start` as bmil's YearOf reads it: four digits
//   followed by the end or "-", otherwise no year. A task without a year counts in every
//   total and in "year not stated", never on the time axis.
// - Ids outside the seven built-in blocks and lines are ignored (bmil rejects the case).
// - Ranks: most mentions first, ties in registration order (the order of kBlocks/kLines).
#ifndef BMIL_BENCH_FLOOR_FLOOR_STATS_HPP_
#define BMIL_BENCH_FLOOR_FLOOR_STATS_HPP_

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bmil::bench {

inline constexpr int kBlockCount = 7;
inline constexpr int kLineCount = 7;
// Registration order of bmil's built-in blocks and bundled line plugins.
inline constexpr std::array<std::string_view, kBlockCount> kBlocks = {
    "value_proposition", "customers", "value_chain",  "competences",
    "network",           "relations", "value_formula"};
inline constexpr std::array<std::string_view, kLineCount> kLines = {
    "value", "customer", "value_chain", "competence", "network", "relation", "process"};
// YearOf gives 0 (no year) or a four-digit year.
inline constexpr int kYearSlots = 10000;

// Index of a built-in block id in kBlocks, or -1.
inline int BlockIndex(std::string_view id) {
  switch (id.size()) {
    case 7:
      return id == "network" ? 4 : -1;
    case 9:
      return id == "customers" ? 1 : id == "relations" ? 5 : -1;
    case 11:
      return id == "value_chain" ? 2 : id == "competences" ? 3 : -1;
    case 13:
      return id == "value_formula" ? 6 : -1;
    case 17:
      return id == "value_proposition" ? 0 : -1;
    default:
      return -1;
  }
}

// Index of a bundled leadership line id in kLines, or -1.
inline int LineIndex(std::string_view id) {
  switch (id.size()) {
    case 5:
      return id == "value" ? 0 : -1;
    case 7:
      return id == "network" ? 4 : id == "process" ? 6 : -1;
    case 8:
      return id == "customer" ? 1 : id == "relation" ? 5 : -1;
    case 10:
      return id == "competence" ? 3 : -1;
    case 11:
      return id == "value_chain" ? 2 : -1;
    default:
      return -1;
  }
}

// The year of a case date as bmil reads it (core/src/model/flat_case.cpp, YearOf): the
// first four characters when they are digits and followed by the end or "-", else 0.
inline int YearOf(std::string_view date) {
  if (date.size() < 4 || (date.size() > 4 && date[4] != '-')) return 0;
  int year = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    if (date[i] < '0' || date[i] > '9') return 0;
    year = year * 10 + (date[i] - '0');
  }
  return year;
}

// A retired model's tasks are neither AS IS nor TO BE innovation (as block_focus and
// line_mix count them, issue 17), whatever its state.
enum class ModelState : std::uint8_t { kNotStated, kAsIs, kToBe, kRetired };

inline ModelState StateOf(std::string_view state, bool retired = false) {
  if (retired) return ModelState::kRetired;
  if (state == "as_is") return ModelState::kAsIs;
  if (state == "to_be") return ModelState::kToBe;
  return ModelState::kNotStated;
}

// A task as read from its record, before its business model is resolved. `model` borrows
// the parser's memory and is valid while the record is.
struct PendingTask {
  std::string_view model;
  std::uint32_t blocks = 0;  // bit i: kBlocks[i]
  std::uint32_t lines = 0;   // bit i: kLines[i]
  int year = 0;              // 0: not stated
};

struct PendingModel {
  std::string_view id;
  ModelState state = ModelState::kNotStated;
  bool retired = false;  // stage "retired": state becomes kRetired once the model is read
};

// The statistics of a stream of cases. Thread-compatible; about 0.7 MB, allocated once.
class FloorStats {
 public:
  FloorStats() : year_lines_(new std::array<std::int64_t, kLineCount>[kYearSlots]()) {}

  // Counts one case from its models and tasks, read in any order: resolves each task's
  // model (the first with that id, as bmil does) and skips tasks naming none.
  void AddCase(const std::vector<PendingModel>& models, const std::vector<PendingTask>& tasks) {
    ++businesses_;
    for (const PendingTask& task : tasks) {
      const PendingModel* model = nullptr;
      for (const PendingModel& m : models) {
        if (m.id == task.model) {
          model = &m;
          break;
        }
      }
      if (model != nullptr) AddTask(model->state, task.blocks, task.lines, task.year);
    }
  }

  // Counts one task of a known business model. `year` is 0 when not stated.
  void AddTask(ModelState state, std::uint32_t blocks, std::uint32_t lines, int year) {
    ++tasks_;
    if (state == ModelState::kAsIs) ++tasks_as_is_;
    if (state == ModelState::kToBe) ++tasks_to_be_;
    if (year == 0) {
      ++tasks_no_year_;
    } else {
      ++year_tasks_[year];
    }
    for (std::uint32_t b = blocks; b != 0; b &= b - 1) ++block_mentions_[std::countr_zero(b)];
    for (std::uint32_t l = lines; l != 0; l &= l - 1) {
      const int line = std::countr_zero(l);
      ++line_mentions_[line];
      if (year == 0) {
        ++line_no_year_[line];
      } else {
        ++year_lines_[year][line];
      }
      for (std::uint32_t b = blocks; b != 0; b &= b - 1) ++canvas_[line][std::countr_zero(b)];
      for (std::uint32_t o = lines; o != 0; o &= o - 1) ++cooccurrence_[line][std::countr_zero(o)];
    }
  }

  // Writes the statistics as one JSON document (format in bench/README.md).
  void Print(std::FILE* out) const {
    std::string s;
    s += "{\n  \"businesses\": " + std::to_string(businesses_);
    s += ",\n  \"tasks\": " + std::to_string(tasks_);
    s += ",\n  \"tasks_as_is\": " + std::to_string(tasks_as_is_);
    s += ",\n  \"tasks_to_be\": " + std::to_string(tasks_to_be_);
    s += ",\n  \"tasks_year_not_stated\": " + std::to_string(tasks_no_year_);
    std::int64_t block_total = 0, line_total = 0, no_year_total = 0;
    for (int b = 0; b < kBlockCount; ++b) block_total += block_mentions_[b];
    for (int l = 0; l < kLineCount; ++l) {
      line_total += line_mentions_[l];
      no_year_total += line_no_year_[l];
    }
    s += ",\n  \"block_mentions\": " + std::to_string(block_total);
    s += ",\n  \"line_mentions\": " + std::to_string(line_total);
    s += ",\n  \"line_mentions_year_not_stated\": " + std::to_string(no_year_total);

    s += ",\n  \"blocks\": [";
    std::int64_t running = 0;
    const auto blocks = Ranked(block_mentions_);
    for (std::size_t i = 0; i < blocks.size(); ++i) {
      const auto [b, n] = blocks[i];
      running += n;
      s += std::string(i ? "," : "") + "\n    {\"rank\": " + std::to_string(i + 1) +
           ", \"block\": \"" + std::string(kBlocks[b]) + "\", \"mentions\": " + std::to_string(n) +
           ", \"share\": " + Share(n, block_total) +
           ", \"cumulative_share\": " + Share(running, block_total) + "}";
    }
    s += "\n  ],\n  \"lines\": [";
    const auto lines = Ranked(line_mentions_);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const auto [l, n] = lines[i];
      s += std::string(i ? "," : "") + "\n    {\"rank\": " + std::to_string(i + 1) +
           ", \"line\": \"" + std::string(kLines[l]) + "\", \"mentions\": " + std::to_string(n) +
           ", \"share\": " + Share(n, line_total) +
           ", \"year_not_stated\": " + std::to_string(line_no_year_[l]) + "}";
    }
    s += "\n  ],\n  \"lines_by_year\": [";
    bool first = true;
    for (int year = 1; year < kYearSlots; ++year) {
      std::int64_t year_total = 0;
      for (int l = 0; l < kLineCount; ++l) year_total += year_lines_[year][l];
      if (year_total == 0) continue;  // line_mix lists the years with a line mention
      s += std::string(first ? "" : ",") + "\n    {\"year\": " + std::to_string(year) +
           ", \"tasks\": " + std::to_string(year_tasks_[year]) +
           ", \"mentions\": " + std::to_string(year_total) + ", \"shares\": {";
      for (int l = 0; l < kLineCount; ++l)
        s += std::string(l ? ", " : "") + "\"" + std::string(kLines[l]) +
             "\": " + Share(year_lines_[year][l], year_total);
      s += "}}";
      first = false;
    }
    s += "\n  ],\n  \"canvas\": " + Matrix(canvas_, kLines, kBlocks);
    s += ",\n  \"line_cooccurrence\": " + Matrix(cooccurrence_, kLines, kLines);
    s += "\n}\n";
    std::fwrite(s.data(), 1, s.size(), out);
  }

  std::int64_t businesses() const { return businesses_; }

 private:
  template <std::size_t N>
  static std::vector<std::pair<int, std::int64_t>> Ranked(
      const std::array<std::int64_t, N>& counts) {
    std::vector<std::pair<int, std::int64_t>> ranked;
    for (std::size_t i = 0; i < N; ++i) ranked.emplace_back(static_cast<int>(i), counts[i]);
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    return ranked;
  }

  // part / whole as bmil computes it (a double division), "null" when whole is 0. 17
  // significant digits print every double exactly.
  static std::string Share(std::int64_t part, std::int64_t whole) {
    if (whole == 0) return "null";
    char text[32];
    std::snprintf(text, sizeof text, "%.17g",
                  static_cast<double>(part) / static_cast<double>(whole));
    return text;
  }

  template <std::size_t R, std::size_t C>
  static std::string Matrix(const std::array<std::array<std::int64_t, C>, R>& values,
                            const std::array<std::string_view, R>& rows,
                            const std::array<std::string_view, C>& columns) {
    auto ids = [](const auto& axis) {
      std::string out = "[";
      for (std::size_t i = 0; i < axis.size(); ++i)
        out += std::string(i ? ", " : "") + "\"" + std::string(axis[i]) + "\"";
      return out + "]";
    };
    std::string out =
        "{\"rows\": " + ids(rows) + ", \"columns\": " + ids(columns) + ",\n    \"values\": [";
    for (std::size_t r = 0; r < R; ++r) {
      out += std::string(r ? ",\n               " : "") + "[";
      for (std::size_t c = 0; c < C; ++c)
        out += std::string(c ? ", " : "") + std::to_string(values[r][c]);
      out += "]";
    }
    return out + "]}";
  }

  std::int64_t businesses_ = 0;
  std::int64_t tasks_ = 0, tasks_as_is_ = 0, tasks_to_be_ = 0, tasks_no_year_ = 0;
  std::array<std::int64_t, kBlockCount> block_mentions_{};
  std::array<std::int64_t, kLineCount> line_mentions_{};
  std::array<std::int64_t, kLineCount> line_no_year_{};
  std::array<std::array<std::int64_t, kBlockCount>, kLineCount> canvas_{};
  std::array<std::array<std::int64_t, kLineCount>, kLineCount> cooccurrence_{};
  std::array<std::int64_t, kYearSlots> year_tasks_{};
  std::unique_ptr<std::array<std::int64_t, kLineCount>[]> year_lines_;  // [year][line]
};

// Reads a file in chunks of about `chunk_size` bytes and hands out runs of whole lines, so
// memory stays at the chunk size whatever the file size (a line longer than a chunk grows
// the buffer to hold it). Every run is followed by at least `padding` readable bytes of
// the buffer, as simdjson requires (SIMDJSON_PADDING). Thread-compatible.
class ChunkReader {
 public:
  // Opens `path` ("-" for standard input); ok() says whether that worked.
  ChunkReader(const char* path, std::size_t chunk_size, std::size_t padding)
      : fd_(std::strcmp(path, "-") == 0 ? 0 : ::open(path, O_RDONLY | O_CLOEXEC)),
        padding_(padding),
        capacity_(chunk_size),
        buffer_(new char[capacity_ + padding_]) {
    if (fd_ > 0) ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
  }
  ~ChunkReader() {
    if (fd_ > 0) ::close(fd_);
  }
  ChunkReader(const ChunkReader&) = delete;
  ChunkReader& operator=(const ChunkReader&) = delete;

  bool ok() const { return fd_ >= 0; }
  bool failed() const { return failed_; }  // a read error ended the stream
  std::uint64_t bytes() const { return bytes_; }

  // The next run of whole lines, [*data, *data + *size): it ends just after a '\n', or at
  // the end of the file. Valid until the next call. False at the end (or on a read error).
  bool Next(const char** data, std::size_t* size) {
    std::memmove(buffer_.get(), buffer_.get() + next_, end_ - next_);
    end_ -= next_;
    next_ = 0;
    for (;;) {
      while (!eof_ && end_ < capacity_) {
        const ssize_t n = ::read(fd_, buffer_.get() + end_, capacity_ - end_);
        if (n < 0) {
          failed_ = eof_ = true;
          break;
        }
        if (n == 0) eof_ = true;
        end_ += static_cast<std::size_t>(n);
        bytes_ += static_cast<std::uint64_t>(n);
      }
      const void* last = end_ == 0 ? nullptr : ::memrchr(buffer_.get(), '\n', end_);
      if (last != nullptr) {
        next_ = static_cast<std::size_t>(static_cast<const char*>(last) - buffer_.get()) + 1;
      } else if (eof_) {
        next_ = end_;  // the last line has no '\n'
      } else {
        Grow();  // one line longer than the buffer
        continue;
      }
      *data = buffer_.get();
      *size = next_;
      return next_ > 0;
    }
  }

 private:
  void Grow() {
    std::unique_ptr<char[]> bigger(new char[2 * capacity_ + padding_]);
    std::memcpy(bigger.get(), buffer_.get(), end_);
    buffer_ = std::move(bigger);
    capacity_ *= 2;
  }

  int fd_;
  std::size_t padding_;
  std::size_t capacity_;
  std::unique_ptr<char[]> buffer_;  // capacity_ + padding_ bytes
  std::size_t end_ = 0;             // bytes held
  std::size_t next_ = 0;            // start of the bytes not handed out yet
  std::uint64_t bytes_ = 0;
  bool eof_ = false;
  bool failed_ = false;
};

// Calls `on_line(begin, size)` for every line of [data, data + size) that holds more than
// whitespace, without its '\n' (and '\r').
template <typename F>
void ForEachLine(const char* data, std::size_t size, F&& on_line) {
  const char* end = data + size;
  while (data < end) {
    const char* newline = static_cast<const char*>(std::memchr(data, '\n', end - data));
    const char* line_end = newline == nullptr ? end : newline;
    const char* last = line_end;
    while (last > data && (last[-1] == '\r' || last[-1] == ' ' || last[-1] == '\t')) --last;
    const char* first = data;
    while (first < last && (*first == ' ' || *first == '\t')) ++first;
    if (first < last) on_line(first, static_cast<std::size_t>(last - first));
    data = newline == nullptr ? end : newline + 1;
  }
}

// Wall time since construction, and the line both programs print on standard error.
class Throughput {
 public:
  Throughput() : start_(std::chrono::steady_clock::now()) {}
  double Seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  // "<records> records, <bytes> bytes, <seconds> s, <MB/s> MB/s" (MB = 10^6 bytes), plus the
  // records that could not be read, if any.
  void Report(std::int64_t records, std::uint64_t bytes, std::int64_t failed) const {
    const double seconds = Seconds();
    std::fprintf(stderr, "%lld records, %llu bytes, %.3f s, %.1f MB/s",
                 static_cast<long long>(records), static_cast<unsigned long long>(bytes), seconds,
                 seconds > 0 ? static_cast<double>(bytes) / 1e6 / seconds : 0.0);
    if (failed > 0)
      std::fprintf(stderr, " (%lld records not parsed)", static_cast<long long>(failed));
    std::fprintf(stderr, "\n");
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

// Read buffer of every program: large enough that read(2) calls are few, small enough to
// stay in L2.
inline constexpr std::size_t kReadChunk = std::size_t{1} << 20;

// The main() of every program: `argv` must be one input, a path or "-" (else the usage, exit
// 2). Reads it with a ChunkReader (`padding` bytes after each run) and calls
// `read(line, size, capacity)` for every record, `capacity` being the readable bytes from
// `line` (the rest of the run, then the padding). `read` returns "" when it read the record,
// else why not; the first 10 failures go to standard error as "record N: why". Then
// `finish(records)` prints the program's output, and the throughput line follows. Returns the exit
// status: 1 when the input cannot be read or a record failed, else 0.
template <typename Read, typename Finish>
int RunOverRecords(int argc, char** argv, std::size_t padding, Read read, Finish finish) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <cases.jsonl|->\n", argv[0]);
    return 2;
  }
  const Throughput clock;
  ChunkReader reader(argv[1], kReadChunk, padding);
  if (!reader.ok()) {
    std::perror(argv[1]);
    return 1;
  }
  std::int64_t records = 0, failed = 0;
  const char* chunk = nullptr;
  std::size_t chunk_size = 0;
  while (reader.Next(&chunk, &chunk_size)) {
    const char* chunk_end = chunk + chunk_size;
    ForEachLine(chunk, chunk_size, [&](const char* line, std::size_t size) {
      ++records;
      const std::string why =
          read(line, size, static_cast<std::size_t>(chunk_end - line) + padding);
      if (!why.empty() && ++failed <= 10)
        std::fprintf(stderr, "record %lld: %s\n", static_cast<long long>(records), why.c_str());
    });
  }
  finish(records);
  clock.Report(records, reader.bytes(), failed);
  return reader.failed() || failed > 0 ? 1 : 0;
}

}  // namespace bmil::bench

#endif  // BMIL_BENCH_FLOOR_FLOOR_STATS_HPP_
