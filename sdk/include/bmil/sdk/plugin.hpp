// BMIL_PLUGIN(Class): turns a LeadershipLine, Analyzer or ConsequenceModel subclass into a
// plugin.
//
// Put `BMIL_PLUGIN(MyLine)` in exactly one source file of the plugin. It defines the one
// exported entry function (BMIL_ENTRY_SYMBOL) returning a static bmil_plugin table whose
// functions are shims: they call the class, catch every exception and report it as a
// status and message, and write JSON through the host's sink. The plugin's id and version
// are BMIL_PLUGIN_ID and BMIL_PLUGIN_VERSION, which bmil_add_plugin() defines from the
// manifest, so the table always matches the manifest.
#ifndef BMIL_SDK_PLUGIN_HPP_
#define BMIL_SDK_PLUGIN_HPP_

#include <bmil/abi.h>
#include <bmil/sdk/analyzer.hpp>
#include <bmil/sdk/error.hpp>
#include <bmil/sdk/leadership_line.hpp>
#include <bmil/sdk/model.hpp>

#include <nlohmann/json.hpp>

#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <type_traits>

namespace bmil::sdk::detail {

inline void SetError(bmil_error* error, bmil_status code, const char* message) noexcept {
  if (error == nullptr) return;
  error->code = code;
  std::size_t n = std::strlen(message);
  if (n >= BMIL_ERROR_MESSAGE_CAPACITY) n = BMIL_ERROR_MESSAGE_CAPACITY - 1;
  std::memcpy(error->message, message, n);
  error->message[n] = '\0';
}

// Runs `body`, turning any exception into a status code and message.
template <typename Body>
int Guard(bmil_error* error, Body&& body) noexcept {
  try {
    body();
    return BMIL_OK;
  } catch (const Error& e) {
    SetError(error, e.code(), e.what());
    return e.code();
  } catch (const nlohmann::json::exception& e) {
    SetError(error, BMIL_ERROR_INVALID_ARGUMENT, e.what());
    return BMIL_ERROR_INVALID_ARGUMENT;
  } catch (const std::bad_alloc&) {
    SetError(error, BMIL_ERROR_OUT_OF_MEMORY, "out of memory");
    return BMIL_ERROR_OUT_OF_MEMORY;
  } catch (const std::exception& e) {
    SetError(error, BMIL_ERROR_INTERNAL, e.what());
    return BMIL_ERROR_INTERNAL;
  } catch (...) {
    SetError(error, BMIL_ERROR_INTERNAL, "unknown exception");
    return BMIL_ERROR_INTERNAL;
  }
}

template <typename Json>
void Write(bmil_sink* sink, const Json& value) {
  if (sink == nullptr || sink->write == nullptr)
    throw Error(BMIL_ERROR_INVALID_ARGUMENT, "no output sink");
  const std::string text = value.dump();
  if (sink->write(sink->context, text.data(), text.size()) != 0)
    throw Error(BMIL_ERROR_INTERNAL, "the host refused the output");
}

inline void RequireView(const bmil_case_view* view) {
  if (view == nullptr) throw Error(BMIL_ERROR_INVALID_ARGUMENT, "no case view");
}

// What a model's prepare() declared: evaluate() calls must match it.
struct ModelSizes {
  std::size_t drivers = 0;
  std::size_t outputs = 0;
};
struct NoSizes {};

// The plugin instance behind the opaque bmil_instance pointer.
template <typename Class>
struct Holder {
  Class object;
  std::conditional_t<std::is_base_of_v<ConsequenceModel, Class>, ModelSizes, NoSizes> sizes;
};

template <typename Class>
ModelSizes& SizesOf(Holder<Class>& holder) {
  if constexpr (std::is_base_of_v<ConsequenceModel, Class>) {
    return holder.sizes;
  } else {
    static ModelSizes none;  // never reached: only models call this
    return none;
  }
}

template <typename Class>
Class& Self(bmil_instance* self) {
  if (self == nullptr) throw Error(BMIL_ERROR_INVALID_ARGUMENT, "no instance");
  return reinterpret_cast<Holder<Class>*>(self)->object;
}

template <typename Class>
struct Shims {
  static constexpr bool kIsLine = std::is_base_of_v<LeadershipLine, Class>;
  static constexpr bool kIsAnalyzer = std::is_base_of_v<Analyzer, Class>;
  static constexpr bool kIsModel = std::is_base_of_v<ConsequenceModel, Class>;
  static_assert(int{kIsLine} + int{kIsAnalyzer} + int{kIsModel} == 1,
                "BMIL_PLUGIN: the class must derive from exactly one of "
                "bmil::sdk::LeadershipLine, bmil::sdk::Analyzer or bmil::sdk::ConsequenceModel");

