/* c_minimal — a bmil analyzer in plain C99 against bmil/abi.h alone: no C++ and no SDK,
 * proof that the plugin boundary is a C ABI. It counts the businesses it is given, their
 * business models (and how many of those are TO BE) and their BMI tasks.
 *
 * What every C plugin does:
 *   - export one function, bmil_plugin_entry_v1, returning a static bmil_plugin table;
 *   - write its output (JSON text) through the host's bmil_sink, never hand memory over;
 *   - report failures as a bmil_status plus a message copied into the host's bmil_error;
 *   - walk arrays of the case view with their element size (business_model_size,
 *     task_size), never with sizeof, so that a newer host's larger elements still work.
 * bmil_add_plugin() embeds plugin.json in the library and defines BMIL_PLUGIN_ID and
 * BMIL_PLUGIN_VERSION from it. */
#include <bmil/abi.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The accumulator: one per create(), owned by the plugin. */
struct bmil_instance {
  long cases;
  long business_models;
  long to_be_business_models;
  long tasks;
};

static void set_error(bmil_error* error, int code, const char* message) {
  if (error == NULL) return;
  error->code = code;
  strncpy(error->message, message, BMIL_ERROR_MESSAGE_CAPACITY - 1);
  error->message[BMIL_ERROR_MESSAGE_CAPACITY - 1] = '\0';
}

static int emit(bmil_sink* out, const char* text, bmil_error* error) {
  if (out->write(out->context, text, strlen(text)) != 0) {
    set_error(error, BMIL_ERROR_INTERNAL, "the host refused the output");
    return BMIL_ERROR_INTERNAL;
  }
  return BMIL_OK;
}

static int create(const char* config, size_t size, bmil_instance** out, bmil_error* error) {
  (void)config; /* no configuration */
  (void)size;
  *out = calloc(1, sizeof(bmil_instance));
  if (*out == NULL) {
    set_error(error, BMIL_ERROR_OUT_OF_MEMORY, "out of memory");
    return BMIL_ERROR_OUT_OF_MEMORY;
  }
  return BMIL_OK;
}

static void destroy(bmil_instance* self) { free(self); }

static int describe(bmil_instance* self, bmil_sink* out, bmil_error* error) {
  (void)self;
  return emit(out,
              "{\"id\":\"" BMIL_PLUGIN_ID
              "\",\"name\":\"Business models and tasks (C example)\","
              "\"description\":\"Counts businesses, business models and BMI tasks.\"}",
              error);
}

static int add(bmil_instance* self, const bmil_case_view* view, bmil_error* error) {
  const unsigned char* model = (const unsigned char*)view->business_models;
  uint32_t i;
  (void)error;
  self->cases += 1;
  self->business_models += view->business_model_count;
  self->tasks += view->task_count;
  for (i = 0; i < view->business_model_count; ++i) {
    const bmil_business_model_view* bm =
        (const bmil_business_model_view*)(model + (size_t)i * view->business_model_size);
    if (bm->state == BMIL_STATE_TO_BE) self->to_be_business_models += 1;
  }
  return BMIL_OK;
}

static int merge(bmil_instance* self, const bmil_instance* other, bmil_error* error) {
  (void)error;
  self->cases += other->cases;
  self->business_models += other->business_models;
  self->to_be_business_models += other->to_be_business_models;
  self->tasks += other->tasks;
  return BMIL_OK;
}

/* The result model (docs/schema/result.schema.json): metrics only. */
static int finish(bmil_instance* self, bmil_sink* out, bmil_error* error) {
  char text[1024];
  snprintf(text, sizeof text,
           "{\"analyzer\":\"" BMIL_PLUGIN_ID
           "\",\"title\":\"Business models and tasks (C example)\","
           "\"summary\":\"%ld business(es), %ld business model(s) (%ld TO BE), %ld BMI "
           "task(s).\",\"metrics\":["
           "{\"id\":\"businesses\",\"label\":\"Businesses\",\"value\":%ld,\"unit\":\"\"},"
           "{\"id\":\"business_models\",\"label\":\"Business models\",\"value\":%ld,"
           "\"unit\":\"\"},"
           "{\"id\":\"to_be_business_models\",\"label\":\"TO BE business models\","
           "\"value\":%ld,\"unit\":\"\"},"
           "{\"id\":\"tasks\",\"label\":\"BMI tasks\",\"value\":%ld,\"unit\":\"tasks\"}],"
           "\"tables\":[],\"matrices\":[],\"findings\":[]}",
           self->cases, self->business_models, self->to_be_business_models, self->tasks,
           self->cases, self->business_models, self->to_be_business_models, self->tasks);
  return emit(out, text, error);
}

static int save(bmil_instance* self, bmil_sink* out, bmil_error* error) {
  char text[256];
  snprintf(text, sizeof text, "{\"c_minimal\":[%ld,%ld,%ld,%ld]}", self->cases,
           self->business_models, self->to_be_business_models, self->tasks);
  return emit(out, text, error);
}

/* Accepts exactly what save() writes. */
static int load(bmil_instance* self, const char* state, size_t size, bmil_error* error) {
  char text[256];
  bmil_instance loaded;
  if (size >= sizeof text) {
    set_error(error, BMIL_ERROR_INVALID_STATE, "not a c_minimal state (too long)");
    return BMIL_ERROR_INVALID_STATE;
  }
  memcpy(text, state, size);
  text[size] = '\0';
  if (sscanf(text, "{\"c_minimal\":[%ld,%ld,%ld,%ld]}", &loaded.cases, &loaded.business_models,
             &loaded.to_be_business_models, &loaded.tasks) != 4) {
    set_error(error, BMIL_ERROR_INVALID_STATE, "not a c_minimal state");
    return BMIL_ERROR_INVALID_STATE;
  }
  *self = loaded;
  return BMIL_OK;
}

/* Designated initializers: the fields not named (a line's assess and propose, a consequence
 * model's prepare and evaluate, anything a later ABI minor appends) are NULL. */
static const bmil_plugin kTable = {
    .struct_size = sizeof(bmil_plugin),
    .abi_major = BMIL_ABI_MAJOR,
    .abi_minor = BMIL_ABI_MINOR,
    .id = BMIL_PLUGIN_ID,
    .version = BMIL_PLUGIN_VERSION,
    .kind = BMIL_KIND_ANALYZER,
    .create = create,
    .destroy = destroy,
    .describe = describe,
    .add = add,
    .merge = merge,
    .finish = finish,
    .save = save,
    .load = load,
};

BMIL_EXPORT const bmil_plugin* bmil_plugin_entry_v1(const bmil_host_info* host, bmil_error* error) {
  /* The host refuses a table of another major anyway; saying why here is friendlier. */
  if (host != NULL && host->abi_major != BMIL_ABI_MAJOR) {
    set_error(error, BMIL_ERROR_UNSUPPORTED, "c_minimal needs plugin ABI 1.x");
    return NULL;
  }
  return &kTable;
}
