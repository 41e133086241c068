// One definition of a valid case: the batch fast path (FastCaseReader, simdjson On-Demand)
// against the validating loader, on the examples, on generated cases and on thousands of
// mutated records. For every record: the batch decision (RecordParser) accepts exactly when
// the loader does, the fast path never accepts what the loader rejects, and an accepted
// record gives the same flat view as FlatCase over the loaded model, field by field.
#include "batch/fast_case_reader.hpp"
#include "batch/record_parser.hpp"

#include <bmil/case_io.hpp>
#include <bmil/flat_case.hpp>

#include "plugins/analyzer_harness.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <string_view>

namespace bmil {
namespace {

using test::BuiltRegistry;

std::string_view View(bmil_str s) {
  return s.size == 0 ? std::string_view() : std::string_view(s.data, s.size);
}

// The first difference between two views, or "" when they are equal in every field a plugin
// can read.
std::string Difference(const bmil_case_view& a, const bmil_case_view& b) {
  std::ostringstream out;
  auto str = [&](const char* what, bmil_str x, bmil_str y) {
    if (View(x) != View(y) && out.tellp() == 0) {
      out << what << ": \"" << View(x) << "\" vs \"" << View(y) << "\"";
    }
  };
  auto num = [&](const char* what, auto x, auto y) {
    if (!(x == y) && out.tellp() == 0) out << what << ": " << x << " vs " << y;
  };
  num("format_major", a.format_major, b.format_major);
  num("format_minor", a.format_minor, b.format_minor);
  str("id", a.id, b.id);
  str("name", a.name, b.name);
  str("industry", a.industry, b.industry);
  str("country", a.country, b.country);
  num("size", a.size, b.size);
  num("founded", a.founded, b.founded);
  str("attributes", a.attributes_json, b.attributes_json);
  num("block_count", a.block_count, b.block_count);
  for (std::uint32_t i = 0; i < std::min(a.block_count, b.block_count); ++i)
    str("block_ids", a.block_ids[i], b.block_ids[i]);
  num("line_count", a.line_count, b.line_count);
  for (std::uint32_t i = 0; i < std::min(a.line_count, b.line_count); ++i)
    str("line_ids", a.line_ids[i], b.line_ids[i]);
  num("portfolio_count", a.portfolio_count, b.portfolio_count);
  for (std::uint32_t i = 0; out.tellp() == 0 && i < a.portfolio_count; ++i) {
    str("portfolio.id", a.portfolios[i].id, b.portfolios[i].id);
    str("portfolio.name", a.portfolios[i].name, b.portfolios[i].name);
  }
  num("business_model_count", a.business_model_count, b.business_model_count);
  for (std::uint32_t m = 0; out.tellp() == 0 && m < a.business_model_count; ++m) {
    const auto& x = a.business_models[m];
    const auto& y = b.business_models[m];
    str("bm.id", x.id, y.id);
    str("bm.name", x.name, y.name);
    num("bm.state", x.state, y.state);
    num("bm.stage", x.stage, y.stage);
    num("bm.portfolio", x.portfolio, y.portfolio);
    num("bm.industry_count", x.industry_count, y.industry_count);
    for (std::uint32_t i = 0; out.tellp() == 0 && i < x.industry_count; ++i) {
      str("bm.industry.id", x.industries[i].id, y.industries[i].id);
      num("bm.industry.status", x.industries[i].status, y.industries[i].status);
    }
    for (std::uint32_t i = 0; out.tellp() == 0 && i < a.block_count; ++i) {
      const auto& p = x.blocks[i];
      const auto& q = y.blocks[i];
      num("block.present", p.present, q.present);
      num("block.forms", p.forms, q.forms);
      str("block.description", p.description, q.description);
      num("block.item_count", p.item_count, q.item_count);
      for (std::uint32_t k = 0; out.tellp() == 0 && k < p.item_count; ++k)
        str("block.item", p.items[k], q.items[k]);
    }
    const auto& f = x.value_formula;
    const auto& g = y.value_formula;
    num("vf.has_revenue", f.has_revenue, g.has_revenue);
    num("vf.has_cost", f.has_cost, g.has_cost);
    num("vf.has_users", f.has_users, g.has_users);
    num("vf.has_customers", f.has_customers, g.has_customers);
    num("vf.revenue", f.revenue, g.revenue);
    num("vf.cost", f.cost, g.cost);
    num("vf.users", f.users, g.users);
    num("vf.customers", f.customers, g.customers);
    str("vf.currency", f.currency, g.currency);
    num("bm.carried_by_count", x.carried_by_count, y.carried_by_count);
    for (std::uint32_t i = 0; out.tellp() == 0 && i < x.carried_by_count; ++i)
      num("bm.carried_by", x.carried_by[i], y.carried_by[i]);
    str("bm.description", x.description, y.description);
    str("bm.attributes", x.attributes_json, y.attributes_json);
  }
  num("task_count", a.task_count, b.task_count);
  for (std::uint32_t t = 0; out.tellp() == 0 && t < a.task_count; ++t) {
    const auto& x = a.tasks[t];
    const auto& y = b.tasks[t];
    str("task.id", x.id, y.id);
    num("task.business_model", x.business_model, y.business_model);
    num("task.blocks", x.blocks, y.blocks);
    num("task.lines", x.lines, y.lines);
    num("task.action", x.action, y.action);
    num("task.level", x.level, y.level);
    num("task.phase", x.phase, y.phase);
    num("task.status", x.status, y.status);
    num("task.stance", x.stance, y.stance);
    num("task.perspective", x.perspective, y.perspective);
    num("task.start_year", x.start_year, y.start_year);
    num("task.end_year", x.end_year, y.end_year);
    num("task.effort", x.effort, y.effort);
    str("task.description", x.description, y.description);
    str("task.attributes", x.attributes_json, y.attributes_json);
  }
  const auto& s = a.strategy;
  const auto& r = b.strategy;
  num("strategy.explicit", s.explicit_strategy, r.explicit_strategy);
  num("strategy.structured_process", s.structured_process, r.structured_process);
  num("strategy.skills", s.skills, r.skills);
  num("strategy.lines", s.lines, r.lines);
  num("strategy.goal_count", s.goal_count, r.goal_count);
  for (std::uint32_t i = 0; out.tellp() == 0 && i < s.goal_count; ++i)
    str("strategy.goal", s.goals[i], r.goals[i]);
  return out.str();
}

// `text` with the padding the fast path may read past its end.
struct Padded {
  explicit Padded(std::string_view text) : buffer(text) {
    buffer.append(FastCaseReader::kPadding, ' ');
  }
  std::string_view text() const {
    return {buffer.data(), buffer.size() - FastCaseReader::kPadding};
  }
  std::string buffer;
};

// Checks the contract on one record; returns whether the fast path vouched for it.
struct Outcome {
  bool loader_ok = false;
  bool fast_ok = false;
};
Outcome Check(const std::string& record, FastCaseReader& fast, RecordParser& parser) {
  const Padded padded(record);
  Outcome outcome;
  const LoadResult loaded = LoadCaseText(padded.text(), "record", BuiltRegistry());
  outcome.loader_ok = loaded.ok();
  outcome.fast_ok = fast.Read(padded.text());
  std::unique_ptr<FlatCase> flat;
  if (loaded.ok()) flat = std::make_unique<FlatCase>(*loaded.value, BuiltRegistry());
  if (outcome.fast_ok) {
    EXPECT_TRUE(loaded.ok()) << "the fast path accepted what the loader rejects: " << record
                             << "\nloader: " << loaded.diagnostics.front().ToString();
    if (flat) {
      EXPECT_EQ(Difference(fast.view(), flat->view()), "") << record;
    }
  }
  std::vector<Diagnostic> problems;
  const bmil_case_view* view = parser.Parse(padded.text(), "record", 7, problems);
  EXPECT_EQ(view != nullptr, loaded.ok()) << record;
  if (view != nullptr && flat) {
    EXPECT_EQ(Difference(*view, flat->view()), "") << record;
  }
  if (view == nullptr) {
    // Rejections carry the loader's diagnostics, moved to the record's line of the file.
    EXPECT_EQ(problems.size(), loaded.diagnostics.size());
    for (std::size_t i = 0; i < problems.size() && i < loaded.diagnostics.size(); ++i) {
      EXPECT_EQ(problems[i].message, loaded.diagnostics[i].message);
      EXPECT_EQ(problems[i].pointer, loaded.diagnostics[i].pointer);
      EXPECT_EQ(problems[i].line, loaded.diagnostics[i].line == 0 ? 0u : 7u);
    }
  }
  return outcome;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

std::vector<std::string> ValidRecords(int count) {
  std::vector<std::string> records;
  for (const auto& entry : std::filesystem::directory_iterator(
           std::filesystem::path(BMIL_SOURCE_DIR) / "examples/cases")) {
    if (entry.path().extension() == ".json") {
      records.push_back(nlohmann::ordered_json::parse(ReadFile(entry.path())).dump());
    }
  }
  std::sort(records.begin(), records.end());
  std::mt19937 rng(20121);
  for (int i = 0; i < count; ++i) {
    records.push_back(
        nlohmann::ordered_json::parse(WriteCaseText(test::RandomCase(rng, "c" + std::to_string(i))))
            .dump());
  }
  return records;
}

TEST(FastCaseReader, AcceptsEveryValidRecordWithTheLoadersView) {
  FastCaseReader fast(BuiltRegistry());
  RecordParser parser(BuiltRegistry(), {});
  for (const std::string& record : ValidRecords(300)) {
    const Outcome outcome = Check(record, fast, parser);
    EXPECT_TRUE(outcome.loader_ok) << record;
    EXPECT_TRUE(outcome.fast_ok) << "the fast path declined a plain valid case: " << record;
  }
  EXPECT_EQ(parser.loaded(), 0u);
}

TEST(FastCaseReader, PrettyPrintedDocumentsAndEscapesAreTheSameCase) {
  FastCaseReader fast(BuiltRegistry());
  RecordParser parser(BuiltRegistry(), {});
  for (const std::string& record : ValidRecords(20)) {
    // Multi-line documents (a .json file), and every non-ASCII or quote character escaped.
    const auto json = nlohmann::ordered_json::parse(record);
    for (const std::string& variant :
         {json.dump(2), json.dump(-1, ' ', true), "\r\n " + json.dump(1, '\t') + " \n"}) {
      const Outcome outcome = Check(variant, fast, parser);
      EXPECT_TRUE(outcome.fast_ok) << variant;
    }
  }
}

// Attribute texts are written by the fast path itself (not through nlohmann): keys sorted
// by bytes (non-ASCII after ASCII, "B" before "a"), escapes as nlohmann writes them,
// nested arrays and objects, negative and large integers, doubles, booleans and null.
TEST(FastCaseReader, AttributeTextsAreTheLoadersText) {
  FastCaseReader fast(BuiltRegistry());
  RecordParser parser(BuiltRegistry(), {});
  const std::string record = ValidRecords(0).front();
  const char* const attributes[] = {
      R"({})",
      R"({"b": 1, "a": 2, "B": 3, "\u00e9": 4, "z\u0000": 5, "z": 6})",
      R"({"s": "quote \" backslash \\ tab \t nl \n cr \r bell \u0007 del \u007f \u00e9 \ud83d\ude00"})",
      R"({"n": [-9223372036854775808, 9223372036854775807, 0, -1, 1.5, 1e300, 2.0, -0.25]})",
      R"({"deep": {"x": [true, false, null, [], {}, [[{"k": "v"}]]], "a": {"c": 1, "b": 2}}})",
      R"({"slash": "a/b", "uni\u0301": "e\u0301"})"};
  for (const char* text : attributes) {
    auto json = nlohmann::ordered_json::parse(record);
    const auto value = nlohmann::ordered_json::parse(text);
    json["business"]["attributes"] = value;
    json["business_models"][0]["attributes"] = value;
    const std::string variant = json.dump();
    const Outcome outcome = Check(variant, fast, parser);
    EXPECT_TRUE(outcome.loader_ok) << text;
    EXPECT_TRUE(outcome.fast_ok) << text;
  }
  // The byte order of keys and the escapes, by hand.
  auto json = nlohmann::ordered_json::parse(record);
  json["business"]["attributes"] = nlohmann::ordered_json::parse(attributes[1]);
  const Padded padded(json.dump());
  ASSERT_TRUE(fast.Read(padded.text()));
  EXPECT_EQ(std::string_view(fast.view().attributes_json.data, fast.view().attributes_json.size),
            "{\"B\":3,\"a\":2,\"b\":1,\"z\":6,\"z\\u0000\":5,\"\xc3\xa9\":4}");
  // A key twice in an attribute object: the fast path leaves it to the loader.
  std::string twice = json.dump();
  const std::string key = "\"B\":3";
  twice.replace(twice.find(key), key.size(), "\"a\":3");
  EXPECT_FALSE(fast.Read(Padded(twice).text()));
}

// The attributes limit (LoadLimits::max_attribute_entries, 100,000 by default) holds on the
// fast path as in the loader: a record whose attributes hold exactly the limit is read by
// both, one entry more is refused by both. The record's own attributes are replaced: the
// business's by {"x": [0, ...]} (3 entries and the zeros) and a task's by {"y": 0} (3).
TEST(FastCaseReader, AttributesLimitIsTheLoaders) {
  FastCaseReader fast(BuiltRegistry());
  RecordParser parser(BuiltRegistry(), {});
  auto json = nlohmann::ordered_json::parse(ValidRecords(0).front());
  for (auto& model : json["business_models"]) model.erase("attributes");
  for (auto& task : json["bmi_tasks"]) task.erase("attributes");
  ASSERT_FALSE(json["bmi_tasks"].empty());
  json["bmi_tasks"][0]["attributes"] = {{"y", 0}};
  const std::size_t limit = LoadLimits{}.max_attribute_entries;
  for (const std::size_t zeros : {limit - 6, limit - 5}) {
    json["business"]["attributes"] = {{"x", std::vector<int>(zeros, 0)}};
    const Outcome outcome = Check(json.dump(), fast, parser);
    const bool within = zeros + 6 <= limit;
    EXPECT_EQ(outcome.loader_ok, within) << zeros;
    EXPECT_EQ(outcome.fast_ok, within) << zeros;
  }
}

// Ids are checked for duplicates and references looked up pairwise in short lists and
// through a sorted index in long ones (more than 16): both ways, on both sides of the limit.
TEST(FastCaseReader, ManyModelsAndTasksAreCheckedLikeFew) {
  FastCaseReader fast(BuiltRegistry());
  RecordParser parser(BuiltRegistry(), {});
  const auto base = nlohmann::ordered_json::parse(ValidRecords(0).front());
  for (const int count : {2, 16, 17, 40}) {
    auto json = base;
    json.erase("portfolios");  // before taking references: erasing moves later members
    auto& models = json["business_models"];
    const auto model = models[0];
    models = nlohmann::ordered_json::array();
    auto& tasks = json["bmi_tasks"];
    const auto task = tasks[0];
    tasks = nlohmann::ordered_json::array();
    for (int i = 0; i < count; ++i) {
      auto m = model;
      m["id"] = "m" + std::to_string(i);
      m.erase("carried_by");
      if (i > 0) m["carried_by"] = nlohmann::ordered_json::array({"m" + std::to_string(i - 1)});
      models.push_back(m);
      auto t = task;
      t["id"] = "t" + std::to_string(i);
      t["business_model"] = "m" + std::to_string(count - 1 - i);
      tasks.push_back(t);
    }
    const Outcome valid = Check(json.dump(), fast, parser);
    EXPECT_TRUE(valid.loader_ok) << count;
    EXPECT_TRUE(valid.fast_ok) << count;
    if (valid.fast_ok) {
      // Task i names the model at count - 1 - i; model i is carried by model i - 1.
      EXPECT_EQ(fast.view().task_count, static_cast<std::uint32_t>(count));
      EXPECT_EQ(fast.view().tasks[0].business_model, static_cast<std::uint32_t>(count - 1));
      EXPECT_EQ(fast.view().business_models[count - 1].carried_by[0],
                static_cast<std::uint32_t>(count - 2));
    }
    // The first and the last id repeated, an unknown model named: each is refused by both.
    auto twice_model = json;
    twice_model["business_models"][count - 1]["id"] = "m0";
    auto twice_task = json;
    twice_task["bmi_tasks"][count - 1]["id"] = "t0";
    auto unknown = json;
    unknown["bmi_tasks"][count / 2]["business_model"] = "m" + std::to_string(count);
    auto unknown_carrier = json;
    unknown_carrier["business_models"][count - 1]["carried_by"] =
        nlohmann::ordered_json::array({"mx"});
    for (const auto& bad : {twice_model, twice_task, unknown, unknown_carrier}) {
      const Outcome outcome = Check(bad.dump(), fast, parser);
      EXPECT_FALSE(outcome.loader_ok) << count << ": " << bad.dump();
      EXPECT_FALSE(outcome.fast_ok) << count;
    }
  }
}

// Mutations that keep a record valid or break it in one place, at random.
class Mutator {
 public:
  explicit Mutator(std::uint32_t seed) : rng_(seed) {}

