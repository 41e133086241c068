#include "research/reconcile.hpp"

#include <bmil/sdk/vocabulary.hpp>

#include <algorithm>
#include <map>
#include <utility>

namespace bmil::research {
namespace {

template <typename Enum, std::size_t N>
std::string EnumText(Enum value, const std::array<std::string_view, N>& names) {
  const std::string_view name = sdk::NameOf(names, static_cast<unsigned>(value));
  return name.empty() ? "not stated" : std::string(name);
}

std::string ListText(const std::vector<std::string>& ids) {
  std::string text;
  for (const std::string& id : ids) text += (text.empty() ? "" : ", ") + id;
  return "[" + text + "]";
}

// Builds one consensus case.
class Builder {
 public:
  Builder(std::span<const Coder> coders, const MatchedBusiness& b) : coders_(coders), b_(b) {
    for (std::size_t c = 0; c < coders.size(); ++c) {
      if (b.cases[c] != nullptr && base_ == nullptr) {
        base_ = b.cases[c];
        base_coder_ = c;
      }
    }
    model_ids_.resize(coders.size());
    for (const Matched<BusinessModel>& m : b.models) {
      for (std::size_t c = 0; c < coders.size(); ++c) {
        if (m.members[c] != nullptr) model_ids_[c][m.members[c]->id] = m.id;
      }
    }
  }

  ConsensusCase Build() {
    out_.value = *base_;
    Case& kase = out_.value;
    kase.business_models.clear();
    kase.bmi_tasks.clear();
    for (const Matched<BusinessModel>& m : b_.models) AddModel(m);
    for (const Matched<BmiTask>& t : b_.tasks) AddTask(t);
    for (Portfolio& p : kase.portfolios) {
      for (std::string& id : p.business_models) id = ModelId(base_coder_, id);
    }
    WriteProvenance();
    return std::move(out_);
  }

 private:
  std::string ModelId(std::size_t coder, const std::string& id) const {
    const auto it = model_ids_[coder].find(id);
    return it == model_ids_[coder].end() ? id : it->second;
  }

  std::size_t First(const auto& match) const {
    for (std::size_t c = 0; c < match.members.size(); ++c) {
      if (match.members[c] != nullptr) return c;
    }
    return 0;
  }

  // Lists an entity that not every coder of the business coded.
  template <typename T>
  void NoteCoverage(const Matched<T>& match, const std::string& pointer, const std::string& what) {
    if (match.coded_by() == b_.coded_by()) return;
    ToSettle s{pointer, what + ": keep or drop", {}, "kept"};
    for (std::size_t c = 0; c < coders_.size(); ++c) {
      s.values.push_back(b_.cases[c] == nullptr        ? "no case"
                         : match.members[c] != nullptr ? "coded"
                                                       : "not coded");
    }
    out_.to_settle.push_back(std::move(s));
  }

  // Agreement on one enumerated field of the members: kept when alike, else `required`
  // keeps the first coder's value and an optional field is left unstated.
  template <typename T, typename Enum, std::size_t N>
  void Settle(const Matched<T>& match, Enum T::*field, const std::array<std::string_view, N>& names,
              bool required, Enum& out, const std::string& pointer, const std::string& what) {
    std::vector<std::string> values;
    bool alike = true;
    std::optional<Enum> first;
    for (std::size_t c = 0; c < coders_.size(); ++c) {
      const T* member = match.members[c];
      if (member == nullptr) {
        values.push_back(b_.cases[c] == nullptr ? "no case" : "not coded");
        continue;
      }
      values.push_back(EnumText(member->*field, names));
      if (!first) {
        first = member->*field;
      } else {
        alike = alike && *first == member->*field;
      }
    }
    if (!first) return;
    if (alike) {
      out = *first;
      // Agreed: two or more coders wrote the same stated value.
      out_.agreed += match.coded_by() >= 2 && *first != Enum{} ? 1 : 0;
      return;
    }
    out = required ? *first : Enum{};
    out_.to_settle.push_back({pointer, what, std::move(values),
                              required ? coders_[First(match)].name + "'s value" : "not stated"});
  }

  // The same for a list of ids (a task's blocks or lines): kept when every coder named the
  // same set; else those all named (or, when none is common, the first coder's).
  void SettleIds(const Matched<BmiTask>& match, std::vector<std::string> BmiTask::*field,
                 std::vector<std::string>& out, const std::string& pointer,
                 const std::string& what) {
    std::vector<std::string> values;
    std::optional<std::vector<std::string>> common;
    bool alike = true;
    const std::vector<std::string>* first = nullptr;
    for (std::size_t c = 0; c < coders_.size(); ++c) {
      const BmiTask* member = match.members[c];
      if (member == nullptr) {
        values.push_back(b_.cases[c] == nullptr ? "no case" : "not coded");
        continue;
      }
      std::vector<std::string> ids = member->*field;
      std::sort(ids.begin(), ids.end());
      values.push_back(ListText(member->*field));
      if (first == nullptr) {
        first = &(member->*field);
        common = ids;
        continue;
      }
      std::vector<std::string> sorted_first = *first;
      std::sort(sorted_first.begin(), sorted_first.end());
      alike = alike && sorted_first == ids;
      std::vector<std::string> both;
      std::set_intersection(common->begin(), common->end(), ids.begin(), ids.end(),
                            std::back_inserter(both));
      common = std::move(both);
    }
    if (first == nullptr) return;
    if (alike) {
      out = *first;
      out_.agreed += match.coded_by() >= 2 ? 1 : 0;
      return;
    }
    std::string kept;
    if (!common->empty()) {
      // In the first coder's order.
      out.clear();
      for (const std::string& id : *first) {
        if (std::binary_search(common->begin(), common->end(), id)) out.push_back(id);
      }
      kept = "the ones every coder named";
    } else {
      out = *first;
      kept = coders_[First(match)].name + "'s (none in common)";
    }
    out_.to_settle.push_back({pointer, what, std::move(values), kept});
  }

