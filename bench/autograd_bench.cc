// Per-op overhead and MLP forward, Ember vs LibTorch 1.13 side by side, in
// the three modes: requires-grad inputs in normal mode, NoGradGuard, and
// InferenceMode on inference tensors.
//   OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 ./bazelw run --config=opt //bench:autograd_bench
//   ... //bench:autograd_bench -- --background_thread   (the process has a second thread)
//
// Whether the process has a second thread matters: until it has one, Ember
// counts references with plain loads and stores (see Note [Counting without
// atomics in a single-threaded process] in tensor/single_threaded.h), as GCC's
// std::shared_ptr does; LibTorch's c10::intrusive_ptr always uses atomics.
// OpenBLAS starts its threads when loaded unless OPENBLAS_NUM_THREADS=1, so
// the first command runs single-threaded; --background_thread starts an idle
// thread first, to measure the atomic path in the same binary.
#include <signal.h>
#include <unistd.h>
#include <torch/torch.h>

#include <cstdio>
#include <cstring>
#include <iostream>
#include <thread>

#include "autograd/autograd.h"
#include "bench/ratio.h"
#include "benchmark/benchmark.h"
#include "modes/grad_mode.h"
#include "modes/inference_mode.h"
#include "nn/nn.h"
#include "tensor/allocator.h"
#include "tensor/single_threaded.h"
#include "tensor/tensor.h"

namespace {

enum Mode { kNormal, kNoGrad, kInference };
const char* const kModeNames[] = {"Normal", "NoGrad", "Inference"};

// Guards for one mode, Ember's or LibTorch's.
template <class NoGrad, class Inference>
struct ModeGuard {
  explicit ModeGuard(Mode m) {
    if (m == kNoGrad) no_grad.emplace();
    if (m == kInference) inference.emplace();
  }
  c10::optional<NoGrad> no_grad;
  c10::optional<Inference> inference;
};
using EmberGuard = ModeGuard<ember::NoGradGuard, ember::InferenceMode>;
using TorchGuard = ModeGuard<torch::NoGradGuard, c10::InferenceMode>;

// Small operands for the mode: requires-grad (normal), plain, or inference tensors.
ember::Tensor ember_input(Mode m) {
  if (m == kInference) {
    ember::InferenceMode g;
    return ember::ones({4});
  }
  ember::Tensor t = ember::ones({4});
  return m == kNormal ? t.set_requires_grad(true) : t;
}
torch::Tensor torch_input(Mode m) {
  if (m == kInference) {
    c10::InferenceMode g;
    return torch::ones({4});
  }
  torch::Tensor t = torch::ones({4});
  return m == kNormal ? t.set_requires_grad(true) : t;
}

template <Mode M>
void AddEmber(benchmark::State& state) {
  ember::Tensor a = ember_input(M), b = ember_input(M);
  EmberGuard guard(M);
  for (auto _ : state) benchmark::DoNotOptimize(a + b);
}
template <Mode M>
void AddTorch(benchmark::State& state) {
  torch::Tensor a = torch_input(M), b = torch_input(M);
  TorchGuard guard(M);
  for (auto _ : state) benchmark::DoNotOptimize(a + b);
}

// In normal mode the updated tensor is a non-leaf that requires grad, so
// every add_ records a node on a growing chain; both sides restart the chain
// every 1000 ops (one extra mul and the chain's release, inside the timing).
template <Mode M>
void AddInplaceEmber(benchmark::State& state) {
  ember::Tensor base = ember_input(M), b = ember_input(M);
  ember::Tensor a = M == kNormal ? base * 1 : base;
  EmberGuard guard(M);
  int64_t n = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(a.add_(b));
    if (M == kNormal && ++n % 1000 == 0) a = base * 1;
  }
}
template <Mode M>
void AddInplaceTorch(benchmark::State& state) {
  torch::Tensor base = torch_input(M), b = torch_input(M);
  torch::Tensor a = M == kNormal ? base * 1 : base;
  TorchGuard guard(M);
  int64_t n = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(a.add_(b));
    if (M == kNormal && ++n % 1000 == 0) a = base * 1;
  }
}

template <Mode M>
void ViewEmber(benchmark::State& state) {
  ember::Tensor a = ember_input(M);
  EmberGuard guard(M);
  for (auto _ : state) benchmark::DoNotOptimize(a.view({2, 2}));
}
template <Mode M>
void ViewTorch(benchmark::State& state) {
  torch::Tensor a = torch_input(M);
  TorchGuard guard(M);
  for (auto _ : state) benchmark::DoNotOptimize(a.view({2, 2}));
}

// What any view pays to keep its storage alive, with nothing else: one
// increment and one decrement of the storage's reference count (the base
// holds another). Atomic ones take 11-17 ns back to back, depending on the
// host; inside ViewInference/ember they overlap its other work and hold about
// half of its perf samples. Plain ones (single-threaded process) about 1 ns.
// Not a pair.
void StorageRefcountFloor(benchmark::State& state) {
  ember::Storage storage = ember::Storage::allocate(16);
  for (auto _ : state) {
    ember::Storage view_reference = storage;
    benchmark::DoNotOptimize(view_reference);
  }
}

