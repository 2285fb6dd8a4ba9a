// Per-op overhead and MLP forward, Ember vs LibTorch 1.13 side by side, in
// the three modes: requires-grad inputs in normal mode, NoGradGuard, and
// InferenceMode on inference tensors.
//   ./bazelw run --config=opt //bench:autograd_bench
#include <torch/torch.h>

#include "autograd/autograd.h"
#include "bench/ratio.h"
#include "benchmark/benchmark.h"
#include "modes/grad_mode.h"
#include "modes/inference_mode.h"
#include "nn/nn.h"
#include "tensor/allocator.h"
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
// atomic increment and one atomic decrement of the storage's reference
// count (the base holds another). Not a pair; read it against
// ViewInference/ember, of which it is about half.
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

}  // namespace

int main(int argc, char** argv) { return ember::bench::RunWithPeerRatios(argc, argv); }