  void AddModel(const Matched<BusinessModel>& m) {
    const std::size_t first = First(m);
    BusinessModel model = *m.members[first];
    model.id = m.id;
    for (std::string& id : model.carried_by) id = ModelId(first, id);
    const std::string pointer =
        "/business_models/" + std::to_string(out_.value.business_models.size());
    const std::string what = "model " + m.id;
    NoteCoverage(m, pointer, what);
    Settle(m, &BusinessModel::state, sdk::kStateNames, true, model.state, pointer + "/state",
           what + ": state");
    Settle(m, &BusinessModel::stage, sdk::kStageNames, false, model.stage, pointer + "/stage",
           what + ": stage");
    out_.value.business_models.push_back(std::move(model));
  }

  void AddTask(const Matched<BmiTask>& t) {
    const std::size_t first = First(t);
    BmiTask task = *t.members[first];
    task.id = t.id;
    task.business_model = ModelId(first, task.business_model);
    const std::string pointer = "/bmi_tasks/" + std::to_string(out_.value.bmi_tasks.size());
    const std::string what = "task " + t.id;
    NoteCoverage(t, pointer, what);
    SettleIds(t, &BmiTask::building_blocks, task.building_blocks, pointer + "/building_blocks",
              what + ": building blocks");
    SettleIds(t, &BmiTask::leadership_lines, task.leadership_lines, pointer + "/leadership_lines",
              what + ": leadership lines");
    Settle(t, &BmiTask::action, sdk::kActionNames, false, task.action, pointer + "/action",
           what + ": action");
    Settle(t, &BmiTask::phase, sdk::kPhaseNames, false, task.phase, pointer + "/phase",
           what + ": phase");
    Settle(t, &BmiTask::stance, sdk::kStanceNames, false, task.stance, pointer + "/stance",
           what + ": stance");
    Settle(t, &BmiTask::perspective, sdk::kPerspectiveNames, false, task.perspective,
           pointer + "/perspective", what + ": perspective");
    out_.value.bmi_tasks.push_back(std::move(task));
  }

  void WriteProvenance() {
    Case& kase = out_.value;
    nlohmann::json record = {{"coders", nlohmann::json::array()},
                             {"to_settle", nlohmann::json::array()}};
    std::string coders_text;
    for (std::size_t c = 0; c < coders_.size(); ++c) {
      record["coders"].push_back({{"name", coders_[c].name},
                                  {"origin", coders_[c].origin},
                                  {"coded_this_business", b_.cases[c] != nullptr}});
      coders_text += (c == 0 ? "" : ", ") + coders_[c].name + " (" + coders_[c].origin +
                     (b_.cases[c] == nullptr ? ", no case of this business" : "") + ")";
    }
    std::string notes =
        "Consensus case written by bmil agree --reconcile (docs/agreement.md) from " +
        std::to_string(b_.coded_by()) + " coders' cases: " + coders_text + ". " +
        std::to_string(out_.agreed) + " coded values all coders wrote alike are kept; " +
        std::to_string(out_.to_settle.size()) +
        " to settle (business.attributes.bmil_consensus lists them as data):";
    std::size_t listed = 0;
    for (const ToSettle& s : out_.to_settle) {
      nlohmann::json values = nlohmann::json::object();
      std::string line = "\n- " + s.pointer + " (" + s.what + "):";
      for (std::size_t c = 0; c < coders_.size(); ++c) {
        values[coders_[c].name] = s.values[c];
        line += (c == 0 ? " " : "; ") + coders_[c].name + " " + s.values[c];
      }
      line += "; the case holds " + s.kept + ".";
      record["to_settle"].push_back(
          {{"pointer", s.pointer}, {"what", s.what}, {"values", values}, {"kept", s.kept}});
      if (notes.size() + line.size() < kMaxConsensusNotes) {
        notes += line;
        ++listed;
      }
    }
    if (listed < out_.to_settle.size()) {
      notes += "\n- and " + std::to_string(out_.to_settle.size() - listed) +
               " more, listed in business.attributes.bmil_consensus.";
    }
    if (!kase.source) kase.source = Source{};
    const std::string earlier = kase.source->notes;
    kase.source->notes = notes;
    if (!earlier.empty() && notes.size() + earlier.size() + 40 < kMaxConsensusNotes) {
      kase.source->notes += "\n\nNotes of " + coders_[base_coder_].name + "'s case: " + earlier;
    }
    if (!kase.business.attributes.is_object()) kase.business.attributes = nlohmann::json::object();
    kase.business.attributes["bmil_consensus"] = std::move(record);
  }

  std::span<const Coder> coders_;
  const MatchedBusiness& b_;
  const Case* base_ = nullptr;
  std::size_t base_coder_ = 0;
  // Per coder: its model ids -> the match (consensus) ids.
  std::vector<std::map<std::string, std::string>> model_ids_;
  ConsensusCase out_;
};

}  // namespace

std::vector<ConsensusCase> Reconcile(std::span<const Coder> coders, const Matching& matching) {
  std::vector<ConsensusCase> out;
  for (const MatchedBusiness& b : matching.businesses) {
    if (b.coded_by() == 0) continue;
    out.push_back(Builder(coders, b).Build());
  }
  return out;
}

}  // namespace bmil::research
