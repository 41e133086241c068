/*
 * bmil/abi.h — the binary boundary between the bmil host and its plugins.
 *
 * Plain C (C99 and C++ alike), no allocation crosses it, nothing throws across it.
 * A plugin exports exactly one symbol, BMIL_ENTRY_SYMBOL, which returns a pointer to a
 * static, immutable `bmil_plugin` table. Every struct that can grow starts with
 * `struct_size`; fields are only ever appended, so a reader checks BMIL_HAS_FIELD()
 * before touching a field newer than the oldest layout it supports.
 *
 * Versioning (see docs/plugin-guide.md, "ABI policy"); 1.1 added the consequence models
 * (bmil_model_setup, BMIL_KIND_MODEL, prepare and evaluate at the end of bmil_plugin);
 * 1.2 added "businesses" to the findings of the result model (no change to the tables):
 *   - major: changes that break old plugins (a field removed, a meaning changed).
 *            The host refuses a plugin whose major differs from its own.
 *   - minor: appended fields or enum values. The host refuses a plugin whose minor is
 *            newer than its own, and reads an older plugin's smaller tables safely.
 *
 * Data in: a read-only flat case view (bmil_case_view) valid only during the call.
 * Data out: JSON text written through a host-provided sink (bmil_sink); errors as a
 * code plus a message copied into a host-owned fixed buffer (bmil_error).
 */
#ifndef BMIL_ABI_H_
#define BMIL_ABI_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BMIL_ABI_MAJOR 1
#define BMIL_ABI_MINOR 2

/* The one symbol a plugin exports (its name carries the major version). */
#define BMIL_ENTRY_SYMBOL "bmil_plugin_entry_v1"

/* The ELF section holding the plugin's manifest (JSON text, UTF-8, no terminator). */
#define BMIL_MANIFEST_SECTION ".bmil_manifest"

/* Exported with default visibility even when the plugin builds with hidden visibility. */
#if defined(_WIN32)
#define BMIL_EXPORT __declspec(dllexport)
#else
#define BMIL_EXPORT __attribute__((visibility("default")))
#endif

/* True when a table of size `size` (its struct_size) contains `field` of `type`. */
#define BMIL_HAS_FIELD(type, ptr, field) \
  ((ptr)->struct_size >= offsetof(type, field) + sizeof(((type*)0)->field))

/* ---------------------------------------------------------------- basics */

/* A borrowed UTF-8 string: `data` is not NUL-terminated; size 0 means empty or absent. */
typedef struct bmil_str {
  const char* data;
  size_t size;
} bmil_str;

/* Result of every plugin call. */
typedef enum bmil_status {
  BMIL_OK = 0,
  BMIL_ERROR_INVALID_ARGUMENT = 1, /* the host passed something the plugin cannot use */
  BMIL_ERROR_INVALID_STATE = 2,    /* e.g. load() of a saved state the plugin cannot read */
  BMIL_ERROR_UNSUPPORTED = 3,      /* the call does not apply to this plugin */
  BMIL_ERROR_OUT_OF_MEMORY = 4,
  BMIL_ERROR_INTERNAL = 5 /* an exception or bug inside the plugin */
} bmil_status;

#define BMIL_ERROR_MESSAGE_CAPACITY 512

/* Filled by the plugin when a call fails: `message` NUL-terminated, truncated to fit. */
typedef struct bmil_error {
  int32_t code; /* a bmil_status */
  char message[BMIL_ERROR_MESSAGE_CAPACITY];
} bmil_error;

/* Where a plugin writes its JSON output. `write` may be called any number of times;
 * the concatenation of the chunks is one JSON document. It returns 0 on success and
 * non-zero when the host cannot take more (the plugin should then stop and fail). */
typedef struct bmil_sink {
  void* context;
  int (*write)(void* context, const char* data, size_t size);
} bmil_sink;

/* --------------------------------------------------------- enumerations */
/* Every enumeration reserves 0 for "not stated in the case". */

typedef enum bmil_state {
  BMIL_STATE_UNSTATED = 0,
  BMIL_STATE_AS_IS = 1, /* in the market */
  BMIL_STATE_TO_BE = 2  /* on its way to the market */
} bmil_state;

