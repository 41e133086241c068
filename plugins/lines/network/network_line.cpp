// Network innovation leadership (NIL): leading BMI from the network and its partners.
// Source: Lindgren (2012), Appendix 1 (definition) and Table 2 (SWOT), paraphrased.
#include <bmil/sdk/plugin.hpp>

namespace {

using bmil::sdk::LineDescriptor;

const LineDescriptor& Descriptor() {
  static const LineDescriptor kDescriptor{
      .id = "network",
      .code = "NIL",
      .name = "Network innovation leadership",
      .focus_block = "network",
      .perspective = "both",
      .definition =
          "Leads innovation of every building block with the network and its "
          "partners in focus, and with what those partners want from the model.",
      // Table 2 leaves the weakness cell empty.
      .swot = {.strengths = {"Renews the network of partners around each building block."},
               .weaknesses = {},
               .opportunities = {"Brings out what network partners want from the BMI."},
               .threats = {"Too much of the BMI is driven by network demands."},
               .source = "Lindgren 2012, Table 2 (paraphrased)"},
      .questions =
          {{"value_proposition",
            "What could you offer together with a partner that neither of you can offer "
            "alone?"},
           {"customers",
            "Which partner already reaches the customers you want, and what would make it "
            "introduce you?"},
           {"value_chain",
            "Which of your internal functions could you share with a partner or hand over "
            "to one?"},
           {"competences",
            "Which competences do your partners have that you lack, and how would you get "
            "access to them?"},
           {"network",
            "Which partners would you add, keep closer or leave, and what does each of them "
            "want from working with you?"},
           {"relations",
            "How do you keep in touch with your partners between deals, and who in your "
            "company owns each of those relations?"},
           {"value_formula",
            "What does each partner gain from your model, beyond money, and what do you pay "
            "or give them for it?"}},
      .threats =
          {// Lindgren 2012, Table 2: too much network-driven BMI.
           {.code = "network.too_much_network_bmi",
            .threat = "Too much of the BMI is driven by network demands.",
            .min_share = 0.6,
            .min_tasks = 3,
            .absent_block = "",
            .source = "Lindgren 2012, Table 2"}},
  };
  return kDescriptor;
}

class NetworkLine final : public bmil::sdk::LeadershipLine {
 public:
  const LineDescriptor& descriptor() const override { return Descriptor(); }
};

}  // namespace

BMIL_PLUGIN(NetworkLine)
