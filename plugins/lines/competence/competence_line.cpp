// Competence innovation leadership (CoIL): leading BMI from the business's competences.
// Source: Lindgren (2012), Appendix 1 (definition) and Table 2 (SWOT), paraphrased.
#include <bmil/sdk/plugin.hpp>

namespace {

using bmil::sdk::LineDescriptor;

const LineDescriptor& Descriptor() {
  static const LineDescriptor kDescriptor{
      .id = "competence",
      .code = "CoIL",
      .name = "Competence innovation leadership",
      .focus_block = "competences",
      .perspective = "inside_out",
      .definition =
          "Leads innovation of every building block from the competences the "
          "business uses: its technology, people, organisation and culture.",
      // Table 2's weakness cell survives only as a fragment ("... in perspective - the"),
      // read here as an inward-looking view; the opportunity cell is empty.
      .swot = {.strengths = {"Renews the business's competences (its technology, people, "
                             "organisation and culture) for each building block."},
               .weaknesses = {"Looks at the model from the inside (the source cell is cut "
                              "off after naming the perspective)."},
               .opportunities = {},
               .threats = {"Too much of the BMI is driven by competence demands."},
               .source = "Lindgren 2012, Table 2 (paraphrased)"},
      .questions =
          {{"value_proposition",
            "Which new product or service could your people or technology make that you "
            "do not sell today?"},
           {"customers",
            "Which customers would pay for what your staff know, not only for what they "
            "produce?"},
           {"value_chain",
            "Which internal step depends on one person or one old technology, and how would "
            "you secure it?"},
           {"competences",
            "Which skill, technology or way of working must you build, hire or drop in the "
            "next two years?"},
           {"network",
            "Which partner could lend you a competence you lack, and which of yours could "
            "you offer in return?"},
           {"relations",
            "Do your customers and partners know what your people can do, and who in your "
            "company keeps those contacts?"},
           {"value_formula",
            "What do your competences cost to keep up, and which of them earn their keep?"}},
      .threats =
          {// Lindgren 2012, Table 2: too much competence-driven BMI.
           {.code = "competence.too_much_competence_bmi",
            .threat = "Too much of the BMI is driven by competence demands.",
            .min_share = 0.6,
            .min_tasks = 3,
            .absent_block = "",
            .source = "Lindgren 2012, Table 2"}},
  };
  return kDescriptor;
}

class CompetenceLine final : public bmil::sdk::LeadershipLine {
 public:
  const LineDescriptor& descriptor() const override { return Descriptor(); }
};

}  // namespace

BMIL_PLUGIN(CompetenceLine)