typedef enum bmil_stage {
  BMIL_STAGE_UNSTATED = 0,
  BMIL_STAGE_IDEA = 1,
  BMIL_STAGE_CONCEPT = 2,
  BMIL_STAGE_PROTOTYPE = 3,
  BMIL_STAGE_MARKET = 4,
  BMIL_STAGE_RETIRED = 5
} bmil_stage;

typedef enum bmil_action {
  BMIL_ACTION_UNSTATED = 0,
  BMIL_ACTION_CREATE = 1,
  BMIL_ACTION_EXCLUDE = 2,
  BMIL_ACTION_KEEP = 3,
  BMIL_ACTION_UPGRADE = 4,
  BMIL_ACTION_DIMINISH = 5
} bmil_action;

typedef enum bmil_level {
  BMIL_LEVEL_UNSTATED = 0,
  BMIL_LEVEL_BUILDING_BLOCK = 1,
  BMIL_LEVEL_BUSINESS_MODEL = 2,
  BMIL_LEVEL_PORTFOLIO = 3,
  BMIL_LEVEL_BUSINESS = 4
} bmil_level;

typedef enum bmil_phase {
  BMIL_PHASE_UNSTATED = 0,
  BMIL_PHASE_BEFORE = 1,
  BMIL_PHASE_DURING = 2,
  BMIL_PHASE_AFTER = 3
} bmil_phase;

typedef enum bmil_task_status {
  BMIL_TASK_STATUS_UNSTATED = 0,
  BMIL_TASK_STATUS_PLANNED = 1,
  BMIL_TASK_STATUS_ONGOING = 2,
  BMIL_TASK_STATUS_COMPLETED = 3,
  BMIL_TASK_STATUS_ABANDONED = 4
} bmil_task_status;

typedef enum bmil_stance {
  BMIL_STANCE_UNSTATED = 0,
  BMIL_STANCE_REACTIVE = 1,
  BMIL_STANCE_PROACTIVE = 2
} bmil_stance;

typedef enum bmil_perspective {
  BMIL_PERSPECTIVE_UNSTATED = 0,
  BMIL_PERSPECTIVE_OUTSIDE_IN = 1,
  BMIL_PERSPECTIVE_INSIDE_OUT = 2,
  BMIL_PERSPECTIVE_INSIDE_IN = 3
} bmil_perspective;

typedef enum bmil_size {
  BMIL_SIZE_UNSTATED = 0,
  BMIL_SIZE_MICRO = 1,
  BMIL_SIZE_SMALL = 2,
  BMIL_SIZE_MEDIUM = 3,
  BMIL_SIZE_LARGE = 4
} bmil_size;

typedef enum bmil_industry_status {
  BMIL_INDUSTRY_UNSTATED = 0,
  BMIL_INDUSTRY_HOME = 1,      /* the industry the model was built for */
  BMIL_INDUSTRY_ATTEMPTED = 2, /* a move into it is under way */
  BMIL_INDUSTRY_SUCCEEDED = 3, /* the model works there */
  BMIL_INDUSTRY_FAILED = 4     /* a move into it failed */
} bmil_industry_status;

/* Tri-state for yes/no facts a case may leave open. */
typedef enum bmil_flag { BMIL_FLAG_UNSTATED = 0, BMIL_FLAG_NO = 1, BMIL_FLAG_YES = 2 } bmil_flag;

/* Forms of a building block, as bits. */
#define BMIL_FORM_PHYSICAL 1u
#define BMIL_FORM_DIGITAL 2u
#define BMIL_FORM_VIRTUAL 4u

/* Block and line sets are bitsets over the case view's block_ids / line_ids tables:
 * bit i set <=> block_ids[i] (line_ids[i]) is in the set. At most 64 of each. */
typedef uint64_t bmil_set;
#define BMIL_MAX_IDS 64

/* Index value meaning "none". */
#define BMIL_NO_INDEX UINT32_MAX

/* ------------------------------------------------------- flat case view */
/* Arrays of views are walked with their element size (`*_size` fields of bmil_case_view),
 * never with sizeof, so that element structs can grow. */

typedef struct bmil_industry_view {
  bmil_str id;
  uint32_t status; /* bmil_industry_status */
} bmil_industry_view;

typedef struct bmil_block_view {
  uint32_t struct_size;
  uint32_t forms;   /* BMIL_FORM_* bits */
  uint32_t present; /* 1 when the case describes this block for the model */
  bmil_str description;
  const bmil_str* items;
  uint32_t item_count;
} bmil_block_view;

