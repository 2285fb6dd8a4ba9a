// RatioReporter: Google Benchmark's console output, then a table that pairs
// each "<case>/ember" run with "<case>/<peer>" (same binary, same run) and
// prints the peer's CPU time divided by Ember's: > 1 means Ember is faster.
// The baseline need not be "ember": RatioReporter({"legacy"}, "migrated")
// compares "<case>/legacy" against "<case>/migrated".
//
//   benchmark::RegisterBenchmark("add_1/ember", ...);
//   benchmark::RegisterBenchmark("add_1/libtorch", ...);
//   ember::bench::RatioReporter reporter({"libtorch", "loop"});
//   benchmark::RunSpecifiedBenchmarks(&reporter);
//   reporter.PrintTable(std::cout);
//
// Or, for a binary whose only peer is LibTorch:
//   int main(int argc, char** argv) { return ember::bench::RunWithPeerRatios(argc, argv); }
#ifndef EMBER_BENCH_RATIO_H_
#define EMBER_BENCH_RATIO_H_

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace ember {
namespace bench {

class RatioReporter : public benchmark::ConsoleReporter {
 public:
  explicit RatioReporter(std::vector<std::string> peers, std::string baseline = "ember")
      : peers_(std::move(peers)), baseline_(std::move(baseline)) {}

  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.error_occurred) continue;
      // With --benchmark_repetitions, use the median; otherwise the single run.
      bool median = run.run_type == Run::RT_Aggregate && run.aggregate_name == "median";
      if (!median && run.run_type != Run::RT_Iteration) continue;
      // The registered name, without the "/<arg>" suffixes Google Benchmark adds.
      std::string name = run.run_name.function_name;
      size_t slash = name.rfind('/');
      if (slash == std::string::npos) continue;
      std::string c = name.substr(0, slash);
      // CPU time per iteration, in ns: on a shared machine, real time also
      // counts the time other processes held the core. GetAdjustedCPUTime
      // is in the benchmark's own unit (->Unit(kMicrosecond) for the MLP).
      times_[c][name.substr(slash + 1)] =
          run.GetAdjustedCPUTime() * 1e9 / benchmark::GetTimeUnitMultiplier(run.time_unit);
      if (std::find(order_.begin(), order_.end(), c) == order_.end()) order_.push_back(c);
    }
    ConsoleReporter::ReportRuns(runs);
  }

  // CPU ns per iteration of "<c>/<impl>" (the median with repetitions), or
  // a negative number when that run is missing (filtered out, or failed).
  double Time(const std::string& c, const std::string& impl) const {
    auto row = times_.find(c);
    if (row == times_.end()) return -1;
    auto it = row->second.find(impl);
    return it == row->second.end() ? -1 : it->second;
  }

  // A Markdown table: case, the baseline's time, each peer's time and peer/baseline.
  void PrintTable(std::ostream& out) const {
    out << "\n| case | " << baseline_ << " |";
    for (const std::string& p : peers_) out << " " << p << " | " << p << " / " << baseline_ << " |";
    out << "\n|---|---:|";
    for (size_t i = 0; i < peers_.size(); ++i) out << "---:|---:|";
    out << "\n";
    for (const std::string& c : order_) {
      const auto& row = times_.at(c);
      auto e = row.find(baseline_);
      if (e == row.end()) continue;
      out << "| " << c << " | " << Format(e->second) << " |";
      for (const std::string& p : peers_) {
        auto it = row.find(p);
        if (it == row.end()) {
          out << " | |";
          continue;
        }
        char ratio[32];
        std::snprintf(ratio, sizeof(ratio), "%.2fx", it->second / e->second);
        out << " " << Format(it->second) << " | " << ratio << " |";
      }
      out << "\n";
    }
  }

 private:
  static std::string Format(double ns) {
    char buf[32];
    if (ns < 1e3) std::snprintf(buf, sizeof(buf), "%.1f ns", ns);
    else if (ns < 1e6) std::snprintf(buf, sizeof(buf), "%.2f us", ns / 1e3);
    else std::snprintf(buf, sizeof(buf), "%.2f ms", ns / 1e6);
    return buf;
  }

  std::vector<std::string> peers_;
  std::string baseline_;
  std::vector<std::string> order_;
  std::map<std::string, std::map<std::string, double>> times_;
};

// Runs every registered benchmark and prints the ratio table of `peers` against
// `baseline`, then whatever `after_table` prints from the same runs.
inline int RunWithPeerRatios(int argc, char** argv, std::vector<std::string> peers = {"libtorch"},
                             std::string baseline = "ember",
                             void (*after_table)(const RatioReporter&, std::ostream&) = nullptr) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  RatioReporter reporter(std::move(peers), std::move(baseline));
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.PrintTable(std::cout);
  if (after_table != nullptr) after_table(reporter, std::cout);
  benchmark::Shutdown();
  return 0;
}

}  // namespace bench
}  // namespace ember

#endif  // EMBER_BENCH_RATIO_H_
