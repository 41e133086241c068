// Sustainability innovation leadership (SIL): an eighth leadership line, added as a plugin the
// way a research group would add one, without touching or rebuilding the host. Cases then
// name "sustainability" in a task's leadership_lines, and the canvas shows a row "SIL".
//
// The content is illustrative (our own wording, not from Lindgren 2012): a research group
// would put its own definition, SWOT, questions and threat rules here, with their source.
#include <bmil/sdk/plugin.hpp>

namespace {

using bmil::sdk::LineDescriptor;

constexpr const char* kSource = "bmil example plugin (illustrative, not from Lindgren 2012)";

const LineDescriptor& Descriptor() {
  static const LineDescriptor kDescriptor{
      .id = "sustainability",
      .code = "SIL",
      .name = "Sustainability innovation leadership",
      .focus_block = "value_formula",
      .perspective = "both",
      .definition =
          "Leads innovation of every building block with environmental and social value in "
          "focus: what the business model takes from and gives back to people and nature, and "
          "how that value can be earned rather than only spent.",
      .swot = {.strengths = {"Counts value beyond profit: energy, materials, emissions, jobs.",
                             "Opens doors to customers, investors and public buyers who ask for "
                             "documented sustainability."},
               .weaknesses = {"Needs data the business seldom collects (footprints, life "
                              "cycles), so decisions rest on estimates."},
               .opportunities = {"Public procurement and regulation that reward lower "
                                 "footprints.",
                                 "Circular models: selling use, taking products back."},
               .threats = {"Sustainability value that no customer pays for.",
                           "Claims the business cannot document (green-washing)."},
               .source = kSource},
      .questions =
          {{"value_proposition",
            "Which part of your offer causes most of its footprint, and could customers get "
            "the same use with less material or energy?"},
           {"customers",
            "Which customers ask for documented sustainability today, and which will have to "
            "ask because of regulation?"},
           {"value_chain",
            "Which step of your own production wastes most energy or material, and what would "
            "it take to close that loop?"},
           {"competences",
            "Which skills does a greener model need (life-cycle assessment, repair, "
            "take-back), and where can you learn them?"},
           {"network",
            "Which supplier or partner carries most of your footprint, and would it share the "
            "work of lowering it?"},
           {"relations",
            "How do customers hear about the model's footprint, and can you show it to them "
            "before, during and after they buy?"},
           {"value_formula",
            "Who pays for the sustainability value the model creates, and what does it cost "
            "you if nobody does?"}},
      .threats = {{.code = "sustainability.too_much_sustainability_driven_bmi",
                   .threat = "Too much of the BMI is driven by sustainability goals alone.",
                   .min_share = 0.6,
                   .min_tasks = 3,
                   .absent_block = "",
                   .source = kSource},
                  {.code = "sustainability.value_nobody_pays_for",
                   .threat = "Sustainability-led BMI with no task on how the model earns from "
                             "it.",
                   .min_share = 0.5,
                   .min_tasks = 2,
                   .absent_block = "value_formula",
                   .source = kSource}},
  };
  return kDescriptor;
}

class SustainabilityLine final : public bmil::sdk::LeadershipLine {
 public:
  const LineDescriptor& descriptor() const override { return Descriptor(); }
};

}  // namespace

BMIL_PLUGIN(SustainabilityLine)
