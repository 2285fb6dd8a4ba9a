// Cost of entering and leaving each mode, Ember vs LibTorch 1.13, side by
// side in one run:  ./bazelw run --config=opt //bench:modes_bench
#include <ATen/core/LegacyTypeDispatch.h>
#include <c10/core/GradMode.h>
#include <c10/core/InferenceMode.h>

#include "bench/peer_ratio_reporter.h"
#include "benchmark/benchmark.h"
#include "modes/grad_mode.h"
#include "modes/inference_mode.h"
#include "modes/kernel_guards.h"

namespace {

template <typename Guard>
void EnterExit(benchmark::State& state) {
  for (auto _ : state) {
    Guard guard;
    benchmark::ClobberMemory();
  }
}

void GradModeIsEnabledEmber(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(ember::GradMode::is_enabled());
}

void GradModeIsEnabledTorch(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(c10::GradMode::is_enabled());
}

void InferenceModeIsEnabledEmber(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(ember::InferenceMode::is_enabled());
}

void InferenceModeIsEnabledTorch(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(c10::InferenceMode::is_enabled());
}

BENCHMARK(EnterExit<ember::InferenceMode>)->Name("InferenceModeEnterExit/ember");
BENCHMARK(EnterExit<c10::InferenceMode>)->Name("InferenceModeEnterExit/libtorch");
BENCHMARK(EnterExit<ember::NoGradGuard>)->Name("NoGradGuardEnterExit/ember");
BENCHMARK(EnterExit<at::NoGradGuard>)->Name("NoGradGuardEnterExit/libtorch");
BENCHMARK(EnterExit<ember::AutoDispatchBelowADInplaceOrView>)
    ->Name("AutoDispatchBelowADInplaceOrViewEnterExit/ember");
BENCHMARK(EnterExit<at::AutoDispatchBelowADInplaceOrView>)
    ->Name("AutoDispatchBelowADInplaceOrViewEnterExit/libtorch");
BENCHMARK(GradModeIsEnabledEmber)->Name("GradModeIsEnabled/ember");
BENCHMARK(GradModeIsEnabledTorch)->Name("GradModeIsEnabled/libtorch");
BENCHMARK(InferenceModeIsEnabledEmber)->Name("InferenceModeIsEnabled/ember");
BENCHMARK(InferenceModeIsEnabledTorch)->Name("InferenceModeIsEnabled/libtorch");

}  // namespace

int main(int argc, char** argv) { return ember::bench::RunWithPeerRatios(argc, argv); }
