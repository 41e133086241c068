#include "research/coding.hpp"

#include <bmil/sdk/vocabulary.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <string_view>
#include <tuple>
#include <utility>

namespace bmil::research {
namespace {

using WordSet = std::set<std::string>;

// The words of `text` of three or more letters or digits, lower case.
void AddWords(std::string_view text, WordSet& words) {
  std::string word;
  auto flush = [&] {
    if (word.size() >= 3) words.insert(word);
    word.clear();
  };
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0 || c >= 0x80) {
      word.push_back(static_cast<char>(std::tolower(c)));
    } else {
      flush();
    }
  }
  flush();
}

double Jaccard(const WordSet& a, const WordSet& b) {
  if (a.empty() && b.empty()) return 0;
  std::size_t common = 0;
  for (const std::string& w : a) common += b.count(w);
  return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

// `name` lower case with everything but letters and digits dropped.
std::string NameKey(std::string_view name) {
  std::string key;
  for (char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0 || c >= 0x80) key.push_back(static_cast<char>(std::tolower(c)));
  }
  return key;
}

double ModelScore(const BusinessModel& a, const BusinessModel& b) {
  if (!NameKey(a.name).empty() && NameKey(a.name) == NameKey(b.name)) return 1;
  WordSet wa, wb;
  AddWords(a.name, wa);
  AddWords(a.description, wa);
  AddWords(b.name, wb);
  AddWords(b.description, wb);
  return Jaccard(wa, wb);
}

double TaskScore(const BmiTask& a, const BmiTask& b) {
  WordSet wa, wb;
  AddWords(a.description, wa);
  AddWords(b.description, wb);
  WordSet ia, ib;
  for (const std::string& id : a.building_blocks) ia.insert("b:" + id);
  for (const std::string& id : a.leadership_lines) ia.insert("l:" + id);
  for (const std::string& id : b.building_blocks) ib.insert("b:" + id);
  for (const std::string& id : b.leadership_lines) ib.insert("l:" + id);
  return 0.6 * Jaccard(wa, wb) + 0.4 * Jaccard(ia, ib);
}

std::string Percent(double share) {
  return std::to_string(static_cast<int>(std::lround(share * 100))) + "%";
}

// Adds coder `coder`'s `entities` to `matches` as MatchCases describes. `allowed(match,
// entity)` says whether content may pair them (tasks: same model match); `score` and
// `how` give the content score and its explanation.
template <typename T, typename Allowed, typename Score, typename How>
void JoinCoder(std::vector<Matched<T>>& matches, const std::vector<T>& entities, std::size_t coder,
               std::size_t coders, const std::string& business, const char* kind, Allowed allowed,
               Score score, How how, std::vector<MatchNote>& notes) {
  auto first_member = [&](const Matched<T>& m) -> const T* {
    for (const T* e : m.members) {
      if (e != nullptr) return e;
    }
    return nullptr;
  };
  std::vector<bool> placed(entities.size(), false);
  // By id.
  for (std::size_t e = 0; e < entities.size(); ++e) {
    for (Matched<T>& m : matches) {
      if (m.members[coder] != nullptr) continue;
      bool same_id = false;
      for (const T* member : m.members)
        same_id = same_id || (member && member->id == entities[e].id);
      if (same_id) {
        m.members[coder] = &entities[e];
        placed[e] = true;
        break;
      }
    }
  }
  // By content: every allowed pair scoring at least the threshold, best first.
  struct Pair {
    double score;
    std::size_t entity, match;
  };
  std::vector<Pair> pairs;
  for (std::size_t e = 0; e < entities.size(); ++e) {
    if (placed[e]) continue;
    for (std::size_t m = 0; m < matches.size(); ++m) {
      if (matches[m].members[coder] != nullptr) continue;
      const T* reference = first_member(matches[m]);
      if (reference == nullptr || !allowed(matches[m], entities[e])) continue;
      const double s = score(*reference, entities[e]);
      if (s >= kContentMatchThreshold) pairs.push_back({s, e, m});
    }
  }
  std::stable_sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) {
    return std::tie(b.score, a.entity, a.match) < std::tie(a.score, b.entity, b.match);
  });
  for (const Pair& p : pairs) {
    if (placed[p.entity] || matches[p.match].members[coder] != nullptr) continue;
    matches[p.match].members[coder] = &entities[p.entity];
    placed[p.entity] = true;
    notes.push_back({business, kind, matches[p.match].id, coder, entities[p.entity].id,
                     how(*first_member(matches[p.match]), entities[p.entity], p.score)});
  }
  // The rest open matches of their own.
  for (std::size_t e = 0; e < entities.size(); ++e) {
    if (placed[e]) continue;
    Matched<T> m;
    m.id = entities[e].id;
    m.members.assign(coders, nullptr);
    m.members[coder] = &entities[e];
    matches.push_back(std::move(m));
  }
}

