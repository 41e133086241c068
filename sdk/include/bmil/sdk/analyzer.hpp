// Base class of analyzer plugins. An analyzer is an accumulator: the constructor starts it
// (empty), Add() folds in one case, Merge() folds in another accumulator of the same plugin,
// Finish() writes the result, Save()/Load() move a partial state between processes or
// machines. Contract: for any split of a set of cases into parts, adding each part into its
// own accumulator and merging them gives the same Finish() as adding all cases into one.
#ifndef BMIL_SDK_ANALYZER_HPP_
#define BMIL_SDK_ANALYZER_HPP_

#include <bmil/sdk/case_view.hpp>
#include <bmil/sdk/result_builder.hpp>

#include <nlohmann/json.hpp>

namespace bmil::sdk {

class Analyzer {
 public:
  virtual ~Analyzer() = default;

  // Called once after construction with the host's configuration for this plugin (a JSON
  // object, often empty). Throw sdk::Error(BMIL_ERROR_INVALID_ARGUMENT, ...) to refuse it.
  virtual void Configure(const nlohmann::json& /*config*/) {}
  // {"id", "name", "description"} and anything else useful to list the analyzer.
  virtual nlohmann::ordered_json Describe() const = 0;
  // Folds one case into the state. The view is valid only during the call.
  virtual void Add(const CaseView& view) = 0;
  // Folds `other` (an instance of the same plugin; see MergeableAnalyzer) into this one.
  virtual void Merge(const Analyzer& other) = 0;
  // The result (result model); does not change the state.
  virtual nlohmann::ordered_json Finish() const = 0;
  // The partial state as JSON; Load(Save()) on a fresh instance gives an equal state.
  virtual nlohmann::json Save() const = 0;
  // Replaces the state with a saved one; throw sdk::Error(BMIL_ERROR_INVALID_STATE, ...)
  // when `state` is not one this plugin wrote.
  virtual void Load(const nlohmann::json& state) = 0;
};

// Convenience base: implements Merge() by casting `other` to Derived (the host only ever
// merges instances of one plugin) and calling Derived::MergeFrom(const Derived&).
template <typename Derived>
class MergeableAnalyzer : public Analyzer {
 public:
  void Merge(const Analyzer& other) final {
    static_cast<Derived&>(*this).MergeFrom(static_cast<const Derived&>(other));
  }
};

}  // namespace bmil::sdk

#endif  // BMIL_SDK_ANALYZER_HPP_
