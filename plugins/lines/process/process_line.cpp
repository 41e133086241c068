// Process innovation leadership (PIL): leading BMI along the time before, during and after
// the business model is consumed.
// Source: Lindgren (2012), Appendix 1 (definition), Table 2 (SWOT) and section 3.3.2 (the
// horizontal dimension), paraphrased.
#include <bmil/sdk/plugin.hpp>

namespace {

using bmil::sdk::LineDescriptor;

const LineDescriptor& Descriptor() {
  static const LineDescriptor kDescriptor{
      .id = "process",
      .code = "PIL",
      .name = "Process innovation leadership",
      // The paper ties this line to no single block; the value chain is the block that holds
      // the model's processes, so it is the nearest focus.
      .focus_block = "value_chain",
      .perspective = "horizontal",
      .definition =
          "Leads innovation of every building block along the model's processes "
          "in time: what happens before, during and after the model is consumed.",
      .swot = {.strengths = {"Widens innovation to many processes and to every phase "
                             "around the model: before it, while it runs and after it."},
               .weaknesses = {"Looks at the model horizontally, along the process and from "
                              "the outside in."},
               .opportunities = {"Widens the field in which BMI is sought."},
               .threats = {"Complexity, and BMI that breaks up the core business area."},
               .source = "Lindgren 2012, Table 2 (paraphrased)"},
      .questions =
          {{"value_proposition",
            "What do customers need just before and just after they use your product or "
            "service, and could you offer it?"},
           {"customers",
            "Who is involved before the purchase, during use and after it, and are any of "
            "them customers you do not serve yet?"},
           {"value_chain",
            "Which of your internal steps happen before, during and after the customer uses "
            "the offer, and where does the customer wait?"},
           {"competences",
            "Which skills would you need to serve customers before they buy or after they "
            "have used your offer?"},
           {"network",
            "Which partners serve your customers before or after you do, and could you work "
            "with them on it?"},
           {"relations",
            "Where does your contact with customers start and end, and what would keep it "
            "going after the last delivery?"},
           {"value_formula",
            "Do you earn money only during use, or also before and after it, and what would "
            "an extra phase cost?"}},
      .threats =
          {// Lindgren 2012, Table 2: complexity and breaking the core business area. That
           // cannot be read from task data; the proxy is that half or more of the model's
           // BMI (at least three tasks) is led through the process line, pulling the model
           // away from its core.
           {.code = "process.breaking_core_business",
            .threat = "Process-led BMI grows complex and breaks up the core business area: "
                      "half or more of the model's BMI runs through the process line.",
            .min_share = 0.5,
            .min_tasks = 3,
            .absent_block = "",
            .source = "Lindgren 2012, Table 2"}},
  };
  return kDescriptor;
}

class ProcessLine final : public bmil::sdk::LeadershipLine {
 public:
  const LineDescriptor& descriptor() const override { return Descriptor(); }
};

}  // namespace

BMIL_PLUGIN(ProcessLine)