// The index of the model match that holds coder `coder`'s model `model_id`, or npos.
std::size_t ModelMatchOf(const MatchedBusiness& b, std::size_t coder, const std::string& model_id) {
  for (std::size_t m = 0; m < b.models.size(); ++m) {
    const BusinessModel* member = b.models[m].members[coder];
    if (member != nullptr && member->id == model_id) return m;
  }
  return static_cast<std::size_t>(-1);
}

template <std::size_t N>
std::vector<std::string> Labels(const std::array<std::string_view, N>& names) {
  return {names.begin() + 1, names.end()};
}

std::optional<double> Stated(int value) {
  if (value == 0) return std::nullopt;
  return static_cast<double>(value);
}

}  // namespace

Matching MatchCases(std::span<const Coder> coders) {
  Matching matching;
  matching.coders = coders.size();
  std::map<std::string, MatchedBusiness> by_id;
  for (std::size_t c = 0; c < coders.size(); ++c) {
    for (const Case& kase : coders[c].cases) {
      MatchedBusiness& b = by_id[kase.business.id];
      if (b.cases.empty()) {
        b.id = kase.business.id;
        b.cases.assign(coders.size(), nullptr);
      }
      if (b.cases[c] == nullptr)
        b.cases[c] = &kase;  // a coder's second case: LoadCaseInputs refuses it
    }
  }
  for (auto& entry : by_id) {
    MatchedBusiness& b = entry.second;  // a reference, not a structured binding: lambdas capture it
    for (std::size_t c = 0; c < coders.size(); ++c) {
      const Case* kase = b.cases[c];
      if (kase == nullptr) continue;
      JoinCoder<BusinessModel>(
          b.models, kase->business_models, c, coders.size(), b.id, "business model",
          [](const Matched<BusinessModel>&, const BusinessModel&) { return true; }, ModelScore,
          [](const BusinessModel& a, const BusinessModel& m, double s) {
            return s >= 1 && NameKey(a.name) == NameKey(m.name)
                       ? std::string("same name (\"") + m.name + "\")"
                       : Percent(s) + " of the words of name and description in common";
          },
          matching.notes);
      JoinCoder<BmiTask>(
          b.tasks, kase->bmi_tasks, c, coders.size(), b.id, "BMI task",
          [&b, c](const Matched<BmiTask>& match, const BmiTask& task) {
            // The same model match: the reference member's model is where this coder's is.
            for (std::size_t k = 0; k < match.members.size(); ++k) {
              if (match.members[k] == nullptr) continue;
              const std::size_t theirs = ModelMatchOf(b, k, match.members[k]->business_model);
              return theirs != static_cast<std::size_t>(-1) &&
                     theirs == ModelMatchOf(b, c, task.business_model);
            }
            return false;
          },
          TaskScore,
          [](const BmiTask&, const BmiTask&, double s) {
            return "same model, score " + std::to_string(static_cast<int>(std::lround(s * 100))) +
                   "/100 (0.6 x description words + 0.4 x blocks and lines in common)";
          },
          matching.notes);
    }
    matching.businesses.push_back(std::move(b));
  }
  // The Matched members point into `coders`' cases, which did not move.
  return matching;
}

const char* UnitKindName(UnitKind kind) {
  switch (kind) {
    case UnitKind::kModel:
      return "business model";
    case UnitKind::kCell:
      return "canvas cell";
    case UnitKind::kTask:
      return "BMI task";
  }
  return "unit";
}

std::vector<CodedVariable> CaseVariables() {
  return {
      {"model.state", "the business model's state (AS IS or TO BE)", UnitKind::kModel,
       Level::kNominal, Labels(sdk::kStateNames)},
      {"model.stage", "the business model's stage", UnitKind::kModel, Level::kOrdinal,
       Labels(sdk::kStageNames)},
      {"cell.bmi",
       "whether a BMI task of the model is on this line and block",
       UnitKind::kCell,
       Level::kNominal,
       {"yes", "no"}},
      {"task.action", "the task's action on the model", UnitKind::kTask, Level::kNominal,
       Labels(sdk::kActionNames)},
      {"task.phase", "the task's phase (before, during, after the opportunity)", UnitKind::kTask,
       Level::kOrdinal, Labels(sdk::kPhaseNames)},
      {"task.stance", "the task's stance (reactive or proactive)", UnitKind::kTask, Level::kNominal,
       Labels(sdk::kStanceNames)},
      {"task.perspective", "the task's perspective", UnitKind::kTask, Level::kNominal,
       Labels(sdk::kPerspectiveNames)},
  };
}