typedef struct bmil_value_formula_view {
  uint32_t struct_size;
  uint32_t has_revenue, has_cost, has_users, has_customers; /* 1 when stated */
  double revenue;
  double cost;
  double users;
  double customers;
  bmil_str currency;
} bmil_value_formula_view;

typedef struct bmil_business_model_view {
  uint32_t struct_size;
  bmil_str id;
  bmil_str name;
  uint32_t state;     /* bmil_state */
  uint32_t stage;     /* bmil_stage */
  uint32_t portfolio; /* index into portfolios, or BMIL_NO_INDEX */
  const bmil_industry_view* industries;
  uint32_t industry_count;
  const bmil_block_view* blocks; /* block_count entries, indexed like block_ids */
  bmil_value_formula_view value_formula;
  const uint32_t* carried_by; /* indices of the business models that finance this one */
  uint32_t carried_by_count;
  bmil_str description;
  bmil_str attributes_json; /* a JSON object, "{}" when absent */
} bmil_business_model_view;

typedef struct bmil_task_view {
  uint32_t struct_size;
  bmil_str id;
  uint32_t business_model; /* index into business_models */
  bmil_set blocks;
  bmil_set lines;
  uint32_t action;      /* bmil_action */
  uint32_t level;       /* bmil_level */
  uint32_t phase;       /* bmil_phase */
  uint32_t status;      /* bmil_task_status */
  uint32_t stance;      /* bmil_stance */
  uint32_t perspective; /* bmil_perspective */
  int32_t start_year;   /* 0 when not stated */
  int32_t end_year;     /* 0 when not stated or open */
  double effort;        /* person-months; negative when not stated */
  bmil_str description;
  bmil_str attributes_json; /* a JSON object, "{}" when absent */
} bmil_task_view;

typedef struct bmil_portfolio_view {
  bmil_str id;
  bmil_str name;
} bmil_portfolio_view;

typedef struct bmil_strategy_view {
  uint32_t struct_size;
  uint32_t explicit_strategy;  /* bmil_flag */
  uint32_t structured_process; /* bmil_flag */
  uint32_t skills;             /* 0 unstated, 1 low, 2 medium, 3 high */
  bmil_set lines;              /* the lines the strategy says it leads with */
  const bmil_str* goals;
  uint32_t goal_count;
} bmil_strategy_view;

typedef struct bmil_case_view {
  uint32_t struct_size;
  uint16_t format_major, format_minor; /* the case format, "bmil": "1.0" */
  bmil_str id;
  bmil_str name;
  bmil_str industry;
  bmil_str country;
  uint32_t size;             /* bmil_size */
  int32_t founded;           /* 0 when not stated */
  bmil_str attributes_json;  /* the business's attributes, a JSON object */
  const bmil_str* block_ids; /* registered building blocks, the seven built-in first */
  uint32_t block_count;
  const bmil_str* line_ids; /* registered leadership lines */
  uint32_t line_count;
  const bmil_portfolio_view* portfolios;
  uint32_t portfolio_count;
  uint32_t portfolio_size;
  const bmil_business_model_view* business_models;
  uint32_t business_model_count;
  uint32_t business_model_size; /* element size of business_models */
  const bmil_task_view* tasks;
  uint32_t task_count;
  uint32_t task_size; /* element size of tasks */
  bmil_strategy_view strategy;
} bmil_case_view;

/* ---------------------------------------------------------- the plugin */

typedef enum bmil_plugin_kind {
  BMIL_KIND_LINE = 1,     /* a leadership line: describe, assess, propose */
  BMIL_KIND_ANALYZER = 2, /* an analysis: an accumulator over cases */
  BMIL_KIND_MODEL = 3     /* ABI 1.1: a consequence model: prepare, evaluate */
} bmil_plugin_kind;

/* ABI 1.1. What a consequence model is prepared with (docs/scenarios.md, "Consequence
 * models"): the case a scenario leads to and the years to compute. */
typedef struct bmil_model_setup {
  uint32_t struct_size;
  const bmil_case_view* view; /* the applied case; valid only during prepare() */
  int32_t first_year;         /* the calendar year of the first value of every series */
  uint32_t years;             /* values per series: 1 to 50 */
} bmil_model_setup;

