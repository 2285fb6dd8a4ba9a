// The legacy program's predictor before and after //migrate
// (//examples/legacy_ember): shop_legacy::predict runs the model under
// ember::AutoNonVariableTypeMode, shop_migrated::predict under the
// ember::InferenceMode the tool wrote. Same model, same input, same binary.
//
// Benchmarks come in pairs "<case>/legacy" and "<case>/migrated"; after the
// console output a table gives legacy CPU time / migrated CPU time (> 1: the
// migrated predictor is faster).
//
//   ./bazelw run --config=opt --copt=-Wno-maybe-uninitialized //bench:migrate_e2e_bench -- --benchmark_min_time=0.5
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "examples/legacy_ember/builds.h"
#include "nn/nn.h"
#include "tensor/tensor.h"

namespace {

using Predict = ember::Tensor (*)(ember::nn::Module&, const ember::Tensor&);

// An MLP in eval mode: in -> hidden -> hidden -> out, ReLU between.
void BM_Mlp(benchmark::State& state, Predict predict, int64_t batch, int64_t in, int64_t hidden, int64_t out) {
  ember::manual_seed(0);
  ember::nn::Sequential model(ember::nn::Linear(in, hidden), ember::nn::ReLU(), ember::nn::Linear(hidden, hidden),
                              ember::nn::ReLU(), ember::nn::Linear(hidden, out));
  model.eval();
  ember::Tensor x = ember::randn({batch, in});
  for (auto _ : state) {
    ember::Tensor y = predict(model, x);
    benchmark::DoNotOptimize(y.data_ptr());
  }
}

class LegacyVsMigratedReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.error_occurred) continue;
      bool median = run.run_type == Run::RT_Aggregate && run.aggregate_name == "median";
      if (!median && run.run_type != Run::RT_Iteration) continue;
      std::string name = run.run_name.function_name;
      size_t slash = name.rfind('/');
      if (slash == std::string::npos) continue;
      std::string c = name.substr(0, slash);
      if (times_.find(c) == times_.end()) order_.push_back(c);
      times_[c][name.substr(slash + 1)] = run.GetAdjustedCPUTime();
    }
    ConsoleReporter::ReportRuns(runs);
  }
  void PrintTable() const {
    std::printf("\n| case | legacy | migrated | legacy / migrated |\n|---|---:|---:|---:|\n");
    for (const std::string& c : order_) {
      const auto& row = times_.at(c);
      auto l = row.find("legacy"), m = row.find("migrated");
      if (l == row.end() || m == row.end()) continue;
      std::printf("| %s | %.2f us | %.2f us | %.2fx |\n", c.c_str(), l->second / 1e3, m->second / 1e3,
                  l->second / m->second);
    }
  }

 private:
  std::vector<std::string> order_;
  std::map<std::string, std::map<std::string, double>> times_;
};

}  // namespace

int main(int argc, char** argv) {
  struct Shape {
    const char* name;
    int64_t batch, in, hidden, out;
  };
  for (const Shape& s : {Shape{"mlp_1x4-8-8-2", 1, 4, 8, 2}, Shape{"mlp_8x16-32-32-4", 8, 16, 32, 4},
                         Shape{"mlp_32x64-128-128-10", 32, 64, 128, 10}}) {
    benchmark::RegisterBenchmark((std::string(s.name) + "/legacy").c_str(), BM_Mlp, &shop_legacy::predict, s.batch,
                                 s.in, s.hidden, s.out);
    benchmark::RegisterBenchmark((std::string(s.name) + "/migrated").c_str(), BM_Mlp, &shop_migrated::predict,
                                 s.batch, s.in, s.hidden, s.out);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  LegacyVsMigratedReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.PrintTable();
  return 0;
}
