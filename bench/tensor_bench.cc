// Ember vs LibTorch 1.13, side by side in one binary: per-op overhead on
// small tensors (plain, and inference tensors inside InferenceMode), memory
// bandwidth of a + b on 16M floats against a plain C++ loop, and mm.
// Both libraries run single-threaded (at::set_num_threads(1),
// openblas_set_num_threads(1)), so the comparison is per core.
//
//   ./bazelw run -c opt --config=opt //bench:tensor_bench
#include <benchmark/benchmark.h>
#include <cblas.h>
#include <torch/torch.h>

#include <iostream>
#include <memory>

#include "bench/ratio.h"
#include "modes/inference_mode.h"
#include "tensor/tensor.h"

extern "C" void openblas_set_num_threads(int);

namespace {

// ---- Per-op overhead ----
template <bool kInference>
void ember_add(benchmark::State& state) {
  std::unique_ptr<ember::InferenceMode> guard;
  if (kInference) guard = std::make_unique<ember::InferenceMode>();
  ember::Tensor a = ember::ones({state.range(0)}), b = ember::ones({state.range(0)});
  for (auto _ : state) benchmark::DoNotOptimize(a + b);
}
template <bool kInference>
void torch_add(benchmark::State& state) {
  std::unique_ptr<c10::InferenceMode> guard;
  if (kInference) guard = std::make_unique<c10::InferenceMode>();
  torch::Tensor a = torch::ones({state.range(0)}), b = torch::ones({state.range(0)});
  for (auto _ : state) benchmark::DoNotOptimize(a + b);
}

template <bool kInference>
void ember_add_(benchmark::State& state) {
  std::unique_ptr<ember::InferenceMode> guard;
  if (kInference) guard = std::make_unique<ember::InferenceMode>();
  ember::Tensor a = ember::ones({state.range(0)}), b = ember::zeros({state.range(0)});
  for (auto _ : state) benchmark::DoNotOptimize(a.add_(b));
}
template <bool kInference>
void torch_add_(benchmark::State& state) {
  std::unique_ptr<c10::InferenceMode> guard;
  if (kInference) guard = std::make_unique<c10::InferenceMode>();
  torch::Tensor a = torch::ones({state.range(0)}), b = torch::zeros({state.range(0)});
  for (auto _ : state) benchmark::DoNotOptimize(a.add_(b));
}

template <bool kInference>
void ember_view(benchmark::State& state) {
  std::unique_ptr<ember::InferenceMode> guard;
  if (kInference) guard = std::make_unique<ember::InferenceMode>();
  ember::Tensor a = ember::ones({10, 100});
  for (auto _ : state) benchmark::DoNotOptimize(a.view({100, 10}));
}
template <bool kInference>
void torch_view(benchmark::State& state) {
  std::unique_ptr<c10::InferenceMode> guard;
  if (kInference) guard = std::make_unique<c10::InferenceMode>();
  torch::Tensor a = torch::ones({10, 100});
  for (auto _ : state) benchmark::DoNotOptimize(a.view({100, 10}));
}

template <bool kInference>
void ember_transpose(benchmark::State& state) {
  std::unique_ptr<ember::InferenceMode> guard;
  if (kInference) guard = std::make_unique<ember::InferenceMode>();
  ember::Tensor a = ember::ones({10, 100});
  for (auto _ : state) benchmark::DoNotOptimize(a.transpose(0, 1));
}
template <bool kInference>
void torch_transpose(benchmark::State& state) {
  std::unique_ptr<c10::InferenceMode> guard;
  if (kInference) guard = std::make_unique<c10::InferenceMode>();
  torch::Tensor a = torch::ones({10, 100});
  for (auto _ : state) benchmark::DoNotOptimize(a.transpose(0, 1));
}

// ---- Bandwidth: a + b on 16M floats (3 x 64 MB moved per iteration) ----
constexpr int64_t kBig = 16 << 20;

void set_bytes(benchmark::State& state) {
  state.SetBytesProcessed(state.iterations() * 3 * kBig * static_cast<int64_t>(sizeof(float)));
}

void ember_add_big(benchmark::State& state) {
  ember::Tensor a = ember::ones({kBig}), b = ember::ones({kBig});
  for (auto _ : state) benchmark::DoNotOptimize(a + b);
  set_bytes(state);
}
void torch_add_big(benchmark::State& state) {
  torch::Tensor a = torch::ones({kBig}), b = torch::ones({kBig});
  for (auto _ : state) benchmark::DoNotOptimize(a + b);
  set_bytes(state);
}
// The plain C++ loop over __restrict pointers into a reused output buffer:
// the memory bandwidth the machine gives a single core.
void loop_add_big(benchmark::State& state) {
  std::vector<float> a(kBig, 1.f), b(kBig, 1.f), out(kBig);
  for (auto _ : state) {
    float* __restrict o = out.data();
    const float* __restrict pa = a.data();
    const float* __restrict pb = b.data();
    for (int64_t i = 0; i < kBig; ++i) o[i] = pa[i] + pb[i];
    benchmark::DoNotOptimize(o);
    benchmark::ClobberMemory();
  }
  set_bytes(state);
}
// out= into a preallocated tensor: no allocation at all.
void ember_add_out_big(benchmark::State& state) {
  ember::Tensor a = ember::ones({kBig}), b = ember::ones({kBig}), out = ember::empty({kBig});
  for (auto _ : state) benchmark::DoNotOptimize(ember::add_out(out, a, b));
  set_bytes(state);
}
void torch_add_out_big(benchmark::State& state) {
  torch::Tensor a = torch::ones({kBig}), b = torch::ones({kBig}), out = torch::empty({kBig});
  for (auto _ : state) benchmark::DoNotOptimize(torch::add_out(out, a, b));
  set_bytes(state);
}
// ---- mm ----
void ember_mm(benchmark::State& state) {
  int64_t n = state.range(0);
  ember::Tensor a = ember::randn({n, n}), b = ember::randn({n, n});
  for (auto _ : state) benchmark::DoNotOptimize(a.mm(b));
}
void torch_mm(benchmark::State& state) {
  int64_t n = state.range(0);
  torch::Tensor a = torch::randn({n, n}), b = torch::randn({n, n});
  for (auto _ : state) benchmark::DoNotOptimize(a.mm(b));
}

void pair(const std::string& name, void (*ember_fn)(benchmark::State&), void (*torch_fn)(benchmark::State&),
          int64_t arg) {
  benchmark::RegisterBenchmark((name + "/ember").c_str(), ember_fn)->Arg(arg);
  benchmark::RegisterBenchmark((name + "/libtorch").c_str(), torch_fn)->Arg(arg);
}

}  // namespace