  static int Create(const char* config, std::size_t size, bmil_instance** out,
                    bmil_error* error) noexcept {
    return Guard(error, [&] {
      if (out == nullptr) throw Error(BMIL_ERROR_INVALID_ARGUMENT, "no output pointer");
      *out = nullptr;
      nlohmann::json parsed = nlohmann::json::object();
      if (config != nullptr && size > 0) parsed = nlohmann::json::parse(config, config + size);
      auto holder = std::make_unique<Holder<Class>>();
      holder->object.Configure(parsed);
      *out = reinterpret_cast<bmil_instance*>(holder.release());
    });
  }
  static void Destroy(bmil_instance* self) noexcept {
    delete reinterpret_cast<Holder<Class>*>(self);
  }
  static int Describe(bmil_instance* self, bmil_sink* out, bmil_error* error) noexcept {
    return Guard(error, [&] { Write(out, Self<Class>(self).Describe()); });
  }
  static int Assess(bmil_instance* self, const bmil_case_view* view, std::uint32_t bm,
                    bmil_sink* out, bmil_error* error) noexcept {
    return Guard(error, [&] {
      if constexpr (kIsLine) {
        RequireView(view);
        CaseView c(*view);
        if (bm >= c.business_model_count())
          throw Error(BMIL_ERROR_INVALID_ARGUMENT, "business model index out of range");
        Write(out, Self<Class>(self).Assess(c, c.business_model(bm)));
      }
    });
  }
  static int Propose(bmil_instance* self, const bmil_case_view* view, std::uint32_t bm,
                     bmil_sink* out, bmil_error* error) noexcept {
    return Guard(error, [&] {
      if constexpr (kIsLine) {
        RequireView(view);
        CaseView c(*view);
        if (bm >= c.business_model_count())
          throw Error(BMIL_ERROR_INVALID_ARGUMENT, "business model index out of range");
        Write(out, Self<Class>(self).Propose(c, c.business_model(bm)));
      }
    });
  }
  static int Add(bmil_instance* self, const bmil_case_view* view, bmil_error* error) noexcept {
    return Guard(error, [&] {
      if constexpr (kIsAnalyzer) {
        RequireView(view);
        Self<Class>(self).Add(CaseView(*view));
      }
    });
  }
  static int Merge(bmil_instance* self, const bmil_instance* other, bmil_error* error) noexcept {
    return Guard(error, [&] {
      if constexpr (kIsAnalyzer) {
        if (other == nullptr) throw Error(BMIL_ERROR_INVALID_ARGUMENT, "no instance to merge");
        Self<Class>(self).Merge(reinterpret_cast<const Holder<Class>*>(other)->object);
      }
    });
  }
  static int Finish(bmil_instance* self, bmil_sink* out, bmil_error* error) noexcept {
    return Guard(error, [&] {
      if constexpr (kIsAnalyzer) Write(out, Self<Class>(self).Finish());
    });
  }
  static int Save(bmil_instance* self, bmil_sink* out, bmil_error* error) noexcept {
    return Guard(error, [&] {
      if constexpr (kIsAnalyzer) Write(out, Self<Class>(self).Save());
    });
  }
  static int Load(bmil_instance* self, const char* state, std::size_t size,
                  bmil_error* error) noexcept {
    return Guard(error, [&] {
      if constexpr (kIsAnalyzer) {
        if (state == nullptr) throw Error(BMIL_ERROR_INVALID_ARGUMENT, "no state");
        nlohmann::json parsed;
        try {
          parsed = nlohmann::json::parse(state, state + size);
        } catch (const nlohmann::json::exception& e) {
          throw Error(BMIL_ERROR_INVALID_STATE,
                      std::string("saved state is not JSON: ") + e.what());
        }
        Self<Class>(self).Load(parsed);
      }
    });
  }

