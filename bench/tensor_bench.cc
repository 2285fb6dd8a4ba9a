// Ember vs LibTorch 1.13, side by side in one binary: per-op overhead on
// small tensors (plain, and inference tensors inside InferenceMode), memory
// bandwidth of a + b on 16M floats against a plain C++ loop, sums, and mm.
// Both libraries run single-threaded (at::set_num_threads(1),
// openblas_set_num_threads(1)), so the comparison is per core.
//
//   ./bazelw run -c opt --config=opt //bench:tensor_bench
#include <benchmark/benchmark.h>
#include <cblas.h>
#include <torch/torch.h>

#include <sys/resource.h>

#include <algorithm>
#include <cstdlib>
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

// Minor page faults so far in this process (first touches of fresh memory).
int64_t page_faults() {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

// Bytes per second, and page faults per iteration: a + b allocates its
// output each time, and is only comparable with the loop (which reuses one
// buffer) when that allocation is not fresh, page-faulting memory.
void set_counters(benchmark::State& state, int64_t faults_before) {
  state.SetBytesProcessed(state.iterations() * 3 * kBig * static_cast<int64_t>(sizeof(float)));
  state.counters["faults/iter"] =
      benchmark::Counter(static_cast<double>(page_faults() - faults_before), benchmark::Counter::kAvgIterations);
}

void ember_add_big(benchmark::State& state) {
  ember::Tensor a = ember::ones({kBig}), b = ember::ones({kBig});
  int64_t faults = page_faults();
  for (auto _ : state) benchmark::DoNotOptimize(a + b);
  set_counters(state, faults);
}
void torch_add_big(benchmark::State& state) {
  torch::Tensor a = torch::ones({kBig}), b = torch::ones({kBig});
  int64_t faults = page_faults();
  for (auto _ : state) benchmark::DoNotOptimize(a + b);
  set_counters(state, faults);
}
// The plain C++ loop over __restrict pointers into one output buffer reused
// across iterations (so, like Ember's cached output, it never faults), all
// three 64-byte aligned as Ember's allocator aligns tensors: the memory
// bandwidth the machine gives a single core.
void loop_add_big(benchmark::State& state) {
  struct Free {
    void operator()(float* p) const { std::free(p); }
  };
  auto buffer = [](float value) {
    std::unique_ptr<float[], Free> p(static_cast<float*>(std::aligned_alloc(64, kBig * sizeof(float))));
    std::fill(p.get(), p.get() + kBig, value);
    return p;
  };
  auto a = buffer(1.f), b = buffer(1.f), out = buffer(0.f);
  int64_t faults = page_faults();
  for (auto _ : state) {
    float* __restrict o = out.get();
    const float* __restrict pa = a.get();
    const float* __restrict pb = b.get();
    for (int64_t i = 0; i < kBig; ++i) o[i] = pa[i] + pb[i];
    benchmark::DoNotOptimize(o);
    benchmark::ClobberMemory();
  }
  set_counters(state, faults);
}
// out= into a preallocated tensor: no allocation at all.
void ember_add_out_big(benchmark::State& state) {
  ember::Tensor a = ember::ones({kBig}), b = ember::ones({kBig}), out = ember::empty({kBig});
  int64_t faults = page_faults();
  for (auto _ : state) benchmark::DoNotOptimize(ember::add_out(out, a, b));
  set_counters(state, faults);
}
void torch_add_out_big(benchmark::State& state) {
  torch::Tensor a = torch::ones({kBig}), b = torch::ones({kBig}), out = torch::empty({kBig});
  int64_t faults = page_faults();
  for (auto _ : state) benchmark::DoNotOptimize(torch::add_out(out, a, b));
  set_counters(state, faults);
}
// ---- sum (LibTorch's cascade order in both, so the same result) ----
void ember_sum_big(benchmark::State& state) {
  ember::Tensor a = ember::rand({kBig});
  for (auto _ : state) benchmark::DoNotOptimize(a.sum());
  state.SetBytesProcessed(state.iterations() * kBig * static_cast<int64_t>(sizeof(float)));
}
void torch_sum_big(benchmark::State& state) {
  torch::Tensor a = torch::rand({kBig});
  for (auto _ : state) benchmark::DoNotOptimize(a.sum());
  state.SetBytesProcessed(state.iterations() * kBig * static_cast<int64_t>(sizeof(float)));
}
// Over dim 0 (columns: the outer-sum loop) or dim 1 (rows: the inner one).
void ember_sum_dim(benchmark::State& state) {
  ember::Tensor a = ember::rand({1000, 1000});
  for (auto _ : state) benchmark::DoNotOptimize(a.sum({state.range(0)}));
}
void torch_sum_dim(benchmark::State& state) {
  torch::Tensor a = torch::rand({1000, 1000});
  for (auto _ : state) benchmark::DoNotOptimize(a.sum(state.range(0)));
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
  pair("sum, 16M", ember_sum_big, torch_sum_big, 0);
  for (int64_t dim : {0, 1}) pair("sum(" + std::to_string(dim) + "), 1000x1000", ember_sum_dim, torch_sum_dim, dim);
  for (int64_t n : {256, 1024}) pair("mm " + std::to_string(n), ember_mm, torch_mm, n);

  benchmark::Initialize(&argc, argv);
  ember::bench::RatioReporter reporter({"libtorch", "loop"});
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.PrintTable(std::cout);
  benchmark::Shutdown();
  return 0;
}