int main(int argc, char** argv) {
  at::set_num_threads(1);
  openblas_set_num_threads(1);
  for (bool inference : {false, true}) {
    std::string mode = inference ? " inference" : "";
    for (int64_t n : {1, 1000}) {
      pair("a + b, " + std::to_string(n) + mode, inference ? ember_add<true> : ember_add<false>,
           inference ? torch_add<true> : torch_add<false>, n);
    }
    pair("add_, 1" + mode, inference ? ember_add_<true> : ember_add_<false>,
         inference ? torch_add_<true> : torch_add_<false>, 1);
    pair("view" + mode, inference ? ember_view<true> : ember_view<false>,
         inference ? torch_view<true> : torch_view<false>, 0);
    pair("transpose" + mode, inference ? ember_transpose<true> : ember_transpose<false>,
         inference ? torch_transpose<true> : torch_transpose<false>, 0);
  }
  pair("a + b, 16M", ember_add_big, torch_add_big, 0);
  benchmark::RegisterBenchmark("a + b, 16M/loop", loop_add_big)->Arg(0);
  pair("add_out, 16M", ember_add_out_big, torch_add_out_big, 0);
  for (int64_t n : {256, 1024}) pair("mm " + std::to_string(n), ember_mm, torch_mm, n);

  benchmark::Initialize(&argc, argv);
  ember::bench::RatioReporter reporter({"libtorch", "loop"});
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.PrintTable(std::cout);
  benchmark::Shutdown();
  return 0;
}
