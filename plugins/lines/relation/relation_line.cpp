// Relation innovation leadership (RIL): leading BMI from the business's relations.
// Source: Lindgren (2012), Appendix 1 (definition) and Table 2 (SWOT), paraphrased.
#include <bmil/sdk/plugin.hpp>

namespace {

using bmil::sdk::LineDescriptor;

const LineDescriptor& Descriptor() {
  static const LineDescriptor kDescriptor{
      .id = "relation",
      .code = "RIL",
      .name = "Relation innovation leadership",
      .focus_block = "relations",
      .perspective = "both",
      .definition =
          "Leads innovation of every building block with relations in focus, the "
          "tangible and intangible ties the business keeps with others.",
      // Table 2's weakness cell names only the perspective, outside in and inside out
      // together; that is all it is paraphrased to.
      .swot = {.strengths = {"Renews relations and relationships around each building "
                             "block."},
               .weaknesses = {"Takes the outside-in and the inside-out view at the same "
                              "time."},
               .opportunities = {"Brings out what relations demand from the BMI."},
               .threats = {"Too much of the BMI is driven by relation demands."},
               .source = "Lindgren 2012, Table 2 (paraphrased)"},
      .questions =
          {{"value_proposition",
            "Which part of your offer exists only because of a relation, such as advice, "
            "trust or a shared history, and could you offer it on purpose?"},
           {"customers",
            "Which customers have you lost touch with, and which came to you through "
            "someone you know?"},
           {"value_chain",
            "Which internal functions depend on personal contacts, and what happens to them "
            "when that person leaves?"},
           {"competences",
            "Who in your company is good at building relations, and how do others learn it "
            "from them?"},
           {"network",
            "Which of your relations could become a partner, and which partners are only a "
            "contract with no relation behind it?"},
           {"relations",
            "Which relations, tangible or intangible, would you create, strengthen or end, "
            "and how would you know they work?"},
           {"value_formula",
            "Which relations bring in money or other value, and which cost time without "
            "returning anything?"}},
      .threats =
          {// Lindgren 2012, Table 2: too much relation-driven BMI.
           {.code = "relation.too_much_relation_bmi",
            .threat = "Too much of the BMI is driven by relation demands.",
            .min_share = 0.6,
            .min_tasks = 3,
            .absent_block = "",
            .source = "Lindgren 2012, Table 2"}},
  };
  return kDescriptor;
}

class RelationLine final : public bmil::sdk::LeadershipLine {
 public:
  const LineDescriptor& descriptor() const override { return Descriptor(); }
};

}  // namespace

BMIL_PLUGIN(RelationLine)
