// Value chain innovation leadership (VCIL): leading BMI from the internal value chain.
// Source: Lindgren (2012), Appendix 1 (definition) and Table 2 (SWOT), paraphrased.
#include <bmil/sdk/plugin.hpp>

namespace {

using bmil::sdk::LineDescriptor;

const LineDescriptor& Descriptor() {
  static const LineDescriptor kDescriptor{
      .id = "value_chain",
      .code = "VCIL",
      .name = "Value chain innovation leadership",
      .focus_block = "value_chain",
      .perspective = "inside_out",
      .definition =
          "Leads innovation of every building block from the internal value chain: "
          "the functions the business performs itself and how it performs them.",
      // Table 2 leaves the weakness cell empty; the opportunity cell holds only the words
      // "Value Chain", so nothing more is claimed for it.
      .swot = {.strengths = {"Sees each building block through the value chain and "
                             "renews the chain itself."},
               .weaknesses = {},
               .opportunities = {"The value chain (the source cell names nothing more)."},
               .threats = {"Too much of the BMI is driven by the value chain's demands."},
               .source = "Lindgren 2012, Table 2 (paraphrased)"},
      .questions =
          {{"value_proposition",
            "Which change in how you make or deliver the product would customers notice as "
            "a better offer?"},
           {"customers",
            "Which customer groups could you serve if a step in your production or delivery "
            "were faster, cheaper or more flexible?"},
           {"value_chain",
            "Which internal function is your bottleneck today, and would you keep it, "
            "improve it or buy it in?"},
           {"competences",
            "Which skills or machines does your value chain lack, and which does it have "
            "that sit idle?"},
           {"network",
            "Which of your in-house steps could a partner do better, and which partner "
            "step could you take in-house?"},
           {"relations",
            "Where in your production or delivery do you hand work over to customers or "
            "suppliers, and does that hand-over work?"},
           {"value_formula",
            "Which step in your value chain costs the most, and what would the model earn "
            "if you changed it?"}},
      .threats =
          {// Lindgren 2012, Table 2: too much focus on the value chain's BMI demands.
           {.code = "value_chain.too_much_value_chain_bmi",
            .threat = "Too much of the BMI is driven by the value chain's demands.",
            .min_share = 0.6,
            .min_tasks = 3,
            .absent_block = "",
            .source = "Lindgren 2012, Table 2"}},
  };
  return kDescriptor;
}

class ValueChainLine final : public bmil::sdk::LeadershipLine {
 public:
  const LineDescriptor& descriptor() const override { return Descriptor(); }
};

}  // namespace

BMIL_PLUGIN(ValueChainLine)
