// The case document that uses every field of case format v1 once, shared by the loader
// and writer tests.
#ifndef BMIL_TESTS_CORE_IO_FULL_DOCUMENT_HPP_
#define BMIL_TESTS_CORE_IO_FULL_DOCUMENT_HPP_

namespace bmil::test {

inline constexpr const char* kFullDocument = R"({
  "bmil": "1.0",
  "business": {
    "id": "aikon",
    "name": "Aikon S\u00f8borg ApS",
    "description": "Danish SME running several business models.",
    "industry": "kitchens",
    "country": "DK",
    "size": "small",
    "founded": 1998,
    "employees": 42,
    "attributes": {"cvr": "12345678", "tags": ["sme", 3, 1.5, null, true], "owner": {"family": true}}
  },
  "portfolios": [
    {"id": "core", "name": "Core", "description": "What earns today.",
     "business_models": ["kitchen", "health"]}
  ],
  "business_models": [
    {
      "id": "kitchen",
      "name": "Glass kitchen",
      "description": "Kitchens with glass fronts.",
      "state": "as_is",
      "stage": "market",
      "industries": [{"id": "furniture", "status": "home"}, {"id": "hotels", "status": "failed"}],
      "building_blocks": {
        "value_proposition": {"forms": ["digital", "physical"], "description": "Glass kitchens",
                              "items": ["fronts", "installation"]},
        "customers": {},
        "value_formula": {"forms": ["virtual"], "description": "One-off sales", "items": ["sale"],
                          "revenue": 1200000, "cost": 950000.5, "currency": "DKK", "users": 0,
                          "customers": 35}
      },
      "attributes": {"margin": 0.2}
    },
    {
      "id": "health",
      "name": "Health info system",
      "state": "to_be",
      "stage": "prototype",
      "building_blocks": {"network": {"forms": ["digital"]}},
      "carried_by": ["kitchen"]
    }
  ],
  "bmi_tasks": [
    {
      "id": "t1",
      "business_model": "kitchen",
      "description": "Orchestrated customer and network leadership",
      "building_blocks": ["customers", "network"],
      "leadership_lines": ["customer", "network"],
      "action": "upgrade",
      "level": "business_model",
      "phase": "during",
      "period": {"start": "2010-03", "end": "2011-12-31"},
      "status": "completed",
      "effort": 6.5,
      "stance": "proactive",
      "perspective": "outside_in",
      "attributes": {"owner": "CEO"}
    },
    {"id": "t2", "business_model": "health", "building_blocks": ["value_formula"],
     "leadership_lines": ["value"], "action": "exclude", "period": {"start": "2012"}}
  ],
  "strategy": {
    "explicit": false,
    "structured_process": true,
    "skills": "low",
    "goals": ["critical mass of customers"],
    "leadership_lines": ["customer", "network"],
    "description": "Customer and network leadership at once."
  },
  "source": {"citation": "Lindgren 2012", "url": "https://doi.org/10.5539/ijbm.v7n14p53",
             "notes": "Coded from the narrative."}
})";

}  // namespace bmil::test

#endif  // BMIL_TESTS_CORE_IO_FULL_DOCUMENT_HPP_