  std::string Mutate(const std::string& record) {
    switch (Pick(6)) {
      case 0:
        return MutateBytes(record);
      case 1:
      case 2:
      case 3:
        return MutateTree(record);
      case 4:
        return DuplicateKey(record);
      default:
        return MutateNumberText(record);
    }
  }

 private:
  std::size_t Pick(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }

  std::string MutateBytes(std::string s) {
    static constexpr char kByteList[] = "\"{}[],:0a-\\ .eE+\x01\xC3\xFF/";
    static const std::string kBytes(kByteList, sizeof kByteList - 1);
    if (s.empty()) return "{";
    const std::size_t at = Pick(s.size());
    switch (Pick(4)) {
      case 0:
        s[at] = kBytes[Pick(kBytes.size())];
        break;
      case 1:
        s.erase(at, 1);
        break;
      case 2:
        s.insert(at, 1, kBytes[Pick(kBytes.size())]);
        break;
      default:
        s.resize(at);
    }
    return s;
  }

  // Collects every value's pointer, picks one and changes or removes it.
  std::string MutateTree(const std::string& record) {
    auto json = nlohmann::ordered_json::parse(record, nullptr, false);
    if (json.is_discarded()) return MutateBytes(record);  // broken by an earlier mutation
    std::vector<nlohmann::ordered_json::json_pointer> pointers;
    Collect(json, nlohmann::ordered_json::json_pointer(), pointers);
    const auto& pointer = pointers[Pick(pointers.size())];
    nlohmann::ordered_json& node = json[pointer];
    static const std::vector<nlohmann::ordered_json> kReplacements = {
        nullptr,
        true,
        0,
        -1,
        1.5,
        2101,
        1800,
        "",
        "x",
        "X Y",
        "as_is",
        "to_be",
        "market",
        "value_proposition",
        "customer",
        "bm0",
        "bm1",
        "2012",
        "2012-13",
        "2011-05-31",
        "DK",
        "EUR",
        "eur",
        nlohmann::ordered_json::array(),
        nlohmann::ordered_json::object(),
        nlohmann::ordered_json::array({"customers", "customers"}),
        std::string(10001, 'a'),
        "caf\xC3\xA9",
        "bm0\u0000"};
    switch (Pick(4)) {
      case 0:  // remove a member or an item
        if (!pointer.empty()) {
          auto& parent = json[pointer.parent_pointer()];
          if (parent.is_object()) {
            parent.erase(pointer.back());
          } else if (parent.is_array()) {
            parent.erase(static_cast<std::size_t>(std::stoul(pointer.back())));
          }
        }
        break;
      case 1:  // an unknown key
        if (node.is_object()) node["colour"] = "blue";
        break;
      case 2:  // an item repeated
        if (node.is_array() && !node.empty()) node.push_back(node[Pick(node.size())]);
        break;
      default:
        node = kReplacements[Pick(kReplacements.size())];
    }
    return json.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  }

