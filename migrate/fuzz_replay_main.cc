// Without --config=fuzz, pipeline_fuzzer is this: it runs the fuzz target on
// the files it is given (e.g. a crash input that CI copied out), so a
// finding can be replayed and debugged with the default toolchain.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include "migrate/fuzz_check.h"
#include "migrate/report.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: pipeline_fuzzer <input files...> (build with --config=fuzz to fuzz)\n";
    return 2;
  }
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    if (!in) {
      std::cerr << "pipeline_fuzzer: error: cannot read " << argv[i] << "\n";
      return 2;
    }
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // What the tiers made of it, for whoever debugs a finding.
    const migrate::Found found = migrate::FindInMemory(migrate::FuzzTu(bytes));
    const migrate::Outcome outcome = migrate::DecideInMemory(found, migrate::DecideOptions{});
    std::cerr << "pipeline_fuzzer: " << argv[i] << ": " << (found.parsed ? "parsed" : "did not parse")
              << ", " << outcome.sites.size() << " site(s), " << outcome.plan.files.size() << " file(s) edited\n";
    for (const migrate::Site& site : outcome.sites) std::cerr << "  " << migrate::SummaryLine(site) << "\n";
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    std::cerr << "pipeline_fuzzer: " << argv[i] << ": ok\n";
  }
  return 0;
}