// The 1000-1000-1000-10 MLP on a (50, 1000) batch.
template <Mode M>
void MlpEmber(benchmark::State& state) {
  ember::manual_seed(0);
  ember::nn::Sequential mlp(ember::nn::Linear(1000, 1000), ember::nn::ReLU(), ember::nn::Linear(1000, 1000),
                            ember::nn::ReLU(), ember::nn::Linear(1000, 10));
  ember::Tensor x = ember::randn({50, 1000});
  EmberGuard guard(M);
  int64_t before = ember::memory_stats().current_bytes;
  ember::reset_peak_memory_stats();
  for (auto _ : state) benchmark::DoNotOptimize(mlp(x));
  state.counters["peak_bytes"] = static_cast<double>(ember::memory_stats().peak_bytes - before);
}
template <Mode M>
void MlpTorch(benchmark::State& state) {
  torch::manual_seed(0);
  torch::nn::Sequential mlp(torch::nn::Linear(1000, 1000), torch::nn::ReLU(), torch::nn::Linear(1000, 1000),
                            torch::nn::ReLU(), torch::nn::Linear(1000, 10));
  torch::Tensor x = torch::randn({50, 1000});
  TorchGuard guard(M);
  for (auto _ : state) benchmark::DoNotOptimize(mlp->forward(x));
}

#define EMBER_PAIR(name, mode)                                                                  \
  BENCHMARK(name##Ember<mode>)->Name(std::string(#name) + kModeNames[mode] + "/ember");         \
  BENCHMARK(name##Torch<mode>)->Name(std::string(#name) + kModeNames[mode] + "/libtorch");
EMBER_PAIR(Add, kNormal)
EMBER_PAIR(Add, kNoGrad)
EMBER_PAIR(Add, kInference)
EMBER_PAIR(AddInplace, kNormal)
EMBER_PAIR(AddInplace, kNoGrad)
EMBER_PAIR(AddInplace, kInference)
EMBER_PAIR(View, kNormal)
EMBER_PAIR(View, kNoGrad)
EMBER_PAIR(View, kInference)
BENCHMARK(StorageRefcountFloor);
BENCHMARK(MlpEmber<kNormal>)->Name("MlpNormal/ember")->Unit(benchmark::kMicrosecond);
BENCHMARK(MlpTorch<kNormal>)->Name("MlpNormal/libtorch")->Unit(benchmark::kMicrosecond);
BENCHMARK(MlpEmber<kNoGrad>)->Name("MlpNoGrad/ember")->Unit(benchmark::kMicrosecond);
BENCHMARK(MlpTorch<kNoGrad>)->Name("MlpNoGrad/libtorch")->Unit(benchmark::kMicrosecond);
BENCHMARK(MlpEmber<kInference>)->Name("MlpInference/ember")->Unit(benchmark::kMicrosecond);
BENCHMARK(MlpTorch<kInference>)->Name("MlpInference/libtorch")->Unit(benchmark::kMicrosecond);

// Ember's and LibTorch's gain from InferenceMode per op: normal-mode time over
// InferenceMode time (issue #4 asks Ember's to be at least LibTorch's).
void PrintOwnModeGains(const ember::bench::RatioReporter& reporter, std::ostream& out) {
  out << "\n| op | ember normal / InferenceMode | libtorch normal / InferenceMode |\n|---|---:|---:|\n";
  for (const char* op : {"Add", "AddInplace", "View", "Mlp"}) {
    std::string normal = std::string(op) + "Normal", inference = std::string(op) + "Inference";
    out << "| " << op << " |";
    for (const char* impl : {"ember", "libtorch"}) {
      double n = reporter.Time(normal, impl), i = reporter.Time(inference, impl);
      char cell[32] = "";
      if (n > 0 && i > 0) std::snprintf(cell, sizeof(cell), " %.2fx", n / i);
      out << cell << " |";
    }
    out << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  // Our one flag, taken out before Google Benchmark sees the rest.
  bool background_thread = false;
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--background_thread") == 0) background_thread = true;
    else argv[kept++] = argv[i];
  }
  argc = kept;
  argv[argc] = nullptr;
  // Idle until the process exits; it only makes the process multi-threaded.
  if (background_thread) {
    std::thread([] {
      for (;;) pause();
    }).detach();
  }
  std::cout << "process: "
            << (ember::detail::process_is_single_threaded()
                    ? "single-threaded (Ember counts references without atomics)"
                    : "multi-threaded (Ember counts references atomically)")
            << std::endl;
  return ember::bench::RunWithPeerRatios(argc, argv, {"libtorch"}, "ember", &PrintOwnModeGains);
}
