// Value innovation leadership (VIL): leading BMI from the business's own value proposition.
// Source: Lindgren (2012), Appendix 1 (definition), Table 2 (SWOT) and section 5 (the
// inside-out viewpoint), paraphrased.
#include <bmil/sdk/plugin.hpp>

namespace {

using bmil::sdk::LineDescriptor;

const LineDescriptor& Descriptor() {
  static const LineDescriptor kDescriptor{
      .id = "value",
      .code = "VIL",
      .name = "Value innovation leadership",
      .focus_block = "value_proposition",
      .perspective = "inside_out",
      .definition =
          "Leads innovation of every building block from what the business itself "
          "offers: its products, services and processes, seen from the inside out.",
      // Table 2's row for this line is damaged by text extraction: only the strength and
      // the two threats survive; the weakness and opportunity cells are empty.
      .swot = {.strengths = {"Puts the innovation of value in focus on each building block of "
                             "the business model."},
               .weaknesses = {},
               .opportunities = {},
               .threats = {"The business model ends up isolated and pushed to the margin.",
                           "Innovation shaped by the business's own idea of how BMI ought to "
                           "be done."},
               .source = "Lindgren 2012, Table 2 (paraphrased)"},
      .questions =
          {{"value_proposition",
            "Which product, service or process could you add, improve or stop, and what "
            "would it be worth to the people who use it?"},
           {"customers",
            "Who, outside the customers you already have, would value what you offer, and "
            "have you asked any of them?"},
           {"value_chain",
            "Which of your internal steps add the value customers pay for, and which only "
            "add cost?"},
           {"competences",
            "Which of your skills or technologies make your offer hard to copy, and which "
            "are missing for the next offer?"},
           {"network",
            "Which partner could make your offer worth more, for example by completing it "
            "or delivering it?"},
           {"relations",
            "How do customers and partners learn what your offer is worth, and where is that "
            "message lost?"},
           {"value_formula",
            "How much does each offer earn after its costs, and which offer would you keep "
            "if you could keep only one?"}},
      .threats =
          {// Proxy for isolation and marginalisation: the value line leads most of the
           // model's BMI while no task touches the customer block at all.
           {.code = "value.isolated_business_model",
            .threat = "The business model is innovated in isolation: value-led BMI with no "
                      "task on its customers.",
            .min_share = 0.6,
            .min_tasks = 3,
            .absent_block = "customers",
            .source = "Lindgren 2012, Table 2"},
           // The paper's threat (BMI resting on the business's own idea of how it should be
           // done) cannot be read from task data. Proxy: the value line leads most of the
           // model's BMI while no task involves the network, so no partner's view enters.
           {.code = "value.internal_perception_bmi",
            .threat = "BMI rests on the business's own view of how it should be done: "
                      "value-led BMI with no task involving partners.",
            .min_share = 0.6,
            .min_tasks = 3,
            .absent_block = "network",
            .source = "Lindgren 2012, Table 2"}},
  };
  return kDescriptor;
}

class ValueLine final : public bmil::sdk::LeadershipLine {
 public:
  const LineDescriptor& descriptor() const override { return Descriptor(); }
};

}  // namespace

BMIL_PLUGIN(ValueLine)
