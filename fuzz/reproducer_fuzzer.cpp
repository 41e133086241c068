// Fuzzes the reproducer reader (ReadReproducer, core/src/host/reproducer.hpp), which reads
// files a user hands to `bmil plugins replay`. Beyond "no crash, no hang, no leak, no
// undefined behaviour, no exception":
//  - a reproducer is returned exactly when there are no problems, and every problem is
//    located (a line and column, or the whole file for a size limit);
//  - an accepted reproducer round-trips: ReproducerText() of it reads back to the same
//    fields, and writing that gives the same text again;
//  - an accepted add request holds one record, which OneRecordOfBatch() cuts out unchanged.
#include "host/reproducer.hpp"

#include "fuzz_support.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

using bmil::fuzz::Broken;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const bmil::ReproducerLoad loaded = bmil::ReadReproducer(text, "fuzz.bmilrepro");
  if (loaded.value.has_value() == !loaded.problems.empty()) {
    Broken("a reproducer is returned exactly when there are no problems");
  }
  for (const bmil::Diagnostic& d : loaded.problems) {
    if (d.line == 0 && d.message.find("refused unread") == std::string::npos) {
      Broken("a problem without a location", d.ToString());
    }
  }
  if (!loaded.value) return 0;
  const bmil::Reproducer& r = *loaded.value;
  const std::string written = bmil::ReproducerText(r);
  const bmil::ReproducerLoad again = bmil::ReadReproducer(written, "written.bmilrepro");
  if (!again.value) {
    Broken("ReproducerText wrote a file the reader refuses",
           again.problems.front().ToString() + "\n" + written);
  }
  const bmil::Reproducer& b = *again.value;
  if (b.bmil_version != r.bmil_version || b.when != r.when || b.plugin != r.plugin ||
      b.version != r.version || b.kind != r.kind || b.path != r.path || b.size != r.size ||
      b.xxh3 != r.xxh3 || b.call != r.call || b.what != r.what || b.config != r.config ||
      b.case_id != r.case_id || b.cases_before != r.cases_before || b.request != r.request) {
    Broken("a reproducer read back from its own text differs", written);
  }
  if (bmil::ReproducerText(b) != written) Broken("writing a reproducer twice gives other text");
  if (r.call == "add" && bmil::OneRecordOfBatch(r.request, 0) != r.request) {
    Broken("the one record of an accepted add request is not the request");
  }
  return 0;
}