  static void Collect(const nlohmann::ordered_json& node,
                      const nlohmann::ordered_json::json_pointer& at,
                      std::vector<nlohmann::ordered_json::json_pointer>& out) {
    out.push_back(at);
    if (node.is_object()) {
      for (const auto& [key, value] : node.items()) Collect(value, at / key, out);
    } else if (node.is_array()) {
      for (std::size_t i = 0; i < node.size(); ++i) Collect(node[i], at / i, out);
    }
  }

  // `{"k":v,` becomes `{"k":v,"k":v,` at a random object.
  std::string DuplicateKey(std::string s) {
    std::vector<std::size_t> starts;
    for (std::size_t i = 0; i + 1 < s.size(); ++i) {
      if (s[i] == '{' && s[i + 1] == '"') starts.push_back(i + 1);
    }
    if (starts.empty()) return s;
    const std::size_t at = starts[Pick(starts.size())];
    const std::size_t comma = s.find(",\"", at);
    if (comma == std::string::npos) return s;
    s.insert(at, s.substr(at, comma + 1 - at));
    return s;
  }

  // Numbers in forms the fast path leaves to the loader or the loader refuses.
  std::string MutateNumberText(std::string s) {
    std::vector<std::size_t> digits;
    for (std::size_t i = 1; i < s.size(); ++i) {
      if (s[i] >= '0' && s[i] <= '9' && s[i - 1] == ':') digits.push_back(i);
    }
    if (digits.empty()) return s;
    std::size_t at = digits[Pick(digits.size())];
    std::size_t end = at;
    while (end < s.size() && s[end] >= '0' && s[end] <= '9') ++end;
    static const std::vector<std::string> kSuffixes = {
        ".0", "e0", "E2", ".5", "e400", "e-400", "000000000000000000000", "0", ".", "e", "-1"};
    static const std::vector<std::string> kPrefixes = {"-", "0", "+", "-0", " "};
    if (Pick(2) == 0) {
      s.insert(end, kSuffixes[Pick(kSuffixes.size())]);
    } else {
      s.insert(at, kPrefixes[Pick(kPrefixes.size())]);
    }
    return s;
  }

