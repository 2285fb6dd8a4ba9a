// libFuzzer target: arbitrary bytes as one source file through the whole
// pipeline (see fuzz_check.h). Built with --config=fuzz; run with
// migrate/run_fuzzer.sh. A broken rule aborts with the reason on stderr.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "migrate/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string problems =
      migrate::CheckOneInput(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!problems.empty()) {
    std::fprintf(stderr, "pipeline_fuzzer: an edit breaks the rule:\n%s", problems.c_str());
    __builtin_trap();
  }
  return 0;
}