ReliabilityData VariableData::Matrix(std::size_t coders) const {
  ReliabilityData data(units.size(), coders);
  for (std::size_t u = 0; u < units.size(); ++u) {
    for (std::size_t c = 0; c < coders && c < units[u].values.size(); ++c) {
      data.Set(u, c, units[u].values[c]);
    }
  }
  return data;
}

std::vector<VariableData> BuildVariables(const Matching& matching, const Registry& registry) {
  std::vector<VariableData> variables;
  for (CodedVariable& v : CaseVariables()) variables.push_back({std::move(v), {}});
  auto& state = variables[0].units;
  auto& stage = variables[1].units;
  auto& cells = variables[2].units;
  auto& action = variables[3].units;
  auto& phase = variables[4].units;
  auto& stance = variables[5].units;
  auto& perspective = variables[6].units;
  const std::size_t coders = matching.coders;
  const auto& lines = registry.lines();
  const auto& blocks = registry.blocks();
  for (const MatchedBusiness& b : matching.businesses) {
    for (std::size_t m = 0; m < b.models.size(); ++m) {
      const Matched<BusinessModel>& model = b.models[m];
      CodedUnit st{b.id, "model " + model.id, std::vector<std::optional<double>>(coders),
                   std::vector<bool>(coders, false)};
      CodedUnit sg = st;
      // cover[c][line * blocks + block]: coder c's tasks of this model cover the cell.
      std::vector<std::vector<bool>> cover(coders);
      for (std::size_t c = 0; c < coders; ++c) {
        const BusinessModel* member = model.members[c];
        if (member == nullptr) continue;
        st.coded[c] = sg.coded[c] = true;
        st.values[c] = Stated(static_cast<int>(member->state));
        sg.values[c] = Stated(static_cast<int>(member->stage));
        cover[c].assign(lines.size() * blocks.size(), false);
        for (const BmiTask& task : b.cases[c]->bmi_tasks) {
          if (task.business_model != member->id) continue;
          for (const std::string& line : task.leadership_lines) {
            const auto l = registry.LineIndex(line);
            if (!l) continue;
            for (const std::string& block : task.building_blocks) {
              const auto k = registry.BlockIndex(block);
              if (k) cover[c][*l * blocks.size() + *k] = true;
            }
          }
        }
      }
      state.push_back(std::move(st));
      stage.push_back(std::move(sg));
      for (std::size_t l = 0; l < lines.size(); ++l) {
        for (std::size_t k = 0; k < blocks.size(); ++k) {
          CodedUnit cell{b.id, "cell " + model.id + " " + lines[l].id + " x " + blocks[k].id,
                         std::vector<std::optional<double>>(coders),
                         std::vector<bool>(coders, false)};
          for (std::size_t c = 0; c < coders; ++c) {
            if (cover[c].empty()) continue;
            cell.coded[c] = true;
            cell.values[c] = cover[c][l * blocks.size() + k] ? 1.0 : 2.0;
          }
          cells.push_back(std::move(cell));
        }
      }
    }
    for (const Matched<BmiTask>& task : b.tasks) {
      CodedUnit unit{b.id, "task " + task.id, std::vector<std::optional<double>>(coders),
                     std::vector<bool>(coders, false)};
      CodedUnit a = unit, p = unit, s = unit, v = unit;
      for (std::size_t c = 0; c < coders; ++c) {
        const BmiTask* member = task.members[c];
        if (member == nullptr) continue;
        a.coded[c] = p.coded[c] = s.coded[c] = v.coded[c] = true;
        a.values[c] = Stated(static_cast<int>(member->action));
        p.values[c] = Stated(static_cast<int>(member->phase));
        s.values[c] = Stated(static_cast<int>(member->stance));
        v.values[c] = Stated(static_cast<int>(member->perspective));
      }
      action.push_back(std::move(a));
      phase.push_back(std::move(p));
      stance.push_back(std::move(s));
      perspective.push_back(std::move(v));
    }
  }
  return variables;
}

}  // namespace bmil::research
