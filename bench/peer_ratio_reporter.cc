#include "bench/peer_ratio_reporter.h"

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"

namespace ember {
namespace bench {
namespace {

struct Pair {
  double ember_ns = 0;
  double peer_ns = 0;
};

class PeerRatioReporter final : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.error_occurred || run.run_type != Run::RT_Iteration) continue;
      const std::string name = run.benchmark_name();
      const size_t slash = name.rfind('/');
      if (slash == std::string::npos) continue;
      const std::string side = name.substr(slash + 1);
      const std::string key = name.substr(0, slash);
      if (side != "ember" && side != "libtorch") continue;
      if (pairs_.find(key) == pairs_.end()) order_.push_back(key);
      const double ns = run.GetAdjustedRealTime() *
                        (run.time_unit == benchmark::kNanosecond    ? 1.0
                         : run.time_unit == benchmark::kMicrosecond ? 1e3
                         : run.time_unit == benchmark::kMillisecond ? 1e6
                                                                    : 1e9);
      (side == "ember" ? pairs_[key].ember_ns : pairs_[key].peer_ns) = ns;
    }
  }

  void Finalize() override {
    ConsoleReporter::Finalize();
    std::printf("\n%-48s %14s %14s %16s\n", "case", "ember", "libtorch", "libtorch/ember");
    for (const std::string& key : order_) {
      const Pair& pair = pairs_[key];
      if (pair.ember_ns <= 0 || pair.peer_ns <= 0) continue;
      std::printf("%-48s %14s %14s %15.2fx\n", key.c_str(), Format(pair.ember_ns).c_str(),
                  Format(pair.peer_ns).c_str(), pair.peer_ns / pair.ember_ns);
    }
    std::fflush(stdout);
  }

 private:
  static std::string Format(double ns) {
    char text[32];
    if (ns < 1e3) {
      std::snprintf(text, sizeof text, "%.2f ns", ns);
    } else if (ns < 1e6) {
      std::snprintf(text, sizeof text, "%.2f us", ns / 1e3);
    } else {
      std::snprintf(text, sizeof text, "%.2f ms", ns / 1e6);
    }
    return text;
  }

  std::map<std::string, Pair> pairs_;
  std::vector<std::string> order_;
};

}  // namespace

int RunWithPeerRatios(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  PeerRatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}

}  // namespace bench
}  // namespace ember