  // Consequence models: the layout's sizes are kept to check each evaluate() call.
  static int Prepare(bmil_instance* self, const bmil_model_setup* setup, bmil_sink* out,
                     bmil_error* error) noexcept {
    return Guard(error, [&] {
      if constexpr (kIsModel) {
        if (setup == nullptr || setup->view == nullptr)
          throw Error(BMIL_ERROR_INVALID_ARGUMENT, "no model setup");
        auto& holder = *reinterpret_cast<Holder<Class>*>(self);
        const ModelLayout layout = Self<Class>(self).Prepare(
            CaseView(*setup->view), ModelSetup{setup->first_year, setup->years});
        Write(out, layout.json());
        ModelSizes& sizes = SizesOf(holder);
        sizes.drivers = layout.driver_count();
        sizes.outputs = layout.series_count() * setup->years;
      }
    });
  }
  static int Evaluate(bmil_instance* self, const double* drivers, std::size_t driver_count,
                      double* out, std::size_t out_count, bmil_error* error) noexcept {
    return Guard(error, [&] {
      if constexpr (kIsModel) {
        auto& holder = *reinterpret_cast<Holder<Class>*>(self);
        const ModelSizes& sizes = SizesOf(holder);
        if (driver_count != sizes.drivers || out_count != sizes.outputs ||
            (driver_count > 0 && drivers == nullptr) || (out_count > 0 && out == nullptr)) {
          throw Error(BMIL_ERROR_INVALID_ARGUMENT,
                      "evaluate: sizes differ from the layout prepare() returned");
        }
        Self<Class>(self).Evaluate(std::span<const double>(drivers, driver_count),
                                   std::span<double>(out, out_count));
      }
    });
  }

  static const bmil_plugin* Table(const char* id, const char* version) noexcept {
    static const bmil_plugin table = [&] {
      bmil_plugin t{};
      t.struct_size = sizeof(bmil_plugin);
      t.abi_major = BMIL_ABI_MAJOR;
      t.abi_minor = BMIL_ABI_MINOR;
      t.id = id;
      t.version = version;
      t.kind = kIsLine ? BMIL_KIND_LINE : kIsAnalyzer ? BMIL_KIND_ANALYZER : BMIL_KIND_MODEL;
      t.create = &Create;
      t.destroy = &Destroy;
      t.describe = &Describe;
      if constexpr (kIsLine) {
        t.assess = &Assess;
        t.propose = &Propose;
      } else if constexpr (kIsModel) {
        t.prepare = &Prepare;
        t.evaluate = &Evaluate;
      } else {
        t.add = &Add;
        t.merge = &Merge;
        t.finish = &Finish;
        t.save = &Save;
        t.load = &Load;
      }
      return t;
    }();
    return &table;
  }
};

inline bool HostCompatible(const bmil_host_info* host, bmil_error* error) noexcept {
  if (host == nullptr) return true;
  if (host->abi_major != BMIL_ABI_MAJOR) {
    SetError(error, BMIL_ERROR_UNSUPPORTED, "host ABI major differs from the plugin's");
    return false;
  }
  return true;
}

}  // namespace bmil::sdk::detail

#ifndef BMIL_PLUGIN_ID
#error "BMIL_PLUGIN_ID is not defined: build the plugin with bmil_add_plugin() (CMake)"
#endif
#ifndef BMIL_PLUGIN_VERSION
#error "BMIL_PLUGIN_VERSION is not defined: build the plugin with bmil_add_plugin() (CMake)"
#endif

#define BMIL_PLUGIN(Class)                                                                     \
  extern "C" BMIL_EXPORT const bmil_plugin* bmil_plugin_entry_v1(const bmil_host_info* host,   \
                                                                 bmil_error* error) noexcept { \
    if (!::bmil::sdk::detail::HostCompatible(host, error)) return nullptr;                     \
    return ::bmil::sdk::detail::Shims<Class>::Table(BMIL_PLUGIN_ID, BMIL_PLUGIN_VERSION);      \
  }

#endif  // BMIL_SDK_PLUGIN_HPP_