  std::mt19937 rng_;
};

TEST(FastCaseReader, MutatedRecordsGetTheLoadersDecision) {
  FastCaseReader fast(BuiltRegistry());
  RecordParser parser(BuiltRegistry(), {});
  const std::vector<std::string> records = ValidRecords(60);
  Mutator mutator(7);
  int loader_ok = 0, fast_ok = 0, total = 0;
  for (int round = 0; round < 40; ++round) {
    for (const std::string& record : records) {
      std::string mutated = mutator.Mutate(record);
      if (round % 4 == 3) mutated = mutator.Mutate(mutated);  // two changes
      const Outcome outcome = Check(mutated, fast, parser);
      loader_ok += outcome.loader_ok;
      fast_ok += outcome.fast_ok;
      ++total;
      if (::testing::Test::HasFailure()) return;
    }
  }
  // The mutations must exercise both sides: many records rejected, many still valid, and
  // the fast path taking most of the valid ones.
  EXPECT_GT(total - loader_ok, total / 3) << loader_ok << " of " << total << " valid";
  EXPECT_GT(loader_ok, total / 10) << loader_ok << " of " << total << " valid";
  EXPECT_GT(fast_ok * 10, loader_ok * 8) << fast_ok << " fast of " << loader_ok << " valid";
}

TEST(FastCaseReader, TrailingContentAndOtherDocumentsAreNotOneCase) {
  FastCaseReader fast(BuiltRegistry());
  RecordParser parser(BuiltRegistry(), {});
  const std::string record = ValidRecords(1).back();
  for (const std::string& bad :
       {record + "}", record + " " + record, record + " x", "[" + record + "]", std::string("{}"),
        std::string(""), std::string("   "), record.substr(0, record.size() - 1)}) {
    const Outcome outcome = Check(bad, fast, parser);
    EXPECT_FALSE(outcome.loader_ok) << bad;
    EXPECT_FALSE(outcome.fast_ok) << bad;
  }
}

}  // namespace
}  // namespace bmil
