// Customer innovation leadership (CIL): leading BMI from the users' and customers' viewpoint.
// Source: Lindgren (2012), Appendix 1 (definition) and Table 2 (SWOT), paraphrased.
#include <bmil/sdk/plugin.hpp>

namespace {

using bmil::sdk::LineDescriptor;

const LineDescriptor& Descriptor() {
  static const LineDescriptor kDescriptor{
      .id = "customer",
      .code = "CIL",
      .name = "Customer innovation leadership",
      .focus_block = "customers",
      .perspective = "outside_in",
      .definition =
          "Leads innovation of every building block with users and customers in "
          "focus: what they need next, and how the business model can take them "
          "there.",
      .swot = {.strengths = {"Looks at each building block through the eyes of users and "
                             "customers.",
                             "Innovates together with users and customers, helping them to the "
                             "next step of their own innovation process."},
               .weaknesses = {"Sees the business model from the outside in only, from the user's "
                              "or customer's side."},
               .opportunities = {},
               .threats = {"Innovation driven too much by customers and users.",
                           "Innovation that brings no business: nobody pays for it."},
               .source = "Lindgren 2012, Table 2 (paraphrased)"},
      .questions =
          {{"value_proposition",
            "What would your users and customers want from the product or service next, and "
            "would they help you build it?"},
           {"customers",
            "Which users are not yet paying customers, and which customer groups could you "
            "serve that you do not serve today?"},
           {"value_chain",
            "Which of your internal activities do customers notice, and which would they "
            "rather do themselves or have you drop?"},
           {"competences",
            "Which skills do you lack to understand and serve your customers better, and "
            "can customers lend you some of them?"},
           {"network",
            "Which partners already reach the customers you want, and what would make them "
            "bring those customers to you?"},
           {"relations",
            "How do customers meet you before, during and after they buy, and where does "
            "that relation break off?"},
           {"value_formula",
            "What exactly do customers pay for, and does each customer-driven change earn "
            "more than it costs?"}},
      .threats = {{.code = "customer.too_much_customer_driven_bmi",
                   .threat = "Too much of the BMI is driven by customers and users.",
                   .min_share = 0.6,
                   .min_tasks = 3,
                   .absent_block = "",
                   .source = "Lindgren 2012, Table 2"},
                  {.code = "customer.no_business_in_bmi",
                   .threat = "Customer-led BMI with no business in it: no task works on how the "
                             "model earns money.",
                   .min_share = 0.5,
                   .min_tasks = 2,
                   .absent_block = "value_formula",
                   .source = "Lindgren 2012, Table 2"}},
  };
  return kDescriptor;
}

class CustomerLine final : public bmil::sdk::LeadershipLine {
 public:
  const LineDescriptor& descriptor() const override { return Descriptor(); }
};

}  // namespace

BMIL_PLUGIN(CustomerLine)
