// The legacy program's predictor before and after //migrate
// (//examples/legacy_ember): shop_legacy::predict runs the model under
// ember::AutoNonVariableTypeMode, shop_migrated::predict under the
// ember::InferenceMode the tool wrote. Same model, same input, same binary.
//
// Benchmarks come in pairs "<case>/legacy" and "<case>/migrated"; after the
// console output a table gives legacy CPU time / migrated CPU time (> 1: the
// migrated predictor is faster).
//
//   ./bazelw run --config=opt //bench:migrate_e2e_bench -- --benchmark_min_time=0.5
#include <benchmark/benchmark.h>

#include <string>

#include "bench/ratio.h"
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
  return ember::bench::RunWithPeerRatios(argc, argv, {"legacy"}, /*baseline=*/"migrated");
}