/* Opaque per-instance state owned by the plugin. */
typedef struct bmil_instance bmil_instance;

/* What the host tells the plugin when it asks for the table. */
typedef struct bmil_host_info {
  uint32_t struct_size;
  uint16_t abi_major, abi_minor;
  const char* host_version; /* NUL-terminated, e.g. "0.1.0" */
} bmil_host_info;

/* The plugin table. Every function pointer may be NULL when it does not apply to the
 * plugin's kind; every call returns a bmil_status and, on failure, fills `error`.
 * Instances are not thread-safe; distinct instances may be used from distinct threads. */
typedef struct bmil_plugin {
  uint32_t struct_size;
  uint16_t abi_major, abi_minor; /* the ABI the plugin was built against */
  const char* id;                /* NUL-terminated; equals the manifest's id */
  const char* version;           /* NUL-terminated; equals the manifest's version */
  uint32_t kind;                 /* bmil_plugin_kind */

  /* Both kinds. `config_json` is a JSON object (may be "{}"). */
  int (*create)(const char* config_json, size_t config_size, bmil_instance** out,
                bmil_error* error);
  void (*destroy)(bmil_instance* self);
  /* Writes the plugin's descriptor (for a line: id, code, name, focus block, perspective,
   * definition, SWOT, questions; for an analyzer: id, name, description). */
  int (*describe)(bmil_instance* self, bmil_sink* out, bmil_error* error);

  /* Leadership lines. `business_model` indexes view->business_models. */
  int (*assess)(bmil_instance* self, const bmil_case_view* view, uint32_t business_model,
                bmil_sink* out, bmil_error* error);
  int (*propose)(bmil_instance* self, const bmil_case_view* view, uint32_t business_model,
                 bmil_sink* out, bmil_error* error);

  /* Analyzers: an accumulator. create() starts it; add() folds in one case; merge()
   * folds in another instance of the same plugin (left unchanged); finish() writes the
   * result (docs/schema/result.schema.json) and leaves the state unchanged; save()
   * writes the partial state as JSON and load() replaces the state with a saved one. */
  int (*add)(bmil_instance* self, const bmil_case_view* view, bmil_error* error);
  int (*merge)(bmil_instance* self, const bmil_instance* other, bmil_error* error);
  int (*finish)(bmil_instance* self, bmil_sink* out, bmil_error* error);
  int (*save)(bmil_instance* self, bmil_sink* out, bmil_error* error);
  int (*load)(bmil_instance* self, const char* state, size_t size, bmil_error* error);

  /* ABI 1.1: consequence models (kind BMIL_KIND_MODEL). A model is a deterministic
   * function from one case and one set of driver values to KPI time series; the host does
   * the sampling, so every model gets Monte Carlo and sensitivity without code of its own.
   *
   * prepare() reads the case (copying what it needs: the view is gone after the call) and
   * writes its layout as JSON:
   *   {"drivers": [{"id", "description", "unit", "distribution", <its parameters>}, ...],
   *    "series":  [{"id", "kpi", "business_model" (absent for the whole business), "unit",
   *                 "label"}, ...]}
   * Each driver's distribution is the model's default (docs/scenarios.md: a scenario's
   * driver of the same id replaces it). prepare() may be called again on the same instance:
   * the new layout replaces the old.
   *
   * evaluate() computes one draw: `drivers` holds one value per driver, in the order of the
   * layout; `out` has room for (series count) x (setup years) values, written series by
   * series (out[s * years + y] is series s in year first_year + y). It must not allocate
   * per call when it can help it, must return the same values for the same input, and
   * every value it writes must be finite. */
  int (*prepare)(bmil_instance* self, const bmil_model_setup* setup, bmil_sink* out,
                 bmil_error* error);
  int (*evaluate)(bmil_instance* self, const double* drivers, size_t driver_count, double* out,
                  size_t out_count, bmil_error* error);
} bmil_plugin;

/* The entry function's type. Returns the plugin's static table, or NULL when the plugin
 * cannot work with this host (it may then explain in `error`). Must not throw. */
typedef const bmil_plugin* (*bmil_plugin_entry_fn)(const bmil_host_info* host, bmil_error* error);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* BMIL_ABI_H_ */
